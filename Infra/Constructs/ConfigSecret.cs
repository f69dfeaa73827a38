using System.Text.Json;
using Amazon.CDK;
using Amazon.CDK.AWS.SecretsManager;
using Constructs;
using Tap.Definition;

namespace Tap.Infra.Constructs;

/// <summary>
/// The configuration secret. CloudFormation generates the definition's generated key; the other keys start as empty
/// placeholders to fill with <c>put-secret-value</c>, so no secret value is ever in the template. Retained when the
/// stack is deleted (CloudFormation has no recovery-window setting; retaining keeps the data), which is why its name
/// carries the environment: a new environment name never collides with a retained secret.
/// </summary>
public sealed class ConfigSecret : Construct
{
    public ConfigSecret(Construct scope, string id, SecretDefinition definition, string environmentName)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var placeholders = definition.Keys.Where(k => k != definition.GeneratedKey).ToDictionary(k => k, _ => string.Empty);
        Name = $"{definition.Name}-{environmentName}";
        Secret = new Secret(this, "Secret", new SecretProps
        {
            SecretName = Name,
            Description = $"Tap's configuration: {string.Join(", ", definition.Keys)}.",
            GenerateSecretString = new SecretStringGenerator
            {
                SecretStringTemplate = JsonSerializer.Serialize(placeholders),
                GenerateStringKey = definition.GeneratedKey,
                ExcludePunctuation = true,
                PasswordLength = 40,
            },
            RemovalPolicy = RemovalPolicy.RETAIN,
        });
    }

    public Secret Secret { get; }

    /// <summary>The secret's name: the definition's, suffixed with the environment.</summary>
    public string Name { get; }
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tap.LocalAws.Iam;

namespace Tap.LocalAws.Configuration;

/// <summary>
/// Reads <c>LocalAws:Principals</c>. Policies are rebuilt as raw JSON from the configuration tree (or parsed from a
/// JSON string), never bound to classes, so IAM's string-or-array members and <c>"*"</c> survive intact.
/// </summary>
public static class PrincipalConfiguration
{
    public static IReadOnlyList<IamPrincipal> Load(IConfiguration configuration, string accountId)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var principals = new List<IamPrincipal>();
        foreach (var section in configuration.GetSection($"{LocalAwsOptions.SectionName}:Principals").GetChildren())
        {
            var name = section["Name"] ?? throw Invalid(section, "Name is required.");
            var arn = section["Arn"] ?? throw Invalid(section, "Arn is required.");
            if (!arn.StartsWith($"arn:aws:iam::{accountId}:", StringComparison.Ordinal))
            {
                throw Invalid(section, $"Arn '{arn}' must be an IAM ARN in account {accountId}.");
            }

            var accessKeyId = section["AccessKeyId"];
            var secretAccessKey = section["SecretAccessKey"];
            if ((accessKeyId is null) != (secretAccessKey is null))
            {
                throw Invalid(section, "AccessKeyId and SecretAccessKey go together.");
            }

            var policies = section.GetSection("Policies").GetChildren().Select(p => ParsePolicy(section, p)).ToList();
            var maxSession = int.TryParse(section["MaxSessionDuration"], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                ? seconds
                : 3600;
            principals.Add(new IamPrincipal(name, arn, accessKeyId, secretAccessKey, policies, section["ContainerCredentialsToken"], maxSession));
        }

        var duplicateKey = principals.Where(p => p.AccessKeyId is not null).GroupBy(p => p.AccessKeyId).FirstOrDefault(g => g.Count() > 1);
        return duplicateKey is null
            ? principals
            : throw new InvalidOperationException($"LocalAws: access key {duplicateKey.Key} is configured for more than one principal.");
    }

    private static PolicyDocument ParsePolicy(IConfigurationSection principal, IConfigurationSection policy)
    {
        try
        {
            if (policy.Value is { } text)
            {
                return PolicyDocument.Parse(text);
            }

            using var document = JsonDocument.Parse(ToJson(policy)!.ToJsonString());
            return PolicyDocument.Parse(document.RootElement);
        }
        catch (Exception ex) when (ex is PolicyFormatException or JsonException)
        {
            throw Invalid(principal, $"policy {policy.Key} is not a valid IAM policy: {ex.Message}");
        }
    }

    /// <summary>Configuration sections back to JSON: numbered children are arrays, named children objects.</summary>
    internal static JsonNode? ToJson(IConfigurationSection section)
    {
        var children = section.GetChildren().ToList();
        if (children.Count == 0)
        {
            return section.Value is null ? null : JsonValue.Create(section.Value);
        }

        if (children.All(c => int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            return new JsonArray(children.OrderBy(c => int.Parse(c.Key, CultureInfo.InvariantCulture)).Select(ToJson).ToArray());
        }

        var result = new JsonObject();
        foreach (var child in children)
        {
            result[child.Key] = ToJson(child);
        }

        return result;
    }

    private static InvalidOperationException Invalid(IConfigurationSection section, string message) =>
        new($"LocalAws configuration {section.Path}: {message}");
}

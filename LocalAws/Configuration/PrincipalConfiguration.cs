using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Tap.Aws.Protocol;
using Tap.LocalAws.Iam;

namespace Tap.LocalAws.Configuration;

/// <summary>
/// Reads <c>LocalAws:Principals</c>. Policies are rebuilt as raw JSON from the configuration tree (or parsed from a
/// JSON string), never bound to classes, so IAM's string-or-array members and <c>"*"</c> survive intact. Anything
/// that would make the emulated account weaker than AWS stops the start with a message naming the setting.
/// </summary>
public static partial class PrincipalConfiguration
{
    /// <summary>A bearer token shorter than this could be guessed by anything else on the machine.</summary>
    public const int MinContainerTokenLength = 16;

    /// <summary>IAM's shortest secret access key we accept; AWS's own are 40 characters.</summary>
    public const int MinSecretAccessKeyLength = 16;

    private const int MinSessionDuration = 3600;

    public static IReadOnlyList<IamPrincipal> Load(IConfiguration configuration, string accountId)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var principals = new List<IamPrincipal>();
        foreach (var section in configuration.GetSection($"{LocalAwsOptions.SectionName}:Principals").GetChildren())
        {
            principals.Add(LoadPrincipal(section, accountId));
        }

        if (principals.GroupBy(p => p.Arn, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } duplicateArn)
        {
            throw new InvalidOperationException($"LocalAws configuration: the principal {duplicateArn.Key} is configured more than once.");
        }

        var duplicateKey = principals.Where(p => p.AccessKeyId is not null).GroupBy(p => p.AccessKeyId, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        return duplicateKey is null
            ? principals
            : throw new InvalidOperationException(
                $"LocalAws configuration: AccessKeyId {duplicateKey.Key} is configured for more than one principal ({string.Join(", ", duplicateKey.Select(p => p.Name))}).");
    }

    private static IamPrincipal LoadPrincipal(IConfigurationSection section, string accountId)
    {
        var name = section["Name"] ?? throw SettingsSection.Invalid(section, "Name", "is required.");
        var arn = section["Arn"] ?? throw SettingsSection.Invalid(section, "Arn", "is required.");
        var match = PrincipalArnPattern().Match(arn);
        if (!match.Success || match.Groups["account"].Value != accountId)
        {
            throw SettingsSection.Invalid(section, "Arn", $"'{arn}' must be an IAM user or role ARN in account {accountId} (arn:aws:iam::{accountId}:user/NAME or :role/NAME).");
        }

        var isRole = match.Groups["kind"].Value == "role";
        var accessKeyId = section["AccessKeyId"];
        var secretAccessKey = section["SecretAccessKey"];
        var token = section["ContainerCredentialsToken"];
        var maxSessionText = section["MaxSessionDuration"];
        var trustText = section.GetSection("AssumeRolePolicyDocument");
        if (isRole)
        {
            RejectIfSet(section, "AccessKeyId", accessKeyId, "a role has no long-term access key; its callers get temporary credentials.");
            RejectIfSet(section, "SecretAccessKey", secretAccessKey, "a role has no long-term access key; its callers get temporary credentials.");
            ValidateToken(section, token);
        }
        else
        {
            RejectIfSet(section, "ContainerCredentialsToken", token, "only a role's credentials are served to containers.");
            RejectIfSet(section, "MaxSessionDuration", maxSessionText, "only a role has sessions.");
            RejectIfSet(section, "AssumeRolePolicyDocument", trustText.Value ?? (trustText.GetChildren().Any() ? "set" : null), "only a role can be assumed.");
            ValidateAccessKey(section, accessKeyId, secretAccessKey);
        }

        var maxSession = MinSessionDuration;
        if (maxSessionText is not null
            && (!int.TryParse(maxSessionText, NumberStyles.None, CultureInfo.InvariantCulture, out maxSession)
                || maxSession < MinSessionDuration || maxSession > AwsLimits.MaxRoleSessionDurationSeconds))
        {
            throw SettingsSection.Invalid(section, "MaxSessionDuration", $"'{maxSessionText}' must be a whole number of seconds from {MinSessionDuration} to {AwsLimits.MaxRoleSessionDurationSeconds}.");
        }

        var policies = section.GetSection("Policies").GetChildren().Select(p => ParsePolicy(section, p, $"Policies:{p.Key}")).ToList();
        var trust = isRole ? ParseTrustPolicy(section, trustText, accountId) : null;
        return new IamPrincipal(name, arn, accessKeyId, secretAccessKey, policies, token, maxSession) { TrustPolicy = trust };
    }

    private static void ValidateAccessKey(IConfigurationSection section, string? accessKeyId, string? secretAccessKey)
    {
        if ((accessKeyId is null) != (secretAccessKey is null))
        {
            throw SettingsSection.Invalid(section, accessKeyId is null ? "AccessKeyId" : "SecretAccessKey", "is missing: AccessKeyId and SecretAccessKey go together.");
        }

        if (accessKeyId is not null && !AccessKeyIdPattern().IsMatch(accessKeyId))
        {
            throw SettingsSection.Invalid(section, "AccessKeyId", "must be 16 to 128 characters of A-Z and 0-9, as IAM's access key ids are.");
        }

        // Base64's alphabet: AWS's own keys, including its documentation examples with '/', fit it.
        if (secretAccessKey is not null && (secretAccessKey.Length < MinSecretAccessKeyLength || !SecretAccessKeyPattern().IsMatch(secretAccessKey)))
        {
            throw SettingsSection.Invalid(section, "SecretAccessKey", $"must be at least {MinSecretAccessKeyLength} characters of A-Z, a-z, 0-9, '+', '/' and '='.");
        }
    }

    private static void ValidateToken(IConfigurationSection section, string? token)
    {
        if (token is not null && (token.Length < MinContainerTokenLength || token.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))))
        {
            throw SettingsSection.Invalid(section, "ContainerCredentialsToken", $"must be at least {MinContainerTokenLength} characters without spaces; a shorter one would let any local process take the role's credentials. Leave it unset to serve no container credentials.");
        }
    }

    private static void RejectIfSet(IConfigurationSection section, string setting, string? value, string why)
    {
        if (value is not null)
        {
            throw SettingsSection.Invalid(section, setting, $"must not be set: {why}");
        }
    }

    private static PolicyDocument ParsePolicy(IConfigurationSection principal, IConfigurationSection policy, string setting)
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
            throw SettingsSection.Invalid(principal, setting, $"is not a valid IAM policy: {ex.Message}");
        }
    }

    /// <summary>
    /// A role's trust policy. Without one, the role trusts its own account, so identity policies alone decide who
    /// may assume it (what an account-trusting role does in AWS).
    /// </summary>
    private static PolicyDocument ParseTrustPolicy(IConfigurationSection principal, IConfigurationSection trust, string accountId)
    {
        if (trust.Value is null && !trust.GetChildren().Any())
        {
            return PolicyDocument.Parse($$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{accountId}}:root"},"Action":"sts:AssumeRole"}]}""");
        }

        var policy = ParsePolicy(principal, trust, "AssumeRolePolicyDocument");
        return policy.Statements.Any(s => s.Principals is null)
            ? throw SettingsSection.Invalid(principal, "AssumeRolePolicyDocument", "is not a valid trust policy: every statement needs a Principal.")
            : policy;
    }

    /// <summary>Configuration sections back to JSON: numbered children are arrays, named children objects.</summary>
    internal static JsonNode? ToJson(IConfigurationSection section)
    {
        var children = section.GetChildren().ToList();
        if (children.Count == 0)
        {
            return section.Value is null ? null : JsonValue.Create(section.Value);
        }

        if (IsArray(children))
        {
            return new JsonArray(children.OrderBy(c => int.Parse(c.Key, CultureInfo.InvariantCulture)).Select(ToJson).ToArray());
        }

        var result = new JsonObject();
        foreach (var child in children)
        {
            result[child.Key] = child.Key == "Condition" ? ConditionToJson(child) : ToJson(child);
        }

        return result;
    }

    /// <summary>
    /// A Condition block. Configuration splits keys at ':', so <c>"sts:ExternalId"</c> arrives as a section
    /// <c>sts</c> holding <c>ExternalId</c>; IAM condition keys never nest, so the path below each operator is
    /// joined back into the key.
    /// </summary>
    private static JsonObject ConditionToJson(IConfigurationSection condition)
    {
        var result = new JsonObject();
        foreach (var conditionOperator in condition.GetChildren())
        {
            var keys = new JsonObject();
            AddConditionKeys(keys, conditionOperator, prefix: null);
            result[conditionOperator.Key] = keys;
        }

        return result;
    }

    private static void AddConditionKeys(JsonObject keys, IConfigurationSection section, string? prefix)
    {
        foreach (var child in section.GetChildren())
        {
            var key = prefix is null ? child.Key : $"{prefix}:{child.Key}";
            var grandchildren = child.GetChildren().ToList();
            if (grandchildren.Count == 0 || IsArray(grandchildren))
            {
                keys[key] = ToJson(child);
            }
            else
            {
                AddConditionKeys(keys, child, key);
            }
        }
    }

    private static bool IsArray(List<IConfigurationSection> children) =>
        children.All(c => int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _));

    [GeneratedRegex("^arn:aws:iam::(?<account>[0-9]{12}):(?<kind>user|role)/([A-Za-z0-9+=,.@_-]+/)*[A-Za-z0-9+=,.@_-]{1,64}$")]
    private static partial Regex PrincipalArnPattern();

    [GeneratedRegex("^[A-Z0-9]{16,128}$")]
    private static partial Regex AccessKeyIdPattern();

    [GeneratedRegex("^[A-Za-z0-9+/=]+$")]
    private static partial Regex SecretAccessKeyPattern();
}

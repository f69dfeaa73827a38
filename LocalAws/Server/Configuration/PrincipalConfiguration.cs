using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Tap.Aws.Protocol;
using Tap.LocalAws.Iam;
using Tap.LocalAws.Settings;

namespace Tap.LocalAws.Configuration;

/// <summary>
/// Turns the configured principals into IAM's: anything that would make the emulated account weaker than AWS stops
/// the start with a message naming the setting.
/// </summary>
public static partial class PrincipalConfiguration
{
    /// <summary>A bearer token shorter than this could be guessed by anything else on the machine.</summary>
    public const int MinContainerTokenLength = 16;

    /// <summary>IAM's shortest secret access key we accept; AWS's own are 40 characters.</summary>
    public const int MinSecretAccessKeyLength = 16;

    private const int MinSessionDuration = 3600;

    public static IReadOnlyList<IamPrincipal> Load(LocalAwsSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var principals = settings.Principals.Select(p => LoadPrincipal(p, settings.AccountId)).ToList();
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

    private static IamPrincipal LoadPrincipal(LocalAwsPrincipalSettings settings, string accountId)
    {
        var path = settings.ConfigurationPath;
        if (settings.Name.Length == 0)
        {
            throw SettingsSection.Invalid(path, nameof(settings.Name), "is required.");
        }

        if (settings.Arn.Length == 0)
        {
            throw SettingsSection.Invalid(path, nameof(settings.Arn), "is required.");
        }

        var match = PrincipalArnPattern().Match(settings.Arn);
        if (!match.Success || match.Groups["account"].Value != accountId)
        {
            throw SettingsSection.Invalid(path, nameof(settings.Arn), $"'{settings.Arn}' must be an IAM user or role ARN in account {accountId} (arn:aws:iam::{accountId}:user/NAME or :role/NAME).");
        }

        var isRole = match.Groups["kind"].Value == "role";
        if (isRole)
        {
            RejectIfSet(path, nameof(settings.AccessKeyId), settings.AccessKeyId, "a role has no long-term access key; its callers get temporary credentials.");
            RejectIfSet(path, nameof(settings.SecretAccessKey), settings.SecretAccessKey, "a role has no long-term access key; its callers get temporary credentials.");
            ValidateToken(path, settings.ContainerCredentialsToken);
        }
        else
        {
            RejectIfSet(path, nameof(settings.ContainerCredentialsToken), settings.ContainerCredentialsToken, "only a role's credentials are served to containers.");
            RejectIfSet(path, nameof(settings.MaxSessionDuration), settings.MaxSessionDuration?.ToString(CultureInfo.InvariantCulture), "only a role has sessions.");
            RejectIfSet(path, nameof(settings.AssumeRolePolicyDocument), settings.AssumeRolePolicyDocument, "only a role can be assumed.");
            ValidateAccessKey(path, settings.AccessKeyId, settings.SecretAccessKey);
        }

        if (settings.MaxSessionDuration is { } duration && (duration < MinSessionDuration || duration > AwsLimits.MaxRoleSessionDurationSeconds))
        {
            throw SettingsSection.Invalid(path, nameof(settings.MaxSessionDuration), $"'{duration}' must be a whole number of seconds from {MinSessionDuration} to {AwsLimits.MaxRoleSessionDurationSeconds}.");
        }

        foreach (var (arn, i) in settings.ManagedPolicyArns.Select((arn, i) => (arn, i)))
        {
            var policy = PolicyArnPattern().Match(arn);
            if (!policy.Success || (policy.Groups["account"].Value != "aws" && policy.Groups["account"].Value != accountId))
            {
                throw SettingsSection.Invalid(path, string.Create(CultureInfo.InvariantCulture, $"{nameof(settings.ManagedPolicyArns)}:{i}"),
                    $"'{arn}' must be a managed policy ARN in account {accountId} (arn:aws:iam::{accountId}:policy/NAME) or an AWS managed one (arn:aws:iam::aws:policy/NAME).");
            }
        }

        var policies = settings.Policies.Select((p, i) => ParsePolicy(path, p, string.Create(CultureInfo.InvariantCulture, $"{nameof(settings.Policies)}:{i}"))).ToList();
        var trust = isRole ? ParseTrustPolicy(path, settings.AssumeRolePolicyDocument, accountId) : null;
        return new IamPrincipal(settings.Name, settings.Arn, settings.AccessKeyId, settings.SecretAccessKey, policies, settings.ContainerCredentialsToken,
            settings.MaxSessionDuration ?? MinSessionDuration)
        { TrustPolicy = trust, ManagedPolicyArns = settings.ManagedPolicyArns };
    }

    private static void ValidateAccessKey(string path, string? accessKeyId, string? secretAccessKey)
    {
        if ((accessKeyId is null) != (secretAccessKey is null))
        {
            throw SettingsSection.Invalid(path, accessKeyId is null ? "AccessKeyId" : "SecretAccessKey", "is missing: AccessKeyId and SecretAccessKey go together.");
        }

        if (accessKeyId is not null && !AccessKeyIdPattern().IsMatch(accessKeyId))
        {
            throw SettingsSection.Invalid(path, "AccessKeyId", "must be 16 to 128 characters of A-Z and 0-9, as IAM's access key ids are.");
        }

        // Base64's alphabet: AWS's own keys, including its documentation examples with '/', fit it.
        if (secretAccessKey is not null && (secretAccessKey.Length < MinSecretAccessKeyLength || !SecretAccessKeyPattern().IsMatch(secretAccessKey)))
        {
            throw SettingsSection.Invalid(path, "SecretAccessKey", $"must be at least {MinSecretAccessKeyLength} characters of A-Z, a-z, 0-9, '+', '/' and '='.");
        }
    }

    private static void ValidateToken(string path, string? token)
    {
        if (token is not null && (token.Length < MinContainerTokenLength || token.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))))
        {
            throw SettingsSection.Invalid(path, "ContainerCredentialsToken", $"must be at least {MinContainerTokenLength} characters without spaces; a shorter one would let any local process take the role's credentials. Leave it unset to serve no container credentials.");
        }
    }

    private static void RejectIfSet(string path, string setting, string? value, string why)
    {
        if (value is not null)
        {
            throw SettingsSection.Invalid(path, setting, $"must not be set: {why}");
        }
    }

    private static PolicyDocument ParsePolicy(string path, string text, string setting)
    {
        try
        {
            return PolicyDocument.Parse(text);
        }
        catch (Exception ex) when (ex is PolicyFormatException or JsonException)
        {
            throw SettingsSection.Invalid(path, setting, $"is not a valid IAM policy: {ex.Message}");
        }
    }

    /// <summary>
    /// A role's trust policy. Without one, the role trusts its own account, so identity policies alone decide who
    /// may assume it (what an account-trusting role does in AWS).
    /// </summary>
    private static PolicyDocument ParseTrustPolicy(string path, string? trust, string accountId)
    {
        if (trust is null)
        {
            return PolicyDocument.Parse($$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{accountId}}:root"},"Action":"sts:AssumeRole"}]}""");
        }

        const string setting = nameof(LocalAwsPrincipalSettings.AssumeRolePolicyDocument);
        var policy = ParsePolicy(path, trust, setting);
        return policy.Statements.Any(s => s.Principals is null)
            ? throw SettingsSection.Invalid(path, setting, "is not a valid trust policy: every statement needs a Principal.")
            : policy;
    }

    [GeneratedRegex("^arn:aws:iam::(?<account>[0-9]{12}):(?<kind>user|role)/([A-Za-z0-9+=,.@_-]+/)*[A-Za-z0-9+=,.@_-]{1,64}$")]
    private static partial Regex PrincipalArnPattern();

    [GeneratedRegex("^arn:aws:iam::(?<account>[0-9]{12}|aws):policy/([A-Za-z0-9+=,.@_-]+/)*[A-Za-z0-9+=,.@_-]{1,128}$")]
    private static partial Regex PolicyArnPattern();

    [GeneratedRegex("^[A-Z0-9]{16,128}$")]
    private static partial Regex AccessKeyIdPattern();

    [GeneratedRegex("^[A-Za-z0-9+/=]+$")]
    private static partial Regex SecretAccessKeyPattern();
}

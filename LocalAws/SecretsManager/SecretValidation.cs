using System.Text;
using System.Text.RegularExpressions;
using Tap.LocalAws.Protocols;

namespace Tap.LocalAws.SecretsManager;

/// <summary>The input limits Secrets Manager enforces, answered with its error codes and messages.</summary>
internal static partial class SecretValidation
{
    public const int MaxValueBytes = 65536;

    public static void Name(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 512)
        {
            throw Invalid("1 validation error detected: Value at 'name' failed to satisfy constraint: Member must have length between 1 and 512");
        }

        if (!NamePattern().IsMatch(name))
        {
            throw AwsServiceException.Json("ValidationException",
                "Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!");
        }
    }

    public static string SecretId(string? secretId) =>
        string.IsNullOrEmpty(secretId) || secretId.Length > 2048
            ? throw Invalid("1 validation error detected: Value at 'secretId' failed to satisfy constraint: Member must have length between 1 and 2048")
            : secretId;

    public static void Value(string? secretString, byte[]? secretBinary, bool required)
    {
        if (secretString is not null && secretBinary is not null)
        {
            throw AwsServiceException.Json("InvalidParameterException",
                "You can't specify both a binary secret value and a string secret value in the same secret.");
        }

        if (required && secretString is null && secretBinary is null)
        {
            throw AwsServiceException.Json("InvalidRequestException", "You must provide either SecretString or SecretBinary.");
        }

        if ((secretString is not null && Encoding.UTF8.GetByteCount(secretString) > MaxValueBytes) || secretBinary?.Length > MaxValueBytes)
        {
            throw Invalid($"1 validation error detected: Value at '{(secretString is not null ? "secretString" : "secretBinary")}' failed to satisfy constraint: Member must have length less than or equal to {MaxValueBytes}");
        }
    }

    public static void ClientRequestToken(string? token)
    {
        if (token is not null && (token.Length < 32 || token.Length > 64))
        {
            throw Invalid("1 validation error detected: Value at 'clientRequestToken' failed to satisfy constraint: Member must have length between 32 and 64");
        }
    }

    public static void Description(string? description)
    {
        if (description?.Length > 2048)
        {
            throw Invalid("1 validation error detected: Value at 'description' failed to satisfy constraint: Member must have length less than or equal to 2048");
        }
    }

    public static void VersionStages(List<string>? stages)
    {
        if (stages is not null && (stages.Count is 0 or > 20 || stages.Any(s => s.Length is 0 or > 256)))
        {
            throw Invalid("1 validation error detected: Value at 'versionStages' failed to satisfy constraint: Member must have between 1 and 20 stages, each 1 to 256 characters");
        }
    }

    private static AwsServiceException Invalid(string message) => AwsServiceException.Json("ValidationException", message);

    [GeneratedRegex("^[A-Za-z0-9/_+=.@-]+$")]
    private static partial Regex NamePattern();
}

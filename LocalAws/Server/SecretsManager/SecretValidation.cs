using System.Text.RegularExpressions;
using Tap.LocalAws.Protocols;

namespace Tap.LocalAws.SecretsManager;

/// <summary>Secrets Manager's checks beyond the modeled constraints (see <see cref="RequestValidation"/>).</summary>
internal static partial class SecretValidation
{
    public static void Name(string name)
    {
        if (!NamePattern().IsMatch(name))
        {
            throw AwsServiceException.Json("ValidationException",
                "Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!");
        }
    }

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
    }

    [GeneratedRegex("^[A-Za-z0-9/_+=.@-]+$")]
    private static partial Regex NamePattern();
}

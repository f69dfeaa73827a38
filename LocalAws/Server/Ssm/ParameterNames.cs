using System.Text.RegularExpressions;
using Tap.LocalAws.Protocols;

namespace Tap.LocalAws.Ssm;

/// <summary>
/// Parameter Store's rules for names and paths, and a parameter's ARN: <c>arn:aws:ssm:{region}:{account}:parameter/a/b</c>
/// for <c>/a/b</c>, <c>…:parameter/x</c> for <c>x</c>.
/// </summary>
internal static partial class ParameterNames
{
    /// <summary>The longest name (the API's 2048 is for the full ARN).</summary>
    public const int MaxNameLength = 1011;

    public const int MaxHierarchyLevels = 15;

    /// <summary>Checks a name a parameter is created under; throws the error Parameter Store gives.</summary>
    public static void Validate(string name)
    {
        if (name.Length > MaxNameLength)
        {
            throw Validation($"1 validation error detected: Value at 'name' failed to satisfy constraint: Member must have length less than or equal to {MaxNameLength}");
        }

        if (name.Contains('/', StringComparison.Ordinal) && !name.StartsWith('/'))
        {
            throw Validation("Parameter name must be a fully qualified name.");
        }

        // Parameter Store gives one message for a reserved prefix and for a character a name cannot hold.
        var firstLevel = name.TrimStart('/');
        if (firstLevel.StartsWith("aws", StringComparison.OrdinalIgnoreCase) || firstLevel.StartsWith("ssm", StringComparison.OrdinalIgnoreCase)
            || !NamePattern().IsMatch(name))
        {
            throw Validation("Parameter name: can't be prefixed with \"aws\" or \"ssm\" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_");
        }

        if (name.Count(c => c == '/') > MaxHierarchyLevels)
        {
            throw AwsServiceException.Json("HierarchyLevelLimitExceededException", $"A hierarchy can have a maximum of {MaxHierarchyLevels} levels.");
        }
    }

    /// <summary>Checks a path GetParametersByPath or a <c>Path</c> filter is given.</summary>
    public static void ValidatePath(string path)
    {
        if (!path.StartsWith('/') || (path.Length > 1 && !NamePattern().IsMatch(path.TrimEnd('/'))))
        {
            throw Validation("The parameter doesn't meet the parameter name requirements. The parameter name must begin with a forward slash \"/\". It can't be prefixed with \"aws\" or \"ssm\" (case-insensitive). It must use only letters, numbers, or the following symbols: . (period), - (hyphen), _ (underscore). Special characters are not allowed. All sub-paths, if specified, must use the forward slash symbol \"/\". Valid example: /get/parameters2-/by1./path0_.");
        }
    }

    /// <summary>The name a request means: the name itself, or the name an ARN of this account and region holds.</summary>
    public static string FromNameOrArn(string nameOrArn, string region, string account)
    {
        var prefix = $"arn:aws:ssm:{region}:{account}:parameter/";
        if (!nameOrArn.StartsWith("arn:", StringComparison.Ordinal))
        {
            return nameOrArn;
        }

        if (!nameOrArn.StartsWith(prefix, StringComparison.Ordinal))
        {
            // A parameter of another account or region is not here.
            return nameOrArn;
        }

        var rest = nameOrArn[prefix.Length..];
        return rest.Contains('/', StringComparison.Ordinal) ? "/" + rest : rest;
    }

    public static string Arn(string region, string account, string name) =>
        $"arn:aws:ssm:{region}:{account}:parameter{(name.StartsWith('/') ? name : "/" + name)}";

    /// <summary>Whether <paramref name="name"/> lies under <paramref name="path"/>: one level below, or any depth when <paramref name="recursive"/>.</summary>
    public static bool IsUnder(string name, string path, bool recursive)
    {
        var prefix = path.EndsWith('/') ? path : path + "/";
        if (!name.StartsWith('/') || !name.StartsWith(prefix, StringComparison.Ordinal) || name.Length == prefix.Length)
        {
            return false;
        }

        return recursive || !name.AsSpan(prefix.Length).Contains('/');
    }

    private static AwsServiceException Validation(string message) => AwsServiceException.Json("ValidationException", message);

    [GeneratedRegex(@"^/?[a-zA-Z0-9_.\-]+(/[a-zA-Z0-9_.\-]+)*$")]
    private static partial Regex NamePattern();
}

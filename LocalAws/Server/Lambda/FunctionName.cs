using System.Text.RegularExpressions;

namespace Tap.LocalAws.Lambda;

/// <summary>
/// The ways a request may name a function: <c>my-function</c>, <c>my-function:qualifier</c>,
/// <c>123456789012:function:my-function</c> or its full ARN, with the qualifier also given as <c>Qualifier</c>.
/// </summary>
internal static partial class FunctionName
{
    /// <summary>
    /// The function's name and qualifier, and the region and account when an ARN names them; <see langword="null"/>
    /// when the text names no function.
    /// </summary>
    public static (string Name, string? Qualifier, string? Region, string? Account)? Parse(string named, string? qualifierParameter)
    {
        ArgumentNullException.ThrowIfNull(named);
        var match = named.Length <= 170 ? Pattern().Match(named) : Match.Empty;
        if (!match.Success)
        {
            return null;
        }

        var qualifier = match.Groups["qualifier"].Success ? match.Groups["qualifier"].Value : null;
        if (qualifierParameter is not null && qualifier is not null && qualifier != qualifierParameter)
        {
            return null;
        }

        return (match.Groups["name"].Value, qualifier ?? qualifierParameter,
            match.Groups["region"].Success ? match.Groups["region"].Value : null,
            match.Groups["account"].Success ? match.Groups["account"].Value : null);
    }

    // Lambda's FunctionName pattern, with the name and qualifier captured.
    [GeneratedRegex(@"^(arn:(aws[a-zA-Z-]*)?:lambda:)?((?<region>[a-z]{2}(-gov)?-[a-z]+-\d{1}):)?((?<account>\d{12}):)?(function:)?(?<name>[a-zA-Z0-9-_]{1,64})(:(?<qualifier>\$LATEST|[a-zA-Z0-9-_]{1,128}))?$")]
    private static partial Regex Pattern();
}

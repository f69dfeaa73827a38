using System.Globalization;
using System.Text;

namespace Tap.LocalAws.Protocols;

/// <summary>Opaque NextToken values: an offset into a stable ordering.</summary>
internal static class PageToken
{
    private const string Prefix = "offset:";

    public static string Encode(int offset) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(Prefix + offset.ToString(CultureInfo.InvariantCulture)));

    /// <summary>
    /// The offset a token holds; a token past the end of <paramref name="count"/> items is invalid, the service's
    /// <paramref name="errorCode"/> (Secrets Manager's <c>InvalidNextTokenException</c>, Parameter Store's <c>InvalidNextToken</c>).
    /// </summary>
    public static int Decode(string? token, int count, string errorCode) =>
        TryDecode(token, count) ?? throw AwsServiceException.Json(errorCode, "The NextToken value is invalid.");

    /// <summary>The offset a token holds (0 for none), or <see langword="null"/> for an invalid one, for a service to answer in its own words.</summary>
    public static int? TryDecode(string? token, int count)
    {
        if (string.IsNullOrEmpty(token))
        {
            return 0;
        }

        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            return text.StartsWith(Prefix, StringComparison.Ordinal)
                && int.TryParse(text.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
                && offset <= count
                ? offset
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

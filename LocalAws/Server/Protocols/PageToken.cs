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
    public static int Decode(string? token, int count, string errorCode)
    {
        if (string.IsNullOrEmpty(token))
        {
            return 0;
        }

        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            if (text.StartsWith(Prefix, StringComparison.Ordinal)
                && int.TryParse(text.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
                && offset <= count)
            {
                return offset;
            }
        }
        catch (FormatException)
        {
            // Falls through to the error below.
        }

        throw AwsServiceException.Json(errorCode, "The NextToken value is invalid.");
    }
}

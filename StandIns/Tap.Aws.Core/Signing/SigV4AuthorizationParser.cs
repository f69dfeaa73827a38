using System.Globalization;

namespace Tap.Aws.Signing;

/// <summary>Reads SigV4 parameters from a request, reporting malformed ones the way AWS does.</summary>
internal static class SigV4AuthorizationParser
{
    public static SigV4VerificationResult? TryParse(SigV4Request request, out SigV4Authorization? authorization)
    {
        authorization = null;

        // A repeated authentication header is ambiguous: which copy was meant depends on who reads it.
        foreach (var name in (ReadOnlySpan<string>)[SigV4Constants.Headers.Authorization, SigV4Constants.Headers.XAmzDate, SigV4Constants.Headers.XAmzSecurityToken])
        {
            if (request.CountHeader(name) > 1)
            {
                return SigV4VerificationResult.Fail(SigV4Status.IncompleteSignature, $"The request has more than one '{name}' header; send it once.");
            }
        }

        var header = request.GetHeader(SigV4Constants.Headers.Authorization)?.Trim();
        // Most requests carry no query string: no dictionary for them.
        var query = string.IsNullOrEmpty(request.RawQuery) ? null : ParseQuery(request.RawQuery);
        var presigned = query is not null
            && (query.ContainsKey(SigV4Constants.QueryParameters.Algorithm) || query.ContainsKey(SigV4Constants.QueryParameters.Signature));

        if (header is null && !presigned)
        {
            return SigV4VerificationResult.Fail(SigV4Status.MissingAuthentication, "Missing Authentication Token");
        }

        if (header is not null && presigned)
        {
            return SigV4VerificationResult.Fail(
                SigV4Status.IncompleteSignature,
                "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or the Authorization header should be specified");
        }

        return header is not null
            ? ParseHeader(request, header, out authorization)
            : ParseQuery(query!, out authorization);
    }

    private static SigV4VerificationResult? ParseHeader(SigV4Request request, string header, out SigV4Authorization? authorization)
    {
        authorization = null;
        var algorithmEnd = header.IndexOf(' ', StringComparison.Ordinal);
        var algorithm = algorithmEnd < 0 ? header : header.AsSpan(0, algorithmEnd);
        if (!algorithm.SequenceEqual(SigV4Constants.Algorithm))
        {
            return SigV4VerificationResult.Fail(
                SigV4Status.IncompleteSignature,
                $"Authorization header requires '{SigV4Constants.Algorithm}' authentication; got '{algorithm}'.");
        }

        // Every request is parsed: spans, and a string only for the three values kept (each at most once).
        string? credential = null, signature = null, signedHeaders = null;
        var fields = header.AsSpan(algorithmEnd + 1);
        foreach (var range in fields.Split(','))
        {
            var part = fields[range].Trim();
            if (part.IsEmpty)
            {
                continue;
            }

            var separator = part.IndexOf('=');
            if (separator <= 0)
            {
                // AWS's words, without quoting the rest of the header back.
                return SigV4VerificationResult.Fail(
                    SigV4Status.IncompleteSignature, $"'{part}' not a valid key=value pair (missing equal-sign) in Authorization header.");
            }

            var name = part[..separator].Trim();
            var value = part[(separator + 1)..].Trim();
            var repeated =
                name.SequenceEqual("Credential") ? Keep(ref credential, name, value)
                : name.SequenceEqual("Signature") ? Keep(ref signature, name, value)
                : name.SequenceEqual("SignedHeaders") ? Keep(ref signedHeaders, name, value)
                : null;
            if (repeated is not null)
            {
                return repeated;
            }
        }

        List<string>? missing = null;
        foreach (var (required, value) in (ReadOnlySpan<(string, string?)>)[("Credential", credential), ("Signature", signature), ("SignedHeaders", signedHeaders)])
        {
            if (string.IsNullOrEmpty(value))
            {
                (missing ??= []).Add($"Authorization header requires '{required}' parameter.");
            }
        }

        var amzDate = request.GetHeader(SigV4Constants.Headers.XAmzDate);
        if (amzDate is null)
        {
            (missing ??= []).Add("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
        }

        if (missing is not null)
        {
            return SigV4VerificationResult.Fail(SigV4Status.IncompleteSignature, string.Join(' ', missing));
        }

        return Build(
            credential!, signedHeaders!, signature!, amzDate!,
            request.GetHeader(SigV4Constants.Headers.XAmzSecurityToken), expires: null, out authorization);
    }

    /// <summary>Keeps a field's value; a field sent twice is refused, as a repeated header is: which copy counts would depend on who reads it.</summary>
    private static SigV4VerificationResult? Keep(ref string? field, ReadOnlySpan<char> name, ReadOnlySpan<char> value)
    {
        if (field is not null)
        {
            return SigV4VerificationResult.Fail(SigV4Status.IncompleteSignature, $"The Authorization header has more than one '{name}' parameter.");
        }

        field = value.ToString();
        return null;
    }

    private static SigV4VerificationResult? ParseQuery(Dictionary<string, string> query, out SigV4Authorization? authorization)
    {
        authorization = null;
        var missing = new List<string>();
        foreach (var required in (string[])
        [
            SigV4Constants.QueryParameters.Algorithm, SigV4Constants.QueryParameters.Credential,
            SigV4Constants.QueryParameters.Signature, SigV4Constants.QueryParameters.SignedHeaders,
            SigV4Constants.QueryParameters.Date, SigV4Constants.QueryParameters.Expires,
        ])
        {
            if (!query.TryGetValue(required, out var value) || value.Length == 0)
            {
                missing.Add($"AWS query-string parameters must include '{required}'.");
            }
        }

        if (missing.Count > 0)
        {
            return SigV4VerificationResult.Fail(SigV4Status.IncompleteSignature, string.Join(' ', missing) + " Re-examine the query-string parameters.");
        }

        if (!string.Equals(query[SigV4Constants.QueryParameters.Algorithm], SigV4Constants.Algorithm, StringComparison.Ordinal))
        {
            return SigV4VerificationResult.Fail(
                SigV4Status.IncompleteSignature, $"X-Amz-Algorithm only supports \"{SigV4Constants.Algorithm}\".");
        }

        if (!int.TryParse(query[SigV4Constants.QueryParameters.Expires], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            || expires < 1 || expires > SigV4Constants.MaxPresignedExpirySeconds)
        {
            return SigV4VerificationResult.Fail(
                SigV4Status.IncompleteSignature,
                $"X-Amz-Expires must be a whole number of seconds from 1 to {SigV4Constants.MaxPresignedExpirySeconds} (one week).");
        }

        query.TryGetValue(SigV4Constants.QueryParameters.SecurityToken, out var token);
        return Build(
            query[SigV4Constants.QueryParameters.Credential], query[SigV4Constants.QueryParameters.SignedHeaders],
            query[SigV4Constants.QueryParameters.Signature], query[SigV4Constants.QueryParameters.Date],
            token, expires, out authorization);
    }

    private static SigV4VerificationResult? Build(
        string credential, string signedHeaders, string signature, string amzDate, string? token, int? expires,
        out SigV4Authorization? authorization)
    {
        authorization = null;
        // keyid/date/region/service/terminator, split over spans: a sixth range holds anything past a fifth slash.
        Span<Range> parts = stackalloc Range[6];
        var fields = credential.AsSpan();
        if (fields.Split(parts, '/') != 5 || HasEmpty(fields, parts[..5]))
        {
            return SigV4VerificationResult.Fail(
                SigV4Status.IncompleteSignature,
                $"Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '{credential}'");
        }

        if (!IsBasicIsoDateTime(amzDate))
        {
            return SigV4VerificationResult.Fail(
                SigV4Status.IncompleteSignature, $"Date must be in ISO-8601 'basic format'. Got '{amzDate}'. See http://en.wikipedia.org/wiki/ISO_8601");
        }

        authorization = new SigV4Authorization(
            credential[parts[0]],
            new CredentialScope(credential[parts[1]], credential[parts[2]], credential[parts[3]]),
            signedHeaders.Split(';'),
            signature,
            amzDate,
            string.IsNullOrEmpty(token) ? null : token,
            expires);

        var terminator = fields[parts[4]];
        if (!terminator.SequenceEqual(SigV4Constants.Terminator))
        {
            return SigV4VerificationResult.Fail(
                SigV4Status.SignatureMismatch,
                $"Credential should be scoped with a valid terminator: '{SigV4Constants.Terminator}', not '{terminator}'.",
                authorization);
        }

        return null;
    }

    private static bool HasEmpty(ReadOnlySpan<char> value, ReadOnlySpan<Range> parts)
    {
        foreach (var part in parts)
        {
            if (value[part].IsEmpty)
            {
                return true;
            }
        }

        return false;
    }

    internal static bool IsBasicIsoDateTime(string value) =>
        DateTime.TryParseExact(value, SigV4Constants.DateTimeFormat, CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out _);

    private static Dictionary<string, string> ParseQuery(string rawQuery)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in rawQuery.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var separator = part.IndexOf('=', StringComparison.Ordinal);
            var name = UriEncoding.Decode(separator < 0 ? part : part[..separator]);
            if (name.StartsWith("X-Amz-", StringComparison.Ordinal))
            {
                result[name] = separator < 0 ? string.Empty : UriEncoding.Decode(part[(separator + 1)..]);
            }
        }

        return result;
    }
}

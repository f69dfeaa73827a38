using System.Text;
using Microsoft.AspNetCore.Http.Features;

namespace Tap.LocalAws.ApiGateway;

/// <summary>
/// The one canonical form of a request's path, computed once per request: route matching reads its
/// <see cref="Segments"/>, and the <c>execute-api:Invoke</c> resource and the event's <c>rawPath</c> are its
/// <see cref="Value"/>. Every spelling of a path that reaches the same resource has the same canonical form, so a
/// policy over that resource's ARN decides every spelling alike.
/// </summary>
/// <remarks>
/// The rule: the path is percent-decoded (UTF-8; <c>%2F</c> becomes a separator, as API Gateway decodes it), split at
/// <c>/</c>, empty segments are dropped (a trailing <c>/</c>, a doubled <c>//</c>: API Gateway routes
/// <c>/orders/</c> as <c>/orders</c>), <c>.</c> segments are dropped and <c>..</c> removes the segment before it
/// (RFC 3986's dot segments; never above the root). Case is kept: paths are case-sensitive. The canonical text
/// percent-encodes only what a path segment cannot hold, in upper-case hex. A path that does not decode (a stray
/// <c>%</c>, bytes that are not UTF-8, a control character) has no canonical form: the gateway answers 400.
/// </remarks>
internal sealed class RequestPath
{
    public static readonly RequestPath Root = new([]);

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private RequestPath(IReadOnlyList<string> segments)
    {
        Segments = segments;
        Value = segments.Count == 0 ? "/" : string.Concat(segments.Select(s => "/" + Escape(s)));
    }

    /// <summary>The decoded segments, none empty.</summary>
    public IReadOnlyList<string> Segments { get; }

    /// <summary>The canonical path: <c>/</c> and each segment, percent-encoded where a segment must be; <c>/</c> for the root.</summary>
    public string Value { get; }

    /// <summary>The canonical form of <paramref name="rawPath"/> (the path as sent, before any <c>?</c>), or <see langword="null"/> when it has none.</summary>
    public static RequestPath? Parse(string rawPath)
    {
        ArgumentNullException.ThrowIfNull(rawPath);
        if (Decode(rawPath) is not { } decoded)
        {
            return null;
        }

        var segments = new List<string>();
        foreach (var segment in decoded.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment == "..")
            {
                if (segments.Count > 0)
                {
                    segments.RemoveAt(segments.Count - 1);
                }
            }
            else if (segment != ".")
            {
                segments.Add(segment);
            }
        }

        return new RequestPath(segments);
    }

    /// <summary>The path after its first segment when that is <paramref name="segment"/> (a stage), else <see langword="null"/>.</summary>
    public RequestPath? After(string segment) =>
        Segments.Count > 0 && string.Equals(Segments[0], segment, StringComparison.Ordinal) ? new RequestPath([.. Segments.Skip(1)]) : null;

    public override string ToString() => Value;

    /// <summary>The request's path and query exactly as the client sent them (ASP.NET Core decodes <c>Path</c>).</summary>
    public static (string Path, string Query) RawTarget(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var target = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(target) || target[0] != '/')
        {
            target = request.PathBase.Add(request.Path).ToUriComponent() + request.QueryString.ToUriComponent();
        }

        var question = target.IndexOf('?', StringComparison.Ordinal);
        return question < 0 ? (target, string.Empty) : (target[..question], target[(question + 1)..]);
    }

    private static string? Decode(string raw)
    {
        if (!raw.Contains('%', StringComparison.Ordinal))
        {
            return raw.Any(char.IsControl) ? null : raw;
        }

        // Percent-escapes are UTF-8 bytes; characters sent as they are (already decoded by the server) stay as they are.
        var bytes = new List<byte>(raw.Length);
        var text = new StringBuilder(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == '%')
            {
                if (i + 2 >= raw.Length || !char.IsAsciiHexDigit(raw[i + 1]) || !char.IsAsciiHexDigit(raw[i + 2]))
                {
                    return null;
                }

                bytes.Add(Convert.ToByte(raw.Substring(i + 1, 2), 16));
                i += 2;
                continue;
            }

            if (!Flush(bytes, text))
            {
                return null;
            }

            text.Append(raw[i]);
        }

        if (!Flush(bytes, text))
        {
            return null;
        }

        var decoded = text.ToString();
        return decoded.Any(char.IsControl) ? null : decoded;
    }

    private static bool Flush(List<byte> bytes, StringBuilder text)
    {
        if (bytes.Count == 0)
        {
            return true;
        }

        try
        {
            text.Append(StrictUtf8.GetString([.. bytes]));
            bytes.Clear();
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    /// <summary>RFC 3986's <c>pchar</c> minus <c>%</c> stays as it is; everything else is percent-encoded UTF-8.</summary>
    private static string Escape(string segment)
    {
        if (segment.All(IsPathCharacter))
        {
            return segment;
        }

        var escaped = new StringBuilder(segment.Length * 3);
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in segment.EnumerateRunes())
        {
            if (rune.IsAscii && IsPathCharacter((char)rune.Value))
            {
                escaped.Append((char)rune.Value);
                continue;
            }

            var length = rune.EncodeToUtf8(utf8);
            foreach (var b in utf8[..length])
            {
                escaped.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return escaped.ToString();
    }

    private static bool IsPathCharacter(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' or '!' or '$' or '&' or '\'' or '(' or ')' or '*' or '+' or ',' or ';' or '=' or ':' or '@';
}

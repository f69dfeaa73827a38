using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Amazon.Runtime;
using Tap.Aws.Signing;

namespace Tap.LocalAws.Tests;

/// <summary>Requests as bytes on a socket, for what no HTTP client would send.</summary>
public static class RawHttp
{
    /// <summary>Sends <paramref name="request"/> and returns the answer's status line (empty if the server just closed, or when hanging up at once).</summary>
    public static async Task<string> SendAsync(Uri server, string request, bool hangUp = false)
    {
        ArgumentNullException.ThrowIfNull(server);
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        if (hangUp)
        {
            return string.Empty;
        }

        using var reader = new StreamReader(stream, Encoding.ASCII);
        return await reader.ReadLineAsync() ?? string.Empty;
    }

    /// <summary>
    /// A bodiless request with exactly <paramref name="rawTarget"/> on its request line (no client normalizes it),
    /// SigV4-signed for <paramref name="service"/> over that target and <paramref name="host"/> (the server's own
    /// authority unless given); the whole answer.
    /// </summary>
    public static async Task<Response> SendSignedAsync(
        Uri server, ImmutableCredentials credentials, string method, string rawTarget, string? host = null, string service = "execute-api", string region = "us-east-1")
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(rawTarget);
        var now = DateTimeOffset.UtcNow;
        var headers = new List<KeyValuePair<string, string>>
        {
            new("host", host ?? server.Authority),
            new("x-amz-date", SigV4Signer.FormatDateTime(now)),
        };
        if (credentials.UseToken)
        {
            headers.Add(new("x-amz-security-token", credentials.Token));
        }

        var query = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var signed = new SigV4Request(method, query < 0 ? rawTarget : rawTarget[..query], query < 0 ? string.Empty : rawTarget[(query + 1)..],
            headers, CanonicalRequest.HexSha256([]));
        headers.Add(new("authorization", SigV4Signer.ComputeAuthorization(signed, credentials, new CredentialScope(SigV4Signer.FormatDate(now), region, service))));

        var request = new StringBuilder($"{method} {rawTarget} HTTP/1.1\r\n");
        foreach (var (name, value) in headers)
        {
            request.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        }

        request.Append("connection: close\r\n\r\n");
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.UTF8.GetBytes(request.ToString()));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return Response.Parse(await reader.ReadToEndAsync());
    }

    /// <summary>An HTTP/1.1 answer read to the end of the connection.</summary>
    public sealed record Response(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
    {
        public static Response Parse(string text)
        {
            ArgumentNullException.ThrowIfNull(text);
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            var head = (end < 0 ? text : text[..end]).Split("\r\n");
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var line in head.Skip(1))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                headers[line[..colon]] = headers.TryGetValue(line[..colon], out var earlier) ? earlier + ", " + line[(colon + 1)..].Trim() : line[(colon + 1)..].Trim();
            }

            var parts = head[0].Split(' ');
            return new Response(parts.Length > 1 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : 0, headers, end < 0 ? string.Empty : text[(end + 4)..]);
        }
    }
}

using System.Net.Sockets;
using System.Text;

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
}

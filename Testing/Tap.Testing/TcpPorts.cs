using System.Net;
using System.Net.Sockets;

namespace Tap.Testing;

/// <summary>Ports for the processes a test starts.</summary>
public static class TcpPorts
{
    /// <summary>A loopback port that was free a moment ago (the OS picks it).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Whether something listens on <paramref name="host"/>:<paramref name="port"/> now (a TCP connection is taken).</summary>
    public static async Task<bool> AcceptsAsync(string host, int port, CancellationToken cancellationToken = default)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(host, port, cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

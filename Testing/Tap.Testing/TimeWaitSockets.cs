using System.Net;
using System.Net.Sockets;

namespace Tap.Testing;

/// <summary>
/// Loopback connections opened and closed client-first, so each client socket lingers in TIME_WAIT for the
/// kernel's 60 s: what a machine running a connection-per-call runtime accumulates.
/// </summary>
public static class TimeWaitSockets
{
    private static readonly string[] TcpTables = ["/proc/net/tcp", "/proc/net/tcp6"];

    /// <summary>Makes <paramref name="count"/> of them; returns how many the kernel now lists in TIME_WAIT.</summary>
    public static async Task<int> CreateAsync(int count, CancellationToken cancellationToken = default)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start(backlog: 512);
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        for (var i = 0; i < count; i++)
        {
            // IPv4 on both ends, as a runtime calling 127.0.0.1 has: a dual-mode client would be listed in tcp6 instead.
            using var client = new TcpClient(AddressFamily.InterNetwork);
            await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
            using var server = await listener.AcceptTcpClientAsync(cancellationToken);
            client.Client.Close();
            server.Client.Close();
        }

        return CountListed();
    }

    /// <summary>TIME_WAIT rows (state 06) in <c>/proc/net/tcp</c> and <c>/proc/net/tcp6</c>.</summary>
    public static int CountListed() =>
        TcpTables.Where(File.Exists)
            .Sum(table => File.ReadLines(table).Skip(1).Count(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [_, _, _, "06", ..]));
}

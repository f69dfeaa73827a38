using System.Net;
using System.Net.Sockets;
using Tap.LocalAws.Lambda.Runtime;

namespace Tap.LocalAws.Tests.Lambda;

/// <summary>
/// The kernel's answer for a connection's exact 4-tuple is the client socket's inode, the one its process holds open,
/// for IPv4, IPv6 and an IPv4 client of a dual-stack listener; a tuple no socket has is no answer.
/// </summary>
public sealed class SocketDiagnosticsTests
{
    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1")]
    [InlineData("::1", "::1")]
    [InlineData("::", "127.0.0.1")]
    public async Task The_inode_of_a_connections_client_socket_is_found_by_its_4_tuple(string listenOn, string connectTo)
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "sock_diag is Linux's.");
        using var listener = new TcpListener(IPAddress.Parse(listenOn), 0);
        if (listenOn == "::")
        {
            listener.Server.DualMode = true;
        }

        listener.Start();
        using var client = new TcpClient(IPAddress.Parse(connectTo).AddressFamily);
        await client.ConnectAsync(IPAddress.Parse(connectTo), ((IPEndPoint)listener.LocalEndpoint).Port, TestContext.Current.CancellationToken);
        using var server = await listener.AcceptTcpClientAsync(TestContext.Current.CancellationToken);

        // As the server sees the connection: the client's address and port, its own.
        var seenClient = (IPEndPoint)server.Client.RemoteEndPoint!;
        var seenServer = (IPEndPoint)server.Client.LocalEndPoint!;
        var inode = SocketDiagnostics.FindInode(seenClient, seenServer);

        var held = new FileInfo($"/proc/self/fd/{client.Client.SafeHandle.DangerousGetHandle()}").LinkTarget;
        Assert.Equal(held, $"socket:[{inode}]");
    }

    [Fact]
    public void A_tuple_no_socket_has_is_no_answer()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "sock_diag is Linux's.");

        Assert.Null(SocketDiagnostics.FindInode(new IPEndPoint(IPAddress.Loopback, 1), new IPEndPoint(IPAddress.Loopback, 2)));
    }
}

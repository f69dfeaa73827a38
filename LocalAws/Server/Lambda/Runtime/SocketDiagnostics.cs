using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Tap.LocalAws.Lambda.Runtime;

/// <summary>
/// The inode of a TCP connection's client socket, asked of the Linux kernel by the connection's exact 4-tuple
/// (netlink <c>NETLINK_SOCK_DIAG</c>, <c>SOCK_DIAG_BY_FAMILY</c> without <c>NLM_F_DUMP</c>): one hash look-up in the
/// kernel, whatever the number of sockets on the machine, where reading <c>/proc/net/tcp</c> costs a row per socket
/// (TIME_WAIT ones included). Unprivileged, like <c>ss</c>; <see langword="null"/> where netlink is unavailable.
/// </summary>
internal static partial class SocketDiagnostics
{
    private const int NetlinkSockDiag = 4;
    private const ushort SockDiagByFamily = 20;
    private const ushort NetlinkRequest = 1;
    private const ushort NetlinkError = 2;
    private const byte TcpProtocol = 6;
    private const int HeaderBytes = 16;
    private const int RequestBytes = HeaderBytes + 56;

    // The answer's inet_diag_msg: family, state, timer, retrans (4), the socket id (48), expires, rqueue, wqueue (12), uid, inode.
    private const int InodeOffset = HeaderBytes + 4 + 48 + 12 + 4;

    /// <summary>The inode of the socket whose local end is <paramref name="client"/> and remote end <paramref name="server"/>.</summary>
    public static long? FindInode(IPEndPoint client, IPEndPoint server)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(server);
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        // A dual-stack listener sees an IPv4 client as ::ffff:a.b.c.d; the client's own socket is IPv4.
        var (local, remote) = (Normal(client.Address), Normal(server.Address));
        if (local.AddressFamily != remote.AddressFamily)
        {
            return null;
        }

        Span<byte> request = stackalloc byte[RequestBytes];
        request.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(request, RequestBytes);
        BinaryPrimitives.WriteUInt16LittleEndian(request[4..], SockDiagByFamily);
        BinaryPrimitives.WriteUInt16LittleEndian(request[6..], NetlinkRequest);
        var diag = request[HeaderBytes..];
        diag[0] = local.AddressFamily == AddressFamily.InterNetwork ? (byte)2 : (byte)10;
        diag[1] = TcpProtocol;
        BinaryPrimitives.WriteUInt32LittleEndian(diag[4..], uint.MaxValue); // every TCP state
        var id = diag[8..];
        BinaryPrimitives.WriteUInt16BigEndian(id, (ushort)client.Port);
        BinaryPrimitives.WriteUInt16BigEndian(id[2..], (ushort)server.Port);
        local.TryWriteBytes(id[4..20], out _);
        remote.TryWriteBytes(id[20..36], out _);
        BinaryPrimitives.WriteUInt32LittleEndian(id[40..], uint.MaxValue); // INET_DIAG_NOCOOKIE
        BinaryPrimitives.WriteUInt32LittleEndian(id[44..], uint.MaxValue);

        // .NET's Socket has no AF_NETLINK: the three calls go to libc.
        var fd = Native.Socket(Native.AfNetlink, Native.SockRawCloexec, NetlinkSockDiag);
        if (fd < 0)
        {
            return null;
        }

        try
        {
            Span<byte> answer = stackalloc byte[512];
            if (Native.Send(fd, request, request.Length, 0) != request.Length)
            {
                return null;
            }

            // The kernel answers a SOCK_DIAG request before send returns: nothing to wait for.
            var length = (int)Native.Receive(fd, answer, answer.Length, Native.DontWait);
            if (length < InodeOffset + 4 || BinaryPrimitives.ReadUInt16LittleEndian(answer[4..]) == NetlinkError)
            {
                return null;
            }

            var inode = BinaryPrimitives.ReadUInt32LittleEndian(answer[InodeOffset..]);
            return inode == 0 ? null : inode;
        }
        finally
        {
            _ = Native.Close(fd);
        }
    }

    private static IPAddress Normal(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private static partial class Native
    {
        public const int AfNetlink = 16;
        public const int SockRawCloexec = 3 | 0x80000; // SOCK_RAW | SOCK_CLOEXEC
        public const int DontWait = 0x40; // MSG_DONTWAIT

        [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
        public static partial int Socket(int domain, int type, int protocol);

        [LibraryImport("libc", EntryPoint = "send", SetLastError = true)]
        public static partial nint Send(int fd, ReadOnlySpan<byte> buffer, nint length, int flags);

        [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)]
        public static partial nint Receive(int fd, Span<byte> buffer, nint length, int flags);

        [LibraryImport("libc", EntryPoint = "close")]
        public static partial int Close(int fd);
    }
}

using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;

namespace Tap.AppHost;

/// <summary>
/// The fixed ports of <c>dotnet run</c> (LocalAws on 4566, the API on 4000), each from a setting. A port that is
/// taken stops the start with a message naming the port and the setting; 0 lets Aspire choose (tests do).
/// </summary>
internal static class FixedPorts
{
    public static int? FixedPort(this IDistributedApplicationBuilder builder, string setting, int defaultPort)
    {
        var port = builder.Configuration.GetValue(setting, defaultPort);
        if (port == 0)
        {
            return null;
        }

        builder.Eventing.Subscribe<BeforeStartEvent>((_, _) =>
        {
            if (builder.ExecutionContext.IsRunMode && IsTaken(port))
            {
                throw new DistributedApplicationException(
                    $"Port {port} is in use by another process. Stop it, or choose another port with the setting {setting}: " +
                    $"dotnet run --project AppHost -- --{setting}=<port>  (or {setting.Replace(":", "__", StringComparison.Ordinal)}=<port> in the environment; 0 picks a free port).");
            }

            return Task.CompletedTask;
        });
        return port;
    }

    private static bool IsTaken(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
    }
}

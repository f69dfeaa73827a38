using System.Net;

namespace Tap.LocalAws.ApiGateway;

/// <summary>
/// Whether a request's <c>Host</c> names the API whose listener it reached. In AWS the host picks the API, so a
/// signature (which covers <c>Host</c>) cannot be replayed on another API; locally each API has its own port, so the
/// host must name this listener's port and either this machine (<c>localhost</c>, a loopback address, the address
/// the connection arrived at, the API's configured host) or this API as AWS spells it,
/// <c>{apiId}.execute-api.{region}.{any suffix}</c>.
/// </summary>
internal static class ApiHost
{
    /// <summary>The host name (without the port) when <paramref name="context"/>'s <c>Host</c> names <paramref name="api"/>, else <see langword="null"/>.</summary>
    public static string? DomainName(HttpApi api, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(context);
        var host = context.Request.Host;
        if (!host.HasValue || string.IsNullOrEmpty(host.Host))
        {
            return null;
        }

        var port = host.Port ?? (context.Request.IsHttps ? 443 : 80);
        if (port != context.Connection.LocalPort)
        {
            return null;
        }

        var name = host.Host;
        return NamesApi(api, name) || NamesMachine(api, name, context.Connection.LocalIpAddress) ? name : null;
    }

    private static bool NamesApi(HttpApi api, string name)
    {
        var prefix = $"{api.ApiId}.execute-api.{api.Region}.";
        return name.Length > prefix.Length && name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase);
    }

    private static bool NamesMachine(HttpApi api, string name, IPAddress? arrivedAt)
    {
        if (string.Equals(name, "localhost", StringComparison.OrdinalIgnoreCase) || string.Equals(name, api.Url.Host, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (!IPAddress.TryParse(name.Trim('[', ']'), out var address))
        {
            return false;
        }

        return IPAddress.IsLoopback(address) || (arrivedAt is not null && Normal(address).Equals(Normal(arrivedAt)));
    }

    private static IPAddress Normal(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}

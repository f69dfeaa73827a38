using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Tap.Aws.Protocol;
using Tap.LocalAws.Protocols;

namespace Tap.LocalAws.Services;

/// <summary>How an AWS Query service is addressed: <c>GET</c> or <c>POST /</c> with <c>Action=…</c> in the query string or a form body.</summary>
internal static class QueryRouting
{
    /// <summary>Whether the request is Query-shaped (no <c>X-Amz-Target</c>) and signed for <paramref name="service"/>.</summary>
    public static bool AcceptsSignedFor(AwsServiceMetadata service, HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(service);
        return IsQueryShaped(request) && SigningScope.IsSignedFor(request, service.SigningName);
    }

    public static bool IsQueryShaped(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return (HttpMethods.IsGet(request.Method) || HttpMethods.IsPost(request.Method)) && !request.Headers.ContainsKey(AwsHeaders.Target);
    }

    /// <summary>
    /// The operation the <c>Action</c> parameter names, from <paramref name="served"/>, with every parameter. One
    /// not served is routed as an operation that demands nothing, and refused once the caller is known, as AWS
    /// authenticates first.
    /// </summary>
    public static AwsOperationRoute Route(HttpRequest request, byte[] body, IReadOnlyList<AwsOperation> served)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(served);
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in QueryHelpers.ParseQuery(request.QueryString.Value))
        {
            parameters[key] = value.ToString();
        }

        if (body.Length > 0 && request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true)
        {
            foreach (var (key, value) in QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body)))
            {
                parameters[key] = value.ToString();
            }
        }

        var name = parameters.GetValueOrDefault("Action") ?? "(none)";
        return new AwsOperationRoute(served.FirstOrDefault(o => o.Name == name) ?? new AwsOperation(name, null, "*"), parameters);
    }

    /// <summary>
    /// The call's operation, when it is one <paramref name="apiVersion"/> of the service serves (a Query call names its
    /// API version; one without a <c>Version</c> is taken as that one); else the Query protocol's <c>InvalidAction</c>.
    /// </summary>
    public static string ServedOperation(AwsCall call, string apiVersion)
    {
        ArgumentNullException.ThrowIfNull(call);
        var version = call.Parameters.GetValueOrDefault("Version") ?? apiVersion;
        return version == apiVersion && call.Operation.IamAction is not null
            ? call.Operation.Name
            : throw AwsServiceException.Query(400, "InvalidAction", $"Could not find operation {call.Operation.Name} for version {version}");
    }
}

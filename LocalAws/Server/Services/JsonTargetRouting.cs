using Tap.Aws.Protocol;

namespace Tap.LocalAws.Services;

/// <summary>How an AWS JSON 1.1 service is addressed: <c>POST /</c> with <c>X-Amz-Target: {prefix}{Operation}</c>.</summary>
internal static class JsonTargetRouting
{
    /// <summary>Whether the request's target names one of <paramref name="service"/>'s operations.</summary>
    public static bool Accepts(AwsServiceMetadata service, HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(request);
        return request.Headers[AwsHeaders.Target].ToString().StartsWith(service.JsonTargetPrefix!, StringComparison.Ordinal);
    }

    /// <summary>
    /// The operation the target names, from <paramref name="served"/>. One not served is routed as an operation
    /// that demands nothing, and refused once the caller is known, as AWS authenticates before it dispatches.
    /// </summary>
    public static AwsOperationRoute Route(AwsServiceMetadata service, HttpRequest request, IReadOnlyDictionary<string, AwsOperation> served)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(served);
        var name = request.Headers[AwsHeaders.Target].ToString()[service.JsonTargetPrefix!.Length..];
        return new AwsOperationRoute(served.GetValueOrDefault(name) ?? new AwsOperation(name, null, "*"), new Dictionary<string, string>());
    }
}

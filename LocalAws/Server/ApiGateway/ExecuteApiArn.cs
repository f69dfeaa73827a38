namespace Tap.LocalAws.ApiGateway;

/// <summary>The resource IAM evaluates <c>execute-api:Invoke</c> on.</summary>
internal static class ExecuteApiArn
{
    public const string InvokeAction = "execute-api:Invoke";

    /// <summary>
    /// <c>arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{path}</c>: the request's own method and
    /// canonical path after the stage (not the route's; see <see cref="RequestPath"/>), without its leading slash.
    /// </summary>
    public static string For(string region, string accountId, string apiId, string stage, string method, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return $"arn:aws:execute-api:{region}:{accountId}:{apiId}/{stage}/{method.ToUpperInvariant()}/{path.TrimStart('/')}";
    }
}

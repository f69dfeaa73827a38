namespace Tap.LocalAws.ApiGateway.Deployment;

/// <summary>
/// The listener of an HTTP API made at run time: one port for the API, its requests sent to the stage their path
/// names (the first segment of the canonical path), or to <c>$default</c>. Each change to the API swaps in a new set
/// of stage gateways at once; requests under way finish on the set they started with.
/// </summary>
internal sealed class DeployedApiListener(WebApplication app) : IAsyncDisposable
{
    private volatile IReadOnlyList<HttpApiGateway> _stages = [];

    public WebApplication App => app;

    public IReadOnlyList<HttpApiGateway> Stages
    {
        get => _stages;
        set => _stages = value;
    }

    public Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var stages = _stages;
        if (stages.Count == 0)
        {
            context.Response.Headers["apigw-requestid"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(11));
            return GatewayResponse.NotFound.WriteAsync(context.Response);
        }

        var first = RequestPath.Parse(RequestPath.RawTarget(context.Request).Path) is { Segments: [var segment, ..] } ? segment : null;
        var gateway = stages.FirstOrDefault(g => g.Api.Stage == first)
            ?? stages.FirstOrDefault(g => g.Api.Stage == HttpApi.DefaultStage)
            ?? stages[0];
        return gateway.HandleAsync(context);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await app.StopAsync(CancellationToken.None);
        }
        finally
        {
            await app.DisposeAsync();
        }
    }
}

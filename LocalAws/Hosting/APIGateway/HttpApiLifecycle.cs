using System.Globalization;
using System.Net.Sockets;
using Amazon.Runtime;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.AWS.Lambda;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Tap.Aws.Signing;

namespace Tap.LocalAws.Hosting;

/// <summary>
/// The API in the dashboard: running (with its stage URL) once LocalAws is ready, what it waits for
/// (<c>WaitFor</c>, e.g. its functions, or the stack that deploys it) is ready and its listener accepts connections; and an "Invoke" command that
/// sends one SigV4-signed request, as LocalAws's admin, and reports the status. The endpoint is LocalAws's own
/// listener, not a proxy, so the API's host names its port (a signature is bound to it) and no connection is
/// accepted before LocalAws serves the API.
/// </summary>
internal static class HttpApiLifecycle
{
    public const string InvokeCommandName = "invoke";

    public static void Serve(IResourceBuilder<LocalAwsResource> localAws, IResourceBuilder<APIGatewayEmulatorResource> api, APIGatewayEmulatorOptions options)
    {
        var resource = api.Resource;
        localAws.WithHttpEndpoint(port: options.HttpPort, name: resource.Name, isProxied: false)
            .WithUrlForEndpoint(resource.Name, url => url.DisplayLocation = UrlDisplayLocation.DetailsOnly);
        api.WithAnnotation(new LocalAwsHttpApiAnnotation(localAws.Resource, resource.Name));
        if (!api.ApplicationBuilder.ExecutionContext.IsRunMode)
        {
            return;
        }

        api.WithParentRelationship(localAws)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "HTTP API",
                State = KnownResourceStates.Waiting,
                Properties = [new("api.id", resource.GetApiId()) { DisplayName = "API id" }],
            })
            .WithCommand(InvokeCommandName, "Invoke", context => InvokeAsync(resource, context.CancellationToken), new CommandOptions
            {
                Description = "Send one SigV4-signed GET to the stage's root, as LocalAws's admin, and show the status.",
                IconName = "Send",
                UpdateState = context => context.ResourceSnapshot.State?.Text == KnownResourceStates.Running
                    ? ResourceCommandState.Enabled
                    : ResourceCommandState.Disabled,
            });

        api.ApplicationBuilder.Eventing.Subscribe<ResourceReadyEvent>(localAws.Resource, (@event, cancellationToken) =>
        {
            // In the background: what the API waits for (its functions) starts only once this event has been handled.
            var services = @event.Services;
            _ = Task.Run(() => PublishRunningAsync(resource, services, services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping), CancellationToken.None);
            return Task.CompletedTask;
        });
    }

    private static async Task PublishRunningAsync(APIGatewayEmulatorResource resource, IServiceProvider services, CancellationToken cancellationToken)
    {
        var notifications = services.GetRequiredService<ResourceNotificationService>();
        try
        {
            await notifications.WaitForDependenciesAsync(resource, cancellationToken).ConfigureAwait(false);
            var url = resource.GetStageUrl();
            var deployed = HttpApiBuilderExtensions.Settings(resource).DeployedUrl is not null;
            await AcceptsConnectionsAsync(url, cancellationToken).ConfigureAwait(false);
            await notifications.PublishUpdateAsync(resource, snapshot => snapshot with
            {
                State = KnownResourceStates.Running,
                StartTimeStamp = DateTime.UtcNow,
                Urls = [new UrlSnapshot("stage", url.ToString(), IsInternal: false)],
                // A deployed API's id is CloudFormation's, shown with the stack's resources.
                Properties = [.. snapshot.Properties.Where(p => p.Name != "api.url" && !(p.Name == "api.id" && deployed)), new("api.url", url.ToString()) { DisplayName = "Stage URL" }],
            }).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The app is stopping.
        }
    }

    /// <summary>Waits until LocalAws's listener for the API takes a TCP connection.</summary>
    private static async Task AcceptsConnectionsAsync(Uri url, CancellationToken cancellationToken)
    {
        while (true)
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(url.Host, url.Port, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>One signed <c>GET</c> of the stage's root; the result names the status.</summary>
    public static async Task<ExecuteCommandResult> InvokeAsync(APIGatewayEmulatorResource api, CancellationToken cancellationToken)
    {
        var localAws = HttpApiBuilderExtensions.Settings(api).LocalAws;
        var admin = await localAws.GetAdminCredentialsAsync(cancellationToken).ConfigureAwait(false);
        using var signer = new SigV4SigningHandler(new BasicAWSCredentials(admin.AccessKey, admin.SecretKey), localAws.Region, "execute-api", new SigV4Signer()) { InnerHandler = new HttpClientHandler() };
        using var client = new HttpClient(signer);
        var url = api.GetStageUrl();
        try
        {
            using var response = await client.GetAsync(url, cancellationToken).ConfigureAwait(false);
            var message = string.Create(CultureInfo.InvariantCulture, $"GET {url.AbsolutePath} → {(int)response.StatusCode} {response.ReasonPhrase}");
            return response.IsSuccessStatusCode ? CommandResults.Success(message) : CommandResults.Failure(message);
        }
        catch (HttpRequestException ex)
        {
            return CommandResults.Failure($"GET {url.AbsolutePath} failed: {ex.Message}");
        }
    }
}

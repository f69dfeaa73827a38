using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Amazon.Runtime;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.AWS.CloudFormation;
using Aspire.Hosting.AWS.Lambda;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Tap.Definition;
using Tap.LocalAws.Hosting;
using Tap.Testing;

// One started app for the whole assembly (each costs ~1 GB and ~15 s), and its tests one at a time: a burst against
// the throttle, a reset of LocalAws or a killed function would disturb a test running beside it.
[assembly: AssemblyFixture(typeof(Tap.Integration.Tests.TapAppFixture))]
[assembly: CollectionBehavior(CollectionBehavior.CollectionPerAssembly)]
[assembly: TestClassOrderer(typeof(Tap.Integration.Tests.ResetsTheAppOrderer))]

namespace Tap.Integration.Tests;

/// <summary>
/// Starts the real AppHost once for the whole run (each start costs ~1 GB and ~15 s), with the dashboard, random
/// ports, its own LocalAws data directory and a 2-second secret cache, and waits until every resource is healthy.
/// Tests build URLs from the app's endpoints, and sign with the credentials the app generated.
/// </summary>
public sealed class TapAppFixture : IAsyncLifetime
{
    public const string SecretResourceName = "api-config";

    /// <summary>The Function's secret cache TTL in tests: a rotation is visible this soon.</summary>
    public static readonly TimeSpan SecretCacheTtl = TimeSpan.FromSeconds(2);

    /// <summary>The function's processes: more than one, so each test also runs against several execution environments.</summary>
    public const int FunctionReplicas = 2;

    // A first start synthesizes TapStack and deploys it and the CDK bootstrap stack.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "tap-integration-" + Guid.NewGuid().ToString("N"));
    private readonly TaskCompletionSource<HttpStatusCode> _firstSignedCall = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _firstSignedCallTimeout = new(StartTimeout);
    private DistributedApplication? _app;

    /// <summary>
    /// The status of a signed call sent the moment the API first accepted a connection, while the app was starting
    /// (watching began before LocalAws started).
    /// </summary>
    public Task<HttpStatusCode> FirstSignedCall => _firstSignedCall.Task;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The app has not started.");

    public DistributedApplicationModel Model => App.Services.GetRequiredService<DistributedApplicationModel>();

    public T Resource<T>(string name)
        where T : IResource => Model.Resources.OfType<T>().Single(r => r.Name == name);

    public APIGatewayEmulatorResource Api => Resource<APIGatewayEmulatorResource>(TapApplication.HttpApi.Name);

    public const string StackResourceName = "tap-stack";

    /// <summary>The stack's parameter for the invoker role's external id.</summary>
    public const string ExternalIdParameter = "InvokerExternalId";

    /// <summary>TapStack as the AppHost deployed it into LocalAws.</summary>
    public ICloudFormationTemplateResource Stack => Resource<ICloudFormationTemplateResource>(StackResourceName);

    /// <summary>One of the deployed stack's outputs.</summary>
    public string StackOutput(string key) => Stack.Outputs?.SingleOrDefault(o => o.OutputKey == key)?.OutputValue
        ?? throw new InvalidOperationException($"The stack has no output {key}.");

    /// <summary>The deployed function's name (the stack's, not the dashboard resource's).</summary>
    public string FunctionName => StackOutput("FunctionName");

    /// <summary>The deployed secret's name.</summary>
    public string SecretName => StackOutput("SecretName");

    /// <summary>The name of the deployed function's execution role, as Lambda reports it.</summary>
    public async Task<string> FunctionRoleNameAsync()
    {
        using var lambda = SignedClient(await AdminCredentialsAsync(), Region, "lambda");
        var configuration = await lambda.GetFromJsonAsync<JsonElement>(new Uri($"{LocalAws.PrimaryEndpoint.Url}/2015-03-31/functions/{FunctionName}/configuration"));
        var role = configuration.GetProperty("Role").GetString()!;
        return role[(role.LastIndexOf('/') + 1)..];
    }

    public LocalAwsResource LocalAws => Model.Resources.OfType<LocalAwsResource>().Single();

    /// <summary>The stage's URL plus <paramref name="path"/> (no leading slash).</summary>
    public Uri StageUrl(string path = "") => new(Api.GetStageUrl(), path);

    public string Region => LocalAws.Region;

    public async Task<ImmutableCredentials> ParameterCredentialsAsync(string name) => new(
        await Resource<ParameterResource>($"{name}-access-key-id").GetValueAsync(default),
        await Resource<ParameterResource>($"{name}-secret-access-key").GetValueAsync(default),
        token: null);

    public Task<ImmutableCredentials> InvokerCredentialsAsync() => ParameterCredentialsAsync("invoker");

    public Task<ImmutableCredentials> AdminCredentialsAsync() => ParameterCredentialsAsync(LocalAws.Name + "-admin");

    /// <summary>The dashboard's state as DCP launched it: its URL, browser token and telemetry API key.</summary>
    public (Uri Url, string BrowserToken, string ApiKey) Dashboard
    {
        get
        {
            var dashboard = Model.Resources.Single(r => r.Name == "aspire-dashboard");
            var environment = App.ResourceNotifications.TryGetCurrentState(dashboard.Name, out var state)
                ? state.Snapshot.EnvironmentVariables.ToDictionary(e => e.Name, e => e.Value, StringComparer.Ordinal)
                : throw new InvalidOperationException("The dashboard is not running.");
            var url = dashboard.Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == "http").AllocatedEndpoint!.UriString;
            return (new Uri(url), environment["DASHBOARD__FRONTEND__BROWSERTOKEN"]!, environment["DASHBOARD__API__PRIMARYAPIKEY"]!);
        }
    }

    internal DashboardTelemetry Telemetry()
    {
        var (url, _, apiKey) = Dashboard;
        return new DashboardTelemetry(url, apiKey);
    }

    /// <summary>A client that signs every request with SigV4 for <paramref name="service"/>.</summary>
    public static HttpClient SignedClient(ImmutableCredentials credentials, string region, string service = "execute-api") =>
        SignedHttpClient.Create(credentials, service, region: region);

    /// <summary>
    /// The function's execution role credentials, fetched as its processes fetch them: from LocalAws's container
    /// credentials endpoint with the token the AppHost gave the function.
    /// </summary>
    public async Task<ImmutableCredentials> FunctionRoleCredentialsAsync()
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, (await FunctionEnvironmentAsync())["AWS_CONTAINER_CREDENTIALS_FULL_URI"]);
        request.Headers.TryAddWithoutValidation("Authorization", await FunctionRoleTokenAsync());
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var credentials = await response.Content.ReadFromJsonAsync<JsonElement>();
        return new ImmutableCredentials(
            credentials.GetProperty("AccessKeyId").GetString(),
            credentials.GetProperty("SecretAccessKey").GetString(),
            credentials.GetProperty("Token").GetString());
    }

    /// <summary>The token that authorizes the function's processes at the container credentials endpoint.</summary>
    public async Task<string> FunctionRoleTokenAsync() => await File.ReadAllTextAsync((await FunctionEnvironmentAsync())["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"]!);

    /// <summary>The latest state of each instance (replica) of a resource, as the dashboard receives them.</summary>
    public async Task<IReadOnlyList<CustomResourceSnapshot>> InstanceStatesAsync(IResource resource) =>
        [.. (await AllInstanceStatesAsync()).Where(i => i.Resource == resource).Select(i => i.Snapshot)];

    /// <summary>The latest state of every instance of every resource, by instance id (e.g. <c>api-handler-abcdefgh</c>).</summary>
    public async Task<IReadOnlyList<(string Id, IResource Resource, CustomResourceSnapshot Snapshot)>> AllInstanceStatesAsync()
    {
        var latest = new Dictionary<string, (string, IResource, CustomResourceSnapshot)>(StringComparer.Ordinal);
        using var replayed = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            await foreach (var update in App.ResourceNotifications.WatchAsync(replayed.Token))
            {
                latest[update.ResourceId] = (update.ResourceId, update.Resource, update.Snapshot);
            }
        }
        catch (OperationCanceledException)
        {
            // The current states come first; after that the stream only waits for changes.
        }

        return [.. latest.Values];
    }

    /// <summary>The function's environment as DCP launched it (its first replica's: all have the same).</summary>
    private async Task<Dictionary<string, string?>> FunctionEnvironmentAsync() =>
        (await InstanceStatesAsync(Resource<LambdaProjectResource>(TapApplication.Function.Name)))[0]
            .EnvironmentVariables.ToDictionary(e => e.Name, e => e.Value, StringComparer.Ordinal);

    public async ValueTask InitializeAsync()
    {
        using var cts = new CancellationTokenSource(StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Tap_AppHost>(
            [
                "DOTNET_LAUNCH_PROFILE=http",
                "LocalAws:Port=0",
                "HttpApi:Port=0",
                $"LocalAws:DataDirectory={_dataDirectory}",
            ],
            (options, _) => options.DisableDashboard = false,
            cts.Token);
        builder.CreateResourceBuilder(builder.Resources.OfType<LambdaProjectResource>().Single())
            .WithReplicas(FunctionReplicas)
            .WithEnvironment("SECRET_CACHE_TTL_SECONDS", ((int)SecretCacheTtl.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture));

        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(builder.Resources.OfType<LocalAwsResource>().Single(), (_, _) =>
        {
            _ = Task.Run(() => SendFirstSignedCallAsync(_firstSignedCallTimeout.Token), _firstSignedCallTimeout.Token);
            return Task.CompletedTask;
        });

        _app = await builder.BuildAsync(cts.Token);
        await _app.StartAsync(cts.Token);
        foreach (var resource in new[] { "localaws", StackResourceName, SecretResourceName, TapApplication.Function.Name })
        {
            await _app.ResourceNotifications.WaitForResourceHealthyAsync(resource, cts.Token);
        }

        await _app.ResourceNotifications.WaitForResourceAsync(TapApplication.HttpApi.Name, KnownResourceStates.Running, cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _firstSignedCallTimeout.CancelAsync();
        _firstSignedCallTimeout.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    /// <summary>Connects to the API until it accepts, then at once sends one signed request (the README's first call).</summary>
    private async Task SendFirstSignedCallAsync(CancellationToken cancellationToken)
    {
        try
        {
            Uri? url = null;
            while (url is null || !await TcpPorts.AcceptsAsync(url.Host, url.Port, cancellationToken))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(10), cancellationToken);
                url ??= FirstCallUrl();
            }

            using var client = SignedClient(await InvokerCredentialsAsync(), Region);
            using var response = await client.GetAsync(url, cancellationToken);
            _firstSignedCall.TrySetResult(response.StatusCode);
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException)
        {
            _firstSignedCall.TrySetException(ex);
        }
    }

    /// <summary>The first call's URL, or <see langword="null"/> while the API's endpoint has no port yet.</summary>
    private Uri? FirstCallUrl()
    {
        try
        {
            return new Uri(Api.GetStageUrl(), "orders/42");
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}

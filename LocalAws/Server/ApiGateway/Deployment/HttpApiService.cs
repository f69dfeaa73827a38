using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Tap.Aws.Errors;
using Tap.Aws.Protocol;
using Tap.LocalAws.Auth;
using Tap.LocalAws.Iam;
using Tap.LocalAws.Lambda.Runtime;
using Tap.LocalAws.Protocols;
using Tap.LocalAws.Services;
using Tap.LocalAws.Settings;
using Tap.LocalAws.Storage;
using Tap.LocalAws.Telemetry;

namespace Tap.LocalAws.ApiGateway.Deployment;

/// <summary>
/// API Gateway's HTTP API operations for APIs made at run time — CreateApi, Create/Update/DeleteIntegration, Route
/// and Stage, UpdateApi, DeleteApi — with API Gateway's checks and IAM's (<c>apigateway:POST</c>, <c>PATCH</c>,
/// <c>DELETE</c> on the resource's path). Each API listens on a port of its own on 127.0.0.1 (the one
/// <see cref="LocalAwsSettings.ApiPorts"/> gives its name, else a free one), which its
/// <c>ApiEndpoint</c> names and which it keeps across restarts; every change is live at once for stages that
/// auto-deploy (a stage that does not serves nothing: LocalAws has no deployments).
/// </summary>
internal sealed partial class HttpApiService : IHostedService, IAsyncDisposable
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    private const int DefaultTimeoutInMillis = 30_000;

    private static readonly Dictionary<string, AwsOperation> Operations = new[] { "POST", "PATCH", "DELETE" }
        .ToDictionary(m => m, m => new AwsOperation("apigateway:" + m, "apigateway:" + m, "arn:aws:apigateway:{region}::/apis"), StringComparer.Ordinal);

    private readonly RecordStore<HttpApiRecord> _apis;
    private readonly ConcurrentDictionary<string, DeployedApiListener> _listeners = new(StringComparer.Ordinal);
    private readonly LocalAwsSettings _settings;
    private readonly AwsRequestAuthenticator _authenticator;
    private readonly LambdaRuntimes _runtimes;
    private readonly TimeProvider _clock;
    private readonly ILoggerFactory _loggers;
    private readonly ResourceTelemetryRegistry _telemetry;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _writes = new(1, 1);

    public HttpApiService(LocalAwsSettings settings, AwsRequestAuthenticator authenticator, LambdaRuntimes runtimes, TimeProvider clock, ResourceTelemetryRegistry telemetry, ILoggerFactory loggers)
    {
        (_settings, _authenticator, _runtimes, _clock, _telemetry, _loggers) = (settings, authenticator, runtimes, clock, telemetry, loggers);
        _logger = loggers.CreateLogger<HttpApiService>();
        _apis = new RecordStore<HttpApiRecord>(settings.DataDirectory, "apigateway", ".api", format: 1, a => a.ApiId, _ => null, _logger);
    }

    /// <summary>The address an API's <c>ApiEndpoint</c> names: LocalAws's listener for it.</summary>
    public static string Endpoint(HttpApiRecord api)
    {
        ArgumentNullException.ThrowIfNull(api);
        return string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{api.Port}");
    }

    public HttpApiRecord? Find(string apiId) => _apis.Find(apiId);

    /// <summary>Every HTTP API made at run time.</summary>
    public IReadOnlyList<HttpApiRecord> All() => _apis.All();

    /// <summary>The authorization of an operation LocalAws makes for <paramref name="caller"/> (CloudFormation's).</summary>
    public AccessCheck ActingFor(string method, CallerIdentity caller) =>
        new(caller, Operations[method], _settings.Region, secureTransport: true, AwsProtocol.RestJson);

    public async Task<HttpApiRecord> CreateApiAsync(string name, Func<HttpApiRecord, HttpApiRecord> configure, AccessCheck access, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(configure);
        ArgumentNullException.ThrowIfNull(access);
        access.DemandOperation(ResourceArn("/apis"));
        if (string.IsNullOrWhiteSpace(name) || name.Length > 128)
        {
            throw BadRequest("Name must be 1 to 128 characters.");
        }

        await _writes.WaitAsync(cancellationToken);
        try
        {
            var apiId = NewId();
            // A fixed port for this name (a host's), else a free one.
            var port = _settings.ApiPorts.FirstOrDefault(p => p.Name == name)?.Port ?? 0;
            DeployedApiListener listener;
            try
            {
                listener = await ListenAsync(apiId, port, cancellationToken);
            }
            catch (InvalidOperationException ex) when (port != 0)
            {
                throw new AwsServiceException(new AwsError(409, "ConflictException", $"The HTTP API {name} is given port {port}, which is in use: {ex.InnerException?.Message}"));
            }

            HttpApiRecord api;
            try
            {
                // A refused configuration, or a failed write, leaves no listener behind.
                api = configure(new HttpApiRecord(apiId, name, GatewayListener.Address(listener.App)!.Port, _clock.GetUtcNow()));
                _apis.Change(apiId, _ => (api, 0));
            }
            catch
            {
                await StopListeningAsync(apiId);
                throw;
            }

            Publish(api);
            return api;
        }
        finally
        {
            _writes.Release();
        }
    }

    /// <summary>Changes an API, or what is under it at <paramref name="path"/> (<c>/routes</c>, <c>/stages/prod</c>, …), authorized by <paramref name="access"/>.</summary>
    public async Task<HttpApiRecord> ChangeAsync(string apiId, string path, AccessCheck access, Func<HttpApiRecord, HttpApiRecord> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(access);
        ArgumentNullException.ThrowIfNull(change);
        access.DemandOperation(ResourceArn($"/apis/{apiId}{path}"));
        await _writes.WaitAsync(cancellationToken);
        try
        {
            var api = _apis.Change(apiId, current =>
            {
                var next = change(current ?? throw NotFound($"Invalid API identifier specified {_settings.AccountId}:{apiId}"));
                return (next, next);
            });
            Publish(api);
            return api;
        }
        finally
        {
            _writes.Release();
        }
    }

    public async Task DeleteApiAsync(string apiId, AccessCheck access, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(access);
        access.DemandOperation(ResourceArn($"/apis/{apiId}"));
        await _writes.WaitAsync(cancellationToken);
        try
        {
            _apis.Change(apiId, current => current is null
                ? throw NotFound($"Invalid API identifier specified {_settings.AccountId}:{apiId}")
                : ((HttpApiRecord?)null, 0));
            await StopListeningAsync(apiId);
        }
        finally
        {
            _writes.Release();
        }
    }

    /// <summary>An integration of a Lambda function (AWS_PROXY, payload 2.0), by the function's ARN or API Gateway's invocation URI.</summary>
    public static HttpApiIntegration Integration(string? type, string? uri, string? payloadFormatVersion, int? timeoutInMillis)
    {
        if (type != "AWS_PROXY")
        {
            throw BadRequest($"LocalAws serves Lambda proxy integrations (AWS_PROXY) only, not {type}.");
        }

        if (payloadFormatVersion is not "2.0")
        {
            throw BadRequest($"LocalAws builds payload format 2.0 events only; PayloadFormatVersion {payloadFormatVersion ?? "(unset)"} is not served.");
        }

        var timeout = timeoutInMillis ?? DefaultTimeoutInMillis;
        if (timeout is < 50 or > 30_000)
        {
            throw BadRequest("TimeoutInMillis must be between 50 and 30000.");
        }

        var function = uri is null ? null : FunctionUri().Match(uri) is { Success: true } match ? match.Groups["name"].Value : null;
        return new HttpApiIntegration(NewId(), uri ?? string.Empty, function ?? throw BadRequest($"Invalid integration URI specified: {uri}"), timeout);
    }

    /// <summary>A route, checked against the API's routes and integrations.</summary>
    public static HttpApiRoute Route(HttpApiRecord api, string? routeId, string routeKey, string? authorizationType, string? target)
    {
        ArgumentNullException.ThrowIfNull(api);
        try
        {
            RouteKey.Parse(routeKey);
        }
        catch (FormatException ex)
        {
            throw BadRequest(ex.Message);
        }

        if (api.Routes.Any(r => r.RouteKey == routeKey && r.RouteId != routeId))
        {
            throw new AwsServiceException(new AwsError(409, "ConflictException", $"Route with key {routeKey} already exists for this API"));
        }

        var authorization = authorizationType ?? "NONE";
        if (authorization is not ("NONE" or "AWS_IAM"))
        {
            throw BadRequest($"LocalAws authorizes routes with NONE or AWS_IAM only, not {authorization}.");
        }

        if (target is not null && (!target.StartsWith("integrations/", StringComparison.Ordinal) || api.Integrations.All(i => "integrations/" + i.IntegrationId != target)))
        {
            throw BadRequest($"Invalid target specified: {target}");
        }

        return new HttpApiRoute(routeId ?? NewId(), routeKey, authorization, target);
    }

    /// <summary>A stage, checked as API Gateway checks its name and throttling.</summary>
    public static HttpApiStage Stage(HttpApiRecord api, HttpApiStage stage, bool isNew)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(stage);
        if (stage.StageName != HttpApi.DefaultStage && !StageNamePattern().IsMatch(stage.StageName))
        {
            throw BadRequest("Stage name must be $default or 1 to 128 letters, digits, hyphens or underscores.");
        }

        if (isNew && api.Stages.Any(s => s.StageName == stage.StageName))
        {
            throw new AwsServiceException(new AwsError(409, "ConflictException", $"Stage {stage.StageName} already exists"));
        }

        if (stage.ThrottlingRateLimit is < 0 or > 10_000 || stage.ThrottlingBurstLimit is < 0 or > 5_000)
        {
            throw BadRequest("Throttling limits must be a rate of 0 to 10000 and a burst of 0 to 5000.");
        }

        return stage;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var api in _apis.All())
        {
            var current = api;
            try
            {
                await ListenAsync(api.ApiId, api.Port, cancellationToken);
            }
            catch (InvalidOperationException ex)
            {
                // Its port was taken meanwhile: it moves, and its ApiEndpoint with it.
                var listener = await ListenAsync(api.ApiId, port: 0, cancellationToken);
                current = api with { Port = GatewayListener.Address(listener.App)!.Port };
                _apis.Change(api.ApiId, _ => (current, 0));
                LogMoved(_logger, ex, api.Name, api.Port, current.Port);
            }

            Publish(current);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var apiId in _listeners.Keys)
        {
            await StopListeningAsync(apiId);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        _apis.Dispose();
        _writes.Dispose();
    }

    private async Task<DeployedApiListener> ListenAsync(string apiId, int port, CancellationToken cancellationToken)
    {
        DeployedApiListener? listener = null;
        var app = GatewayListener.Build(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}"), context => listener!.HandleAsync(context), _loggers);
        listener = new DeployedApiListener(app);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException ex)
        {
            await app.DisposeAsync();
            throw new InvalidOperationException($"The HTTP API {apiId} cannot listen on 127.0.0.1:{port}: {ex.Message}", ex);
        }

        _listeners[apiId] = listener;
        return listener;
    }

    private async Task StopListeningAsync(string apiId)
    {
        if (_listeners.TryRemove(apiId, out var listener))
        {
            await listener.DisposeAsync();
        }
    }

    /// <summary>Makes the stored API what its listener serves: one gateway per stage.</summary>
    private void Publish(HttpApiRecord api)
    {
        if (!_listeners.TryGetValue(api.ApiId, out var listener))
        {
            return;
        }

        var url = new Uri(Endpoint(api));
        listener.Stages = [.. api.Stages.Select(stage => new HttpApiGateway(View(api, stage, url), _authenticator, _runtimes, _clock, _telemetry.HttpApi(api.Name), _loggers))];
    }

    private HttpApi View(HttpApiRecord api, HttpApiStage stage, Uri url)
    {
        // Without auto-deploy nothing is deployed to the stage (LocalAws has no AWS::ApiGatewayV2::Deployment).
        var routes = !stage.AutoDeploy ? [] : api.Routes
            .Select(route => (route, integration: api.Integrations.FirstOrDefault(i => route.Target == "integrations/" + i.IntegrationId)))
            .Where(r => r.integration is not null)
            .Select(r => new HttpRoute(RouteKey.Parse(r.route.RouteKey), r.integration!.FunctionName, r.route.AuthorizationType == "AWS_IAM",
                TimeSpan.FromMilliseconds(r.integration.TimeoutInMillis)))
            .ToList();
        var throttle = stage.ThrottlingRateLimit is { } rate && stage.ThrottlingBurstLimit is { } burst ? new ThrottleLimits(rate, burst) : null;
        var cors = api.Cors is { } c ? new CorsPolicy([.. c.AllowOrigins], [.. c.AllowMethods], [.. c.AllowHeaders], [.. c.ExposeHeaders], c.AllowCredentials, c.MaxAge) : null;
        var format = AccessLogFormat.Parse(stage.AccessLogFormat ?? HttpApiConfiguration.DefaultAccessLogFormat);
        return new HttpApi(api.Name, api.ApiId, url, stage.StageName, new RouteTable(routes), throttle, cors, format, _settings.AccountId, _settings.Region)
        {
            EnforcesFunctionPolicy = true,
            DetailedMetrics = stage.DetailedMetricsEnabled,
        };
    }

    private string ResourceArn(string path) => $"arn:aws:apigateway:{_settings.Region}::{path}";

    private static string NewId() => new(RandomNumberGenerator.GetItems<char>(Alphabet, 10));

    private static AwsServiceException BadRequest(string message) => new(new AwsError(400, "BadRequestException", message));

    private static AwsServiceException NotFound(string message) => new(new AwsError(404, "NotFoundException", message));

    [GeneratedRegex(@"^(arn:aws[a-zA-Z-]*:apigateway:[a-z0-9-]+:lambda:path/2015-03-31/functions/)?arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\d{12}:function:(?<name>[A-Za-z0-9_-]{1,64})(:[A-Za-z0-9$_-]+)?(/invocations)?$")]
    private static partial Regex FunctionUri();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,128}$")]
    private static partial Regex StageNamePattern();

    [LoggerMessage(Level = LogLevel.Warning, Message = "HTTP API {Api} could not listen on its port {Port} again; it listens on {NewPort} now, and its ApiEndpoint names that")]
    private static partial void LogMoved(ILogger logger, Exception exception, string api, int port, int newPort);
}

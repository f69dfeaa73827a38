using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Tap.Definition;
using Tap.LocalAws.Settings;
using Tap.LocalAws.Tests.Lambda;

namespace Tap.LocalAws.Tests.ApiGateway;

/// <summary>
/// LocalAws with one function and three HTTP APIs on their own sockets, shared by a test class: <c>test-api</c> (the
/// seed's shape: stage <c>prod</c>, <c>ANY /</c> and <c>ANY /{proxy+}</c> with AWS_IAM, plus an open route and one
/// with a short integration timeout; CORS), <c>twin-api</c> (the same stage and proxy route, to replay on),
/// <c>narrow-api</c> (one route, <c>$default</c> stage) and <c>throttled-api</c> (5 requests/s, burst 10). Two
/// environments run <see cref="Echo"/>.
/// </summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    public const string Function = "echo";
    public const string AllowedOrigin = "https://app.example";
    public const int BurstLimit = 10;
    public const double RateLimit = 5;

    public LambdaTestHost Host { get; private set; } = null!;

    public ScriptedFunction Echoes { get; private set; } = null!;

    public Uri TestApi => Host.HttpApi("test-api");

    public Uri TwinApi => Host.HttpApi("twin-api");

    public Uri NarrowApi => Host.HttpApi("narrow-api");

    public Uri ThrottledApi => Host.HttpApi("throttled-api");

    public static LocalAwsSettings Settings() => new()
    {
        Functions = [LambdaTestHost.Function(Function, timeout: 1)],
        HttpApis =
        [
            new LocalAwsHttpApiSettings("test-api",
            [
                new LocalAwsRouteSettings("ANY /", Function) { AuthorizationType = "AWS_IAM" },
                new LocalAwsRouteSettings("ANY /{proxy+}", Function) { AuthorizationType = "AWS_IAM" },
                new LocalAwsRouteSettings("GET /open", Function) { AuthorizationType = "NONE" },
                new LocalAwsRouteSettings("GET /stall/short", Function) { AuthorizationType = "AWS_IAM", TimeoutInMillis = 300 },
            ])
            {
                Url = "http://127.0.0.1:0",
                Stage = TapApplication.HttpApi.Stage,
                AccessLogFormat = TapApplication.HttpApi.AccessLogFormat,
                Cors = new LocalAwsCorsSettings
                {
                    AllowOrigins = [AllowedOrigin],
                    AllowMethods = ["GET", "POST"],
                    AllowHeaders = TapApplication.HttpApi.Cors.AllowHeaders,
                    ExposeHeaders = ["x-echo"],
                    MaxAge = 600,
                },
            },
            new LocalAwsHttpApiSettings("twin-api", [new LocalAwsRouteSettings("ANY /{proxy+}", Function) { AuthorizationType = "AWS_IAM" }])
            {
                Url = "http://127.0.0.1:0",
                Stage = TapApplication.HttpApi.Stage,
            },
            new LocalAwsHttpApiSettings("narrow-api", [new LocalAwsRouteSettings("GET /items/{id}", Function) { AuthorizationType = "NONE" }])
            {
                Url = "http://127.0.0.1:0",
            },
            new LocalAwsHttpApiSettings("throttled-api", [new LocalAwsRouteSettings("ANY /{proxy+}", Function) { AuthorizationType = "NONE" }])
            {
                Url = "http://127.0.0.1:0",
                Stage = "prod",
                Throttle = new LocalAwsThrottleSettings(RateLimit, BurstLimit),
            },
        ],
    };

    /// <summary>
    /// The scripted function: a path ending in <c>/fail</c> fails, <c>/stall…</c> never answers (past the function's
    /// 1 s timeout), <c>/plain</c> returns bare JSON (the inferred format), <c>/garbage</c> returns what is not JSON,
    /// <c>/status/{code}</c> answers with that status code and a body; anything else answers 200 with the event it got as its body, a header, a cookie and a CORS header of its own.
    /// </summary>
    public static async Task Echo(RuntimeApiClient environment, RuntimeApiClient.Event @event)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(@event);
        var rawPath = JsonNode.Parse(@event.Body)!["rawPath"]!.GetValue<string>();
        if (rawPath.EndsWith("/fail", StringComparison.Ordinal))
        {
            await environment.ErrorAsync(@event.RequestId, "Function.Failed", "failed on purpose");
        }
        else if (rawPath.Contains("/stall", StringComparison.Ordinal))
        {
            await Task.Delay(TimeSpan.FromSeconds(1.5));
        }
        else if (rawPath.EndsWith("/plain", StringComparison.Ordinal))
        {
            await environment.RespondAsync(@event.RequestId, """{"message":"inferred"}""");
        }
        else if (rawPath.EndsWith("/garbage", StringComparison.Ordinal))
        {
            await environment.RespondAsync(@event.RequestId, "this is not JSON");
        }
        else if (rawPath.Contains("/status/", StringComparison.Ordinal))
        {
            var status = rawPath[(rawPath.LastIndexOf('/') + 1)..];
            await environment.RespondAsync(@event.RequestId, $$"""{"statusCode":{{status}},"headers":{"x-echo":"1"},"body":"a body"}""");
        }
        else
        {
            var response = new JsonObject
            {
                ["statusCode"] = 200,
                ["headers"] = new JsonObject
                {
                    ["content-type"] = "application/json",
                    ["x-echo"] = "1",
                    ["access-control-allow-origin"] = "https://elsewhere.example",
                },
                ["cookies"] = new JsonArray("session=abc; Path=/", "theme=dark"),
                ["body"] = @event.Body,
            };
            await environment.RespondAsync(@event.RequestId, response.ToJsonString());
        }
    }

    public static HttpClient Client(Uri api, ImmutableCredentials? credentials, TimeProvider? clock = null) =>
        SignedLambdaClient.Create(api, credentials, "execute-api", clock);

    /// <summary>Temporary credentials for the invoker role, from LocalAws's STS, as a browser app would get them.</summary>
    public async Task<ImmutableCredentials> AssumeInvokerRoleAsync(string sessionName)
    {
        using var sts = SignedLambdaClient.Create(Host.Endpoint, TestPrincipals.Admin, "sts");
        using var content = new StringContent(StsQuery.AssumeRole(TestPrincipals.InvokerRoleArn, sessionName, "&ExternalId=" + TestPrincipals.InvokerExternalId),
            System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");
        using var response = await sts.PostAsync(new Uri("/", UriKind.Relative), content);
        response.EnsureSuccessStatusCode();
        return StsQuery.Credentials(System.Xml.Linq.XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!);
    }

    /// <summary>
    /// The access log line of the request <paramref name="requestId"/>: it is written once the answer is sent, so it
    /// may land just after the client has read it.
    /// </summary>
    public async Task<string> AccessLogAsync(string api, string requestId)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(10); ; await Task.Delay(20))
        {
            var lines = Host.Factory.Logs.GetSnapshot()
                .Where(r => r.Category == $"Tap.LocalAws.HttpApi.{api}.AccessLog" && r.Message.Contains(requestId, StringComparison.Ordinal))
                .Select(r => r.Message)
                .ToList();
            if (lines.Count > 0 || DateTime.UtcNow > deadline)
            {
                return Assert.Single(lines);
            }
        }
    }

    /// <summary>The event a 200 from <see cref="Echo"/> carries back.</summary>
    public static async Task<JsonElement> EventOf(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    public async ValueTask InitializeAsync()
    {
        Host = LambdaTestHost.Start(Settings());
        Echoes = new ScriptedFunction(Host, Function, environments: 2, Echo);
        await FunctionHealth.WaitForAsync(Host.Endpoint, Function, "Idle", environments: 2);
    }

    public async ValueTask DisposeAsync()
    {
        await Echoes.DisposeAsync();
        await Host.DisposeAsync();
    }
}

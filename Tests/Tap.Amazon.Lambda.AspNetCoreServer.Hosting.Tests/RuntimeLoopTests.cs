using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Trace;
using Tap.Testing;

namespace Tap.Aws.Lambda.Hosting.Tests;

/// <summary>
/// A real ASP.NET Core app under the Runtime API loop, against <see cref="FakeRuntimeApi"/>. These tests set
/// <c>AWS_LAMBDA_RUNTIME_API</c>, a process-wide variable, so they run one at a time.
/// </summary>
[Collection(RuntimeLoopCollectionDefinition.Name)]
public sealed class RuntimeLoopTests
{
    public sealed record Order(int Id, string Item);

    private static async Task<(WebApplication App, FakeLogCollector Logs)> StartAppAsync(FakeRuntimeApi runtime, Action<WebApplicationBuilder>? configure = null)
    {
        Environment.SetEnvironmentVariable("AWS_LAMBDA_FUNCTION_NAME", "runtime-loop-tests");
        Environment.SetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API", runtime.RuntimeApi);
        try
        {
            var builder = WebApplication.CreateSlimBuilder();
            var logs = new FakeLogCollector();
            builder.Logging.AddProvider(new FakeLoggerProvider(logs));
            builder.Services.AddAWSLambdaHosting(LambdaEventSource.HttpApi);
            configure?.Invoke(builder);
            var app = builder.Build();
            app.MapGet("/orders/{id}", (int id, HttpContext context) => Results.Json(new Dictionary<string, object?>
            {
                ["id"] = id,
                ["path"] = context.Request.Path.Value,
                ["pathBase"] = context.Request.PathBase.Value,
                ["requestId"] = context.TraceIdentifier,
                ["caller"] = context.User.FindFirst(LambdaClaimTypes.UserArn)?.Value,
                ["traceId"] = Activity.Current?.TraceId.ToString(),
                ["xrayTrace"] = Environment.GetEnvironmentVariable("_X_AMZN_TRACE_ID"),
            }));
            app.MapPost("/orders", (Order order, HttpContext context) =>
            {
                context.Response.OnStarting(() =>
                {
                    context.Response.Headers["X-Started"] = "yes";
                    return Task.CompletedTask;
                });
                context.Response.Cookies.Append("session", "abc");
                return Results.Created($"/orders/{order.Id}", order);
            });
            app.MapGet("/boom", string () => throw new InvalidOperationException("handler failed"));
            app.MapGet("/slow", async (HttpContext context) =>
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
                return "never";
            });
            app.MapGet("/huge", () => Results.Text(new string('x', 7 * 1024 * 1024)));
            app.MapGet("/binary", () => Results.Bytes([0, 1, 2, 255], "application/octet-stream"));
            await app.StartAsync();
            return (app, logs);
        }
        finally
        {
            Environment.SetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API", null);
            Environment.SetEnvironmentVariable("AWS_LAMBDA_FUNCTION_NAME", null);
        }
    }

    private static string Event(string method, string rawPath, string? body = null, string stage = "$default", string headers = "{}", string authorizer = "null") => $$"""
        {"version":"2.0","routeKey":"$default","rawPath":"{{rawPath}}","rawQueryString":"","headers":{{headers}},
         "requestContext":{"accountId":"000000000000","apiId":"abc","domainName":"abc.execute-api.us-east-1.amazonaws.com",
           "http":{"method":"{{method}}","path":"{{rawPath}}","protocol":"HTTP/1.1","sourceIp":"203.0.113.7","userAgent":"tests"},
           "requestId":"gw-1","routeKey":"$default","stage":"{{stage}}","timeEpoch":0,"authorizer":{{authorizer}}},
         "body":{{(body is null ? "null" : JsonSerializer.Serialize(body))}},"isBase64Encoded":false}
        """;

    private static JsonElement Body(FakeRuntimeApi.RuntimeResult result)
    {
        Assert.Equal("response", result.Kind);
        using var response = JsonDocument.Parse(result.Body);
        using var body = JsonDocument.Parse(response.RootElement.GetProperty("body").GetString()!);
        return body.RootElement.Clone();
    }

    [Theory]
    [InlineData("")]
    [InlineData("/api-handler")]
    public async Task An_invocation_runs_the_pipeline_and_posts_the_response(string prefix)
    {
        await using var runtime = await FakeRuntimeApi.StartAsync(prefix);
        var (app, _) = await StartAppAsync(runtime);
        await using var _ = app;

        var result = await runtime.InvokeAsync(Event("GET", "/prod/orders/42", stage: "prod",
            authorizer: """{"iam":{"userArn":"arn:aws:iam::000000000000:user/invoker","accountId":"000000000000"}}"""), traceId: "Root=1-5759e988-bd862e3fe1be46a994272793");

        using var response = JsonDocument.Parse(result.Body);
        Assert.Equal(200, response.RootElement.GetProperty("statusCode").GetInt32());
        var body = Body(result);
        Assert.Equal(42, body.GetProperty("id").GetInt32());
        Assert.Equal("/orders/42", body.GetProperty("path").GetString());
        Assert.Equal("/prod", body.GetProperty("pathBase").GetString());
        Assert.Equal(36, body.GetProperty("requestId").GetString()!.Length);
        Assert.Equal("arn:aws:iam::000000000000:user/invoker", body.GetProperty("caller").GetString());
        Assert.Equal("Root=1-5759e988-bd862e3fe1be46a994272793", body.GetProperty("xrayTrace").GetString());
    }

    [Fact]
    public async Task Body_binding_OnStarting_and_cookies_work()
    {
        await using var runtime = await FakeRuntimeApi.StartAsync();
        var (app, _) = await StartAppAsync(runtime);
        await using var _ = app;

        var result = await runtime.InvokeAsync(Event("POST", "/orders", """{"id":7,"item":"book"}""", headers: """{"content-type":"application/json"}"""));

        using var response = JsonDocument.Parse(result.Body);
        var root = response.RootElement;
        Assert.Equal(201, root.GetProperty("statusCode").GetInt32());
        Assert.Equal("yes", root.GetProperty("headers").GetProperty("X-Started").GetString());
        Assert.Equal("/orders/7", root.GetProperty("headers").GetProperty("Location").GetString());
        Assert.StartsWith("session=abc", root.GetProperty("cookies")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal("book", Body(result).GetProperty("item").GetString());
    }

    [Fact]
    public async Task An_unhandled_handler_exception_is_logged_and_answered_500()
    {
        await using var runtime = await FakeRuntimeApi.StartAsync();
        var (app, logs) = await StartAppAsync(runtime);
        await using var _ = app;

        var result = await runtime.InvokeAsync(Event("GET", "/boom"));

        Assert.Equal("response", result.Kind);
        Assert.Equal(500, JsonDocument.Parse(result.Body).RootElement.GetProperty("statusCode").GetInt32());
        Assert.Contains(logs.GetSnapshot(), r => r.Level >= LogLevel.Error && r.Exception?.Message == "handler failed");
    }

    [Fact]
    public async Task A_malformed_event_is_reported_as_an_invocation_error_and_the_loop_goes_on()
    {
        await using var runtime = await FakeRuntimeApi.StartAsync();
        var (app, _) = await StartAppAsync(runtime);
        await using var _ = app;

        var malformed = await runtime.InvokeAsync("this is not json");
        var next = await runtime.InvokeAsync(Event("GET", "/orders/1"));

        Assert.Equal(("error", "Runtime.InvalidEvent"), (malformed.Kind, malformed.ErrorType));
        Assert.Equal("Runtime.InvalidEvent", JsonDocument.Parse(malformed.Body).RootElement.GetProperty("errorType").GetString());
        Assert.Equal(1, Body(next).GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task A_path_Kestrel_would_refuse_is_answered_400_and_the_loop_goes_on()
    {
        await using var runtime = await FakeRuntimeApi.StartAsync();
        var (app, _) = await StartAppAsync(runtime);
        await using var _ = app;

        var refused = await runtime.InvokeAsync(Event("GET", "/orders/%00"));
        var next = await runtime.InvokeAsync(Event("GET", "/orders/2"));

        Assert.Equal("response", refused.Kind);
        Assert.Equal(400, JsonDocument.Parse(refused.Body).RootElement.GetProperty("statusCode").GetInt32());
        Assert.Equal(2, Body(next).GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task Passing_the_deadline_cancels_RequestAborted_and_reports_a_timeout()
    {
        await using var runtime = await FakeRuntimeApi.StartAsync();
        var (app, _) = await StartAppAsync(runtime);
        await using var _ = app;

        var result = await runtime.InvokeAsync(Event("GET", "/slow"), timeout: TimeSpan.FromMilliseconds(300));

        Assert.Equal(("error", "Sandbox.Timedout"), (result.Kind, result.ErrorType));
    }

    [Fact]
    public async Task A_response_over_6_MB_is_an_error_not_a_truncation()
    {
        await using var runtime = await FakeRuntimeApi.StartAsync();
        var (app, _) = await StartAppAsync(runtime);
        await using var _ = app;

        var result = await runtime.InvokeAsync(Event("GET", "/huge"));

        Assert.Equal(("error", "Function.ResponseSizeTooLarge"), (result.Kind, result.ErrorType));
    }

    [Fact]
    public async Task Binary_responses_are_base64_encoded()
    {
        await using var runtime = await FakeRuntimeApi.StartAsync();
        var (app, _) = await StartAppAsync(runtime);
        await using var _ = app;

        var result = await runtime.InvokeAsync(Event("GET", "/binary"));

        using var response = JsonDocument.Parse(result.Body);
        Assert.True(response.RootElement.GetProperty("isBase64Encoded").GetBoolean());
        Assert.Equal([0, 1, 2, 255], Convert.FromBase64String(response.RootElement.GetProperty("body").GetString()!));
    }

    [Fact]
    public async Task An_incoming_traceparent_continues_the_callers_trace()
    {
        // Sampled, so the request gets a span that continues the incoming trace.
        using var sampled = new SpanRecorder("Microsoft.AspNetCore");
        await using var runtime = await FakeRuntimeApi.StartAsync();
        var (app, _) = await StartAppAsync(runtime);
        await using var _ = app;

        var result = await runtime.InvokeAsync(Event("GET", "/orders/5", headers: """{"traceparent":"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"}"""));

        Assert.Equal("0af7651916cd43dd8448eb211c80319c", Body(result).GetProperty("traceId").GetString());
    }

    [Fact]
    public async Task Telemetry_is_flushed_after_each_response_not_left_for_the_batch_timer()
    {
        var exported = new List<Activity>();
        using var source = new ActivitySource("Tap.Tests.Flush");
        await using var runtime = await FakeRuntimeApi.StartAsync();
        var (app, _) = await StartAppAsync(runtime, builder =>
            builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing
                .AddSource(source.Name)
                // A batch that would wait ten minutes: only a flush exports it sooner.
                .AddProcessor(new BatchActivityExportProcessor(new InMemoryExporter<Activity>(exported), scheduledDelayMilliseconds: 600_000))));
        await using var _ = app;
        using (source.StartActivity("work done during the invocation"))
        {
            await runtime.InvokeAsync(Event("GET", "/orders/9"));
        }

        await runtime.InvokeAsync(Event("GET", "/orders/10"));

        // The flush follows the posted response; give it a moment, far less than the batch delay.
        var deadline = DateTime.UtcNow.AddSeconds(5);
        bool Exported()
        {
            lock (exported)
            {
                return exported.Any(a => a.DisplayName == "work done during the invocation");
            }
        }

        while (!Exported() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        Assert.True(Exported(), "The span was not exported after the invocation.");
    }

    [Fact]
    public async Task A_failed_start_is_reported_to_init_error()
    {
        await using var runtime = await FakeRuntimeApi.StartAsync();

        var start = StartAppAsync(runtime, builder => builder.Services.AddHostedService<FailingStartup>());

        await Assert.ThrowsAsync<InvalidOperationException>(() => start);
        var initError = await runtime.InitError.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal("Runtime.InvalidOperationException", initError.ErrorType);
        Assert.Contains("database is missing", initError.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Whatever_a_client_puts_in_path_query_headers_cookies_and_body_is_answered_without_a_5xx()
    {
        await using var runtime = await FakeRuntimeApi.StartAsync();
        var (app, _) = await StartAppAsync(runtime);
        await using var _ = app;
        var text = Gen.OneOf(Gen.String[0, 30], Gen.OneOf("%", "%zz", "%00", "..", "//", "?", "#", "=", "&", ";", "é🔑", "\\", "orders/42", "boom"));
        var headerName = Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789-_"].Array[1, 12].Select(c => new string(c));
        var clientParts = Gen.Select(
            Gen.OneOf("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "BREW"),
            text.Array[0, 4].Select(segments => "/" + string.Join('/', segments)),
            text.Array[0, 4].Select(pairs => string.Join('&', pairs)),
            Gen.Select(headerName, text).Array[0, 5],
            Gen.Select(text.Array[0, 3], Gen.OneOf(Gen.String[0, 200], Gen.Byte.Array[0, 64].Select(Convert.ToBase64String)), Gen.Bool));

        await clientParts.SampleAsync(async parts =>
        {
            var (method, path, query, headers, (cookies, body, base64)) = parts;
            var @event = JsonNode.Parse(Event(method, "/"))!.AsObject();
            @event["rawPath"] = path;
            @event["requestContext"]!["http"]!["path"] = path;
            @event["rawQueryString"] = query;
            var headerObject = new JsonObject();
            foreach (var (name, value) in headers)
            {
                headerObject[name] = value;
            }

            @event["headers"] = headerObject;
            @event["cookies"] = new JsonArray([.. cookies.Select(c => (JsonNode?)c)]);
            @event["body"] = body;
            @event["isBase64Encoded"] = base64 && IsBase64(body);

            var result = await runtime.InvokeAsync(@event.ToJsonString());

            Assert.True(result.Kind == "response", $"{result.Kind} {result.ErrorType}: {result.Body}");
            var status = JsonDocument.Parse(result.Body).RootElement.GetProperty("statusCode").GetInt32();
            Assert.True(status < 500 || path == "/boom", $"{method} {path}?{query} answered {status}");
        }, iter: 300, threads: 1, print: parts => parts.ToString());
    }

    [Fact]
    public async Task An_event_with_any_field_missing_or_of_any_type_is_answered_or_reported_and_the_loop_goes_on()
    {
        await using var runtime = await FakeRuntimeApi.StartAsync();
        var (app, _) = await StartAppAsync(runtime);
        await using var _ = app;
        string[] fields = ["version", "routeKey", "rawPath", "rawQueryString", "headers", "cookies", "queryStringParameters", "pathParameters",
            "stageVariables", "body", "isBase64Encoded", "requestContext", "requestContext/http", "requestContext/http/method",
            "requestContext/http/path", "requestContext/http/sourceIp", "requestContext/stage", "requestContext/authorizer",
            "requestContext/requestId", "requestContext/timeEpoch"];
        var anything = ArbitraryJson.Value(["GET", "/orders/1", "prod", "$default"], ["iam", "jwt", "userArn", "method", "path", "a"]);
        var damage = Gen.Select(Gen.OneOf(fields), Gen.Frequency((1, Gen.Const(() => ((JsonNode?)null, true))), (4, anything.Select(v => (v, false))))).Array[1, 4];

        await damage.SampleAsync(async changes =>
        {
            var @event = JsonNode.Parse(Event("POST", "/orders", """{"id":1,"item":"tea"}"""))!.AsObject();
            foreach (var (field, (value, remove)) in changes)
            {
                var path = field.Split('/');
                var parent = path[..^1].Aggregate((JsonNode?)@event, (node, name) => node is JsonObject obj ? obj[name] : null) as JsonObject;
                if (remove)
                {
                    parent?.Remove(path[^1]);
                }
                else if (parent is not null)
                {
                    parent[path[^1]] = value?.DeepClone();
                }
            }

            var result = await runtime.InvokeAsync(@event.ToJsonString());

            // The gateway never sends such events; whatever arrives is answered, or reported with its error's type.
            Assert.True(result.Kind == "response" || (result.Kind == "error" && !string.IsNullOrEmpty(result.ErrorType)), $"{result.Kind}: {result.Body}");
        }, iter: 300, threads: 1, print: changes => string.Join(", ", changes.Select(c => $"{c.Item1}={c.Item2.Item1?.ToJsonString() ?? (c.Item2.Item2 ? "(removed)" : "null")}")));

        Assert.Equal(1, Body(await runtime.InvokeAsync(Event("GET", "/orders/1"))).GetProperty("id").GetInt32());
    }

    private static bool IsBase64(string text) => Convert.TryFromBase64String(text, new byte[text.Length], out _);

    private sealed class FailingStartup : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => throw new InvalidOperationException("The database is missing.");

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RuntimeLoopCollectionDefinition
{
    public const string Name = "Lambda runtime loop";
}

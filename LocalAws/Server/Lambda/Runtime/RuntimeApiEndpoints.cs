using System.Globalization;
using System.Text.Json;
using Tap.Aws.Errors;
using Tap.Aws.Protocol;
using Tap.LocalAws.Protocols;
using Tap.LocalAws.Settings;

namespace Tap.LocalAws.Lambda.Runtime;

/// <summary>
/// The Lambda Runtime API of each function at <c>/{function}/2018-06-01/runtime/…</c>, the Lambda Test Tool's
/// addressing, so a function started with <c>AWS_LAMBDA_RUNTIME_API={host:port}/{function}</c> runs unchanged here
/// and under that tool. Unauthenticated, as in AWS; where AWS lets only the function's own sandbox reach it,
/// LocalAws lets only the function's execution environments in (<see cref="LambdaRuntimes"/>), and an invocation is
/// answered only by the environment it was handed to.
/// </summary>
internal static class RuntimeApiEndpoints
{
    /// <summary>Lambda's limit on a function's response (and on an error body): 6 MB and a little.</summary>
    public const int MaxResponseBytes = 6_291_556;

    private static readonly AwsError TooLarge = new(413, "RequestEntityTooLarge", $"Exceeded maximum allowed payload size ({MaxResponseBytes} bytes).");

    // The Runtime API's own path, after the function's name.
    private const string RuntimePath = "/2018-06-01/runtime";

    private const string Prefix = "/{function}" + RuntimePath;

    /// <summary>Whether <paramref name="path"/> is a Runtime API call (<c>/{function}/2018-06-01/runtime/…</c>).</summary>
    public static bool IsRuntimeApiPath(PathString path)
    {
        var value = path.Value;
        var functionEnd = value is { Length: > 1 } ? value.IndexOf('/', 1) : -1;
        return functionEnd > 1 && value.AsSpan(functionEnd).StartsWith(RuntimePath + "/", StringComparison.Ordinal);
    }

    public static IEndpointRouteBuilder MapLambdaRuntimeApi(this IEndpointRouteBuilder endpoints)
    {
        // The functions' plumbing, untraced (as in AWS) and unmeasured: two calls per invocation would fill LocalAws's
        // own HTTP metrics, and cost each invocation their recording; the function's metrics are AWS/Lambda's.
        var runtime = endpoints.MapGroup(Prefix).ExcludeFromDescription().DisableHttpMetrics();
        runtime.MapGet("/invocation/next", NextAsync);
        runtime.MapPost("/invocation/{requestId}/response", ResponseAsync);
        runtime.MapPost("/invocation/{requestId}/error", ErrorAsync);
        runtime.MapPost("/init/error", InitErrorAsync);

        // Anything else under the prefix is the Runtime API's own 404, never another service's (S3 serves every other path).
        runtime.Map("/{**rest}", (HttpContext context) => AnswerAsync(context, () =>
            throw new RuntimeApiException(404, "InvalidRequest", $"No Runtime API call is served at {context.Request.Method} {context.Request.Path}.")));
        endpoints.MapGet(LocalAwsFunctionSettings.HealthPathPrefix + "/{function}", Health).ExcludeFromDescription();
        return endpoints;
    }

    private static async Task NextAsync(string function, HttpContext context, LambdaRuntimes runtimes, IHostApplicationLifetime lifetime)
    {
        await AnswerAsync(context, async () =>
        {
            var runtime = Runtime(runtimes, function);
            ExecutionEnvironment? environment = null;
            Invocation invocation;
            using var polling = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
            try
            {
                environment = await runtimes.IdentifyAsync(runtime, context, LambdaRuntimes.RegistrationWait, polling.Token);
                invocation = await runtime.NextAsync(environment, polling.Token);
            }
            catch (OperationCanceledException) when (polling.IsCancellationRequested || environment?.Exited == true)
            {
                // A long poll would hold LocalAws's shutdown for its whole grace period: drop the connection, and the
                // runtime polls again when LocalAws is back.
                if (lifetime.ApplicationStopping.IsCancellationRequested)
                {
                    context.Abort();
                }

                return;
            }

            try
            {
                await DeliverAsync(context, invocation);
            }
            catch (Exception ex) when (ex is InvalidOperationException && !context.Response.HasStarted)
            {
                // An event the runtime cannot be handed fails now rather than holding the environment to its deadline.
                context.Response.Clear();
                runtime.FailDelivery(invocation.RequestId, ex.Message);
                throw new RuntimeApiException(500, "Runtime.DeliveryFailed", $"Invocation {invocation.RequestId} could not be delivered: {ex.Message}");
            }
        });
    }

    private static async Task DeliverAsync(HttpContext context, Invocation invocation)
    {
        var headers = context.Response.Headers;
        headers["Lambda-Runtime-Aws-Request-Id"] = invocation.RequestId;
        headers["Lambda-Runtime-Deadline-Ms"] = invocation.Deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        headers["Lambda-Runtime-Invoked-Function-Arn"] = invocation.Function.Arn;
        headers["Lambda-Runtime-Trace-Id"] = invocation.TraceHeader;
        if (invocation.Request.ClientContext is { } clientContext)
        {
            headers["Lambda-Runtime-Client-Context"] = clientContext;
        }

        if (invocation.Request.CognitoIdentity is { } cognitoIdentity)
        {
            headers["Lambda-Runtime-Cognito-Identity"] = cognitoIdentity;
        }

        context.Response.ContentType = "application/json";
        context.Response.ContentLength = invocation.Request.Payload.Length;
        await context.Response.Body.WriteAsync(invocation.Request.Payload, CancellationToken.None);
    }

    private static Task ResponseAsync(string function, string requestId, HttpContext context, LambdaRuntimes runtimes) =>
        AnswerAsync(context, async () =>
        {
            var (runtime, environment, payload) = await ReadAnswerAsync(function, requestId, context, runtimes);
            runtime.Respond(requestId, environment, payload);
            await AcceptedAsync(context);
        });

    private static Task ErrorAsync(string function, string requestId, HttpContext context, LambdaRuntimes runtimes) =>
        AnswerAsync(context, async () =>
        {
            var (runtime, environment, body) = await ReadAnswerAsync(function, requestId, context, runtimes);
            runtime.ReportError(requestId, environment, ErrorType(context), body);
            await AcceptedAsync(context);
        });

    /// <summary>
    /// An invocation's answer (<c>/response</c> or <c>/error</c>): who sends it (refused at once unless an environment
    /// of the function) and its body. One over Lambda's limit is the runtime's 413 and ends the invocation now, with
    /// Lambda's error for the size.
    /// </summary>
    private static async Task<(FunctionRuntime Runtime, ExecutionEnvironment Environment, byte[] Body)> ReadAnswerAsync(
        string function, string requestId, HttpContext context, LambdaRuntimes runtimes)
    {
        var runtime = Runtime(runtimes, function);
        var environment = await runtimes.IdentifyAsync(runtime, context, TimeSpan.Zero, context.RequestAborted);
        try
        {
            return (runtime, environment, await ReadPayloadAsync(context));
        }
        catch (RuntimeApiException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            runtime.ReportResponseTooLarge(requestId, environment, MaxResponseBytes);
            throw;
        }
    }

    private static Task InitErrorAsync(string function, HttpContext context, LambdaRuntimes runtimes) =>
        AnswerAsync(context, async () =>
        {
            var runtime = Runtime(runtimes, function);
            var environment = await runtimes.IdentifyAsync(runtime, context, LambdaRuntimes.RegistrationWait, context.RequestAborted);
            runtime.ReportInitError(environment, ErrorType(context), await ReadPayloadAsync(context));
            await AcceptedAsync(context);
        });

    /// <summary>200 while an environment can take an invocation (idle or busy), 503 otherwise; the body says which.</summary>
    private static IResult Health(string function, LambdaRuntimes runtimes)
    {
        if (runtimes.Find(function) is not { } runtime)
        {
            return Results.NotFound();
        }

        var status = runtime.Status();
        return Results.Json(status, statusCode: status.State is FunctionState.Idle or FunctionState.Busy ? 200 : 503);
    }

    private static FunctionRuntime Runtime(LambdaRuntimes runtimes, string function) =>
        runtimes.Find(function) ?? throw new RuntimeApiException(404, "ResourceNotFound", $"Function {function} is not configured in LocalAws:Functions.");

    private static string? ErrorType(HttpContext context) =>
        context.Request.Headers["Lambda-Runtime-Function-Error-Type"].FirstOrDefault() is { Length: > 0 } type ? type : null;

    /// <summary>A response or error body, within Lambda's limit (a larger one is the Runtime API's 413).</summary>
    private static async Task<byte[]> ReadPayloadAsync(HttpContext context)
    {
        try
        {
            return await RequestBody.ReadAsync(context.Request, MaxResponseBytes, TooLarge, AwsProtocol.RestJson, context.RequestAborted);
        }
        catch (AwsServiceException ex) when (ex.Error == TooLarge)
        {
            throw new RuntimeApiException(ex.Error.StatusCode, ex.Error.Code, ex.Error.Message);
        }
    }

    private static async Task AcceptedAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status202Accepted;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync("""{"status":"OK"}""");
    }

    /// <summary>Runs a Runtime API call, answering its misuse with <c>{"errorMessage", "errorType"}</c> and the status.</summary>
    private static async Task AnswerAsync(HttpContext context, Func<Task> handle)
    {
        try
        {
            await handle();
        }
        catch (RuntimeApiException ex)
        {
            context.Response.StatusCode = ex.StatusCode;
            context.Response.ContentType = "application/json";
            await using var writer = new Utf8JsonWriter(context.Response.Body);
            writer.WriteStartObject();
            writer.WriteString("errorMessage", ex.Message);
            writer.WriteString("errorType", ex.ErrorType);
            writer.WriteEndObject();
        }
    }
}

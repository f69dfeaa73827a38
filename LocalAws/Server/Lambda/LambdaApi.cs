using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Tap.Aws.Errors;
using Tap.Aws.Protocol;
using Tap.LocalAws.Iam;
using Tap.LocalAws.Lambda.Deployment;
using Tap.LocalAws.Lambda.Runtime;
using Tap.LocalAws.Protocols;
using Tap.LocalAws.Services;
using Tap.LocalAws.Settings;

namespace Tap.LocalAws.Lambda;

/// <summary>
/// AWS Lambda's control and invoke API (REST-JSON, <c>/2015-03-31/functions/…</c>): Invoke, GetFunction,
/// GetFunctionConfiguration and ListFunctions, answered from the configured functions.
/// </summary>
internal sealed partial class LambdaApi(LambdaRuntimes runtimes, LocalAwsSettings localAws, ILogger<LambdaApi> logger) : IAwsServiceApi
{
    /// <summary>Lambda's limit on a synchronous invocation's payload.</summary>
    public const int MaxSyncPayloadBytes = 6_291_456;

    /// <summary>Lambda's limit on an asynchronous (<c>Event</c>) invocation's payload.</summary>
    public const int MaxAsyncPayloadBytes = 1_048_576;

    /// <summary>Lambda's limit on <c>X-Amz-Client-Context</c>: 3,583 bytes of base64.</summary>
    private const int MaxClientContextBytes = 3583;

    /// <summary><c>X-Amz-Log-Result</c> holds the last 4 KB of the invocation's log.</summary>
    private const int LogTailBytes = 4096;

    private const string FunctionArn = "arn:aws:lambda:{region}:{account}:function:{FunctionName}";
    private const string PathPrefix = "/2015-03-31/functions";

    private static readonly AwsOperation Invoke = new("Invoke", "lambda:InvokeFunction", FunctionArn);
    private static readonly AwsOperation GetFunction = new("GetFunction", "lambda:GetFunction", FunctionArn);
    private static readonly AwsOperation GetFunctionConfiguration = new("GetFunctionConfiguration", "lambda:GetFunctionConfiguration", FunctionArn);
    private static readonly AwsOperation ListFunctions = new("ListFunctions", "lambda:ListFunctions", "*");

    // The deployment operations, as other LocalAws services (CloudFormation) call them on a principal's behalf.
    private static readonly Dictionary<string, AwsOperation> DeploymentOperations = new AwsOperation[]
    {
        new("CreateFunction", "lambda:CreateFunction", FunctionArn),
        new("UpdateFunctionConfiguration", "lambda:UpdateFunctionConfiguration", FunctionArn),
        new("UpdateFunctionCode", "lambda:UpdateFunctionCode", FunctionArn),
        new("DeleteFunction", "lambda:DeleteFunction", FunctionArn),
        new("AddPermission", "lambda:AddPermission", FunctionArn),
        new("RemovePermission", "lambda:RemovePermission", FunctionArn),
    }.ToDictionary(o => o.Name, StringComparer.Ordinal);

    public AwsServiceMetadata Metadata => AwsServiceMetadata.Lambda;

    /// <summary>The authorization of a deployment operation another LocalAws service makes as <paramref name="caller"/>.</summary>
    public static AccessCheck ActingFor(string operation, CallerIdentity caller, string region) =>
        new(caller, DeploymentOperations[operation], region, secureTransport: true, AwsProtocol.RestJson);

    public IReadOnlyList<string> RoutePatterns { get; } = [PathPrefix + "/{**rest}"];

    public bool StreamsBody => false;

    public IReadOnlyList<AwsOperation> Operations { get; } = [Invoke, GetFunction, GetFunctionConfiguration, ListFunctions];

    public int MaxRequestBytes => MaxSyncPayloadBytes;

    public AwsError RequestTooLarge => TooLarge(MaxSyncPayloadBytes);

    public bool Accepts(HttpRequest request) => true;

    public AwsOperationRoute Route(HttpRequest request, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(request);
        var rest = request.Path.Value![PathPrefix.Length..].Trim('/');
        var segments = rest.Length == 0 ? [] : rest.Split('/');
        var (operation, name) = (request.Method, segments) switch
        {
            ("GET", []) => (ListFunctions, null),
            ("GET", [var function]) => (GetFunction, function),
            ("GET", [var function, "configuration"]) => (GetFunctionConfiguration, function),
            ("POST", [var function, "invocations"]) => (Invoke, function),
            _ => throw new AwsServiceException(new AwsError(404, "UnknownOperationException", $"No Lambda operation is served at {request.Method} {request.Path}.")),
        };

        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        if (name is not null)
        {
            parameters["FunctionName"] = name;
        }

        foreach (var (key, value) in request.Query)
        {
            parameters[key] = value.ToString();
        }

        return new AwsOperationRoute(operation, parameters);
    }

    public Task HandleAsync(AwsCall request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Operation.Name switch
        {
            "Invoke" => InvokeAsync(request),
            "GetFunction" => RestJsonProtocol.WriteAsync(request.Context.Response, StatusCodes.Status200OK, writer =>
            {
                writer.WriteStartObject();
                writer.WritePropertyName("Configuration");
                FunctionConfigurationJson.Write(writer, Authorize(request).Function);
                writer.WriteEndObject();
            }),
            "GetFunctionConfiguration" => RestJsonProtocol.WriteAsync(request.Context.Response, StatusCodes.Status200OK, writer => FunctionConfigurationJson.Write(writer, Authorize(request).Function)),
            _ => ListAsync(request),
        };
    }

    private async Task InvokeAsync(AwsCall call)
    {
        var runtime = Authorize(call);
        var headers = call.Context.Request.Headers;
        var invocationType = headers["X-Amz-Invocation-Type"].FirstOrDefault() ?? "RequestResponse";
        if (invocationType is not ("RequestResponse" or "Event" or "DryRun"))
        {
            throw Validation($"1 validation error detected: Value '{invocationType}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]");
        }

        var logType = headers["X-Amz-Log-Type"].FirstOrDefault() ?? "None";
        if (logType is not ("None" or "Tail"))
        {
            throw Validation($"1 validation error detected: Value '{logType}' at 'logType' failed to satisfy constraint: Member must satisfy enum value set: [Tail, None]");
        }

        if (invocationType == "Event" && call.Body.Length > MaxAsyncPayloadBytes)
        {
            throw new AwsServiceException(TooLarge(MaxAsyncPayloadBytes));
        }

        var payload = call.Body.Length == 0 ? "{}"u8.ToArray() : call.Body;
        if (!Utf8.IsValid(payload))
        {
            throw new AwsServiceException(new AwsError(400, "InvalidRequestContentException", "Could not parse request body into json: the payload is not valid UTF-8."));
        }

        if (JsonProtocol.RootKind(payload) is null)
        {
            throw new AwsServiceException(new AwsError(400, "InvalidRequestContentException", "Could not parse request body into json: the payload is not a JSON document."));
        }

        var clientContext = ClientContext(headers["X-Amz-Client-Context"].FirstOrDefault());
        if (invocationType == "DryRun")
        {
            call.Context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        // The function's spans join this invocation's span: the X-Ray header always, traceparent in an HTTP event.
        var activity = Activity.Current;
        if (headers.ContainsKey("traceparent"))
        {
            payload = InvocationTrace.WithTraceParent(payload, activity);
        }

        var result = runtime.InvokeAsync(new InvocationRequest(payload, clientContext), InvocationTrace.XRayHeader(activity));
        var response = call.Context.Response;
        if (invocationType == "Event")
        {
            if (result.IsFaulted)
            {
                // Refused at once (the queue is full): the caller is told, not sent a 202.
                await result;
            }

            _ = result.ContinueWith(t => LogAsyncOutcome(logger, runtime.Function.Name, t.IsCompletedSuccessfully ? t.Result.FunctionError ?? "Success" : t.Exception!.InnerException!.Message),
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            response.StatusCode = StatusCodes.Status202Accepted;
            return;
        }

        var outcome = await result;
        response.StatusCode = StatusCodes.Status200OK;
        response.Headers["X-Amz-Executed-Version"] = LambdaFunction.LatestVersion;
        if (outcome.FunctionError is { } functionError)
        {
            response.Headers["X-Amz-Function-Error"] = functionError;
            activity?.SetTag("faas.error", functionError);
        }

        if (logType == "Tail")
        {
            response.Headers["X-Amz-Log-Result"] = LogTail(outcome.LogTail);
        }

        response.ContentType = "application/json";
        response.ContentLength = outcome.Payload.Length;
        await response.Body.WriteAsync(outcome.Payload, CancellationToken.None);
    }

    private Task ListAsync(AwsCall call)
    {
        call.Access.DemandOperation("*");
        var maxItems = 50;
        if (call.Parameters.TryGetValue("MaxItems", out var maxText)
            && (!int.TryParse(maxText, NumberStyles.None, CultureInfo.InvariantCulture, out maxItems) || maxItems is < 1 or > 10000))
        {
            throw Validation($"1 validation error detected: Value '{maxText}' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 10000");
        }

        var marker = call.Parameters.GetValueOrDefault("Marker");
        var page = runtimes.Functions.Select(r => r.Function)
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .Where(f => marker is null || string.CompareOrdinal(f.Name, marker) > 0)
            .Take(maxItems + 1)
            .ToList();
        return RestJsonProtocol.WriteAsync(call.Context.Response, StatusCodes.Status200OK, writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("Functions");
            foreach (var function in page.Take(maxItems))
            {
                FunctionConfigurationJson.Write(writer, function);
            }

            writer.WriteEndArray();
            if (page.Count > maxItems)
            {
                writer.WriteString("NextMarker", page[maxItems - 1].Name);
            }

            writer.WriteEndObject();
        });
    }

    /// <summary>
    /// Demands the operation's action on the function the request names (a name, a partial or full ARN, with an
    /// optional qualifier), then finds it: authorization comes first, so a caller without it learns nothing.
    /// </summary>
    private FunctionRuntime Authorize(AwsCall call)
    {
        var named = call.Parameters["FunctionName"];
        var (name, qualifier, region, account) = FunctionName.Parse(named, call.Parameters.GetValueOrDefault("Qualifier"))
            ?? throw Validation($"1 validation error detected: Value '{named}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{{2}}(-gov)?-[a-z]+-\\d{{1}}:)?(\\d{{12}}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?");
        // An ARN of another region or account names a function that does not exist here: IAM decides on that ARN.
        var local = (region ?? localAws.Region) == localAws.Region && (account ?? localAws.AccountId) == localAws.AccountId;
        var arn = $"arn:aws:lambda:{region ?? localAws.Region}:{account ?? localAws.AccountId}:function:{name}" + (qualifier is null ? string.Empty : ":" + qualifier);
        var runtime = local && (qualifier is null or LambdaFunction.LatestVersion) ? runtimes.Find(name) : null;

        // The function's resource-based policy decides with the caller's own (the same answer when it is missing).
        call.Access.DemandOperation(arn, runtime is null ? null : FunctionPolicy.ResourcePolicy(runtime.Function));
        Activity.Current?.SetTag("faas.invoked_name", name);
        return runtime ?? throw new AwsServiceException(new AwsError(404, "ResourceNotFoundException", $"Function not found: {arn}"));
    }

    /// <summary>
    /// The client context as the runtime gets it: the same JSON in one line of ASCII (non-ASCII characters escaped),
    /// because it travels in the <c>Lambda-Runtime-Client-Context</c> header, which can carry neither a newline nor
    /// other bytes; the function reads the same JSON value the caller sent.
    /// </summary>
    private static string? ClientContext(string? header)
    {
        if (header is null)
        {
            return null;
        }

        try
        {
            if (header.Length <= MaxClientContextBytes)
            {
                using var json = JsonDocument.Parse(Convert.FromBase64String(header));
                var compact = new ArrayBufferWriter<byte>();
                using (var writer = new Utf8JsonWriter(compact))
                {
                    json.RootElement.WriteTo(writer);
                }

                return Encoding.ASCII.GetString(compact.WrittenSpan);
            }
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            // Answered below.
        }

        throw new AwsServiceException(new AwsError(400, "InvalidRequestContentException",
            $"Client context must be valid Base64-encoded JSON of at most {MaxClientContextBytes} bytes of base64."));
    }

    /// <summary>The last 4 KB of the log, base64-encoded, cut at a line start where it must be cut.</summary>
    private static string LogTail(string log)
    {
        var bytes = Encoding.UTF8.GetBytes(log);
        if (bytes.Length > LogTailBytes)
        {
            var start = bytes.Length - LogTailBytes;
            var newline = Array.IndexOf(bytes, (byte)'\n', start);
            bytes = bytes[(newline >= 0 && newline < bytes.Length - 1 ? newline + 1 : start)..];
        }

        return Convert.ToBase64String(bytes);
    }

    private static AwsError TooLarge(int limit) => new(413, "RequestTooLargeException",
        $"Request must be smaller than {limit} bytes for the InvokeFunction operation");

    private static AwsServiceException Validation(string message) => new(new AwsError(400, "ValidationException", message));

    [LoggerMessage(Level = LogLevel.Information, Message = "Lambda.Invoke (Event) of {Function} ended: {Outcome}")]
    private static partial void LogAsyncOutcome(ILogger logger, string function, string outcome);
}

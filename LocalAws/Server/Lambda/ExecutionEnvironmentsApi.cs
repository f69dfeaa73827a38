using System.Globalization;
using System.Text.Json;
using Tap.Aws.Errors;
using Tap.Aws.Protocol;
using Tap.LocalAws.Lambda.Runtime;
using Tap.LocalAws.Protocols;
using Tap.LocalAws.Services;
using Tap.LocalAws.Settings;

namespace Tap.LocalAws.Lambda;

/// <summary>
/// LocalAws's own Lambda call, <c>RegisterExecutionEnvironment</c> (<see cref="ExecutionEnvironmentRegistration"/>):
/// it makes a running process, and the processes it starts, an execution environment of a function, which its
/// Runtime API then admits. A service of LocalAws's own (signed for <c>localaws</c>), authorized as every call here:
/// <see cref="ExecutionEnvironmentRegistration.Action"/> on the function's ARN.
/// </summary>
internal sealed class ExecutionEnvironmentsApi(LambdaRuntimes runtimes, LocalAwsSettings localAws) : IAwsServiceApi
{
    private const int MaxBodyBytes = 1024;

    private static readonly AwsOperation Register = new(
        "RegisterExecutionEnvironment", ExecutionEnvironmentRegistration.Action, "arn:aws:lambda:{region}:{account}:function:{FunctionName}");

    public AwsServiceMetadata Metadata { get; } = new("LocalAws", ExecutionEnvironmentRegistration.SigningName, "LOCALAWS", AwsProtocol.RestJson);

    public IReadOnlyList<string> RoutePatterns { get; } = [ExecutionEnvironmentRegistration.PathPrefix + "/{**rest}"];

    public bool StreamsBody => false;

    public IReadOnlyList<AwsOperation> Operations { get; } = [Register];

    public int MaxRequestBytes => MaxBodyBytes;

    public AwsError RequestTooLarge { get; } = new(413, "RequestTooLargeException", $"Request must be smaller than {MaxBodyBytes} bytes for the RegisterExecutionEnvironment operation");

    public bool Accepts(HttpRequest request) => true;

    public AwsOperationRoute Route(HttpRequest request, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(request);
        var segments = request.Path.Value![ExecutionEnvironmentRegistration.PathPrefix.Length..].Trim('/').Split('/');
        return (request.Method, segments) switch
        {
            ("POST", [var function, ExecutionEnvironmentRegistration.EnvironmentsSegment]) when function.Length > 0 =>
                new AwsOperationRoute(Register, new Dictionary<string, string>(StringComparer.Ordinal) { ["FunctionName"] = function }),
            _ => throw new AwsServiceException(new AwsError(404, "UnknownOperationException", $"No LocalAws operation is served at {request.Method} {request.Path}.")),
        };
    }

    public async Task HandleAsync(AwsCall request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = request.Parameters["FunctionName"];
        var arn = $"arn:aws:lambda:{localAws.Region}:{localAws.AccountId}:function:{name}";
        request.Access.DemandOperation(arn);
        if (runtimes.Find(name) is null)
        {
            throw new AwsServiceException(new AwsError(404, "ResourceNotFoundException", $"Function not found: {arn}"));
        }

        var processId = ExecutionEnvironmentRegistration.ReadProcessId(request.Body)
            ?? throw InvalidParameter($"The body must be {{\"{ExecutionEnvironmentRegistration.ProcessIdMember}\": <a process id>}}.");
        var started = runtimes.Registry.Register(name, processId)
            ?? throw InvalidParameter(LinuxProcesses.IsAvailable
                ? string.Create(CultureInfo.InvariantCulture, $"Process {processId} is not running on this machine.")
                : "This system has no /proc: LocalAws cannot tell processes apart, and its Runtime API admits every local client.");

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("FunctionArn", arn);
            writer.WriteNumber(ExecutionEnvironmentRegistration.ProcessIdMember, processId);
            writer.WriteString("ProcessStartTime", started.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ff'Z'", CultureInfo.InvariantCulture));
            writer.WriteEndObject();
        }

        var response = request.Context.Response;
        response.StatusCode = StatusCodes.Status201Created;
        response.ContentType = RestJsonProtocol.ContentType;
        await response.Body.WriteAsync(buffer.ToArray());
    }

    private static AwsServiceException InvalidParameter(string message) => new(new AwsError(400, "InvalidParameterValueException", message));
}

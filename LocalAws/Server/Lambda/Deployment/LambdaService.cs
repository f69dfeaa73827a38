using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Tap.Aws.Errors;
using Tap.LocalAws.Iam;
using Tap.LocalAws.Lambda.Runtime;
using Tap.LocalAws.Protocols;
using Tap.LocalAws.S3;
using Tap.LocalAws.Settings;

namespace Tap.LocalAws.Lambda.Deployment;

/// <summary>
/// Lambda's deployment operations — CreateFunction, UpdateFunctionConfiguration and UpdateFunctionCode, DeleteFunction,
/// AddPermission and RemovePermission — with CreateFunction's checks (names, limits, reserved variables, a role
/// Lambda may assume and the caller may pass, code the caller may read from S3). A deployed function is stored,
/// served at once, and served again after a restart; LocalAws starts its environments itself, but for a hosted
/// function (<see cref="LocalAwsSettings.HostedFunctions"/>), whose host registers them.
/// </summary>
internal sealed partial class LambdaService : IDisposable
{
    private const string LambdaPrincipal = "lambda.amazonaws.com";
    private const int MaxEnvironmentBytes = 4096;

    private static readonly string[] Runtimes =
    [
        "nodejs18.x", "nodejs20.x", "nodejs22.x", "python3.9", "python3.10", "python3.11", "python3.12", "python3.13",
        "java11", "java17", "java21", "dotnet8", "ruby3.2", "ruby3.3", "ruby3.4", "provided", "provided.al2", "provided.al2023",
    ];

    private static readonly string[] ReservedVariables =
    [
        "_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME",
        "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
        "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR",
    ];

    private readonly LambdaRuntimes _runtimes;
    private readonly FunctionStore _store;
    private readonly IamDirectory _iam;
    private readonly S3Service _s3;
    private readonly LocalAwsSettings _settings;
    private readonly TimeProvider _clock;
    private readonly ILoggerFactory _loggers;
    private readonly LaunchSettings _launch;
    private readonly SemaphoreSlim _writes = new(1, 1);

    public LambdaService(LambdaRuntimes runtimes, FunctionStore store, IamDirectory iam, S3Service s3, LocalAwsSettings settings, IServer server, TimeProvider clock, ILoggerFactory loggers)
    {
        (_runtimes, _store, _iam, _s3, _settings, _clock, _loggers) = (runtimes, store, iam, s3, settings, clock, loggers);
        _launch = new LaunchSettings(settings.LambdaConcurrency, TimeSpan.FromSeconds(settings.LambdaIdleTimeoutSeconds), () => HttpAddress(server), settings.Region);
        var logger = loggers.CreateLogger<LambdaService>();
        foreach (var function in store.All())
        {
            if (runtimes.Find(function.Name) is not null)
            {
                LogShadowed(logger, function.Name);
                continue;
            }

            runtimes.Deploy(function, Launcher(function));
        }
    }

    public LambdaFunction? Find(string name) => _store.Find(name);

    public void Dispose() => _writes.Dispose();

    public string Arn(string name) => $"arn:aws:lambda:{_settings.Region}:{_settings.AccountId}:function:{name}";

    public async Task<LambdaFunction> CreateFunctionAsync(FunctionSpec spec, CodeSource code, AccessCheck access, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(access);
        ValidateName(spec.Name);
        access.DemandOperation(Arn(spec.Name));
        Validate(spec, access);
        await _writes.WaitAsync(cancellationToken);
        try
        {
            if (_runtimes.Find(spec.Name) is not null)
            {
                throw new AwsServiceException(new AwsError(409, "ResourceConflictException", $"Function already exist: {spec.Name}"));
            }

            var unpacked = await UnpackAsync(code, access, cancellationToken);
            var function = Build(spec, unpacked, permissions: []);
            _store.Change(spec.Name, current => (function, 0));
            _runtimes.Deploy(function, Launcher(function));
            return function;
        }
        finally
        {
            _writes.Release();
        }
    }

    /// <summary>UpdateFunctionConfiguration and, when <paramref name="code"/> is given, UpdateFunctionCode: the environments restart on the new version.</summary>
    public async Task<LambdaFunction> UpdateFunctionAsync(FunctionSpec spec, CodeSource? code, AccessCheck access, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(access);
        access.DemandOperation(Arn(spec.Name));
        Validate(spec, access);
        await _writes.WaitAsync(cancellationToken);
        try
        {
            var current = Existing(spec.Name);
            var unpacked = code is null ? current.Code! : await UnpackAsync(code, access, cancellationToken);
            var function = Build(spec, unpacked, current.Permissions);
            _store.Change(spec.Name, _ => (function, 0));
            _runtimes.Deploy(function, Launcher(function));
            _store.RemoveUnusedCode();
            return function;
        }
        finally
        {
            _writes.Release();
        }
    }

    public void DeleteFunction(string name, AccessCheck access)
    {
        ArgumentNullException.ThrowIfNull(access);
        access.DemandOperation(Arn(name));
        _writes.Wait();
        try
        {
            Existing(name);
            _store.Change(name, _ => ((LambdaFunction?)null, 0));
            _runtimes.Remove(name);
            _store.RemoveUnusedCode();
        }
        finally
        {
            _writes.Release();
        }
    }

    /// <summary>AddPermission: a statement of the function's resource-based policy.</summary>
    public void AddPermission(string name, FunctionPolicyStatement permission, AccessCheck access)
    {
        ArgumentNullException.ThrowIfNull(permission);
        ArgumentNullException.ThrowIfNull(access);
        access.DemandOperation(Arn(name));
        if (!StatementIdPattern().IsMatch(permission.StatementId))
        {
            throw Validation($"1 validation error detected: Value '{permission.StatementId}' at 'statementId' failed to satisfy constraint: Member must satisfy regular expression pattern: ([a-zA-Z0-9-_]+)");
        }

        ChangePolicy(name, function =>
        {
            if (function.Permissions.Any(p => p.StatementId == permission.StatementId))
            {
                throw new AwsServiceException(new AwsError(409, "ResourceConflictException", $"The statement id ({permission.StatementId}) provided already exists. Please provide a new statement id, or remove the existing statement."));
            }

            return (function with { Permissions = [.. function.Permissions, permission], RevisionId = Guid.NewGuid().ToString() }, 0);
        });
    }

    public void RemovePermission(string name, string statementId, AccessCheck access)
    {
        ArgumentNullException.ThrowIfNull(access);
        access.DemandOperation(Arn(name));
        ChangePolicy(name, function => function.Permissions.Any(p => p.StatementId == statementId)
            ? (function with { Permissions = [.. function.Permissions.Where(p => p.StatementId != statementId)], RevisionId = Guid.NewGuid().ToString() }, 0)
            : throw new AwsServiceException(new AwsError(404, "ResourceNotFoundException", "The resource you requested does not exist.")));
    }

    private TResult ChangePolicy<TResult>(string name, Func<LambdaFunction, (LambdaFunction Next, TResult Result)> change)
    {
        _writes.Wait();
        try
        {
            var (next, result) = change(Existing(name));
            _store.Change(name, _ => (next, 0));
            _runtimes.Find(name)?.Replace(next);
            return result;
        }
        finally
        {
            _writes.Release();
        }
    }

    private LambdaFunction Existing(string name) =>
        _store.Find(name) ?? throw new AwsServiceException(new AwsError(404, "ResourceNotFoundException", $"Function not found: {Arn(name)}"));

    /// <summary>None for a hosted function: its host starts and registers its environments.</summary>
    private EnvironmentLauncher? Launcher(LambdaFunction function) => _settings.HostedFunctions.Any(h => h.Name == function.Name)
        ? null
        : new(function, _store.CodeDirectory(function.Code!), _launch, _runtimes.Registry, _iam, _loggers.CreateLogger("Tap.LocalAws.Lambda." + function.Name));

    private LambdaFunction Build(FunctionSpec spec, FunctionCode code, IReadOnlyList<FunctionPolicyStatement> permissions) =>
        new(spec.Name, Arn(spec.Name), spec.Role, spec.Timeout, spec.MemorySize, spec.LogFormat == "JSON", spec.Environment, _clock.GetUtcNow())
        {
            Runtime = spec.Runtime,
            Handler = spec.Handler,
            Description = spec.Description,
            Architecture = spec.Architecture,
            TracingMode = spec.TracingMode,
            LogGroupName = spec.LogGroup,
            ReservedConcurrency = spec.ReservedConcurrency,
            Code = code,
            Permissions = permissions,
        };

    private void Validate(FunctionSpec spec, AccessCheck access)
    {
        if (spec.Runtime is null || spec.Handler is null)
        {
            throw InvalidParameter("Runtime and Handler are mandatory parameters for functions created with deployment packages.");
        }

        if (!Runtimes.Contains(spec.Runtime, StringComparer.Ordinal))
        {
            throw Validation($"1 validation error detected: Value '{spec.Runtime}' at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", Runtimes)}] or be a valid ARN");
        }

        if (spec.Timeout is < 1 or > 900)
        {
            throw Validation($"1 validation error detected: Value '{spec.Timeout}' at 'timeout' failed to satisfy constraint: Member must have value greater than or equal to 1");
        }

        if (spec.MemorySize is < 128 or > 10240)
        {
            throw Validation($"1 validation error detected: Value '{spec.MemorySize}' at 'memorySize' failed to satisfy constraint: Member must have value less than or equal to 10240");
        }

        if (spec.Architecture is not ("x86_64" or "arm64"))
        {
            throw Validation($"1 validation error detected: Value '[{spec.Architecture}]' at 'architectures' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64]]");
        }

        if (spec.ReservedConcurrency is < 0)
        {
            throw InvalidParameter("ReservedConcurrentExecutions must be 0 or more.");
        }

        var reserved = spec.Environment.Keys.Where(k => ReservedVariables.Contains(k, StringComparer.Ordinal)).ToList();
        if (reserved.Count > 0)
        {
            throw InvalidParameter($"Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: {string.Join(", ", reserved)}");
        }

        // Measured as Lambda does, over the variables' JSON; the message never carries a value.
        if (Encoding.UTF8.GetByteCount(System.Text.Json.JsonSerializer.Serialize(spec.Environment)) > MaxEnvironmentBytes)
        {
            throw InvalidParameter("Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit.");
        }

        var role = _iam.FindRole(spec.Role);
        if (role?.TrustPolicy is not { } trust
            || !trust.Statements.Any(s => s.Effect == PolicyEffect.Allow && s.Principals?.Contains("Service:" + LambdaPrincipal) == true
                && s.Actions?.Any(a => WildcardPattern.IsMatch(a, "sts:AssumeRole", ignoreCase: true)) == true))
        {
            throw InvalidParameter("The role defined for the function cannot be assumed by Lambda.");
        }

        access.Demand("iam:PassRole", spec.Role);
    }

    private async Task<FunctionCode> UnpackAsync(CodeSource code, AccessCheck access, CancellationToken cancellationToken)
    {
        var zip = code.ZipFile;
        if (zip is null)
        {
            if (code.S3Bucket is not { } bucket || code.S3Key is not { } key)
            {
                throw InvalidParameter("Please provide a source for the function code: either ZipFile, or S3Bucket and S3Key.");
            }

            try
            {
                zip = await _s3.ReadObjectAsync(access, bucket, key, (int)CodeArchive.MaxUnzippedBytes, cancellationToken, code.S3ObjectVersion);
            }
            catch (AwsServiceException ex)
            {
                throw InvalidParameter($"Error occurred while GetObject. S3 Error Code: {ex.Error.Code}. S3 Error Message: {ex.Error.Message}");
            }
        }

        return CodeArchive.Unpack(zip, _store.CodeRoot);
    }

    /// <summary>
    /// The zip CloudFormation makes of an inline <c>ZipFile</c>: the source as <c>index.js</c> or <c>index.py</c>, for
    /// the Node.js and Python runtimes only.
    /// </summary>
    public static byte[] InlineZip(string? runtime, string source)
    {
        var file = runtime switch
        {
            { } r when r.StartsWith("nodejs", StringComparison.Ordinal) => "index.js",
            { } r when r.StartsWith("python", StringComparison.Ordinal) => "index.py",
            _ => throw InvalidParameter($"ZipFile can only be used with the Node.js and Python runtimes, not {runtime}."),
        };
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            var entry = archive.CreateEntry(file);
            entry.ExternalAttributes = 0b110_100_100 << 16;
            using var writer = new StreamWriter(entry.Open());
            writer.Write(source);
        }

        return buffer.ToArray();
    }

    /// <summary>LocalAws's own HTTP address as its execution environments reach it: the first http:// one, on loopback.</summary>
    private static Uri? HttpAddress(IServer server)
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase));
        if (address is null || !Uri.TryCreate(address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal), UriKind.Absolute, out var uri))
        {
            return null;
        }

        var host = uri.Host is "localhost" or "0.0.0.0" or "[::]" or "::" ? "127.0.0.1" : uri.Host;
        return new UriBuilder(uri) { Host = host }.Uri;
    }

    private static void ValidateName(string name)
    {
        if (!NamePattern().IsMatch(name))
        {
            throw Validation($"1 validation error detected: Value '{name}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{{2}}(-gov)?-[a-z]+-\\d{{1}}:)?(\\d{{12}}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?");
        }
    }

    private static AwsServiceException InvalidParameter(string message) => new(new AwsError(400, "InvalidParameterValueException", message));

    private static AwsServiceException Validation(string message) => new(new AwsError(400, "ValidationException", message));

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[a-zA-Z0-9-_]{1,100}$")]
    private static partial Regex StatementIdPattern();

    [LoggerMessage(Level = LogLevel.Warning, Message = "The deployed function {Function} has the name of a configured one; the configured function is served")]
    private static partial void LogShadowed(ILogger logger, string function);
}

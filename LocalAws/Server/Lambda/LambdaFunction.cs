using System.Text.Json.Serialization;

namespace Tap.LocalAws.Lambda;

/// <summary>
/// A Lambda function (only <c>$LATEST</c>: LocalAws publishes no versions or aliases): one configured in
/// <c>LocalAws:Functions</c>, whose execution environments are started by someone else (the AppHost), or one
/// deployed from a zip (<see cref="Code"/>), whose environments LocalAws starts itself.
/// </summary>
public sealed record LambdaFunction(
    string Name,
    string Arn,
    string Role,
    int TimeoutSeconds,
    int MemorySizeMb,
    bool JsonLogs,
    IReadOnlyDictionary<string, string> Environment,
    DateTimeOffset LastModified)
{
    public const string LatestVersion = "$LATEST";

    /// <summary>The runtime identifier, e.g. <c>provided.al2023</c>; none for a configured function.</summary>
    public string? Runtime { get; init; }

    public string? Handler { get; init; }

    public string? Description { get; init; }

    /// <summary><c>x86_64</c> or <c>arm64</c>.</summary>
    public string Architecture { get; init; } = "x86_64";

    /// <summary><c>PassThrough</c> or <c>Active</c>.</summary>
    public string TracingMode { get; init; } = "PassThrough";

    /// <summary>The log group its <c>LoggingConfig</c> names; <c>/aws/lambda/{name}</c> when unset.</summary>
    public string? LogGroupName { get; init; }

    /// <summary>Its reserved concurrency: the most environments it may have (0 throttles every invocation).</summary>
    public int? ReservedConcurrency { get; init; }

    /// <summary>The deployed code; <see langword="null"/> for a configured function.</summary>
    public FunctionCode? Code { get; init; }

    /// <summary>The statements of its resource-based policy (AddPermission).</summary>
    public IReadOnlyList<FunctionPolicyStatement> Permissions { get; init; } = [];

    /// <summary>Changes with every update, as Lambda's <c>RevisionId</c> does.</summary>
    public string RevisionId { get; init; } = Guid.NewGuid().ToString();

    [JsonIgnore]
    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);

    [JsonIgnore]
    public string LogGroup => LogGroupName ?? "/aws/lambda/" + Name;
}

/// <summary>A deployed function's code: the zip's SHA-256 (base64, as Lambda reports it) and its size; it is unpacked under its hash.</summary>
public sealed record FunctionCode(string Sha256, long Size)
{
    /// <summary>The folder it is unpacked into, under the code root: its hash in hex.</summary>
    [JsonIgnore]
    public string Folder => Convert.ToHexStringLower(Convert.FromBase64String(Sha256));
}

/// <summary>One statement of a function's resource-based policy, as AddPermission takes it.</summary>
public sealed record FunctionPolicyStatement(string StatementId, string Action, string Principal)
{
    public string? SourceArn { get; init; }

    public string? SourceAccount { get; init; }

    public string? PrincipalOrgId { get; init; }

    public string? FunctionUrlAuthType { get; init; }
}

namespace Tap.LocalAws.Lambda.Deployment;

/// <summary>What CreateFunction is given, besides the code: the function's configuration.</summary>
internal sealed record FunctionSpec(string Name, string Role, string? Runtime, string? Handler)
{
    public int Timeout { get; init; } = 3;

    public int MemorySize { get; init; } = 128;

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    public string Architecture { get; init; } = "x86_64";

    /// <summary><c>Text</c> or <c>JSON</c>.</summary>
    public string LogFormat { get; init; } = "Text";

    public string? LogGroup { get; init; }

    /// <summary><c>PassThrough</c> or <c>Active</c>.</summary>
    public string TracingMode { get; init; } = "PassThrough";

    public string? Description { get; init; }

    public int? ReservedConcurrency { get; init; }
}

/// <summary>Where a deployment package comes from: an S3 object, or the bytes of a zip.</summary>
internal sealed record CodeSource(string? S3Bucket, string? S3Key, string? S3ObjectVersion, byte[]? ZipFile);

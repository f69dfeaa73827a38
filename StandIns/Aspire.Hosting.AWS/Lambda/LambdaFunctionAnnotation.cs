using Aspire.Hosting.ApplicationModel;

namespace Tap.Aws.Hosting;

/// <summary>
/// A Lambda function's configuration as Lambda's CreateFunction takes it: what its execution environment is told
/// and what the emulator serving it enforces.
/// </summary>
public sealed class LambdaFunctionAnnotation(string handler, string logFormat, string applicationLogLevel) : IResourceAnnotation
{
    /// <summary>Lambda's default memory size, in MB.</summary>
    public const int DefaultMemorySize = 128;

    /// <summary>The handler (<c>_HANDLER</c>); <c>bootstrap</c> for a custom runtime.</summary>
    public string Handler { get; } = handler;

    /// <summary><c>Text</c> or <c>JSON</c> (<c>AWS_LAMBDA_LOG_FORMAT</c>).</summary>
    public string LogFormat { get; } = logFormat;

    /// <summary>The lowest application log level kept (<c>AWS_LAMBDA_LOG_LEVEL</c>).</summary>
    public string ApplicationLogLevel { get; } = applicationLogLevel;

    /// <summary>The memory size in MB; Lambda's 128 when unset.</summary>
    public int? MemorySize { get; set; }

    /// <summary>The invocation timeout; Lambda's 3 s when unset.</summary>
    public TimeSpan? Timeout { get; set; }
}

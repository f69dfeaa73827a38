namespace Tap.Definition;

/// <summary>A Lambda function as API Gateway and CDK see it.</summary>
/// <param name="Name">The function name (also the local resource name).</param>
/// <param name="Runtime">The Lambda runtime identifier, e.g. <c>provided.al2023</c> for a Native AOT <c>bootstrap</c>.</param>
/// <param name="Handler">The handler; for custom runtimes the executable is always <c>bootstrap</c>.</param>
/// <param name="MemorySize">Memory in MB.</param>
/// <param name="Timeout">The invocation timeout.</param>
public sealed record FunctionDefinition(string Name, string Runtime, string Handler, int MemorySize, TimeSpan Timeout)
{
    /// <summary>The environment variable naming the configuration secret (its name or ARN).</summary>
    public const string SecretIdVariable = "SECRET_ID";

    /// <summary>The environment variables the app itself declares (Lambda's reserved ones are set by Lambda).</summary>
    public IReadOnlyList<string> EnvironmentVariables { get; } = [SecretIdVariable];
}

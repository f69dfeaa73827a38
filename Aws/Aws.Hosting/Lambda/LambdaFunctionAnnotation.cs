using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting.AWS.Lambda;

/// <summary>A Lambda function's handler (<c>bootstrap</c> for a custom runtime).</summary>
internal sealed class LambdaFunctionAnnotation(string handler) : IResourceAnnotation
{
    public string Handler { get; } = handler;
}

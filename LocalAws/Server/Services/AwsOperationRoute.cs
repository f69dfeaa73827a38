namespace Tap.LocalAws.Services;

/// <summary>The operation a request names, and what its route carried (see <see cref="AwsCall.Parameters"/>).</summary>
public sealed record AwsOperationRoute(AwsOperation Operation, IReadOnlyDictionary<string, string> Parameters);

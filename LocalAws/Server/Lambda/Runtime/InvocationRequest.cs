namespace Tap.LocalAws.Lambda.Runtime;

/// <summary>What a caller hands a function: the event and what the Runtime API passes along with it.</summary>
/// <param name="Payload">The event (JSON).</param>
/// <param name="ClientContext">The caller's client context as JSON (<c>Lambda-Runtime-Client-Context</c>), if any.</param>
/// <param name="CognitoIdentity">The caller's Cognito identity as JSON (<c>Lambda-Runtime-Cognito-Identity</c>), if any.</param>
public sealed record InvocationRequest(byte[] Payload, string? ClientContext = null, string? CognitoIdentity = null);

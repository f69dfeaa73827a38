namespace Tap.LocalAws.Services;

/// <summary>One operation of a service, as the Service Authorization Reference lists it.</summary>
/// <param name="Name">The operation's name, as the API reference spells it (e.g. <c>GetSecretValue</c>).</param>
/// <param name="IamAction">The IAM action it demands, or <see langword="null"/> when it needs none (GetCallerIdentity).</param>
/// <param name="Resource">The resource the action is evaluated on, as an ARN pattern (<c>*</c> when none).</param>
public sealed record AwsOperation(string Name, string? IamAction, string Resource);

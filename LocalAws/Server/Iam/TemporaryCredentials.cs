namespace Tap.LocalAws.Iam;

/// <summary>Credentials issued for a role session by AssumeRole or the container credentials endpoint.</summary>
public sealed record TemporaryCredentials(
    string AccessKeyId,
    string SecretAccessKey,
    string SessionToken,
    DateTimeOffset Expiration,
    CallerIdentity Identity)
{
    public override string ToString() => $"TemporaryCredentials {{ AccessKeyId = {AccessKeyId}, Identity = {Identity.Arn}, Expiration = {Expiration:O} }}";
}

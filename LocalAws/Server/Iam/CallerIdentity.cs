namespace Tap.LocalAws.Iam;

/// <summary>Who made a verified request: a user (long-term key) or an assumed-role session (temporary key).</summary>
/// <param name="Arn">The caller's ARN, e.g. <c>arn:aws:iam::…:user/admin</c> or <c>arn:aws:sts::…:assumed-role/role/session</c>.</param>
/// <param name="AccountId">The caller's account.</param>
/// <param name="UserId">The unique id GetCallerIdentity reports (<c>AIDA…</c>, or <c>AROA…:session</c>).</param>
/// <param name="Principal">The configured user or role whose policies apply.</param>
public sealed record CallerIdentity(string Arn, string AccountId, string UserId, IamPrincipal Principal)
{
    public bool IsAssumedRole => Arn.Contains(":assumed-role/", StringComparison.Ordinal);
}

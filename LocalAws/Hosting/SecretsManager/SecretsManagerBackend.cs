namespace Tap.LocalAws.Hosting;

/// <summary>
/// Where a secret lives instead of LocalAws: another Secrets Manager endpoint (an emulator, through
/// <see cref="ServiceURL"/>) or a real AWS account (a <see cref="Profile"/> and <see cref="Region"/>). The gateway and
/// the Lambda functions stay in LocalAws either way.
/// </summary>
public sealed record SecretsManagerBackend
{
    /// <summary>The Secrets Manager endpoint, e.g. <c>http://127.0.0.1:5000</c>; AWS's regional endpoint when unset.</summary>
    public string? ServiceURL { get; init; }

    /// <summary>The AWS credential profile the AppHost and the functions use; the SDK's default chain when unset.</summary>
    public string? Profile { get; init; }

    /// <summary>The region; LocalAws's when unset.</summary>
    public string? Region { get; init; }
}

using Amazon.Runtime;

namespace Amazon.SecretsManager.Model;

/// <summary>Schedules a secret for deletion after a recovery window (7–30 days), or deletes it at once.</summary>
public sealed class DeleteSecretRequest
{
    public string? SecretId { get; set; }

    public long? RecoveryWindowInDays { get; set; }

    public bool? ForceDeleteWithoutRecovery { get; set; }
}

public sealed class DeleteSecretResponse : AmazonWebServiceResponse
{
    public string? ARN { get; set; }

    public string? Name { get; set; }

    public DateTime? DeletionDate { get; set; }
}

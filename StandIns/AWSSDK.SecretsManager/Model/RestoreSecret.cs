using Amazon.Runtime;

namespace Amazon.SecretsManager.Model;

/// <summary>Cancels a scheduled deletion.</summary>
public sealed class RestoreSecretRequest
{
    public string? SecretId { get; set; }
}

public sealed class RestoreSecretResponse : AmazonWebServiceResponse
{
    public string? ARN { get; set; }

    public string? Name { get; set; }
}

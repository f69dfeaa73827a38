using Amazon.Runtime;

namespace Amazon.SecretsManager.Model;

/// <summary>Creates a secret, optionally with a first version (<c>SecretString</c> or <c>SecretBinary</c>).</summary>
public sealed class CreateSecretRequest
{
    public string? Name { get; set; }

    /// <summary>Idempotency token; the client fills in a new one when left empty, as the AWS SDKs do.</summary>
    public string? ClientRequestToken { get; set; }

    public string? Description { get; set; }

    public string? KmsKeyId { get; set; }

    public string? SecretString { get; set; }

    public MemoryStream? SecretBinary { get; set; }

    public List<Tag>? Tags { get; set; }

    public bool? ForceOverwriteReplicaSecret { get; set; }
}

public sealed class CreateSecretResponse : AmazonWebServiceResponse
{
    public string? ARN { get; set; }

    public string? Name { get; set; }

    public string? VersionId { get; set; }
}

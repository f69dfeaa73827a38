using Amazon.Runtime;

namespace Amazon.SecretsManager.Model;

/// <summary>Changes a secret's details and, with a value, adds a new <c>AWSCURRENT</c> version.</summary>
public sealed class UpdateSecretRequest
{
    public string? SecretId { get; set; }

    /// <summary>Idempotency token for the new version, if a value is given; filled in when left empty.</summary>
    public string? ClientRequestToken { get; set; }

    public string? Description { get; set; }

    public string? KmsKeyId { get; set; }

    public string? SecretString { get; set; }

    public MemoryStream? SecretBinary { get; set; }
}

public sealed class UpdateSecretResponse : AmazonWebServiceResponse
{
    public string? ARN { get; set; }

    public string? Name { get; set; }

    public string? VersionId { get; set; }
}

using Amazon.Runtime;

namespace Amazon.SecretsManager.Model;

/// <summary>Adds a version to a secret; by default it becomes <c>AWSCURRENT</c>.</summary>
public sealed class PutSecretValueRequest
{
    public string? SecretId { get; set; }

    /// <summary>Idempotency token and the new version's id; filled in when left empty.</summary>
    public string? ClientRequestToken { get; set; }

    public string? SecretString { get; set; }

    public MemoryStream? SecretBinary { get; set; }

    public List<string>? VersionStages { get; set; }
}

public sealed class PutSecretValueResponse : AmazonWebServiceResponse
{
    public string? ARN { get; set; }

    public string? Name { get; set; }

    public string? VersionId { get; set; }

    public List<string>? VersionStages { get; set; }
}

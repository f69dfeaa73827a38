using Amazon.Runtime;

namespace Amazon.SecretsManager.Model;

/// <summary>Retrieves a secret's value: the <c>AWSCURRENT</c> version unless a version id or stage is given.</summary>
public sealed class GetSecretValueRequest
{
    /// <summary>The secret's name, full ARN or partial ARN.</summary>
    public string? SecretId { get; set; }

    public string? VersionId { get; set; }

    public string? VersionStage { get; set; }
}

public sealed class GetSecretValueResponse : AmazonWebServiceResponse
{
    public string? ARN { get; set; }

    public string? Name { get; set; }

    public string? VersionId { get; set; }

    public string? SecretString { get; set; }

    public MemoryStream? SecretBinary { get; set; }

    public List<string>? VersionStages { get; set; }

    public DateTime? CreatedDate { get; set; }
}

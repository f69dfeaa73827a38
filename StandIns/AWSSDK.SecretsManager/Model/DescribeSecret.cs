using Amazon.Runtime;

namespace Amazon.SecretsManager.Model;

/// <summary>Retrieves a secret's details, never its value.</summary>
public sealed class DescribeSecretRequest
{
    public string? SecretId { get; set; }
}

public sealed class DescribeSecretResponse : AmazonWebServiceResponse
{
    public string? ARN { get; set; }

    public string? Name { get; set; }

    public string? Description { get; set; }

    public string? KmsKeyId { get; set; }

    public bool? RotationEnabled { get; set; }

    public DateTime? LastRotatedDate { get; set; }

    public DateTime? LastChangedDate { get; set; }

    public DateTime? LastAccessedDate { get; set; }

    public DateTime? DeletedDate { get; set; }

    public DateTime? NextRotationDate { get; set; }

    public List<Tag>? Tags { get; set; }

    public Dictionary<string, List<string>>? VersionIdsToStages { get; set; }

    public DateTime? CreatedDate { get; set; }

    public string? PrimaryRegion { get; set; }
}

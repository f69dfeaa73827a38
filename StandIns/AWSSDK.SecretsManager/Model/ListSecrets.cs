using Amazon.Runtime;

namespace Amazon.SecretsManager.Model;

/// <summary>Lists secrets (details, never values), a page at a time.</summary>
public sealed class ListSecretsRequest
{
    public bool? IncludePlannedDeletion { get; set; }

    public int? MaxResults { get; set; }

    public string? NextToken { get; set; }

    public List<Filter>? Filters { get; set; }

    /// <summary><c>asc</c> or <c>desc</c> by creation date.</summary>
    public string? SortOrder { get; set; }
}

public sealed class ListSecretsResponse : AmazonWebServiceResponse
{
    public List<SecretListEntry>? SecretList { get; set; }

    public string? NextToken { get; set; }
}

/// <summary>One secret in a <see cref="ListSecretsResponse"/>.</summary>
public sealed class SecretListEntry
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

    public Dictionary<string, List<string>>? SecretVersionsToStages { get; set; }

    public DateTime? CreatedDate { get; set; }

    public string? PrimaryRegion { get; set; }
}

/// <summary>A ListSecrets filter: <c>Key</c> is one of description, name, tag-key, tag-value, primary-region, owning-service, all.</summary>
public sealed class Filter
{
    public string? Key { get; set; }

    public List<string>? Values { get; set; }
}

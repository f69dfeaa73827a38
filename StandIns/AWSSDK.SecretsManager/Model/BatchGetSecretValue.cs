using Amazon.Runtime;

namespace Amazon.SecretsManager.Model;

/// <summary>Reads several secrets' values at once, by id list or by filters; failures are reported per secret.</summary>
public sealed class BatchGetSecretValueRequest
{
    public List<string>? SecretIdList { get; set; }

    public List<Filter>? Filters { get; set; }

    public int? MaxResults { get; set; }

    public string? NextToken { get; set; }
}

public sealed class BatchGetSecretValueResponse : AmazonWebServiceResponse
{
    public List<SecretValueEntry>? SecretValues { get; set; }

    public List<APIErrorType>? Errors { get; set; }

    public string? NextToken { get; set; }
}

public sealed class SecretValueEntry
{
    public string? ARN { get; set; }

    public string? Name { get; set; }

    public string? VersionId { get; set; }

    public MemoryStream? SecretBinary { get; set; }

    public string? SecretString { get; set; }

    public List<string>? VersionStages { get; set; }

    public DateTime? CreatedDate { get; set; }
}

/// <summary>One secret's failure inside a batch.</summary>
public sealed class APIErrorType
{
    public string? SecretId { get; set; }

    public string? ErrorCode { get; set; }

    public string? Message { get; set; }
}

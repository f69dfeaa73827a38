using Amazon.Runtime;

namespace Amazon.SecretsManager.Model;

/// <summary>Adds or replaces tags on a secret.</summary>
public sealed class TagResourceRequest
{
    public string? SecretId { get; set; }

    public List<Tag>? Tags { get; set; }
}

public sealed class TagResourceResponse : AmazonWebServiceResponse;

/// <summary>Removes tags from a secret by key.</summary>
public sealed class UntagResourceRequest
{
    public string? SecretId { get; set; }

    public List<string>? TagKeys { get; set; }
}

public sealed class UntagResourceResponse : AmazonWebServiceResponse;

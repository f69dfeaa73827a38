using Amazon.Runtime;

namespace Amazon.SecretsManager.Model;

/// <summary>Lists a secret's versions (ids, stages, dates), never their values.</summary>
public sealed class ListSecretVersionIdsRequest
{
    public string? SecretId { get; set; }

    public bool? IncludeDeprecated { get; set; }

    public int? MaxResults { get; set; }

    public string? NextToken { get; set; }
}

public sealed class ListSecretVersionIdsResponse : AmazonWebServiceResponse
{
    public string? ARN { get; set; }

    public string? Name { get; set; }

    public List<SecretVersionsListEntry>? Versions { get; set; }

    public string? NextToken { get; set; }
}

public sealed class SecretVersionsListEntry
{
    public string? VersionId { get; set; }

    public List<string>? VersionStages { get; set; }

    public DateTime? CreatedDate { get; set; }

    public DateTime? LastAccessedDate { get; set; }
}

/// <summary>Moves a staging label to a version (and, for AWSCURRENT, the old one to AWSPREVIOUS).</summary>
public sealed class UpdateSecretVersionStageRequest
{
    public string? SecretId { get; set; }

    public string? VersionStage { get; set; }

    public string? RemoveFromVersionId { get; set; }

    public string? MoveToVersionId { get; set; }
}

public sealed class UpdateSecretVersionStageResponse : AmazonWebServiceResponse
{
    public string? ARN { get; set; }

    public string? Name { get; set; }
}

/// <summary>Starts a rotation. (LocalAws does not run rotation functions and says so.)</summary>
public sealed class RotateSecretRequest
{
    public string? SecretId { get; set; }

    public string? ClientRequestToken { get; set; }

    public string? RotationLambdaARN { get; set; }

    public bool? RotateImmediately { get; set; }
}

public sealed class RotateSecretResponse : AmazonWebServiceResponse
{
    public string? ARN { get; set; }

    public string? Name { get; set; }

    public string? VersionId { get; set; }
}

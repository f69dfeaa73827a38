using Amazon.Runtime;

namespace Amazon.SecretsManager.Model;

/// <summary>Attaches a resource-based policy to a secret.</summary>
public sealed class PutResourcePolicyRequest
{
    public string? SecretId { get; set; }

    public string? ResourcePolicy { get; set; }

    public bool? BlockPublicPolicy { get; set; }
}

public sealed class PutResourcePolicyResponse : AmazonWebServiceResponse
{
    public string? ARN { get; set; }

    public string? Name { get; set; }
}

public sealed class GetResourcePolicyRequest
{
    public string? SecretId { get; set; }
}

public sealed class GetResourcePolicyResponse : AmazonWebServiceResponse
{
    public string? ARN { get; set; }

    public string? Name { get; set; }

    public string? ResourcePolicy { get; set; }
}

public sealed class DeleteResourcePolicyRequest
{
    public string? SecretId { get; set; }
}

public sealed class DeleteResourcePolicyResponse : AmazonWebServiceResponse
{
    public string? ARN { get; set; }

    public string? Name { get; set; }
}

/// <summary>Checks a resource policy's grammar and whether it grants broad access.</summary>
public sealed class ValidateResourcePolicyRequest
{
    public string? SecretId { get; set; }

    public string? ResourcePolicy { get; set; }
}

public sealed class ValidateResourcePolicyResponse : AmazonWebServiceResponse
{
    public bool? PolicyValidationPassed { get; set; }

    public List<ValidationErrorsEntry>? ValidationErrors { get; set; }
}

public sealed class ValidationErrorsEntry
{
    public string? CheckName { get; set; }

    public string? ErrorMessage { get; set; }
}

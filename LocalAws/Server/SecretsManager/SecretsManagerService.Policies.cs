using System.Text.Json;
using Amazon.SecretsManager.Model;
using Tap.LocalAws.Iam;
using Tap.LocalAws.Protocols;

namespace Tap.LocalAws.SecretsManager;

/// <summary>Resource-based policies: stored with the secret and evaluated together with identity policies.</summary>
public sealed partial class SecretsManagerService
{
    public PutResourcePolicyResponse PutResourcePolicy(PutResourcePolicyRequest request, AccessCheck access)
    {
        ArgumentNullException.ThrowIfNull(request);
        var secretId = request.SecretId!;
        var (policy, problem) = ParseResourcePolicy(request.ResourcePolicy);
        if (policy is null)
        {
            throw AwsServiceException.Json("MalformedPolicyDocumentException", $"The resource policy is not valid: {problem}");
        }

        if (request.BlockPublicPolicy == true && IsPublic(policy))
        {
            throw AwsServiceException.Json("PublicPolicyException",
                "The BlockPublicPolicy parameter is set to true, and the resource policy did not prevent broad access to the secret.");
        }

        return store.Execute(s =>
        {
            var secret = Authorize(s, secretId, access).Clone();
            RejectIfDeleted(secret);
            secret.ResourcePolicy = request.ResourcePolicy;
            secret.LastChangedDate = Now();
            s.Commit(secret);
            return new PutResourcePolicyResponse { ARN = secret.Arn, Name = secret.Name };
        });
    }

    public GetResourcePolicyResponse GetResourcePolicy(GetResourcePolicyRequest request, AccessCheck access)
    {
        ArgumentNullException.ThrowIfNull(request);
        var secretId = request.SecretId!;
        return store.Execute(s =>
        {
            var secret = Authorize(s, secretId, access);
            return new GetResourcePolicyResponse { ARN = secret.Arn, Name = secret.Name, ResourcePolicy = secret.ResourcePolicy };
        });
    }

    public DeleteResourcePolicyResponse DeleteResourcePolicy(DeleteResourcePolicyRequest request, AccessCheck access)
    {
        ArgumentNullException.ThrowIfNull(request);
        var secretId = request.SecretId!;
        return store.Execute(s =>
        {
            var secret = Authorize(s, secretId, access).Clone();
            secret.ResourcePolicy = null;
            secret.LastChangedDate = Now();
            s.Commit(secret);
            return new DeleteResourcePolicyResponse { ARN = secret.Arn, Name = secret.Name };
        });
    }

    /// <summary>Checks grammar (every statement needs a Principal) and broad access (an unconditioned allow to <c>*</c>).</summary>
    public ValidateResourcePolicyResponse ValidateResourcePolicy(ValidateResourcePolicyRequest request, AccessCheck access)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(access);
        if (request.SecretId is { } secretId)
        {
            store.Execute(s => Authorize(s, secretId, access));
        }
        else
        {
            access.DemandOperation("*");
        }

        var (policy, problem) = ParseResourcePolicy(request.ResourcePolicy);
        var errors = new List<ValidationErrorsEntry>();
        if (policy is null)
        {
            errors.Add(new ValidationErrorsEntry { CheckName = "SYNTAX_CHECK", ErrorMessage = problem });
        }
        else if (IsPublic(policy))
        {
            errors.Add(new ValidationErrorsEntry { CheckName = "PUBLIC_ACCESS_CHECK", ErrorMessage = "The policy grants access to every principal (\"*\") without a condition." });
        }

        return new ValidateResourcePolicyResponse { PolicyValidationPassed = errors.Count == 0, ValidationErrors = errors };
    }

    private static (PolicyDocument? Policy, string? Problem) ParseResourcePolicy(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, "a resource policy is required.");
        }

        try
        {
            var policy = PolicyDocument.Parse(text);
            return policy.Statements.Any(s => s.Principals is null)
                ? (null, "every statement of a resource policy needs a Principal.")
                : (policy, null);
        }
        catch (Exception ex) when (ex is PolicyFormatException or JsonException)
        {
            return (null, ex is JsonException ? "it is not valid JSON." : ex.Message);
        }
    }

    private static bool IsPublic(PolicyDocument policy) =>
        policy.Statements.Any(s => s.Effect == PolicyEffect.Allow && s.Principals!.Contains("*") && s.Conditions.Count == 0);
}

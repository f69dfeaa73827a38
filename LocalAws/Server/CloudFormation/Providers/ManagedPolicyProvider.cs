using System.Text.Json.Nodes;
using Tap.LocalAws.CloudFormation.Engine;
using Tap.LocalAws.CloudFormation.Templates;
using Tap.LocalAws.Iam.Entities;
using Tap.LocalAws.Protocols;
using static Tap.LocalAws.CloudFormation.Providers.IamResources;

namespace Tap.LocalAws.CloudFormation.Providers;

/// <summary>
/// <c>AWS::IAM::ManagedPolicy</c>: a customer managed policy attached to its <c>Roles</c> and <c>Users</c>, through
/// IAM's operations as the stack's principal. <c>Ref</c> is its ARN; <c>Fn::GetAtt</c> gives <c>PolicyArn</c>,
/// <c>PolicyId</c>, <c>DefaultVersionId</c>, <c>CreateDate</c>, <c>UpdateDate</c> and <c>IsAttachable</c>. A new
/// document is a new default version (the oldest other one deleted when there are five); a new name, path or
/// description replaces it.
/// </summary>
internal sealed class ManagedPolicyProvider(IamService iam) : IResourceProvider
{
    public string ResourceType => "AWS::IAM::ManagedPolicy";

    public ResourceSchema Schema { get; } = new(new Dictionary<string, PropertySchema>
    {
        ["ManagedPolicyName"] = PropertySchema.Text() with { CreateOnly = true },
        ["Path"] = PropertySchema.Text() with { CreateOnly = true },
        ["Description"] = PropertySchema.Text() with { CreateOnly = true },
        ["PolicyDocument"] = PropertySchema.Json() with { Required = true },
        ["Roles"] = PropertySchema.ListOf(PropertySchema.Text()),
        ["Users"] = PropertySchema.ListOf(PropertySchema.Text()),
        ["Groups"] = PropertySchema.ListOf(PropertySchema.Text()),
    });

    public IReadOnlyCollection<string> Attributes { get; } = ["PolicyArn", "PolicyId", "DefaultVersionId", "CreateDate", "UpdateDate", "IsAttachable"];

    public Task<ProvisionedResource> CreateAsync(ResourceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Unsupported(request, "Groups");
        var properties = request.Properties;
        var policy = iam.CreatePolicy(Access("CreatePolicy", request), Intrinsics.Text(properties["ManagedPolicyName"]) ?? request.GeneratedName(maxLength: 128),
            Intrinsics.Text(properties["Path"]), Document(properties["PolicyDocument"]), Intrinsics.Text(properties["Description"]));
        try
        {
            Attach(request, policy.Arn, previous: null);
        }
        catch (AwsServiceException)
        {
            Remove(request, policy.Arn, properties);
            throw;
        }

        return Task.FromResult(Made(policy));
    }

    public Task<ProvisionedResource> UpdateAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(current);
        Unsupported(request, "Groups");
        var arn = current.PhysicalId;
        var document = Document(request.Properties["PolicyDocument"]);
        var policy = iam.Policy(Access("GetPolicy", request), arn);
        if (policy.DefaultVersion.Document != document)
        {
            if (policy.Versions.Count >= IamService.MaxPolicyVersions)
            {
                var oldest = policy.Versions.Where(v => v.VersionId != policy.DefaultVersionId).OrderBy(v => v.CreateDate).First();
                iam.DeletePolicyVersion(Access("DeletePolicyVersion", request), arn, oldest.VersionId);
            }

            iam.CreatePolicyVersion(Access("CreatePolicyVersion", request), arn, document, setAsDefault: true);
        }

        Attach(request, arn, current.Properties);
        return Task.FromResult(Made(iam.Policy(Access("GetPolicy", request), arn)));
    }

    public Task DeleteAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(current);
        Remove(request, current.PhysicalId, current.Properties);
        return Task.CompletedTask;
    }

    private void Attach(ResourceRequest request, string arn, JsonObject? previous)
    {
        var (roles, users) = (Names(request.Properties["Roles"]), Names(request.Properties["Users"]));
        if (previous is not null)
        {
            foreach (var role in Names(previous["Roles"]).Except(roles))
            {
                Gone(() => iam.DetachRolePolicy(Access("DetachRolePolicy", request), role, arn));
            }

            foreach (var user in Names(previous["Users"]).Except(users))
            {
                Gone(() => iam.DetachUserPolicy(Access("DetachUserPolicy", request), user, arn));
            }
        }

        foreach (var role in roles)
        {
            iam.AttachRolePolicy(Access("AttachRolePolicy", request), role, arn);
        }

        foreach (var user in users)
        {
            iam.AttachUserPolicy(Access("AttachUserPolicy", request), user, arn);
        }
    }

    /// <summary>Detaches the policy, deletes its other versions, then the policy, as IAM requires.</summary>
    private void Remove(ResourceRequest request, string arn, JsonObject properties)
    {
        foreach (var role in Names(properties["Roles"]))
        {
            Gone(() => iam.DetachRolePolicy(Access("DetachRolePolicy", request), role, arn));
        }

        foreach (var user in Names(properties["Users"]))
        {
            Gone(() => iam.DetachUserPolicy(Access("DetachUserPolicy", request), user, arn));
        }

        Gone(() =>
        {
            var policy = iam.Policy(Access("GetPolicy", request), arn);
            foreach (var version in policy.Versions.Where(v => v.VersionId != policy.DefaultVersionId))
            {
                iam.DeletePolicyVersion(Access("DeletePolicyVersion", request), arn, version.VersionId);
            }

            iam.DeletePolicy(Access("DeletePolicy", request), arn);
        });
    }

    private static ProvisionedResource Made(ManagedPolicy policy) => new(policy.Arn, new Dictionary<string, JsonNode?>
    {
        ["PolicyArn"] = JsonValue.Create(policy.Arn),
        ["PolicyId"] = JsonValue.Create(policy.PolicyId),
        ["DefaultVersionId"] = JsonValue.Create(policy.DefaultVersionId),
        ["CreateDate"] = JsonValue.Create(Tap.Aws.Protocol.AwsTimestamp.ToIso8601(policy.CreateDate)),
        ["UpdateDate"] = JsonValue.Create(Tap.Aws.Protocol.AwsTimestamp.ToIso8601(policy.UpdateDate)),
        ["IsAttachable"] = JsonValue.Create(true),
    });
}

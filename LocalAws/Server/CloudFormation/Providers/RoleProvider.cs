using System.Text.Json.Nodes;
using Tap.LocalAws.CloudFormation.Engine;
using Tap.LocalAws.CloudFormation.Templates;
using Tap.LocalAws.Iam.Entities;
using Tap.LocalAws.Protocols;
using static Tap.LocalAws.CloudFormation.Providers.IamResources;

namespace Tap.LocalAws.CloudFormation.Providers;

/// <summary>
/// <c>AWS::IAM::Role</c>: a real IAM role, assumable under its trust policy and evaluated like a configured one,
/// made through IAM's own operations as the stack's principal: the role, its inline <c>Policies</c> and its
/// <c>ManagedPolicyArns</c>. <c>Ref</c> is its name; <c>Fn::GetAtt</c> gives <c>Arn</c> and <c>RoleId</c>. A new
/// <c>RoleName</c> or <c>Path</c> replaces it.
/// </summary>
internal sealed class RoleProvider(IamService iam) : IResourceProvider
{
    public string ResourceType => "AWS::IAM::Role";

    public ResourceSchema Schema { get; } = new(new Dictionary<string, PropertySchema>
    {
        ["RoleName"] = PropertySchema.Text() with { CreateOnly = true },
        ["Path"] = PropertySchema.Text() with { CreateOnly = true },
        ["AssumeRolePolicyDocument"] = PropertySchema.Json() with { Required = true },
        ["Description"] = PropertySchema.Text(),
        ["MaxSessionDuration"] = PropertySchema.WholeNumber(),
        ["ManagedPolicyArns"] = PropertySchema.ListOf(PropertySchema.Text()),
        ["Policies"] = PropertySchema.ListOf(PropertySchema.MapOf(new Dictionary<string, PropertySchema>
        {
            ["PolicyName"] = PropertySchema.Text() with { Required = true },
            ["PolicyDocument"] = PropertySchema.Json() with { Required = true },
        })),
        ["PermissionsBoundary"] = PropertySchema.Text(),
        ["Tags"] = PropertySchema.Tags(),
    });

    public IReadOnlyCollection<string> Attributes { get; } = ["Arn", "RoleId"];

    public Task<ProvisionedResource> CreateAsync(ResourceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Unsupported(request, "PermissionsBoundary");
        var properties = request.Properties;
        var role = iam.CreateRole(Access("CreateRole", request), Intrinsics.Text(properties["RoleName"]) ?? request.GeneratedName(maxLength: 64),
            Intrinsics.Text(properties["Path"]), Document(properties["AssumeRolePolicyDocument"]), Intrinsics.Text(properties["Description"]),
            (int?)properties["MaxSessionDuration"]?.GetValue<long>(), Tags(properties["Tags"]));
        try
        {
            Converge(request, role.Name);
        }
        catch (AwsServiceException)
        {
            Remove(request, role.Name);
            throw;
        }

        return Task.FromResult(Made(role));
    }

    public Task<ProvisionedResource> UpdateAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(current);
        var properties = request.Properties;
        iam.UpdateAssumeRolePolicy(Access("UpdateAssumeRolePolicy", request), current.PhysicalId, Document(properties["AssumeRolePolicyDocument"]));
        iam.UpdateRole(Access("UpdateRole", request), current.PhysicalId, Intrinsics.Text(properties["Description"]) ?? string.Empty,
            (int?)properties["MaxSessionDuration"]?.GetValue<long>() ?? 3600);
        Converge(request, current.PhysicalId);
        return Task.FromResult(Made(iam.Role(Access("GetRole", request), current.PhysicalId)));
    }

    public Task DeleteAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(current);
        Gone(() => Remove(request, current.PhysicalId));
        return Task.CompletedTask;
    }

    private void Converge(ResourceRequest request, string roleName) => IamResources.Converge(Holder(request, roleName), request.Properties);

    /// <summary>Deletes the role after what IAM requires gone first: its inline policies and attachments.</summary>
    private void Remove(ResourceRequest request, string roleName)
    {
        Strip(Holder(request, roleName));
        iam.DeleteRole(Access("DeleteRole", request), roleName);
    }

    private PolicyHolder Holder(ResourceRequest request, string roleName)
    {
        var role = iam.Role(Access("GetRole", request), roleName);
        return new(role.InlinePolicies, role.AttachedPolicies,
            (name, document) => iam.PutRolePolicy(Access("PutRolePolicy", request), roleName, name, document),
            name => iam.DeleteRolePolicy(Access("DeleteRolePolicy", request), roleName, name),
            arn => iam.AttachRolePolicy(Access("AttachRolePolicy", request), roleName, arn),
            arn => iam.DetachRolePolicy(Access("DetachRolePolicy", request), roleName, arn));
    }

    private static ProvisionedResource Made(IamRole role) =>
        new(role.Name, new Dictionary<string, JsonNode?> { ["Arn"] = JsonValue.Create(role.Arn), ["RoleId"] = JsonValue.Create(role.RoleId) });
}

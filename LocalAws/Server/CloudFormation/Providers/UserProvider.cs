using System.Text.Json.Nodes;
using Tap.LocalAws.CloudFormation.Engine;
using Tap.LocalAws.CloudFormation.Templates;
using Tap.LocalAws.Iam.Entities;
using Tap.LocalAws.Protocols;
using static Tap.LocalAws.CloudFormation.Providers.IamResources;

namespace Tap.LocalAws.CloudFormation.Providers;

/// <summary>
/// <c>AWS::IAM::User</c>: a real IAM user (its access keys sign requests like a configured user's), with its inline
/// <c>Policies</c> and <c>ManagedPolicyArns</c>, made through IAM's operations as the stack's principal. <c>Ref</c>
/// is its name; <c>Fn::GetAtt Arn</c> its ARN. A new <c>UserName</c> or <c>Path</c> replaces it.
/// </summary>
internal sealed class UserProvider(IamService iam) : IResourceProvider
{
    public string ResourceType => "AWS::IAM::User";

    public ResourceSchema Schema { get; } = new(new Dictionary<string, PropertySchema>
    {
        ["UserName"] = PropertySchema.Text() with { CreateOnly = true },
        ["Path"] = PropertySchema.Text() with { CreateOnly = true },
        ["ManagedPolicyArns"] = PropertySchema.ListOf(PropertySchema.Text()),
        ["Policies"] = PropertySchema.ListOf(PropertySchema.MapOf(new Dictionary<string, PropertySchema>
        {
            ["PolicyName"] = PropertySchema.Text() with { Required = true },
            ["PolicyDocument"] = PropertySchema.Json() with { Required = true },
        })),
        ["Groups"] = PropertySchema.ListOf(PropertySchema.Text()),
        ["LoginProfile"] = PropertySchema.Json(),
        ["PermissionsBoundary"] = PropertySchema.Text(),
        ["Tags"] = PropertySchema.Tags(),
    });

    public IReadOnlyCollection<string> Attributes { get; } = ["Arn"];

    public Task<ProvisionedResource> CreateAsync(ResourceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Unsupported(request, "Groups", "LoginProfile", "PermissionsBoundary");
        var user = iam.CreateUser(Access("CreateUser", request), Intrinsics.Text(request.Properties["UserName"]) ?? request.GeneratedName(maxLength: 64),
            Intrinsics.Text(request.Properties["Path"]), Tags(request.Properties["Tags"]));
        try
        {
            Converge(request, user.Name);
        }
        catch (AwsServiceException)
        {
            Remove(request, user.Name);
            throw;
        }

        return Task.FromResult(Made(user));
    }

    public Task<ProvisionedResource> UpdateAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(current);
        Unsupported(request, "Groups", "LoginProfile", "PermissionsBoundary");
        Converge(request, current.PhysicalId);
        return Task.FromResult(Made(iam.User(Access("GetUser", request), current.PhysicalId)));
    }

    public Task DeleteAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(current);
        Gone(() => Remove(request, current.PhysicalId));
        return Task.CompletedTask;
    }

    private void Converge(ResourceRequest request, string userName) => IamResources.Converge(Holder(request, userName), request.Properties);

    /// <summary>Deletes the user after its inline policies and attachments (its keys are the stack's AccessKeys, deleted first).</summary>
    private void Remove(ResourceRequest request, string userName)
    {
        Strip(Holder(request, userName));
        iam.DeleteUser(Access("DeleteUser", request), userName);
    }

    private PolicyHolder Holder(ResourceRequest request, string userName)
    {
        var user = iam.User(Access("GetUser", request), userName);
        return new(user.InlinePolicies, user.AttachedPolicies,
            (name, document) => iam.PutUserPolicy(Access("PutUserPolicy", request), userName, name, document),
            name => iam.DeleteUserPolicy(Access("DeleteUserPolicy", request), userName, name),
            arn => iam.AttachUserPolicy(Access("AttachUserPolicy", request), userName, arn),
            arn => iam.DetachUserPolicy(Access("DetachUserPolicy", request), userName, arn));
    }

    private static ProvisionedResource Made(IamUser user) => new(user.Name, new Dictionary<string, JsonNode?> { ["Arn"] = JsonValue.Create(user.Arn) });
}

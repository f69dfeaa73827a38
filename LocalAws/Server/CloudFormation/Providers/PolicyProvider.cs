using System.Text.Json.Nodes;
using Tap.LocalAws.CloudFormation.Engine;
using Tap.LocalAws.CloudFormation.Templates;
using Tap.LocalAws.Iam.Entities;
using static Tap.LocalAws.CloudFormation.Providers.IamResources;

namespace Tap.LocalAws.CloudFormation.Providers;

/// <summary>
/// <c>AWS::IAM::Policy</c>: an inline policy put on each of its <c>Roles</c> and <c>Users</c> through IAM's
/// PutRolePolicy and PutUserPolicy, as the stack's principal. Its physical id is generated, as CloudFormation's is;
/// an update moves the policy to the roles and users now named.
/// </summary>
internal sealed class PolicyProvider(IamService iam) : IResourceProvider
{
    public string ResourceType => "AWS::IAM::Policy";

    public ResourceSchema Schema { get; } = new(new Dictionary<string, PropertySchema>
    {
        ["PolicyName"] = PropertySchema.Text() with { Required = true },
        ["PolicyDocument"] = PropertySchema.Json() with { Required = true },
        ["Roles"] = PropertySchema.ListOf(PropertySchema.Text()),
        ["Users"] = PropertySchema.ListOf(PropertySchema.Text()),
        ["Groups"] = PropertySchema.ListOf(PropertySchema.Text()),
    });

    public IReadOnlyCollection<string> Attributes { get; } = ["Id"];

    public Task<ProvisionedResource> CreateAsync(ResourceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Unsupported(request, "Groups");
        if (Names(request.Properties["Roles"]).Count + Names(request.Properties["Users"]).Count == 0)
        {
            throw TemplateException.Error("At least one of [Groups,Roles,Users] must be non-empty.");
        }

        Put(request, previous: null);
        var id = request.GeneratedName(maxLength: 32);
        return Task.FromResult(new ProvisionedResource(id, new Dictionary<string, JsonNode?> { ["Id"] = JsonValue.Create(id) }));
    }

    public Task<ProvisionedResource> UpdateAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(current);
        Unsupported(request, "Groups");
        Put(request, current.Properties);
        return Task.FromResult(current with { Properties = [] });
    }

    public Task DeleteAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(current);
        var name = Intrinsics.Text(current.Properties["PolicyName"]) ?? Intrinsics.Text(request.Properties["PolicyName"])!;
        Remove(request, name, Names(current.Properties["Roles"]), Names(current.Properties["Users"]));
        return Task.CompletedTask;
    }

    /// <summary>Puts the policy on every role and user named, and takes it off those a previous version named and this one does not.</summary>
    private void Put(ResourceRequest request, JsonObject? previous)
    {
        var name = Intrinsics.Text(request.Properties["PolicyName"])!;
        var document = Document(request.Properties["PolicyDocument"]);
        var (roles, users) = (Names(request.Properties["Roles"]), Names(request.Properties["Users"]));
        if (previous is not null)
        {
            var oldName = Intrinsics.Text(previous["PolicyName"]) ?? name;
            Remove(request, oldName, [.. Names(previous["Roles"]).Where(r => oldName != name || !roles.Contains(r))],
                [.. Names(previous["Users"]).Where(u => oldName != name || !users.Contains(u))]);
        }

        foreach (var role in roles)
        {
            iam.PutRolePolicy(Access("PutRolePolicy", request), role, name, document);
        }

        foreach (var user in users)
        {
            iam.PutUserPolicy(Access("PutUserPolicy", request), user, name, document);
        }
    }

    private void Remove(ResourceRequest request, string name, List<string> roles, List<string> users)
    {
        foreach (var role in roles)
        {
            Gone(() => iam.DeleteRolePolicy(Access("DeleteRolePolicy", request), role, name));
        }

        foreach (var user in users)
        {
            Gone(() => iam.DeleteUserPolicy(Access("DeleteUserPolicy", request), user, name));
        }
    }
}

using System.Text.Json.Nodes;
using Tap.LocalAws.CloudFormation.Engine;
using Tap.LocalAws.CloudFormation.Templates;
using Tap.LocalAws.Iam.Entities;
using static Tap.LocalAws.CloudFormation.Providers.IamResources;

namespace Tap.LocalAws.CloudFormation.Providers;

/// <summary>
/// <c>AWS::IAM::AccessKey</c>: a user's access key, through IAM's CreateAccessKey as the stack's principal.
/// <c>Ref</c> is the key id; the secret is only the <c>SecretAccessKey</c> attribute, as in CloudFormation (never
/// in an event or a describe). <c>Status</c> updates in place; a new <c>UserName</c> or <c>Serial</c> replaces it.
/// </summary>
internal sealed class AccessKeyProvider(IamService iam) : IResourceProvider
{
    public string ResourceType => "AWS::IAM::AccessKey";

    public ResourceSchema Schema { get; } = new(new Dictionary<string, PropertySchema>
    {
        ["UserName"] = PropertySchema.Text() with { Required = true, CreateOnly = true },
        ["Serial"] = PropertySchema.WholeNumber() with { CreateOnly = true },
        ["Status"] = PropertySchema.Text(),
    });

    public IReadOnlyCollection<string> Attributes { get; } = ["SecretAccessKey"];

    public Task<ProvisionedResource> CreateAsync(ResourceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var user = Intrinsics.Text(request.Properties["UserName"])!;
        var key = iam.CreateAccessKey(Access("CreateAccessKey", request), user);
        if (Intrinsics.Text(request.Properties["Status"]) is "Inactive")
        {
            iam.UpdateAccessKey(Access("UpdateAccessKey", request), user, key.AccessKeyId, "Inactive");
        }

        return Task.FromResult(new ProvisionedResource(key.AccessKeyId, new Dictionary<string, JsonNode?> { ["SecretAccessKey"] = JsonValue.Create(key.SecretAccessKey) }));
    }

    public Task<ProvisionedResource> UpdateAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(current);
        iam.UpdateAccessKey(Access("UpdateAccessKey", request), Intrinsics.Text(request.Properties["UserName"])!, current.PhysicalId,
            Intrinsics.Text(request.Properties["Status"]) ?? "Active");
        return Task.FromResult(current with { Properties = [] });
    }

    public Task DeleteAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(current);
        var user = Intrinsics.Text(current.Properties["UserName"]) ?? Intrinsics.Text(request.Properties["UserName"])!;
        Gone(() => iam.DeleteAccessKey(Access("DeleteAccessKey", request), user, current.PhysicalId));
        return Task.CompletedTask;
    }
}

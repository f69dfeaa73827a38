using System.Text.Json.Nodes;
using Tap.LocalAws.CloudFormation.Engine;
using Tap.LocalAws.CloudFormation.Templates;
using Tap.LocalAws.CloudWatch;
using Tap.LocalAws.Protocols;
using Tap.LocalAws.Settings;

namespace Tap.LocalAws.CloudFormation.Providers;

/// <summary>
/// <c>AWS::CloudWatch::Dashboard</c>: a real dashboard, made through CloudWatch's <c>PutDashboard</c> as the stack's
/// principal, which checks its body as CloudWatch does. <c>Ref</c> is its name. A new <c>DashboardName</c> replaces
/// it; a new body updates it in place.
/// </summary>
internal sealed class DashboardProvider(CloudWatchService cloudWatch, LocalAwsSettings settings) : IResourceProvider
{
    public string ResourceType => "AWS::CloudWatch::Dashboard";

    public ResourceSchema Schema { get; } = new(new Dictionary<string, PropertySchema>
    {
        ["DashboardName"] = PropertySchema.Text() with { CreateOnly = true },
        ["DashboardBody"] = PropertySchema.Text() with { Required = true },
    });

    public IReadOnlyCollection<string> Attributes { get; } = [];

    public Task<ProvisionedResource> CreateAsync(ResourceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = Intrinsics.Text(request.Properties["DashboardName"]) ?? request.GeneratedName(maxLength: 255);
        Put(request, name);
        return Task.FromResult(new ProvisionedResource(name, new Dictionary<string, JsonNode?>()));
    }

    public Task<ProvisionedResource> UpdateAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(current);
        Put(request, current.PhysicalId);
        return Task.FromResult(current);
    }

    public Task DeleteAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(current);
        try
        {
            CloudWatchApi.Invoke(cloudWatch, "DeleteDashboards", request.Principal, settings.Region, new JsonObject { ["DashboardNames"] = new JsonArray(current.PhysicalId) });
        }
        catch (AwsServiceException ex) when (ex.Error.Code == "ResourceNotFound")
        {
            // Gone already: deleting it succeeds, as CloudFormation's handlers treat it.
        }

        return Task.CompletedTask;
    }

    private void Put(ResourceRequest request, string name) =>
        CloudWatchApi.Invoke(cloudWatch, "PutDashboard", request.Principal, settings.Region, new JsonObject
        {
            ["DashboardName"] = name,
            ["DashboardBody"] = Intrinsics.Text(request.Properties["DashboardBody"]),
        });
}

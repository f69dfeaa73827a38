using System.Text.Json.Nodes;
using Tap.LocalAws.CloudFormation.Engine;
using Tap.LocalAws.CloudFormation.Templates;
using Tap.LocalAws.Protocols;
using Tap.LocalAws.Settings;
using Tap.LocalAws.Sns;

namespace Tap.LocalAws.CloudFormation.Providers;

/// <summary>
/// <c>AWS::SNS::Subscription</c>: a real subscription to an SNS topic, made through SNS's <c>Subscribe</c> as the
/// stack's principal. <c>Ref</c> is its ARN (CloudFormation asks for it even while an e-mail endpoint has not
/// confirmed). Its endpoint, protocol and topic are its identity: a change to one replaces it. The delivery settings
/// (filter policies, raw delivery, redrive) concern messages, which LocalAws does not deliver, and are refused.
/// </summary>
internal sealed class SubscriptionProvider(SnsService sns, LocalAwsSettings settings) : IResourceProvider
{
    private static readonly string[] DeliverySettings =
        ["FilterPolicy", "FilterPolicyScope", "RawMessageDelivery", "DeliveryPolicy", "RedrivePolicy", "SubscriptionRoleArn", "ReplayPolicy"];

    public string ResourceType => "AWS::SNS::Subscription";

    public ResourceSchema Schema { get; } = new(new Dictionary<string, PropertySchema>
    {
        ["TopicArn"] = PropertySchema.Text() with { Required = true, CreateOnly = true },
        ["Protocol"] = PropertySchema.Text() with { Required = true, CreateOnly = true },
        ["Endpoint"] = PropertySchema.Text() with { CreateOnly = true },
        ["Region"] = PropertySchema.Text() with { CreateOnly = true },
        ["FilterPolicy"] = PropertySchema.Json(),
        ["FilterPolicyScope"] = PropertySchema.Text(),
        ["RawMessageDelivery"] = PropertySchema.Boolean(),
        ["DeliveryPolicy"] = PropertySchema.Json(),
        ["RedrivePolicy"] = PropertySchema.Json(),
        ["SubscriptionRoleArn"] = PropertySchema.Text(),
        ["ReplayPolicy"] = PropertySchema.Json(),
    });

    public IReadOnlyCollection<string> Attributes { get; } = [];

    public Task<ProvisionedResource> CreateAsync(ResourceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Refuse(request);
        var properties = request.Properties;
        if (Intrinsics.Text(properties["Region"]) is { } region && region != settings.Region)
        {
            throw TemplateException.Error($"Region {region}: LocalAws serves one region, {settings.Region}.");
        }

        var arn = sns.Subscribe(SnsApi.ActingFor("Subscribe", request.Principal, settings.Region),
            Intrinsics.Text(properties["TopicArn"])!, Intrinsics.Text(properties["Protocol"])!, Intrinsics.Text(properties["Endpoint"]), returnArn: true);
        return Task.FromResult(new ProvisionedResource(arn, new Dictionary<string, JsonNode?>()));
    }

    public Task<ProvisionedResource> UpdateAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(current);
        Refuse(request);
        return Task.FromResult(current);
    }

    public Task DeleteAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(current);
        try
        {
            sns.Unsubscribe(SnsApi.ActingFor("Unsubscribe", request.Principal, settings.Region), current.PhysicalId);
        }
        catch (AwsServiceException ex) when (ex.Error.Code == "NotFound")
        {
            // Gone already (its topic deleted with it): deleting it succeeds, as CloudFormation's handlers treat it.
        }

        return Task.CompletedTask;
    }

    private static void Refuse(ResourceRequest request)
    {
        if (DeliverySettings.FirstOrDefault(p => request.Properties[p] is not null) is { } setting)
        {
            throw TemplateException.Error($"{setting} is not served by LocalAws's SNS: it publishes and delivers no messages.");
        }
    }
}

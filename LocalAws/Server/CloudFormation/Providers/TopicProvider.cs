using System.Text.Json.Nodes;
using Tap.LocalAws.CloudFormation.Engine;
using Tap.LocalAws.CloudFormation.Templates;
using Tap.LocalAws.Protocols;
using Tap.LocalAws.Settings;
using Tap.LocalAws.Sns;

namespace Tap.LocalAws.CloudFormation.Providers;

/// <summary>
/// <c>AWS::SNS::Topic</c>: a real SNS topic, made through SNS's own operations as the stack's principal, with its
/// attributes, tags and inline <c>Subscription</c> list. <c>Ref</c> is its ARN; <c>Fn::GetAtt</c> gives
/// <c>TopicArn</c> and <c>TopicName</c>. A new <c>TopicName</c> or <c>FifoTopic</c> replaces it; the attributes and
/// subscriptions update in place.
/// </summary>
internal sealed class TopicProvider(SnsService sns, LocalAwsSettings settings) : IResourceProvider
{
    /// <summary>The template's properties that are topic attributes of the same name.</summary>
    private static readonly string[] AttributeProperties = ["DisplayName", "KmsMasterKeyId", "ContentBasedDeduplication", "SignatureVersion", "TracingConfig", "FifoThroughputScope"];

    public string ResourceType => "AWS::SNS::Topic";

    public ResourceSchema Schema { get; } = new(new Dictionary<string, PropertySchema>
    {
        ["TopicName"] = PropertySchema.Text() with { CreateOnly = true },
        ["FifoTopic"] = PropertySchema.Boolean() with { CreateOnly = true },
        ["DisplayName"] = PropertySchema.Text(),
        ["KmsMasterKeyId"] = PropertySchema.Text(),
        ["ContentBasedDeduplication"] = PropertySchema.Boolean(),
        ["SignatureVersion"] = PropertySchema.Text(),
        ["TracingConfig"] = PropertySchema.Text(),
        ["FifoThroughputScope"] = PropertySchema.Text(),
        ["ArchivePolicy"] = PropertySchema.Json(),
        ["DataProtectionPolicy"] = PropertySchema.Json(),
        ["DeliveryStatusLogging"] = PropertySchema.Json(),
        ["Subscription"] = PropertySchema.ListOf(PropertySchema.MapOf(new Dictionary<string, PropertySchema>
        {
            ["Endpoint"] = PropertySchema.Text() with { Required = true },
            ["Protocol"] = PropertySchema.Text() with { Required = true },
        })),
        ["Tags"] = PropertySchema.Tags(),
    });

    public IReadOnlyCollection<string> Attributes { get; } = ["TopicArn", "TopicName"];

    public Task<ProvisionedResource> CreateAsync(ResourceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var properties = request.Properties;
        Unsupported(request);
        var fifo = properties["FifoTopic"]?.GetValue<bool>() == true;
        var name = Intrinsics.Text(properties["TopicName"]) ?? request.GeneratedName(maxLength: fifo ? 251 : 256) + (fifo ? ".fifo" : string.Empty);
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (fifo)
        {
            attributes["FifoTopic"] = "true";
        }

        foreach (var (key, value) in Declared(properties))
        {
            attributes[key] = value;
        }

        var tags = (properties["Tags"] as JsonArray ?? []).OfType<JsonObject>()
            .ToDictionary(t => Intrinsics.Text(t["Key"]) ?? string.Empty, t => Intrinsics.Text(t["Value"]) ?? string.Empty, StringComparer.Ordinal);
        var topic = sns.CreateTopic(Access("CreateTopic", request), name, attributes, tags);
        try
        {
            Subscribe(request, topic.Arn, previous: null);
        }
        catch (AwsServiceException)
        {
            // The topic was made: remove it, so the failed create leaves nothing behind.
            sns.DeleteTopic(Access("DeleteTopic", request), topic.Arn);
            throw;
        }

        return Task.FromResult(Made(topic.Arn, name));
    }

    public Task<ProvisionedResource> UpdateAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(current);
        Unsupported(request);
        var (declared, previous) = (Declared(request.Properties), Declared(current.Properties));
        foreach (var property in AttributeProperties.Append("ArchivePolicy"))
        {
            var value = declared.GetValueOrDefault(property) ?? string.Empty;
            if (value != (previous.GetValueOrDefault(property) ?? string.Empty))
            {
                sns.SetTopicAttribute(Access("SetTopicAttributes", request), current.PhysicalId, property, value);
            }
        }

        Subscribe(request, current.PhysicalId, current);
        return Task.FromResult(Made(current.PhysicalId, Intrinsics.Text(current.Attributes["TopicName"])!));
    }

    public Task DeleteAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(current);
        sns.DeleteTopic(Access("DeleteTopic", request), current.PhysicalId);
        return Task.CompletedTask;
    }

    /// <summary>Data protection and delivery-status logging act on published messages, which LocalAws does not deliver.</summary>
    private static void Unsupported(ResourceRequest request)
    {
        foreach (var property in (string[])["DataProtectionPolicy", "DeliveryStatusLogging"])
        {
            if (request.Properties[property] is not null)
            {
                throw TemplateException.Error($"{property} is not served by LocalAws's SNS: it publishes and delivers no messages.");
            }
        }
    }

    /// <summary>The declared topic attributes, as SNS's attribute values.</summary>
    private static Dictionary<string, string> Declared(JsonObject properties)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in AttributeProperties)
        {
            if (properties[property] is JsonValue value)
            {
                attributes[property] = value.TryGetValue<bool>(out var flag) ? (flag ? "true" : "false") : Intrinsics.Text(value) ?? string.Empty;
            }
        }

        if (properties["ArchivePolicy"] is JsonObject archive)
        {
            attributes["ArchivePolicy"] = archive.ToJsonString();
        }

        return attributes;
    }

    /// <summary>Subscribes what <c>Subscription</c> declares; on an update, unsubscribes what it no longer does.</summary>
    private void Subscribe(ResourceRequest request, string topicArn, ProvisionedResource? previous)
    {
        var wanted = Subscriptions(request.Properties);
        foreach (var (protocol, endpoint) in wanted)
        {
            sns.Subscribe(Access("Subscribe", request), topicArn, protocol, endpoint, returnArn: true);
        }

        if (previous is null || sns.Find(topicArn) is not { } topic)
        {
            return;
        }

        var dropped = Subscriptions(previous.Properties).Except(wanted);
        foreach (var subscription in topic.Subscriptions.Where(s => dropped.Contains((s.Protocol, s.Endpoint))))
        {
            sns.Unsubscribe(Access("Unsubscribe", request), subscription.Arn);
        }
    }

    private static List<(string Protocol, string Endpoint)> Subscriptions(JsonObject properties) =>
        [.. (properties["Subscription"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(s => (Intrinsics.Text(s["Protocol"]) ?? string.Empty, Intrinsics.Text(s["Endpoint"]) ?? string.Empty))];

    private Iam.AccessCheck Access(string operation, ResourceRequest request) => SnsApi.ActingFor(operation, request.Principal, settings.Region);

    private static ProvisionedResource Made(string arn, string name) => new(arn, new Dictionary<string, JsonNode?>
    {
        ["TopicArn"] = JsonValue.Create(arn),
        ["TopicName"] = JsonValue.Create(name),
    });
}

using System.Xml;
using Tap.Aws.Errors;
using Tap.Aws.Protocol;
using Tap.LocalAws.Iam;
using Tap.LocalAws.Protocols;
using Tap.LocalAws.Services;

namespace Tap.LocalAws.Sns;

/// <summary>
/// Amazon SNS over the Query protocol (<c>Version=2010-03-31</c>), signing name <c>sns</c>: topics, their
/// attributes and subscriptions, each operation demanding its <c>sns:</c> action on the topic's ARN. It shares
/// <c>POST /</c> with STS and takes the requests signed for it.
/// </summary>
internal sealed class SnsApi(SnsService sns) : IAwsServiceApi
{
    private const string ApiVersion = "2010-03-31";

    private static readonly Dictionary<string, AwsOperation> OperationsByName = new[]
    {
        "CreateTopic", "DeleteTopic", "GetTopicAttributes", "SetTopicAttributes", "ListTopics", "Subscribe", "Unsubscribe", "ListSubscriptionsByTopic",
    }.ToDictionary(name => name, name => new AwsOperation(name, "sns:" + name, "arn:aws:sns:{region}:{account}:*"), StringComparer.Ordinal);

    public AwsServiceMetadata Metadata => AwsServiceMetadata.Sns;

    public IReadOnlyList<string> RoutePatterns { get; } = ["/"];

    public bool StreamsBody => false;

    public IReadOnlyList<AwsOperation> Operations { get; } = [.. OperationsByName.Values];

    public int MaxRequestBytes => RequestBody.DefaultMaxBytes;

    public AwsError RequestTooLarge => RequestBody.TooLarge(AwsProtocol.Query);

    /// <summary>The access check of <paramref name="operation"/> by <paramref name="caller"/>, for another LocalAws service acting for a caller.</summary>
    public static AccessCheck ActingFor(string operation, CallerIdentity caller, string region) =>
        new(caller, OperationsByName[operation], region, secureTransport: true, AwsProtocol.Query, AwsServiceMetadata.Sns.AccessDeniedCode);

    public bool Accepts(HttpRequest request) => QueryRouting.AcceptsSignedFor(Metadata, request);

    public AwsOperationRoute Route(HttpRequest request, byte[] body) => QueryRouting.Route(request, body, Operations);

    public Task HandleAsync(AwsCall request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (p, access, name) = (request.Parameters, request.Access, QueryRouting.ServedOperation(request, ApiVersion));

        string Required(string member) => p.TryGetValue(member, out var value) && value.Length > 0
            ? value
            : throw SnsService.InvalidParameter($"Invalid parameter: {member}");
        Action<XmlWriter> result = name switch
        {
            "CreateTopic" => TopicArn(sns.CreateTopic(access, Required("Name"), QueryMembers.Map(p, "Attributes"), Tags(p)).Arn),
            "DeleteTopic" => QueryProtocol.Done(() => sns.DeleteTopic(access, Required("TopicArn"))),
            "GetTopicAttributes" => Attributes(sns.GetTopicAttributes(access, Required("TopicArn"))),
            "SetTopicAttributes" => QueryProtocol.Done(() => sns.SetTopicAttribute(access, Required("TopicArn"), Required("AttributeName"), p.GetValueOrDefault("AttributeValue") ?? string.Empty)),
            "ListTopics" => Topics(sns.ListTopics(access, p.GetValueOrDefault("NextToken"))),
            "Subscribe" => xml => xml.WriteElementString("SubscriptionArn",
                sns.Subscribe(access, Required("TopicArn"), Required("Protocol"), p.GetValueOrDefault("Endpoint"), p.GetValueOrDefault("ReturnSubscriptionArn") == "true")),
            "Unsubscribe" => QueryProtocol.Done(() => sns.Unsubscribe(access, Required("SubscriptionArn"))),
            "ListSubscriptionsByTopic" => Subscriptions(Required("TopicArn"), sns.ListSubscriptionsByTopic(access, Required("TopicArn"), p.GetValueOrDefault("NextToken"))),
            _ => throw AwsServiceException.Query(400, "InvalidAction", $"Could not find operation {name} for version {ApiVersion}"),
        };
        return QueryProtocol.WriteAsync(request.Context.Response, Metadata, name, request.RequestId, result);
    }

    private static Dictionary<string, string> Tags(IReadOnlyDictionary<string, string> parameters) =>
        QueryMembers.Structures(parameters, "Tags").ToDictionary(t => t.GetValueOrDefault("Key") ?? string.Empty, t => t.GetValueOrDefault("Value") ?? string.Empty, StringComparer.Ordinal);

    private static Action<XmlWriter> TopicArn(string arn) => xml => xml.WriteElementString("TopicArn", arn);

    private static Action<XmlWriter> Attributes(IReadOnlyList<KeyValuePair<string, string>> attributes) => xml => QueryProtocol.WriteMap(xml, "Attributes", attributes);

    private static Action<XmlWriter> Topics((IReadOnlyList<SnsTopic> Topics, string? NextToken) page) => xml =>
    {
        xml.WriteStartElement("Topics");
        foreach (var topic in page.Topics)
        {
            xml.WriteStartElement("member");
            xml.WriteElementString("TopicArn", topic.Arn);
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
        if (page.NextToken is { } token)
        {
            xml.WriteElementString("NextToken", token);
        }
    };

    private Action<XmlWriter> Subscriptions(string topicArn, (IReadOnlyList<SnsSubscription> Subscriptions, string? NextToken) page) => xml =>
    {
        xml.WriteStartElement("Subscriptions");
        foreach (var subscription in page.Subscriptions)
        {
            xml.WriteStartElement("member");
            xml.WriteElementString("TopicArn", topicArn);
            xml.WriteElementString("Protocol", subscription.Protocol);
            xml.WriteElementString("SubscriptionArn", subscription.Confirmed ? subscription.Arn : "PendingConfirmation");
            xml.WriteElementString("Owner", sns.AccountId);
            xml.WriteElementString("Endpoint", subscription.Endpoint);
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
        if (page.NextToken is { } token)
        {
            xml.WriteElementString("NextToken", token);
        }
    };
}

using System.Text.Json;
using System.Text.RegularExpressions;
using Tap.LocalAws.Iam;
using Tap.LocalAws.Protocols;
using Tap.LocalAws.Settings;
using Tap.LocalAws.Storage;

namespace Tap.LocalAws.Sns;

/// <summary>
/// SNS's topics and subscriptions, with SNS's validation, errors and <c>sns:</c> actions on the topic's ARN. Durable
/// with a data directory, one file per topic (its subscriptions inside) in <c>sns/</c>. Nothing is published or
/// delivered: a topic is where a stack's alarms notify, and a subscription that must confirm stays pending.
/// </summary>
internal sealed partial class SnsService(LocalAwsSettings settings, ILogger<SnsService> logger) : IDisposable
{
    public const int PageSize = 100;

    /// <summary>The attributes CreateTopic and SetTopicAttributes take.</summary>
    private static readonly string[] Settable =
        ["DisplayName", "Policy", "DeliveryPolicy", "KmsMasterKeyId", "FifoTopic", "ContentBasedDeduplication", "SignatureVersion", "TracingConfig", "ArchivePolicy", "FifoThroughputScope"];

    private static readonly string[] CreateOnly = ["FifoTopic"];

    private static readonly string[] Protocols = ["http", "https", "email", "email-json", "sms", "sqs", "application", "lambda", "firehose"];

    /// <summary>Endpoints SNS hands a confirmation to before the subscription takes effect.</summary>
    private static readonly string[] Confirming = ["http", "https", "email", "email-json"];

    private readonly RecordStore<SnsTopic> _topics = new(settings.DataDirectory, "sns", ".topic", format: 1, t => t.Name, _ => null, logger);

    public string AccountId => settings.AccountId;

    public string Arn(string name) => $"arn:aws:sns:{settings.Region}:{settings.AccountId}:{name}";

    public SnsTopic? Find(string topicArn) => NameOf(topicArn) is { } name ? _topics.Find(name) : null;

    /// <summary>Creates the topic, or returns the one of that name when its attributes and tags are the same (SNS's idempotence).</summary>
    public SnsTopic CreateTopic(AccessCheck access, string name, IReadOnlyDictionary<string, string> attributes, IReadOnlyDictionary<string, string> tags)
    {
        ArgumentNullException.ThrowIfNull(access);
        var fifo = attributes.GetValueOrDefault("FifoTopic") == "true";
        if (!TopicName().IsMatch(name) || name.EndsWith(".fifo", StringComparison.Ordinal) != fifo)
        {
            throw InvalidParameter(fifo || name.EndsWith(".fifo", StringComparison.Ordinal)
                ? "Invalid parameter: Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long."
                : "Invalid parameter: Topic Name");
        }

        Validate(attributes);
        access.DemandOperation(Arn(name));
        if (tags.Count > 0)
        {
            access.Demand("sns:TagResource", Arn(name));
        }

        return _topics.Change(name, current =>
        {
            if (current is not null)
            {
                if (attributes.Any(a => current.Attributes.GetValueOrDefault(a.Key) != a.Value))
                {
                    throw InvalidParameter("Invalid parameter: Attributes Reason: Topic already exists with different attributes");
                }

                if (tags.Count > 0 && !tags.OrderBy(t => t.Key, StringComparer.Ordinal).SequenceEqual(current.Tags.OrderBy(t => t.Key, StringComparer.Ordinal)))
                {
                    throw InvalidParameter("Invalid parameter: Tags Reason: Topic already exists with different tags");
                }

                return (current, current);
            }

            var topic = new SnsTopic(name, Arn(name), new Dictionary<string, string>(attributes, StringComparer.Ordinal), new Dictionary<string, string>(tags, StringComparer.Ordinal), []);
            return (topic, topic);
        });
    }

    /// <summary>Deletes the topic and its subscriptions; deleting a topic that does not exist succeeds, as in SNS.</summary>
    public void DeleteTopic(AccessCheck access, string topicArn)
    {
        ArgumentNullException.ThrowIfNull(access);
        access.DemandOperation(topicArn);
        if (NameOf(topicArn) is { } name)
        {
            _topics.Change<bool>(name, _ => (null, true));
        }
    }

    /// <summary>The topic's attributes as GetTopicAttributes gives them: what was set, and SNS's own.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> GetTopicAttributes(AccessCheck access, string topicArn)
    {
        ArgumentNullException.ThrowIfNull(access);
        access.DemandOperation(topicArn);
        var topic = Existing(topicArn);
        var attributes = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["TopicArn"] = topic.Arn,
            ["Owner"] = settings.AccountId,
            ["DisplayName"] = string.Empty,
            ["Policy"] = DefaultPolicy(topic.Arn),
            ["EffectiveDeliveryPolicy"] = """{"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":20,"maxDelayTarget":20,"numRetries":3,"numMaxDelayRetries":0,"numNoDelayRetries":0,"numMinDelayRetries":0,"backoffFunction":"linear"},"disableSubscriptionOverrides":false,"defaultRequestPolicy":{"headerContentType":"text/plain; charset=UTF-8"}}}""",
            ["SubscriptionsConfirmed"] = Count(topic.Subscriptions.Count(s => s.Confirmed)),
            ["SubscriptionsPending"] = Count(topic.Subscriptions.Count(s => !s.Confirmed)),
            ["SubscriptionsDeleted"] = "0",
        };
        foreach (var (key, value) in topic.Attributes)
        {
            attributes[key] = value;
        }

        return [.. attributes];
    }

    public void SetTopicAttribute(AccessCheck access, string topicArn, string name, string value)
    {
        ArgumentNullException.ThrowIfNull(access);
        Validate(new Dictionary<string, string>(StringComparer.Ordinal) { [name] = value });
        if (CreateOnly.Contains(name, StringComparer.Ordinal))
        {
            throw InvalidParameter($"Invalid parameter: AttributeName Reason: {name} cannot be changed once the topic exists");
        }

        access.DemandOperation(topicArn);
        Change(topicArn, topic =>
        {
            var attributes = new Dictionary<string, string>(topic.Attributes, StringComparer.Ordinal);
            if (value.Length == 0)
            {
                attributes.Remove(name);
            }
            else
            {
                attributes[name] = value;
            }

            return topic with { Attributes = attributes };
        });
    }

    /// <summary>One page of the account's topics in this region, by name, and the token of the next.</summary>
    public (IReadOnlyList<SnsTopic> Topics, string? NextToken) ListTopics(AccessCheck access, string? nextToken)
    {
        ArgumentNullException.ThrowIfNull(access);
        access.DemandOperation(Arn("*"));
        var all = _topics.All().OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
        var start = Offset(nextToken, all.Count);
        var page = all.Skip(start).Take(PageSize).ToList();
        return (page, start + page.Count < all.Count ? PageToken.Encode(start + page.Count) : null);
    }

    /// <summary>
    /// Subscribes the endpoint (the same protocol and endpoint again gives the same subscription). Endpoints that
    /// must confirm stay pending, and their ARN is <c>pending confirmation</c> unless <paramref name="returnArn"/>.
    /// </summary>
    public string Subscribe(AccessCheck access, string topicArn, string protocol, string? endpoint, bool returnArn)
    {
        ArgumentNullException.ThrowIfNull(access);
        if (!Protocols.Contains(protocol, StringComparer.Ordinal))
        {
            throw InvalidParameter($"Invalid parameter: Amazon SNS does not support this protocol string: {protocol}");
        }

        endpoint = ValidEndpoint(protocol, endpoint);
        access.DemandOperation(topicArn);
        var subscription = Change(topicArn, topic =>
        {
            if (topic.Subscriptions.Any(s => s.Protocol == protocol && s.Endpoint == endpoint))
            {
                return topic;
            }

            var added = new SnsSubscription($"{topic.Arn}:{Guid.NewGuid()}", protocol, endpoint, Confirmed: !Confirming.Contains(protocol, StringComparer.Ordinal));
            return topic with { Subscriptions = [.. topic.Subscriptions, added] };
        }).Subscriptions.Single(s => s.Protocol == protocol && s.Endpoint == endpoint);
        return subscription.Confirmed || returnArn ? subscription.Arn : "pending confirmation";
    }

    public void Unsubscribe(AccessCheck access, string subscriptionArn)
    {
        ArgumentNullException.ThrowIfNull(access);
        var topicArn = subscriptionArn.LastIndexOf(':') is var colon and > 0 ? subscriptionArn[..colon] : subscriptionArn;
        access.DemandOperation(topicArn);
        if (Find(topicArn)?.Subscriptions.Any(s => s.Arn == subscriptionArn) != true)
        {
            throw NotFound("Subscription does not exist");
        }

        Change(topicArn, topic => topic with { Subscriptions = [.. topic.Subscriptions.Where(s => s.Arn != subscriptionArn)] });
    }

    public (IReadOnlyList<SnsSubscription> Subscriptions, string? NextToken) ListSubscriptionsByTopic(AccessCheck access, string topicArn, string? nextToken)
    {
        ArgumentNullException.ThrowIfNull(access);
        access.DemandOperation(topicArn);
        var all = Existing(topicArn).Subscriptions;
        var start = Offset(nextToken, all.Count);
        var page = all.Skip(start).Take(PageSize).ToList();
        return (page, start + page.Count < all.Count ? PageToken.Encode(start + page.Count) : null);
    }

    public void Dispose() => _topics.Dispose();

    /// <summary>An SNS error in the Query protocol's shape.</summary>
    public static AwsServiceException InvalidParameter(string message) => AwsServiceException.Query(400, "InvalidParameter", message);

    public static AwsServiceException NotFound(string message) => AwsServiceException.Query(404, "NotFound", message);

    private SnsTopic Existing(string topicArn) => Find(topicArn) ?? throw NotFound("Topic does not exist");

    private SnsTopic Change(string topicArn, Func<SnsTopic, SnsTopic> change) =>
        _topics.Change(NameOf(topicArn) ?? throw NotFound("Topic does not exist"), current =>
        {
            var next = change(current ?? throw NotFound("Topic does not exist"));
            return (next, next);
        });

    private string? NameOf(string topicArn)
    {
        var prefix = Arn(string.Empty);
        return topicArn.StartsWith(prefix, StringComparison.Ordinal) && topicArn.Length > prefix.Length && !topicArn.AsSpan(prefix.Length).Contains(':')
            ? topicArn[prefix.Length..]
            : null;
    }

    private static void Validate(IReadOnlyDictionary<string, string> attributes)
    {
        foreach (var (name, value) in attributes)
        {
            if (!Settable.Contains(name, StringComparer.Ordinal))
            {
                throw InvalidParameter($"Invalid parameter: AttributeName Reason: Unknown attribute {name}");
            }

            if (name is "FifoTopic" or "ContentBasedDeduplication" && value is not ("true" or "false"))
            {
                throw InvalidParameter($"Invalid parameter: Attributes Reason: {name} must be true or false");
            }

            if (name is "Policy" or "DeliveryPolicy" or "ArchivePolicy" && value.Length > 0 && JsonProtocol.RootKind(value) != JsonValueKind.Object)
            {
                throw InvalidParameter($"Invalid parameter: Attributes Reason: {name}: the value is not a JSON object");
            }
        }
    }

    private static string ValidEndpoint(string protocol, string? endpoint)
    {
        var valid = protocol switch
        {
            "email" or "email-json" => endpoint is not null && EmailAddress().IsMatch(endpoint),
            "http" => endpoint?.StartsWith("http://", StringComparison.OrdinalIgnoreCase) == true,
            "https" => endpoint?.StartsWith("https://", StringComparison.OrdinalIgnoreCase) == true,
            "sqs" or "lambda" or "firehose" or "application" => endpoint?.StartsWith("arn:", StringComparison.Ordinal) == true,
            _ => !string.IsNullOrEmpty(endpoint),
        };
        return valid ? endpoint! : throw InvalidParameter(protocol.StartsWith("email", StringComparison.Ordinal)
            ? "Invalid parameter: Email address"
            : $"Invalid parameter: Endpoint Reason: not a valid {protocol} endpoint");
    }

    private static int Offset(string? token, int count) =>
        PageToken.TryDecode(token, count) ?? throw InvalidParameter("Invalid parameter: NextToken");

    private string DefaultPolicy(string topicArn) =>
        $$$$"""{"Version":"2008-10-17","Id":"__default_policy_ID","Statement":[{"Sid":"__default_statement_ID","Effect":"Allow","Principal":{"AWS":"*"},"Action":["SNS:GetTopicAttributes","SNS:SetTopicAttributes","SNS:AddPermission","SNS:RemovePermission","SNS:DeleteTopic","SNS:Subscribe","SNS:ListSubscriptionsByTopic","SNS:Publish"],"Resource":"{{{{topicArn}}}}","Condition":{"StringEquals":{"AWS:SourceOwner":"{{{{settings.AccountId}}}}"}}}]}""";

    private static string Count(int n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,251}(\.fifo)?$|^[A-Za-z0-9_-]{1,256}$")]
    private static partial Regex TopicName();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailAddress();
}

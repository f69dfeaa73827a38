using System.Net;
using System.Xml.Linq;

namespace Tap.LocalAws.Tests.Sns;

/// <summary>
/// SNS's topic and subscription operations over the Query protocol, called as signed forms: SNS's idempotent
/// CreateTopic, its attributes, subscriptions that confirm and those that wait, its errors and its IAM actions.
/// </summary>
public sealed class SnsApiTests(LocalAwsFactory factory) : IClassFixture<LocalAwsFactory>
{
    private static readonly XNamespace Sns = "http://sns.amazonaws.com/doc/2010-03-31/";

    [Fact]
    public async Task CreateTopic_is_idempotent_for_the_same_attributes_and_refuses_different_ones()
    {
        var name = "alarms-" + Guid.NewGuid().ToString("N")[..8];
        var arn = Value(await OkAsync("CreateTopic", ("Name", name), ("Attributes.entry.1.key", "DisplayName"), ("Attributes.entry.1.value", "Alarms")), "TopicArn");
        Assert.Equal($"arn:aws:sns:us-east-1:000000000000:{name}", arn);
        Assert.Equal(arn, Value(await OkAsync("CreateTopic", ("Name", name), ("Attributes.entry.1.key", "DisplayName"), ("Attributes.entry.1.value", "Alarms")), "TopicArn"));

        var (status, xml) = await CallAsync("CreateTopic", ("Name", name), ("Attributes.entry.1.key", "DisplayName"), ("Attributes.entry.1.value", "Other"));
        Assert.Equal((HttpStatusCode.BadRequest, "InvalidParameter"), (status, Value(xml, "Code")));
        Assert.Contains("Topic already exists with different attributes", Value(xml, "Message"), StringComparison.Ordinal);

        var attributes = Attributes(await OkAsync("GetTopicAttributes", ("TopicArn", arn)));
        Assert.Equal(("Alarms", "000000000000", arn, "0", "0"), (attributes["DisplayName"], attributes["Owner"], attributes["TopicArn"], attributes["SubscriptionsConfirmed"], attributes["SubscriptionsPending"]));
        Assert.Contains(Values(await OkAsync("ListTopics"), "TopicArn"), a => a == arn);
    }

    [Fact]
    public async Task An_email_subscription_waits_for_a_confirmation_and_a_lambda_one_takes_effect()
    {
        var arn = await CreateTopicAsync();
        Assert.Equal("pending confirmation", Value(await OkAsync("Subscribe", ("TopicArn", arn), ("Protocol", "email"), ("Endpoint", "ops@example.com")), "SubscriptionArn"));
        var function = Value(await OkAsync("Subscribe", ("TopicArn", arn), ("Protocol", "lambda"), ("Endpoint", "arn:aws:lambda:us-east-1:000000000000:function:f")), "SubscriptionArn");
        Assert.StartsWith(arn + ":", function, StringComparison.Ordinal);

        var members = (await OkAsync("ListSubscriptionsByTopic", ("TopicArn", arn))).Descendants(Sns + "member").ToList();
        Assert.Equal([("email", "ops@example.com", "PendingConfirmation"), ("lambda", "arn:aws:lambda:us-east-1:000000000000:function:f", function)],
            members.Select(m => (Value(m, "Protocol"), Value(m, "Endpoint"), Value(m, "SubscriptionArn"))));
        var attributes = Attributes(await OkAsync("GetTopicAttributes", ("TopicArn", arn)));
        Assert.Equal(("1", "1"), (attributes["SubscriptionsConfirmed"], attributes["SubscriptionsPending"]));

        await OkAsync("Unsubscribe", ("SubscriptionArn", function));
        Assert.Single((await OkAsync("ListSubscriptionsByTopic", ("TopicArn", arn))).Descendants(Sns + "member"));
        Assert.Equal((HttpStatusCode.NotFound, "NotFound"), Error(await CallAsync("Unsubscribe", ("SubscriptionArn", function))));
    }

    [Theory]
    [InlineData("CreateTopic", "Name", "not a name!")]
    [InlineData("CreateTopic", "Name", "plain.fifo")]
    [InlineData("Subscribe", "Protocol", "carrier-pigeon")]
    [InlineData("Subscribe", "Endpoint", "not-an-address")]
    public async Task Bad_input_gets_SNSs_InvalidParameter(string operation, string member, string value)
    {
        var arn = await CreateTopicAsync();
        (string, string)[] parameters = operation == "CreateTopic"
            ? [(member, value)]
            : [("TopicArn", arn), ("Protocol", member == "Protocol" ? value : "email"), ("Endpoint", member == "Endpoint" ? value : "ops@example.com")];
        Assert.Equal((HttpStatusCode.BadRequest, "InvalidParameter"), Error(await CallAsync(operation, parameters)));
    }

    [Fact]
    public async Task A_deleted_topic_is_gone_with_its_subscriptions_and_deleting_it_again_succeeds()
    {
        var arn = await CreateTopicAsync();
        await OkAsync("Subscribe", ("TopicArn", arn), ("Protocol", "email"), ("Endpoint", "ops@example.com"));

        await OkAsync("DeleteTopic", ("TopicArn", arn));
        await OkAsync("DeleteTopic", ("TopicArn", arn));

        Assert.Equal((HttpStatusCode.NotFound, "NotFound"), Error(await CallAsync("GetTopicAttributes", ("TopicArn", arn))));
        Assert.DoesNotContain(Values(await OkAsync("ListTopics"), "TopicArn"), a => a == arn);
    }

    [Fact]
    public async Task A_caller_without_the_action_is_denied_on_the_topic()
    {
        var arn = await CreateTopicAsync();

        var (status, xml) = await QueryCalls.CallAsync(factory, TestPrincipals.Reader, "sns", "2010-03-31", "GetTopicAttributes", ("TopicArn", arn));

        Assert.Equal((HttpStatusCode.Forbidden, "AuthorizationError"), (status, Value(xml, "Code")));
        Assert.Contains($"sns:GetTopicAttributes on resource: {arn}", Value(xml, "Message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_topic_and_its_subscriptions_survive_a_restart()
    {
        var directory = Directory.CreateTempSubdirectory("localaws-sns-").FullName;
        try
        {
            string arn;
            using (var first = new LocalAwsFactory { DataDirectory = directory })
            {
                var (_, created) = await QueryCalls.CallAsync(first, TestPrincipals.Admin, "sns", "2010-03-31", "CreateTopic", ("Name", "kept"), ("Tags.member.1.Key", "team"), ("Tags.member.1.Value", "ops"));
                arn = Value(created, "TopicArn");
                await QueryCalls.CallAsync(first, TestPrincipals.Admin, "sns", "2010-03-31", "Subscribe", ("TopicArn", arn), ("Protocol", "email"), ("Endpoint", "ops@example.com"));
            }

            using var restarted = new LocalAwsFactory { DataDirectory = directory };
            var (status, listed) = await QueryCalls.CallAsync(restarted, TestPrincipals.Admin, "sns", "2010-03-31", "ListSubscriptionsByTopic", ("TopicArn", arn));
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(["ops@example.com"], Values(listed, "Endpoint"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private async Task<string> CreateTopicAsync() =>
        Value(await OkAsync("CreateTopic", ("Name", "topic-" + Guid.NewGuid().ToString("N")[..8])), "TopicArn");

    private Task<(HttpStatusCode Status, XDocument Xml)> CallAsync(string action, params (string Name, string Value)[] parameters) =>
        QueryCalls.CallAsync(factory, TestPrincipals.Admin, "sns", "2010-03-31", action, parameters);

    private async Task<XDocument> OkAsync(string action, params (string Name, string Value)[] parameters)
    {
        var (status, xml) = await CallAsync(action, parameters);
        Assert.True(status == HttpStatusCode.OK, $"{action}: {status} {xml}");
        return xml;
    }

    private static (HttpStatusCode, string) Error((HttpStatusCode Status, XDocument Xml) answer) => (answer.Status, Value(answer.Xml, "Code"));

    private static string Value(XContainer xml, string element) => xml.Descendants().First(e => e.Name.LocalName == element).Value;

    private static List<string> Values(XContainer xml, string element) => [.. xml.Descendants().Where(e => e.Name.LocalName == element).Select(e => e.Value)];

    private static Dictionary<string, string> Attributes(XDocument xml) =>
        xml.Descendants().Where(e => e.Name.LocalName == "entry").ToDictionary(e => Value(e, "key"), e => Value(e, "value"), StringComparer.Ordinal);
}

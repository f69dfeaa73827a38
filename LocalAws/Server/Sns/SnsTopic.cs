namespace Tap.LocalAws.Sns;

/// <summary>An SNS topic: its settable attributes, its tags and its subscriptions.</summary>
internal sealed record SnsTopic(
    string Name,
    string Arn,
    IReadOnlyDictionary<string, string> Attributes,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyList<SnsSubscription> Subscriptions);

/// <summary>
/// One subscription. An endpoint that must confirm (e-mail, HTTP) stays pending: LocalAws delivers no messages, so
/// no confirmation request ever reaches it.
/// </summary>
internal sealed record SnsSubscription(string Arn, string Protocol, string Endpoint, bool Confirmed);

using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CsCheck;

namespace Tap.LocalAws.Tests.ApiGateway;

/// <summary>
/// Generated spellings of generated paths (empty segments, trailing slashes, dot segments, percent-encodings in
/// either case, encoded separators) from generated callers, each with its own policy of Allow and Deny statements:
/// the gateway admits a request exactly when the caller's policy allows the ARN of the canonical path, and the
/// route that serves it is the one API Gateway's precedence picks for that path. The expectations come from a model
/// written here, not from the gateway's code.
/// </summary>
public sealed class CanonicalPathPropertyTests(PolicyRoutesFixture fixture) : IClassFixture<PolicyRoutesFixture>
{
    private const int Samples = 300;

    /// <summary>Segments as decoded text and in canonical form.</summary>
    private static readonly (string Text, string Canonical)[] Vocabulary =
        [("orders", "orders"), ("42", "42"), ("7", "7"), ("files", "files"), ("x", "x"), ("Orders", "Orders"), ("a b", "a%20b"), ("café", "caf%C3%A9"), ("100%", "100%25")];

    private static readonly string[] Separators = ["/", "//", "/./", "/%2F", "/zz/../", "/%2e/"];
    private static readonly string[] Trailers = ["", "/", "//", "/."];

    [Fact]
    public async Task Every_spelling_is_admitted_exactly_when_the_policy_allows_its_canonical_ARN_and_is_served_by_the_route_precedence_picks()
    {
        var segment = Gen.Select(Gen.Int[0, Vocabulary.Length - 1], Gen.Int[0, 2], Gen.Int[0, Separators.Length - 1], Gen.Bool);
        var requests = Gen.Select(
            Gen.Int[0, PolicyRoutesFixture.CallerCount - 1],
            Gen.OneOf("GET", "POST", "DELETE"),
            segment.Array[0, 3],
            Gen.Select(Gen.Bool, Gen.Int[0, Trailers.Length - 1], Gen.Bool));

        await requests.SampleAsync(async (callerIndex, method, segments, ends) =>
        {
            var caller = fixture.Callers[callerIndex];
            var (doubledLead, trailer, encodedStage) = ends;
            var target = new StringBuilder(doubledLead ? "//" : "/").Append(encodedStage ? "%70rod" : "prod");
            foreach (var (word, spelling, separator, upper) in segments)
            {
                target.Append(Separators[separator]).Append(Spell(Vocabulary[word], spelling, upper));
            }

            target.Append(Trailers[trailer]);
            var canonical = string.Concat(segments.Select(s => "/" + Vocabulary[s.Item1].Canonical));
            var words = segments.Select(s => Vocabulary[s.Item1].Text).ToArray();
            var arn = $"arn:aws:execute-api:us-east-1:{TestPrincipals.AccountId}:{PolicyRoutesFixture.ApiId}/prod/{method}/{canonical.TrimStart('/')}";

            var response = await RawHttp.SendSignedAsync(fixture.Api, caller.Credentials, method, target.ToString());

            using var body = JsonDocument.Parse(response.Body);
            if (Decide(caller, arn) is Decision.Allow)
            {
                Assert.Equal(200, response.Status);
                Assert.Equal(ExpectedRoute(method, words), body.RootElement.GetProperty("routeKey").GetString());
                Assert.Equal("/prod" + canonical, body.RootElement.GetProperty("rawPath").GetString());
            }
            else
            {
                Assert.Equal(403, response.Status);
                Assert.Equal("AccessDeniedException", response.Headers["x-amzn-ErrorType"]);
                var explicitDeny = Decide(caller, arn) is Decision.ExplicitDeny ? " with an explicit deny" : string.Empty;
                Assert.EndsWith($"on resource: {arn}{explicitDeny}", body.RootElement.GetProperty("message").GetString());
            }
        }, iter: Samples, threads: 1, print: sample => $"{fixture.Callers[sample.Item1]} | {sample}");
    }

    private enum Decision
    {
        Allow,
        ImplicitDeny,
        ExplicitDeny,
    }

    /// <summary>IAM's evaluation for one policy: any matching Deny wins, then any matching Allow, else no.</summary>
    private static Decision Decide(PolicyRoutesFixture.Caller caller, string arn) =>
        caller.Statements.Any(s => s.Effect == "Deny" && Glob(s.Resource, arn)) ? Decision.ExplicitDeny
        : caller.Statements.Any(s => s.Effect == "Allow" && Glob(s.Resource, arn)) ? Decision.Allow
        : Decision.ImplicitDeny;

    private static bool Glob(string pattern, string value) =>
        Regex.IsMatch(value, "^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$",
            RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    /// <summary>API Gateway's precedence over <see cref="PolicyRoutesFixture.Routes"/>, written out case by case.</summary>
    private static string ExpectedRoute(string method, string[] segments) => segments switch
    {
        [] => "ANY /",
        ["orders"] => method == "GET" ? "GET /orders" : "ANY /{proxy+}",
        ["orders", _] => method == "GET" ? "GET /orders/{id}" : "ANY /orders/{id}",
        ["files", _, ..] when method == "GET" => "GET /files/{path+}",
        _ => "ANY /{proxy+}",
    };

    /// <summary>A segment as it is, with its first character percent-encoded, or wholly percent-encoded (hex in either case).</summary>
    private static string Spell((string Text, string Canonical) word, int spelling, bool upper)
    {
        string Encode(string text) => string.Concat(Encoding.UTF8.GetBytes(text).Select(b => "%" + b.ToString(upper ? "X2" : "x2", CultureInfo.InvariantCulture)));
        return spelling switch
        {
            0 => word.Canonical,
            1 => Encode(word.Text[..1]) + word.Canonical[1..],
            _ => Encode(word.Text),
        };
    }
}

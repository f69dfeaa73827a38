using System.Net;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.SecretsManager.Model;
using CsCheck;
using Microsoft.Extensions.DependencyInjection;
using Tap.LocalAws.SecretsManager.Storage;
using Tap.Testing;

namespace Tap.LocalAws.Tests;

/// <summary>
/// Arbitrary JSON at every Secrets Manager operation: whatever arrives, the answer is a success or a 4xx in AWS's
/// JSON error shape (never a 5xx), stored state changes only when the call succeeded, and nothing accepted breaks
/// later calls.
/// </summary>
public sealed class SecretsManagerPropertyTests(LocalAwsFactory factory) : IClassFixture<LocalAwsFactory>
{
    private const int SamplesPerOperation = 150;

    /// <summary>Every operation LocalAws serves, and its request type (whose members name the wire fields).</summary>
    public static TheoryData<string> Operations => new(
        typeof(CreateSecretRequest).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(CreateSecretRequest).Namespace && t.Name.EndsWith("Request", StringComparison.Ordinal) && t.Name != "AmazonSecretsManagerRequest")
            .Select(t => t.Name[..^"Request".Length])
            .Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Arbitrary_JSON_gets_success_or_an_AWS_shaped_4xx_and_changes_nothing_unless_it_succeeded(string operation)
    {
        var names = await SeedAsync();
        var requestType = typeof(CreateSecretRequest).Assembly.GetType($"{typeof(CreateSecretRequest).Namespace}.{operation}Request")!;
        var members = requestType.GetProperties(BindingFlags.Public | BindingFlags.Instance).ToList();
        var nested = (string[])["Key", "Value", "Values", "Effect", "Statement"];
        var anything = ArbitraryJson.Value(names, [.. members.Select(m => m.Name), .. nested]);
        var fields = members.Select(m => (m.Name, Value: SecretsManagerJson.ForMember(m.PropertyType, names, anything))).ToList();

        // A request: each member present or not, mostly of its own shape; now and then not even an object.
        var body = Gen.Frequency<JsonNode?>(
            (9, Gen.Select(Gen.Bool.Array[fields.Count], ArbitraryJson.All(fields.Select(f => f.Value)), (present, values) =>
            {
                var request = new JsonObject();
                for (var i = 0; i < fields.Count; i++)
                {
                    if (present[i])
                    {
                        request[fields[i].Name] = values[i]?.DeepClone();
                    }
                }

                return (JsonNode?)request;
            })),
            (1, anything));

        await body.SampleAsync(async request =>
        {
            var before = Snapshot();
            var (status, text) = await SendAsync(operation, request?.ToJsonString() ?? "null");

            Assert.True((int)status < 500, $"{operation} answered {(int)status} to {Show(request)}: {text}");
            if (status == HttpStatusCode.OK)
            {
                // Whatever was accepted must not break later calls for anyone: listing reads every secret's fields.
                var (probe, probeText) = await SendAsync("ListSecrets", """{"IncludePlannedDeletion":true,"Filters":[{"Key":"all","Values":["t"]}]}""");
                Assert.True(probe == HttpStatusCode.OK, $"after {operation} accepted {Show(request)}, ListSecrets answered {(int)probe}: {probeText}");
            }
            else
            {
                Assert.InRange((int)status, 400, 499);
                using var error = JsonDocument.Parse(text);
                Assert.False(string.IsNullOrEmpty(error.RootElement.GetProperty("__type").GetString()));
                Assert.Equal(JsonValueKind.String, error.RootElement.GetProperty("message").ValueKind);
                Assert.True(before == Snapshot(), $"{operation} failed ({text}) yet changed stored state, for {Show(request)}");
            }
        }, iter: SamplesPerOperation, threads: 1, print: Show);
    }

    private static string Show(JsonNode? request)
    {
        var json = request?.ToJsonString() ?? "null";
        return json.Length > 400 ? json[..400] + "…" : json;
    }

    /// <summary>Secrets for the generated requests to find: live, with versions and tags, and one scheduled for deletion.</summary>
    private async Task<IReadOnlyList<string>> SeedAsync()
    {
        var prefix = $"prop/{Guid.NewGuid():N}";
        var names = new[] { prefix + "/a", prefix + "/b", prefix + "/gone" };
        foreach (var name in names)
        {
            await SendAsync("CreateSecret", JsonSerializer.Serialize(new { Name = name, SecretString = "v1", Tags = new[] { new { Key = "team", Value = "tap" } } }));
            await SendAsync("PutSecretValue", JsonSerializer.Serialize(new { SecretId = name, SecretString = "v2" }));
        }

        await SendAsync("DeleteSecret", JsonSerializer.Serialize(new { SecretId = names[2], RecoveryWindowInDays = 7 }));
        return names;
    }

    private Task<(HttpStatusCode Status, string Body)> SendAsync(string operation, string json) =>
        factory.SendSecretsManagerJsonAsync(TestPrincipals.Admin, operation, json);

    /// <summary>Everything stored, as the data directory would hold it (access dates aside, which a successful read may set).</summary>
    private string Snapshot()
    {
        var store = factory.Services.GetRequiredService<SecretStore>();
        return store.Execute(s => JsonSerializer.Serialize(s.All.OrderBy(r => r.Arn, StringComparer.Ordinal).ToList()));
    }
}

using System.Diagnostics;
using System.Net;
using Amazon.SecretsManager.Model;
using Tap.Testing;

namespace Tap.Aws.SecretsManager.Tests;

public sealed class TelemetryTests
{
    [Fact]
    public async Task Each_call_is_a_client_span_named_like_the_AWS_SDK_instrumentation()
    {
        // The listener hears every test in this assembly: keep this call's spans only (its request id).
        using var spans = new SpanRecorder("Amazon.AWS.AWSClientInstrumentation");
        using var host = new SecretsManagerTestHost();
        host.Network.Respond(HttpStatusCode.OK, """{"Name":"x","SecretString":"{\"API_KEY\":\"s3cr3t\"}"}""", requestId: "rid-7");

        await host.Client.GetSecretValueAsync(new GetSecretValueRequest { SecretId = "x" }, TestContext.Current.CancellationToken);

        var span = Assert.Single(spans.Spans, s => (s.GetTagItem("aws.request_id") as string) == "rid-7");
        Assert.Equal("Secrets Manager.GetSecretValue", span.DisplayName);
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal("aws-api", span.GetTagItem("rpc.system"));
        Assert.Equal("Secrets Manager", span.GetTagItem("rpc.service"));
        Assert.Equal("GetSecretValue", span.GetTagItem("rpc.method"));
        Assert.Equal("rid-7", span.GetTagItem("aws.request_id"));
        Assert.DoesNotContain(span.TagObjects, t => t.Value?.ToString()?.Contains("s3cr3t", StringComparison.Ordinal) == true);
    }
}

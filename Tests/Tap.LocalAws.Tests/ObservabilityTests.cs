using System.Diagnostics;
using Amazon.SecretsManager.Model;
using Tap.Testing;

namespace Tap.LocalAws.Tests;

/// <summary>What an operator sees: one server span per operation with the caller, one log line per call, no values.</summary>
public sealed class ObservabilityTests(LocalAwsFactory factory) : IClassFixture<LocalAwsFactory>
{
    [Fact]
    public async Task Each_call_is_a_server_span_named_for_the_operation_with_the_principal()
    {
        using var spans = new SpanRecorder("Tap.LocalAws");
        var admin = factory.SecretsManager(TestPrincipals.Admin);
        var name = $"observed/{Guid.NewGuid():N}";

        await admin.CreateSecretAsync(new CreateSecretRequest { Name = name, SecretString = "x" }, TestContext.Current.CancellationToken);
        var described = await admin.DescribeSecretAsync(new DescribeSecretRequest { SecretId = name }, TestContext.Current.CancellationToken);

        // This call's span, told by its request id: other tests of the assembly make admin DescribeSecret spans too.
        var span = Assert.Single(await spans.WaitForAsync(s => (string?)s.GetTagItem("aws.request_id") == described.ResponseMetadata.RequestId));
        Assert.Equal("Secrets Manager.DescribeSecret", span.DisplayName);
        Assert.Equal("arn:aws:iam::000000000000:user/admin", span.GetTagItem("aws.principal.arn"));
        Assert.Equal(ActivityKind.Server, span.Kind);
        Assert.Equal("aws-api", span.GetTagItem("rpc.system"));
        Assert.Equal("DescribeSecret", span.GetTagItem("rpc.method"));
    }

    [Fact]
    public async Task Each_call_logs_operation_principal_resource_and_outcome_but_never_a_value()
    {
        var admin = factory.SecretsManager(TestPrincipals.Admin);
        var reader = factory.SecretsManager(TestPrincipals.Reader);
        var name = $"logged/{Guid.NewGuid():N}";
        var value = $"value-{Guid.NewGuid():N}";

        var created = await admin.CreateSecretAsync(new CreateSecretRequest { Name = name, SecretString = value }, TestContext.Current.CancellationToken);
        await admin.GetSecretValueAsync(new GetSecretValueRequest { SecretId = name }, TestContext.Current.CancellationToken);
        await Assert.ThrowsAsync<AccessDeniedException>(() => reader.GetSecretValueAsync(new GetSecretValueRequest { SecretId = name }, TestContext.Current.CancellationToken));

        var lines = factory.Logs.GetSnapshot().Select(r => r.Message).ToList();
        Assert.Contains($"Secrets Manager.GetSecretValue by arn:aws:iam::000000000000:user/admin on {created.ARN}: Success", lines);
        Assert.Contains($"Secrets Manager.GetSecretValue by arn:aws:iam::000000000000:user/reader on {created.ARN}: AccessDeniedException", lines);
        Assert.DoesNotContain(factory.Logs.GetSnapshot(), r => (r.Message + r.Exception).Contains(value, StringComparison.Ordinal));
        Assert.DoesNotContain(factory.Logs.GetSnapshot(), r => r.Message.Contains(TestPrincipals.Admin.SecretKey, StringComparison.Ordinal));
    }
}

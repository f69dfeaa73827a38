using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;

namespace Tap.LocalAws.Tests.Ssm;

/// <summary>
/// Parameter Store through clients no one here wrote, against a LocalAws process: the official AWS SDK for .NET
/// (its paginator, its exception types) and the AWS CLI v1 and v2.
/// </summary>
[Trait("Category", "Process")]
[Collection(LocalAwsProcessCollectionDefinition.Name)]
public sealed class ParameterStoreClientTests(LocalAwsProcessFixture localAws)
{
    public static TheoryData<string> Clis => new("aws", "/usr/bin/aws");

    private AmazonSimpleSystemsManagementClient Client(ImmutableCredentials credentials) => new(
        new BasicAWSCredentials(credentials.AccessKey, credentials.SecretKey),
        new AmazonSimpleSystemsManagementConfig { ServiceURL = localAws.Endpoint.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });

    [Fact]
    public async Task The_official_SDK_puts_reads_pages_and_deletes_parameters()
    {
        using var ssm = Client(TestPrincipals.Admin);
        var cancel = TestContext.Current.CancellationToken;
        var prefix = $"/sdk-{Guid.NewGuid():N}";
        for (var i = 0; i < 12; i++)
        {
            await ssm.PutParameterAsync(new PutParameterRequest { Name = $"{prefix}/p{i:00}", Value = $"v{i}", Type = ParameterType.String }, cancel);
        }

        await ssm.PutParameterAsync(new PutParameterRequest { Name = $"{prefix}/secret", Value = "sdk-secure-4e2a", Type = ParameterType.SecureString }, cancel);

        var secret = await ssm.GetParameterAsync(new GetParameterRequest { Name = $"{prefix}/secret", WithDecryption = true }, cancel);
        Assert.Equal(("sdk-secure-4e2a", ParameterType.SecureString, 1L), (secret.Parameter.Value, secret.Parameter.Type, secret.Parameter.Version));
        Assert.True(secret.Parameter.LastModifiedDate > DateTime.UtcNow.AddMinutes(-5));

        var all = new List<string>();
        var pages = 0;
        await foreach (var page in ssm.Paginators.GetParametersByPath(new GetParametersByPathRequest { Path = prefix, MaxResults = 5 }).Responses.WithCancellation(cancel))
        {
            pages++;
            all.AddRange(page.Parameters.Select(p => p.Name));
        }

        Assert.Equal((13, 3), (all.Count, pages));
        Assert.Equal(all.Order(StringComparer.Ordinal), all);

        var deleted = await ssm.DeleteParametersAsync(new DeleteParametersRequest { Names = [$"{prefix}/p00", $"{prefix}/gone"] }, cancel);
        Assert.Equal([$"{prefix}/p00"], deleted.DeletedParameters);
        Assert.Equal([$"{prefix}/gone"], deleted.InvalidParameters);
        await Assert.ThrowsAsync<ParameterNotFoundException>(() => ssm.GetParameterAsync(new GetParameterRequest { Name = $"{prefix}/p00" }, cancel));
        await Assert.ThrowsAsync<ParameterAlreadyExistsException>(() => ssm.PutParameterAsync(new PutParameterRequest { Name = $"{prefix}/p01", Value = "x", Type = ParameterType.String }, cancel));
        using var reader = Client(TestPrincipals.Reader);
        var denied = await Assert.ThrowsAnyAsync<AmazonSimpleSystemsManagementException>(() => reader.GetParameterAsync(new GetParameterRequest { Name = $"{prefix}/p01" }, cancel));
        Assert.Equal("AccessDeniedException", denied.ErrorCode);
    }

    [Theory]
    [MemberData(nameof(Clis))]
    public async Task The_AWS_CLI_puts_and_reads_a_SecureString(string cli)
    {
        Assert.SkipUnless(Testing.ExternalProcess.Exists(cli), $"Missing tool: the AWS CLI at {cli}; install it (Debian: apt-get install awscli gives v2 at /usr/bin/aws) to run this test.");
        var name = $"/cli-{Guid.NewGuid():N}/token";
        var put = await AwsCli.RunProgramAsync(cli, localAws.Endpoint, TestPrincipals.Admin, null,
            "ssm", "put-parameter", "--name", name, "--value", "cli-secure-77d0", "--type", "SecureString");
        Assert.True(put.ExitCode == 0, put.Error);
        Assert.Contains("\"Version\": 1", put.Output, StringComparison.Ordinal);

        var get = await AwsCli.RunProgramAsync(cli, localAws.Endpoint, TestPrincipals.Admin, null,
            "ssm", "get-parameter", "--name", name, "--with-decryption", "--query", "Parameter.Value", "--output", "text");
        Assert.True(get.ExitCode == 0, get.Error);
        Assert.Equal("cli-secure-77d0", get.Output.Trim());

        var missing = await AwsCli.RunProgramAsync(cli, localAws.Endpoint, TestPrincipals.Admin, null, "ssm", "get-parameter", "--name", name + "-none");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("ParameterNotFound", missing.Error, StringComparison.Ordinal);
    }
}

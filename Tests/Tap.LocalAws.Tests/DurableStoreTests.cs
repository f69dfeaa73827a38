using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Amazon.SecretsManager.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Tap.LocalAws.Storage;

namespace Tap.LocalAws.Tests;

/// <summary>With a data directory, everything acknowledged survives a restart; damage is reported, never hidden.</summary>
public sealed class DurableStoreTests : IDisposable
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("localaws-data-").FullName;

    private LocalAwsFactory Start(TimeProvider? clock = null) => new() { DataDirectory = _dataDirectory, Clock = clock ?? TimeProvider.System };

    private string SecretFiles => Path.Combine(_dataDirectory, "secretsmanager");

    [Fact]
    public async Task Everything_is_read_back_after_a_restart()
    {
        string arn, v1, v2, binaryName;
        var policy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:user/reader"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}]}""";
        using (var first = Start())
        {
            var admin = first.SecretsManager(TestPrincipals.Admin);
            var created = await admin.CreateSecretAsync(new CreateSecretRequest { Name = "durable/config", SecretString = "one", Description = "kept", Tags = [new Tag { Key = "team", Value = "tap" }] }, TestContext.Current.CancellationToken);
            (arn, v1) = (created.ARN!, created.VersionId!);
            v2 = (await admin.PutSecretValueAsync(new PutSecretValueRequest { SecretId = arn, SecretString = "two" }, TestContext.Current.CancellationToken)).VersionId!;
            await admin.UpdateSecretVersionStageAsync(new UpdateSecretVersionStageRequest { SecretId = arn, VersionStage = "AWSPENDING", MoveToVersionId = v1 }, TestContext.Current.CancellationToken);
            await admin.PutResourcePolicyAsync(new PutResourcePolicyRequest { SecretId = arn, ResourcePolicy = policy }, TestContext.Current.CancellationToken);
            binaryName = (await admin.CreateSecretAsync(new CreateSecretRequest { Name = "durable/binary", SecretBinary = new MemoryStream([9, 8, 7]) }, TestContext.Current.CancellationToken)).Name!;
            await admin.CreateSecretAsync(new CreateSecretRequest { Name = "durable/doomed", SecretString = "x" }, TestContext.Current.CancellationToken);
            await admin.DeleteSecretAsync(new DeleteSecretRequest { SecretId = "durable/doomed", RecoveryWindowInDays = 7 }, TestContext.Current.CancellationToken);
        }

        using var second = Start();
        var again = second.SecretsManager(TestPrincipals.Admin);
        var described = await again.DescribeSecretAsync(new DescribeSecretRequest { SecretId = "durable/config" }, TestContext.Current.CancellationToken);
        Assert.Equal(arn, described.ARN);
        Assert.Equal("kept", described.Description);
        Assert.Equal("tap", Assert.Single(described.Tags!).Value);
        Assert.Equal(["AWSPREVIOUS", "AWSPENDING"], described.VersionIdsToStages![v1]);
        Assert.Equal(["AWSCURRENT"], described.VersionIdsToStages[v2]);
        Assert.Equal("two", (await again.GetSecretValueAsync(new GetSecretValueRequest { SecretId = arn }, TestContext.Current.CancellationToken)).SecretString);
        Assert.Equal(policy, (await again.GetResourcePolicyAsync(new GetResourcePolicyRequest { SecretId = arn }, TestContext.Current.CancellationToken)).ResourcePolicy);
        Assert.Equal("two", (await second.SecretsManager(TestPrincipals.Reader).GetSecretValueAsync(new GetSecretValueRequest { SecretId = arn }, TestContext.Current.CancellationToken)).SecretString);
        Assert.Equal([9, 8, 7], (await again.GetSecretValueAsync(new GetSecretValueRequest { SecretId = binaryName }, TestContext.Current.CancellationToken)).SecretBinary!.ToArray());
        Assert.NotNull((await again.DescribeSecretAsync(new DescribeSecretRequest { SecretId = "durable/doomed" }, TestContext.Current.CancellationToken)).DeletedDate);
        await Assert.ThrowsAsync<InvalidRequestException>(() => again.GetSecretValueAsync(new GetSecretValueRequest { SecretId = "durable/doomed" }, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_clients_names_never_reach_the_file_system_only_their_hash_does()
    {
        string[] names = ["../../escaped", "..", "a/b/../../../c", "/absolute/path", "dot.", "./here", "+=.@_-"];
        using (var localAws = Start())
        {
            var admin = localAws.SecretsManager(TestPrincipals.Admin);
            foreach (var name in names)
            {
                await admin.CreateSecretAsync(new CreateSecretRequest { Name = name, SecretString = "x" }, TestContext.Current.CancellationToken);
            }
        }

        // Only the data directory holds files, each named by a hash, whatever the secret's name was (beside them, the other stores' locks and the CA).
        var files = Directory.EnumerateFiles(_dataDirectory, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(_dataDirectory, f)).ToList();
        Assert.All(files, f => Assert.Matches(@"^(secretsmanager/(\.lock|[0-9a-f]{32}\.secret)|(ssm|s3|cloudformation|logs|lambda|apigateway|sns|ecr|kms/keys|kms/aliases|cloudwatch/alarms|cloudwatch/dashboards|iam/roles|iam/users|iam/policies)/\.lock|tls/ca(-key)?\.pem)$", f));
        Assert.Equal(names.Length, files.Count(f => f.EndsWith(".secret", StringComparison.Ordinal)));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(_dataDirectory)!, "escaped")));
        using var again = Start();
        foreach (var name in names)
        {
            Assert.Equal("x", (await again.SecretsManager(TestPrincipals.Admin).GetSecretValueAsync(new GetSecretValueRequest { SecretId = name }, TestContext.Current.CancellationToken)).SecretString);
        }
    }

    [Fact]
    public async Task Secrets_past_their_recovery_window_are_purged_from_memory_and_disk()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var localAws = Start(clock);
        var admin = localAws.SecretsManager(TestPrincipals.Admin);
        await admin.CreateSecretAsync(new CreateSecretRequest { Name = "purge/me", SecretString = "x" }, TestContext.Current.CancellationToken);
        await admin.DeleteSecretAsync(new DeleteSecretRequest { SecretId = "purge/me", RecoveryWindowInDays = 7 }, TestContext.Current.CancellationToken);

        clock.Advance(TimeSpan.FromDays(6));
        Assert.NotNull((await admin.DescribeSecretAsync(new DescribeSecretRequest { SecretId = "purge/me" }, TestContext.Current.CancellationToken)).DeletedDate);
        clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1));

        await Assert.ThrowsAsync<ResourceNotFoundException>(() => admin.DescribeSecretAsync(new DescribeSecretRequest { SecretId = "purge/me" }, TestContext.Current.CancellationToken));
        Assert.Empty(Directory.EnumerateFiles(SecretFiles, "*.secret"));
        await admin.CreateSecretAsync(new CreateSecretRequest { Name = "purge/me", SecretString = "reborn" }, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_damaged_file_stops_the_start_with_its_name_and_is_left_untouched()
    {
        using (var first = Start())
        {
            await first.SecretsManager(TestPrincipals.Admin).CreateSecretAsync(new CreateSecretRequest { Name = "damaged/one", SecretString = "precious" }, TestContext.Current.CancellationToken);
        }

        var file = Assert.Single(Directory.EnumerateFiles(SecretFiles, "*.secret"));
        var bytes = await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken);
        bytes[^3] ^= 0x20;
        await File.WriteAllBytesAsync(file, bytes, TestContext.Current.CancellationToken);

        using var second = Start();
        var ex = Assert.Throws<LocalAwsStoreDamagedException>(() => second.CreateClient());

        Assert.Equal(file, ex.FilePath);
        Assert.Contains("checksum", ex.Message, StringComparison.Ordinal);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_file_that_is_not_a_secret_stops_the_start()
    {
        Directory.CreateDirectory(SecretFiles);
        await File.WriteAllTextAsync(Path.Combine(SecretFiles, "0123456789abcdef0123456789abcdef.secret"), "garbage", TestContext.Current.CancellationToken);

        using var localAws = Start();

        Assert.Throws<LocalAwsStoreDamagedException>(() => localAws.CreateClient());
    }

    [Fact]
    public async Task Leftover_temporary_files_from_an_interrupted_write_are_discarded()
    {
        Directory.CreateDirectory(SecretFiles);
        await File.WriteAllTextAsync(Path.Combine(SecretFiles, "0123456789abcdef0123456789abcdef.secret.abc.tmp"), "half a write", TestContext.Current.CancellationToken);

        using var localAws = Start();
        await localAws.SecretsManager(TestPrincipals.Admin).ListSecretsAsync(new ListSecretsRequest(), TestContext.Current.CancellationToken);

        Assert.Empty(Directory.EnumerateFiles(SecretFiles, "*.tmp"));
    }

    [Fact]
    public async Task A_null_tag_stored_by_an_earlier_version_is_dropped_at_load_with_a_warning_naming_the_file()
    {
        using (var first = Start())
        {
            await first.SecretsManager(TestPrincipals.Admin).CreateSecretAsync(new CreateSecretRequest
            {
                Name = "repair/tags",
                SecretString = "kept",
                Tags = [new Tag { Key = "team", Value = "tap" }],
            }, TestContext.Current.CancellationToken);
        }

        // What an earlier version could persist: a null tag, which broke tag filters and tagging for every caller.
        var file = Assert.Single(Directory.EnumerateFiles(SecretFiles, "*.secret"));
        var body = JsonNode.Parse((await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken)).Split('\n', 2)[1])!;
        body["Tags"]!.AsArray().Add(null);
        await File.WriteAllTextAsync(file, WithHeader(body.ToJsonString()), TestContext.Current.CancellationToken);

        using var second = Start();
        var admin = second.SecretsManager(TestPrincipals.Admin);
        var listed = await admin.ListSecretsAsync(new ListSecretsRequest { Filters = [new Filter { Key = "tag-key", Values = ["team"] }] }, TestContext.Current.CancellationToken);
        await admin.TagResourceAsync(new TagResourceRequest { SecretId = "repair/tags", Tags = [new Tag { Key = "more", Value = "x" }] }, TestContext.Current.CancellationToken);

        Assert.Equal("repair/tags", Assert.Single(listed.SecretList!).Name);
        Assert.Equal(["team", "more"], (await admin.DescribeSecretAsync(new DescribeSecretRequest { SecretId = "repair/tags" }, TestContext.Current.CancellationToken)).Tags!.Select(t => t.Key));
        Assert.Contains(second.Logs.GetSnapshot(), r => r.Level == LogLevel.Warning && r.Message.Contains(file, StringComparison.Ordinal) && r.Message.Contains("dropped 1 tag", StringComparison.Ordinal));
        Assert.Equal("kept", (await admin.GetSecretValueAsync(new GetSecretValueRequest { SecretId = "repair/tags" }, TestContext.Current.CancellationToken)).SecretString);
    }

    /// <summary>A secret file's header line (format and checksum) in front of its body.</summary>
    private static string WithHeader(string body) =>
        $"{{\"format\":1,\"sha256\":\"{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body)))}\"}}\n{body}";

    public void Dispose() => Directory.Delete(_dataDirectory, recursive: true);
}

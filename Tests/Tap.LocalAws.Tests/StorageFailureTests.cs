using System.Net;
using Amazon.SecretsManager;
using Amazon.SecretsManager.Model;

namespace Tap.LocalAws.Tests;

/// <summary>
/// A store that cannot be written (here: a secret's file replaced by a directory, which no write can replace, even
/// as root): writes fail as server errors and change nothing, reads still answer, and a restart finds what was served.
/// </summary>
public sealed class StorageFailureTests : IDisposable
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("localaws-unwritable-").FullName;

    private static string BlockWritesTo(string secretFile)
    {
        File.Delete(secretFile);
        Directory.CreateDirectory(secretFile);
        return secretFile;
    }

    [Fact]
    public async Task A_write_that_cannot_be_stored_is_a_500_and_is_never_served()
    {
        using (var localAws = new LocalAwsFactory { DataDirectory = _dataDirectory })
        {
            var admin = localAws.SecretsManager(TestPrincipals.Admin);
            await admin.CreateSecretAsync(new CreateSecretRequest { Name = "unwritable/config", SecretString = "v1", Tags = [new Tag { Key = "a", Value = "1" }] }, TestContext.Current.CancellationToken);
            var file = BlockWritesTo(Assert.Single(Directory.EnumerateFiles(Path.Combine(_dataDirectory, "secretsmanager"), "*.secret")));

            var put = await Assert.ThrowsAnyAsync<AmazonSecretsManagerException>(() => admin.PutSecretValueAsync(new PutSecretValueRequest { SecretId = "unwritable/config", SecretString = "v2" }, TestContext.Current.CancellationToken));
            var tag = await Assert.ThrowsAnyAsync<AmazonSecretsManagerException>(() => admin.TagResourceAsync(new TagResourceRequest { SecretId = "unwritable/config", Tags = [new Tag { Key = "b", Value = "2" }] }, TestContext.Current.CancellationToken));
            var read = await admin.GetSecretValueAsync(new GetSecretValueRequest { SecretId = "unwritable/config" }, TestContext.Current.CancellationToken);
            var described = await admin.DescribeSecretAsync(new DescribeSecretRequest { SecretId = "unwritable/config" }, TestContext.Current.CancellationToken);

            Assert.Equal((HttpStatusCode.InternalServerError, "InternalServiceError"), (put.StatusCode, put.ErrorCode));
            Assert.Equal((HttpStatusCode.InternalServerError, "InternalServiceError"), (tag.StatusCode, tag.ErrorCode));
            Assert.Equal("v1", read.SecretString);
            Assert.Equal(["a"], described.Tags!.Select(t => t.Key));
            Assert.Single(described.VersionIdsToStages!);
            Directory.Delete(file);
        }
    }

    public void Dispose() => Directory.Delete(_dataDirectory, recursive: true);
}

using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Tap.LocalAws.S3.Storage;
using Tap.LocalAws.Storage;

namespace Tap.LocalAws.Tests.S3;

/// <summary>
/// S3's state with a data directory: everything acknowledged is read back after a restart; a write that fails at
/// any step answers 500 and changes nothing; bytes no record names are removed at start; damage stops the start.
/// </summary>
public sealed class S3DurabilityTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("localaws-s3-durable-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task Buckets_their_configuration_objects_versions_and_uploads_are_read_back_after_a_restart()
    {
        var bytes = RandomNumberGenerator.GetBytes(70_000);
        string bucket, uploadId, firstVersion;
        using (var first = Start())
        {
            using var s3 = S3Http.For(first, TestPrincipals.Admin);
            bucket = await s3.CreateBucketAsync();
            await s3.PutAsync($"/{bucket}?versioning", Encoding.UTF8.GetBytes("<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>"));
            await s3.PutAsync($"/{bucket}?tagging", Encoding.UTF8.GetBytes("<Tagging><TagSet><Tag><Key>k</Key><Value>v</Value></Tag></TagSet></Tagging>"));
            firstVersion = (await s3.PutAsync($"/{bucket}/dir/object", "first"u8.ToArray())).Header("x-amz-version-id")!;
            await s3.PutAsync($"/{bucket}/dir/object", bytes, new Dictionary<string, string> { ["x-amz-meta-kept"] = "yes" });
            uploadId = (await s3.SendAsync(HttpMethod.Post, $"/{bucket}/pending?uploads")).Values("UploadId").Single();
            await s3.PutAsync($"/{bucket}/pending?partNumber=1&uploadId={uploadId}", [4, 5, 6]);
        }

        using var second = Start();
        using var again = S3Http.For(second, TestPrincipals.Admin);
        var latest = await again.GetAsync($"/{bucket}/dir/object");
        Assert.Equal(bytes, latest.Body);
        Assert.Equal("yes", latest.Header("x-amz-meta-kept"));
        Assert.Equal("first", (await again.GetAsync($"/{bucket}/dir/object?versionId={firstVersion}")).Text);
        Assert.Equal(["Enabled"], (await again.GetAsync($"/{bucket}?versioning")).Values("Status"));
        Assert.Equal(["k"], (await again.GetAsync($"/{bucket}?tagging")).Values("Key"));
        Assert.Equal(["1"], (await again.GetAsync($"/{bucket}/pending?uploadId={uploadId}")).Values("PartNumber"));
    }

    [Theory]
    [InlineData(StorageStep.CreateTemporary)]
    [InlineData(StorageStep.WriteTemporary)]
    [InlineData(StorageStep.FlushTemporary)]
    [InlineData(StorageStep.ReplaceFile)]
    public async Task A_write_that_fails_at_any_step_answers_500_and_changes_nothing(StorageStep failing)
    {
        using var localAws = Start();
        using var s3 = S3Http.For(localAws, TestPrincipals.Admin);
        var bucket = await s3.CreateBucketAsync();
        await s3.PutAsync($"/{bucket}/kept", "old"u8.ToArray());
        var store = localAws.Services.GetRequiredService<S3Store>();
        store.BeforeStep = step => _ = step == failing ? throw new IOException($"disk full at {step}") : 0;
        try
        {
            var put = await s3.PutAsync($"/{bucket}/kept", "new"u8.ToArray());
            Assert.Equal((HttpStatusCode.InternalServerError, "InternalError"), (put.Status, put.ErrorCode));
            var fresh = await s3.PutAsync($"/{bucket}/fresh", "new"u8.ToArray());
            Assert.Equal(HttpStatusCode.InternalServerError, fresh.Status);
        }
        finally
        {
            store.BeforeStep = null;
        }

        Assert.Equal("old", (await s3.GetAsync($"/{bucket}/kept")).Text);
        Assert.Equal(HttpStatusCode.NotFound, (await s3.GetAsync($"/{bucket}/fresh")).Status);
        Assert.Single(Directory.GetFiles(Path.Combine(_data, "s3", bucket, "data")));
        Assert.Empty(Directory.GetFiles(Path.Combine(_data, "s3", bucket, "objects"), "*" + DurableFile.TemporaryExtension));
    }

    [Fact]
    public async Task Bytes_no_record_names_are_removed_at_start_and_a_damaged_record_stops_it()
    {
        string bucket;
        using (var first = Start())
        {
            using var s3 = S3Http.For(first, TestPrincipals.Admin);
            bucket = await s3.CreateBucketAsync();
            await s3.PutAsync($"/{bucket}/k", [1, 2, 3]);
        }

        // What a crash between writing an object's bytes and its record leaves: a file no record names.
        var orphan = Path.Combine(_data, "s3", bucket, "data", Guid.NewGuid().ToString("N"));
        await File.WriteAllBytesAsync(orphan, [9, 9, 9], TestContext.Current.CancellationToken);
        using (var second = Start())
        {
            using var s3 = S3Http.For(second, TestPrincipals.Admin);
            Assert.Equal([1, 2, 3], (await s3.GetAsync($"/{bucket}/k")).Body);
            Assert.False(File.Exists(orphan));
        }

        var record = Directory.GetFiles(Path.Combine(_data, "s3", bucket, "objects")).Single();
        var text = await File.ReadAllTextAsync(record, TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(record, text.Replace("\"Size\":3", "\"Size\":4", StringComparison.Ordinal), TestContext.Current.CancellationToken);
        using var damaged = Start();
        Assert.Throws<LocalAwsStoreDamagedException>(() => damaged.CreateClient());
    }

    private LocalAwsFactory Start() => new() { DataDirectory = _data };
}

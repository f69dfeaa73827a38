using System.Collections.Concurrent;
using Amazon.Runtime;
using Amazon.SecretsManager.Model;

namespace Tap.LocalAws.Tests;

/// <summary>SIGKILL in the middle of a write loop: after a restart, every acknowledged version is there.</summary>
[Trait("Category", "Process")]
public sealed class CrashRecoveryTests
{
    private const int KillAfterAcknowledged = 40;
    private const int MaxAttempts = 90;

    [Fact]
    public async Task Every_acknowledged_PutSecretValue_survives_a_SIGKILL()
    {
        await using var localAws = TestLocalAws.Process(durable: true);
        await localAws.StartAsync();
        using var client = localAws.SecretsManager();
        await client.CreateSecretAsync(new CreateSecretRequest { Name = "crash/config", SecretString = "v0" }, TestContext.Current.CancellationToken);

        var acknowledged = new ConcurrentQueue<string>();
        var attempts = 0;
        var writers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref attempts) <= MaxAttempts)
            {
                try
                {
                    var put = await client.PutSecretValueAsync(new PutSecretValueRequest { SecretId = "crash/config", SecretString = $"v{attempts}" });
                    acknowledged.Enqueue(put.VersionId!);
                }
                catch (Exception ex) when (ex is AmazonClientException or AmazonServiceException or HttpRequestException or IOException)
                {
                    return; // The server is gone.
                }
            }
        })).ToArray();

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (acknowledged.Count < KillAfterAcknowledged && DateTime.UtcNow < deadline)
        {
            await Task.Delay(1, TestContext.Current.CancellationToken);
        }

        await localAws.KillAsync();
        await Task.WhenAll(writers);
        Assert.True(acknowledged.Count >= KillAfterAcknowledged, $"Only {acknowledged.Count} writes were acknowledged before the deadline.");

        await localAws.StartAsync();
        using var after = localAws.SecretsManager();
        var versions = (await after.ListSecretVersionIdsAsync(new ListSecretVersionIdsRequest { SecretId = "crash/config", IncludeDeprecated = true }, TestContext.Current.CancellationToken)).Versions!;

        var stored = versions.Select(v => v.VersionId).ToHashSet();
        Assert.All(acknowledged, id => Assert.Contains(id, stored));
        Assert.Single(versions, v => v.VersionStages!.Contains("AWSCURRENT"));
        Assert.NotNull((await after.GetSecretValueAsync(new GetSecretValueRequest { SecretId = "crash/config" }, TestContext.Current.CancellationToken)).SecretString);
    }
}

using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Tap.Testing;

namespace Tap.LocalAws.Tests.S3;

/// <summary>SIGKILL in the middle of a loop of PutObject: after a restart every acknowledged object is there with its bytes, and nothing half-written is served.</summary>
[Trait("Category", "Process")]
public sealed class S3CrashTests
{
    private const int KillAfterAcknowledged = 30;
    private const int MaxAttempts = 200;
    private const int ObjectBytes = 300 * 1024;

    [Fact]
    public async Task Every_acknowledged_PutObject_survives_a_SIGKILL_and_no_object_is_half_written()
    {
        var cancel = TestContext.Current.CancellationToken;
        await using var localAws = TestLocalAws.Process(durable: true);
        await localAws.StartAsync();
        var bucket = S3Http.NewBucket();
        using (var client = SignedHttpClient.Create(TestPrincipals.Admin, "s3", localAws.Endpoint))
        {
            Assert.Equal(HttpStatusCode.OK, (await client.PutAsync(new Uri($"/{bucket}", UriKind.Relative), null, cancel)).StatusCode);
        }

        var acknowledged = new ConcurrentQueue<int>();
        var attempts = 0;
        var writers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            using var client = SignedHttpClient.Create(TestPrincipals.Admin, "s3", localAws.Endpoint);
            int n;
            while ((n = Interlocked.Increment(ref attempts)) <= MaxAttempts)
            {
                try
                {
                    using var body = new ByteArrayContent(Content(n));
                    using var response = await client.PutAsync(new Uri($"/{bucket}/objects/{n}", UriKind.Relative), body);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        acknowledged.Enqueue(n);
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException)
                {
                    return; // The server is gone.
                }
            }
        })).ToArray();

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (acknowledged.Count < KillAfterAcknowledged && DateTime.UtcNow < deadline)
        {
            await Task.Delay(1, cancel);
        }

        await localAws.KillAsync();
        await Task.WhenAll(writers);
        Assert.True(acknowledged.Count >= KillAfterAcknowledged, $"Only {acknowledged.Count} puts were acknowledged before the deadline.");

        await localAws.StartAsync();
        using var after = SignedHttpClient.Create(TestPrincipals.Admin, "s3", localAws.Endpoint);
        var listing = XDocument.Parse(await after.GetStringAsync(new Uri($"/{bucket}?list-type=2&prefix=objects/", UriKind.Relative), cancel));
        var listed = listing.Descendants().Where(e => e.Name.LocalName == "Key").Select(e => int.Parse(e.Value["objects/".Length..], System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
        Assert.Superset(acknowledged.ToHashSet(), listed);

        // Every object listed — acknowledged or caught between its commit and its answer — is whole.
        foreach (var n in listed)
        {
            var stored = await after.GetByteArrayAsync(new Uri($"/{bucket}/objects/{n}", UriKind.Relative), cancel);
            Assert.True(stored.AsSpan().SequenceEqual(Content(n)), $"Object {n} is not what was put.");
        }
    }

    /// <summary>Each object's own bytes, derived from its number.</summary>
    private static byte[] Content(int n)
    {
        var seed = SHA256.HashData(Encoding.ASCII.GetBytes($"object-{n}"));
        var content = new byte[ObjectBytes];
        for (var offset = 0; offset < content.Length; offset += seed.Length)
        {
            seed = SHA256.HashData(seed);
            seed.AsSpan(0, Math.Min(seed.Length, content.Length - offset)).CopyTo(content.AsSpan(offset));
        }

        return content;
    }
}

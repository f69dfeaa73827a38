using Amazon.Runtime;
using Amazon.SecretsManager;
using Amazon.SecretsManager.Model;

namespace Tap.LocalAws.Tests.Reliability;

/// <summary>
/// SIGKILL in the middle of a loop of every kind of write (new versions, stage moves, tags, creates, deletes, by
/// several clients at once): after a restart, every acknowledged change is there. Each client keeps a model of what
/// it was told succeeded; only the one call it had in flight when the server died may have gone either way.
/// </summary>
[Trait("Category", "Process")]
public sealed class MixedWriteCrashTests
{
    private const int Writers = 4;
    private const string Label = "STAGED";

    // CI runs one seed; bench/faults.sh runs many (TAP_CRASH_SEED), each with its own operations and moment of the kill.
    private static readonly int Seed = int.TryParse(Environment.GetEnvironmentVariable("TAP_CRASH_SEED"), out var seed) ? seed : 0;

    [Fact]
    public async Task Every_acknowledged_change_of_a_mixed_write_loop_survives_a_SIGKILL()
    {
        var killAfterAcknowledged = 40 + new Random(Seed).Next(80);
        await using var localAws = TestLocalAws.Process(durable: true);
        await localAws.StartAsync();
        using var client = localAws.SecretsManager();
        var writers = new List<Writer>();
        for (var w = 0; w < Writers; w++)
        {
            var writer = new Writer($"mixed/{w}", new Random((Seed * 31) + w));
            var created = await client.CreateSecretAsync(new CreateSecretRequest { Name = writer.Secret, SecretString = "v0" }, TestContext.Current.CancellationToken);
            writer.Acknowledge(new Change.Put(created.VersionId!));
            writers.Add(writer);
        }

        var acknowledged = 0;
        var loops = writers.Select(writer => Task.Run(async () =>
        {
            while (writer.Acknowledged < 200)
            {
                var change = writer.Next();
                try
                {
                    writer.InFlight = change;
                    writer.Acknowledge(await ApplyAsync(client, writer.Secret, change));
                    writer.InFlight = null;
                    Interlocked.Increment(ref acknowledged);
                }
                catch (Exception ex) when (ex is AmazonClientException or HttpRequestException or IOException)
                {
                    return; // The server is gone; the change in flight may or may not have been stored.
                }
            }
        })).ToArray();

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (Volatile.Read(ref acknowledged) < killAfterAcknowledged && DateTime.UtcNow < deadline)
        {
            await Task.Delay(1, TestContext.Current.CancellationToken);
        }

        await localAws.KillAsync();
        await Task.WhenAll(loops);
        Assert.True(acknowledged >= killAfterAcknowledged, $"Only {acknowledged} writes were acknowledged before the deadline (seed {Seed}).");

        await localAws.StartAsync();
        using var after = localAws.SecretsManager();
        foreach (var writer in writers)
        {
            await writer.VerifyAsync(after);
        }
    }

    private static async Task<Change> ApplyAsync(AmazonSecretsManagerClient client, string secret, Change change)
    {
        switch (change)
        {
            case Change.Put:
                var put = await client.PutSecretValueAsync(new PutSecretValueRequest { SecretId = secret, SecretString = Guid.NewGuid().ToString() });
                return new Change.Put(put.VersionId!);
            case Change.MoveLabel move:
                await client.UpdateSecretVersionStageAsync(new UpdateSecretVersionStageRequest
                {
                    SecretId = secret,
                    VersionStage = Label,
                    MoveToVersionId = move.ToVersion,
                    RemoveFromVersionId = move.FromVersion,
                });
                return change;
            case Change.Tag tag:
                await client.TagResourceAsync(new TagResourceRequest { SecretId = secret, Tags = [new Tag { Key = tag.Key, Value = tag.Value }] });
                return change;
            case Change.Untag untag:
                await client.UntagResourceAsync(new UntagResourceRequest { SecretId = secret, TagKeys = [untag.Key] });
                return change;
            case Change.Create create:
                await client.CreateSecretAsync(new CreateSecretRequest { Name = create.Name, SecretString = "temporary" });
                return change;
            case Change.Delete delete:
                await client.DeleteSecretAsync(delete.Force
                    ? new DeleteSecretRequest { SecretId = delete.Name, ForceDeleteWithoutRecovery = true }
                    : new DeleteSecretRequest { SecretId = delete.Name, RecoveryWindowInDays = 7 });
                return change;
            default:
                throw new ArgumentOutOfRangeException(nameof(change), change, null);
        }
    }

    /// <summary>One kind of write.</summary>
    private abstract record Change
    {
        public sealed record Put(string? VersionId) : Change;

        public sealed record MoveLabel(string ToVersion, string? FromVersion) : Change;

        public sealed record Tag(string Key, string Value) : Change;

        public sealed record Untag(string Key) : Change;

        public sealed record Create(string Name) : Change;

        public sealed record Delete(string Name, bool Force) : Change;
    }

    /// <summary>One client's writes to its own secret (and its own short-lived ones), and what it was told.</summary>
    private sealed class Writer(string secret, Random random)
    {
        private readonly List<string> _versions = [];
        private readonly Dictionary<string, string> _tags = new(StringComparer.Ordinal);
        private readonly HashSet<string> _untagged = new(StringComparer.Ordinal);
        private readonly List<string> _live = [];
        private readonly Dictionary<string, bool> _deleted = new(StringComparer.Ordinal);
        private string? _current;
        private string? _labelled;
        private int _counter;

        public string Secret => secret;

        public int Acknowledged { get; private set; }

        public Change? InFlight { get; set; }

        public Change Next()
        {
            _counter++;
            return random.Next(10) switch
            {
                < 3 => new Change.Put(null),
                < 5 when _versions.Where(v => v != _labelled).ToList() is { Count: > 0 } others => new Change.MoveLabel(others[random.Next(others.Count)], _labelled),
                < 7 => new Change.Tag($"k{_counter}", $"v{_counter}"),
                7 when _tags.Count > 0 => new Change.Untag(_tags.Keys.First()),
                8 => new Change.Create($"{secret}/temporary-{_counter}"),
                9 when _live.Count > 0 => new Change.Delete(_live[0], Force: _counter % 2 == 0),
                _ => new Change.Put(null),
            };
        }

        public void Acknowledge(Change change)
        {
            Acknowledged++;
            switch (change)
            {
                case Change.Put put:
                    _versions.Add(put.VersionId!);
                    _current = put.VersionId;
                    break;
                case Change.MoveLabel move:
                    _labelled = move.ToVersion;
                    break;
                case Change.Tag tag:
                    _tags[tag.Key] = tag.Value;
                    break;
                case Change.Untag untag:
                    _tags.Remove(untag.Key);
                    _untagged.Add(untag.Key);
                    break;
                case Change.Create create:
                    _live.Add(create.Name);
                    break;
                case Change.Delete delete:
                    _live.Remove(delete.Name);
                    _deleted[delete.Name] = delete.Force;
                    break;
            }
        }

        public async Task VerifyAsync(AmazonSecretsManagerClient client)
        {
            var versions = (await client.ListSecretVersionIdsAsync(new ListSecretVersionIdsRequest { SecretId = secret, IncludeDeprecated = true })).Versions!;
            var stages = versions.ToDictionary(v => v.VersionId!, v => v.VersionStages ?? [], StringComparer.Ordinal);
            Assert.All(_versions, id => Assert.Contains(id, stages.Keys));
            if (InFlight is not Change.Put)
            {
                Assert.Contains("AWSCURRENT", stages[_current!]);
            }

            if (InFlight is not Change.MoveLabel && _labelled is not null)
            {
                Assert.Contains(Label, stages[_labelled]);
            }

            var tags = (await client.DescribeSecretAsync(new DescribeSecretRequest { SecretId = secret })).Tags ?? [];
            var uncertainKey = InFlight switch { Change.Tag t => t.Key, Change.Untag u => u.Key, _ => null };
            foreach (var (key, value) in _tags.Where(t => t.Key != uncertainKey))
            {
                Assert.Contains(tags, t => t.Key == key && t.Value == value);
            }

            Assert.DoesNotContain(tags, t => _untagged.Contains(t.Key!) && t.Key != uncertainKey);

            var uncertainName = InFlight switch { Change.Create c => c.Name, Change.Delete d => d.Name, _ => null };
            foreach (var name in _live.Where(n => n != uncertainName))
            {
                Assert.Null((await client.DescribeSecretAsync(new DescribeSecretRequest { SecretId = name })).DeletedDate);
            }

            foreach (var (name, force) in _deleted)
            {
                if (force)
                {
                    await Assert.ThrowsAsync<ResourceNotFoundException>(() => client.DescribeSecretAsync(new DescribeSecretRequest { SecretId = name }));
                }
                else
                {
                    Assert.NotNull((await client.DescribeSecretAsync(new DescribeSecretRequest { SecretId = name })).DeletedDate);
                }
            }
        }
    }
}

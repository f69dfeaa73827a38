using System.Text.Json;
using Amazon.SecretsManager;
using Amazon.SecretsManager.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tap.LocalAws.SecretsManager.Storage;
using Tap.LocalAws.Storage;

namespace Tap.LocalAws.Tests;

/// <summary>
/// Every write path, failed at every step of a durable write: memory and disk must agree afterwards, a failed
/// write must change nothing and answer 500 InternalServiceError, and a read must never fail for want of a write.
/// </summary>
public sealed class StorageFaultTests(StorageFaultTests.Fixture fixture) : IClassFixture<StorageFaultTests.Fixture>
{
    private const string Value = "fault-test-secret-value";

    private static readonly StorageStep[] EffectSteps = [StorageStep.ReplaceFile, StorageStep.DeleteFile];

    private readonly IAmazonSecretsManager _admin = fixture.LocalAws.SecretsManager(TestPrincipals.Admin);
    private readonly SecretStore _store = fixture.LocalAws.Services.GetRequiredService<SecretStore>();

    /// <summary>Each write path: what it needs set up first (given a fresh secret's name), and the call itself.</summary>
    public static TheoryData<string, StorageStep> Cases()
    {
        var data = new TheoryData<string, StorageStep>();
        foreach (var operation in Operations.Keys)
        {
            foreach (var step in Enum.GetValues<StorageStep>())
            {
                data.Add(operation, step);
            }
        }

        return data;
    }

    private static readonly Dictionary<string, (Func<IAmazonSecretsManager, string, Task>? Setup, Func<IAmazonSecretsManager, string, Task> Call)> Operations = new()
    {
        ["CreateSecret"] = (null, (c, name) => c.CreateSecretAsync(new CreateSecretRequest { Name = name + "/new", SecretString = Value, Tags = [new Tag { Key = "k", Value = "v" }] })),
        ["PutSecretValue"] = (null, (c, name) => c.PutSecretValueAsync(new PutSecretValueRequest { SecretId = name, SecretString = Value + "-2" })),
        ["UpdateSecret"] = (null, (c, name) => c.UpdateSecretAsync(new UpdateSecretRequest { SecretId = name, Description = "changed", SecretString = Value + "-3" })),
        ["DeleteSecret"] = (null, (c, name) => c.DeleteSecretAsync(new DeleteSecretRequest { SecretId = name, RecoveryWindowInDays = 7 })),
        ["DeleteSecret(force)"] = (null, (c, name) => c.DeleteSecretAsync(new DeleteSecretRequest { SecretId = name, ForceDeleteWithoutRecovery = true })),
        ["RestoreSecret"] = (
            (c, name) => c.DeleteSecretAsync(new DeleteSecretRequest { SecretId = name, RecoveryWindowInDays = 7 }),
            (c, name) => c.RestoreSecretAsync(new RestoreSecretRequest { SecretId = name })),
        ["UpdateSecretVersionStage"] = (null, async (c, name) =>
        {
            var version = (await c.DescribeSecretAsync(new DescribeSecretRequest { SecretId = name })).VersionIdsToStages!.Keys.Single();
            await c.UpdateSecretVersionStageAsync(new UpdateSecretVersionStageRequest { SecretId = name, VersionStage = "AWSPENDING", MoveToVersionId = version });
        }
        ),
        ["TagResource"] = (null, (c, name) => c.TagResourceAsync(new TagResourceRequest { SecretId = name, Tags = [new Tag { Key = "team", Value = "tap" }] })),
        ["UntagResource"] = (null, (c, name) => c.UntagResourceAsync(new UntagResourceRequest { SecretId = name, TagKeys = ["seeded"] })),
        ["PutResourcePolicy"] = (null, (c, name) => c.PutResourcePolicyAsync(new PutResourcePolicyRequest
        {
            SecretId = name,
            ResourcePolicy = """{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::000000000000:user/reader"},"Action":"*","Resource":"*"}]}""",
        })),
        ["DeleteResourcePolicy"] = (
            (c, name) => c.PutResourcePolicyAsync(new PutResourcePolicyRequest
            {
                SecretId = name,
                ResourcePolicy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:user/reader"},"Action":"secretsmanager:DescribeSecret","Resource":"*"}]}""",
            }),
            (c, name) => c.DeleteResourcePolicyAsync(new DeleteResourcePolicyRequest { SecretId = name })),
        ["GetSecretValue"] = (null, (c, name) => c.GetSecretValueAsync(new GetSecretValueRequest { SecretId = name })),
        ["BatchGetSecretValue"] = (null, (c, name) => c.BatchGetSecretValueAsync(new BatchGetSecretValueRequest { SecretIdList = [name] })),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_failure_at_any_step_leaves_memory_and_disk_equal_and_a_failed_write_changes_nothing(string operation, StorageStep failingStep)
    {
        var name = $"faults/{Guid.NewGuid():N}";
        await _admin.CreateSecretAsync(new CreateSecretRequest { Name = name, SecretString = Value, Tags = [new Tag { Key = "seeded", Value = "yes" }] }, TestContext.Current.CancellationToken);
        var (setup, call) = Operations[operation];
        if (setup is not null)
        {
            await setup(_admin, name);
        }

        var before = Memory();
        fixture.LocalAws.Logs.Clear();

        _store.Persistence!.BeforeStep = step =>
        {
            if (step == failingStep)
            {
                throw new IOException($"injected failure before {step}");
            }
        };
        Exception? failure = null;
        try
        {
            await call(_admin, name);
        }
        catch (AmazonSecretsManagerException ex)
        {
            failure = ex;
        }
        finally
        {
            _store.Persistence!.BeforeStep = null;
        }

        Assert.Equal(Disk(), Memory());
        var isRead = operation is "GetSecretValue" or "BatchGetSecretValue";
        var failedBeforeTakingEffect = failingStep < StorageStep.ReplaceFile || EffectSteps.Contains(failingStep);
        if (failure is null)
        {
            // Reads never fail for want of a write; the directory sync comes after the change took effect.
            Assert.True(isRead || failingStep == StorageStep.SyncDirectory || !Touches(operation, failingStep), $"{operation} should have failed at {failingStep}");
            return;
        }

        Assert.False(isRead, $"{operation} is a read and must not fail because storage did: {failure.Message}");
        Assert.True(failedBeforeTakingEffect);
        var error = Assert.IsAssignableFrom<AmazonSecretsManagerException>(failure);
        Assert.Equal(System.Net.HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.Equal("InternalServiceError", error.ErrorCode);
        Assert.Equal(before, Memory());
        var logged = Assert.Single(fixture.LocalAws.Logs.GetSnapshot(), r => r.Level == LogLevel.Error && r.Exception?.Message.Contains("injected failure", StringComparison.Ordinal) == true);
        Assert.DoesNotContain(Value, logged.Message + logged.Exception, StringComparison.Ordinal);
    }

    /// <summary>Whether the operation writes at this step at all (a save never deletes, a forced delete never saves).</summary>
    private static bool Touches(string operation, StorageStep step) => operation == "DeleteSecret(force)"
        ? step is StorageStep.DeleteFile or StorageStep.SyncDirectory
        : step != StorageStep.DeleteFile;

    private string Memory() => Snapshot(_store.All);

    private string Disk() => Snapshot(FileSecretPersistence.ReadDirectory(Path.Combine(fixture.DataDirectory, "secretsmanager")));

    private static string Snapshot(IEnumerable<SecretRecord> records) =>
        JsonSerializer.Serialize(records.OrderBy(r => r.Arn, StringComparer.Ordinal).ToList());

    /// <summary>One durable LocalAws for every case: each case works on secrets of its own.</summary>
    public sealed class Fixture : IDisposable
    {
        public Fixture() => LocalAws = new LocalAwsFactory { DataDirectory = DataDirectory };

        public string DataDirectory { get; } = Directory.CreateTempSubdirectory("localaws-faults-").FullName;

        public LocalAwsFactory LocalAws { get; }

        public void Dispose()
        {
            LocalAws.Dispose();
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}

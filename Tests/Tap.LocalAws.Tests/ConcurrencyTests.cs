using Amazon.SecretsManager.Model;

namespace Tap.LocalAws.Tests;

/// <summary>Concurrent writers to one secret keep Secrets Manager's semantics.</summary>
public sealed class ConcurrencyTests(LocalAwsFactory factory) : IClassFixture<LocalAwsFactory>
{
    [Fact]
    public async Task Parallel_puts_with_distinct_tokens_lose_no_version()
    {
        var admin = factory.SecretsManager(TestPrincipals.Admin);
        var name = $"parallel/{Guid.NewGuid():N}";
        await admin.CreateSecretAsync(new CreateSecretRequest { Name = name, SecretString = "initial" }, TestContext.Current.CancellationToken);

        var puts = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            admin.PutSecretValueAsync(new PutSecretValueRequest { SecretId = name, SecretString = $"value-{i}", ClientRequestToken = Guid.NewGuid().ToString() })));

        var versions = (await admin.ListSecretVersionIdsAsync(new ListSecretVersionIdsRequest { SecretId = name, IncludeDeprecated = true }, TestContext.Current.CancellationToken)).Versions!;
        Assert.Equal(41, versions.Count);
        Assert.Subset(versions.Select(v => v.VersionId).ToHashSet(), puts.Select(p => p.VersionId).ToHashSet());
        Assert.Single(versions, v => v.VersionStages!.Contains("AWSCURRENT"));
        Assert.Single(versions, v => v.VersionStages!.Contains("AWSPREVIOUS"));
    }

    [Fact]
    public async Task Parallel_puts_with_one_token_create_one_version()
    {
        var admin = factory.SecretsManager(TestPrincipals.Admin);
        var name = $"idempotent/{Guid.NewGuid():N}";
        await admin.CreateSecretAsync(new CreateSecretRequest { Name = name, SecretString = "initial" }, TestContext.Current.CancellationToken);
        var token = Guid.NewGuid().ToString();

        var puts = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            admin.PutSecretValueAsync(new PutSecretValueRequest { SecretId = name, SecretString = "same", ClientRequestToken = token })));

        Assert.All(puts, p => Assert.Equal(token, p.VersionId));
        var versions = (await admin.ListSecretVersionIdsAsync(new ListSecretVersionIdsRequest { SecretId = name, IncludeDeprecated = true }, TestContext.Current.CancellationToken)).Versions!;
        Assert.Equal(2, versions.Count);
    }
}

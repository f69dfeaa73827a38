using Amazon.SecretsManager;
using Amazon.SecretsManager.Model;

namespace Tap.LocalAws.Tests;

/// <summary>
/// Each operation demands every permission AWS's Service Authorization Reference lists for it, including those an
/// input implies, and its errors reveal nothing the caller may not see.
/// </summary>
public sealed class SideDoorPermissionTests(LocalAwsFactory factory) : IClassFixture<LocalAwsFactory>, IAsyncLifetime
{
    private readonly IAmazonSecretsManager _admin = factory.SecretsManager(TestPrincipals.Admin);
    private readonly IAmazonSecretsManager _batcher = factory.SecretsManager(TestPrincipals.Batcher);
    private readonly IAmazonSecretsManager _creator = factory.SecretsManager(TestPrincipals.Creator);
    private string _otherArn = string.Empty;
    private readonly string _otherName = $"side-door/{Guid.NewGuid():N}";

    public async ValueTask InitializeAsync()
    {
        try
        {
            await _admin.CreateSecretAsync(new CreateSecretRequest { Name = TestPrincipals.ConfigSecretName, SecretString = "config" });
        }
        catch (ResourceExistsException)
        {
            // Created by an earlier test on this fixture.
        }

        _otherArn = (await _admin.CreateSecretAsync(new CreateSecretRequest { Name = _otherName, SecretString = "other" })).ARN!;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Batch_reads_by_filter_need_ListSecrets_so_they_cannot_enumerate_secrets()
    {
        var ex = await Assert.ThrowsAsync<AccessDeniedException>(() => _batcher.BatchGetSecretValueAsync(new BatchGetSecretValueRequest
        {
            Filters = [new Filter { Key = "name", Values = ["side-door/"] }],
        }, TestContext.Current.CancellationToken));

        Assert.Contains("is not authorized to perform: secretsmanager:ListSecrets", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_otherArn, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Batch_reads_by_id_report_a_denied_secret_as_it_was_named_never_by_its_ARN()
    {
        var result = await _batcher.BatchGetSecretValueAsync(new BatchGetSecretValueRequest { SecretIdList = [TestPrincipals.ConfigSecretName, _otherName] }, TestContext.Current.CancellationToken);

        Assert.Equal("config", Assert.Single(result.SecretValues!).SecretString);
        var denied = Assert.Single(result.Errors!);
        Assert.Equal(_otherName, denied.SecretId);
        Assert.Equal("AccessDeniedException", denied.ErrorCode);
        Assert.DoesNotContain(_otherArn, denied.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Creating_a_tagged_secret_also_needs_TagResource_and_creates_nothing_without_it()
    {
        var name = $"side-door/tagged-{Guid.NewGuid():N}";

        var ex = await Assert.ThrowsAsync<AccessDeniedException>(() => _creator.CreateSecretAsync(new CreateSecretRequest
        {
            Name = name,
            SecretString = "x",
            Tags = [new Tag { Key = "team", Value = "tap" }],
        }, TestContext.Current.CancellationToken));
        var untagged = await _creator.CreateSecretAsync(new CreateSecretRequest { Name = name + "-untagged", SecretString = "x" }, TestContext.Current.CancellationToken);

        Assert.Contains($"is not authorized to perform: secretsmanager:TagResource on resource: {name}", ex.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => _admin.DescribeSecretAsync(new DescribeSecretRequest { SecretId = name }, TestContext.Current.CancellationToken));
        Assert.NotNull(untagged.ARN);
    }
}

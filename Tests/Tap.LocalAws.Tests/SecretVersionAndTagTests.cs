using Amazon.SecretsManager;
using Amazon.SecretsManager.Model;

namespace Tap.LocalAws.Tests;

/// <summary>ListSecretVersionIds, UpdateSecretVersionStage, tags and rotation.</summary>
public sealed class SecretVersionAndTagTests(LocalAwsFactory factory) : IClassFixture<LocalAwsFactory>
{
    private readonly IAmazonSecretsManager _admin = factory.SecretsManager(TestPrincipals.Admin);

    private async Task<(string Name, string V1, string V2)> TwoVersionsAsync()
    {
        var name = $"versions/{Guid.NewGuid():N}";
        var v1 = await _admin.CreateSecretAsync(new CreateSecretRequest { Name = name, SecretString = "one" });
        var v2 = await _admin.PutSecretValueAsync(new PutSecretValueRequest { SecretId = name, SecretString = "two" });
        return (name, v1.VersionId!, v2.VersionId!);
    }

    private async Task<Dictionary<string, List<string>>> StagesAsync(string name) =>
        (await _admin.DescribeSecretAsync(new DescribeSecretRequest { SecretId = name })).VersionIdsToStages!;

    [Fact]
    public async Task ListSecretVersionIds_lists_staged_versions_and_deprecated_ones_on_request()
    {
        var (name, v1, v2) = await TwoVersionsAsync();
        var v3 = (await _admin.PutSecretValueAsync(new PutSecretValueRequest { SecretId = name, SecretString = "three" }, TestContext.Current.CancellationToken)).VersionId!;

        var staged = await _admin.ListSecretVersionIdsAsync(new ListSecretVersionIdsRequest { SecretId = name }, TestContext.Current.CancellationToken);
        var all = await _admin.ListSecretVersionIdsAsync(new ListSecretVersionIdsRequest { SecretId = name, IncludeDeprecated = true }, TestContext.Current.CancellationToken);
        var page = await _admin.ListSecretVersionIdsAsync(new ListSecretVersionIdsRequest { SecretId = name, IncludeDeprecated = true, MaxResults = 2 }, TestContext.Current.CancellationToken);
        var rest = await _admin.ListSecretVersionIdsAsync(new ListSecretVersionIdsRequest { SecretId = name, IncludeDeprecated = true, MaxResults = 2, NextToken = page.NextToken }, TestContext.Current.CancellationToken);

        Assert.Equal([v2, v3], staged.Versions!.Select(v => v.VersionId));
        Assert.Equal([v1, v2, v3], all.Versions!.Select(v => v.VersionId));
        Assert.Empty(all.Versions![0].VersionStages!);
        Assert.Equal([v1, v2, v3], page.Versions!.Concat(rest.Versions!).Select(v => v.VersionId));
        Assert.Null(rest.NextToken);
    }

    [Fact]
    public async Task A_custom_stage_such_as_AWSPENDING_can_be_attached_and_moved()
    {
        var (name, v1, v2) = await TwoVersionsAsync();

        await _admin.UpdateSecretVersionStageAsync(new UpdateSecretVersionStageRequest { SecretId = name, VersionStage = "AWSPENDING", MoveToVersionId = v1 }, TestContext.Current.CancellationToken);
        Assert.Equal(["AWSPREVIOUS", "AWSPENDING"], (await StagesAsync(name))[v1]);
        Assert.Equal("one", (await _admin.GetSecretValueAsync(new GetSecretValueRequest { SecretId = name, VersionStage = "AWSPENDING" }, TestContext.Current.CancellationToken)).SecretString);

        var refused = await Assert.ThrowsAsync<InvalidParameterException>(() => _admin.UpdateSecretVersionStageAsync(new UpdateSecretVersionStageRequest { SecretId = name, VersionStage = "AWSPENDING", MoveToVersionId = v2 }, TestContext.Current.CancellationToken));
        Assert.Contains(v1, refused.Message, StringComparison.Ordinal);

        await _admin.UpdateSecretVersionStageAsync(new UpdateSecretVersionStageRequest { SecretId = name, VersionStage = "AWSPENDING", MoveToVersionId = v2, RemoveFromVersionId = v1 }, TestContext.Current.CancellationToken);
        await _admin.UpdateSecretVersionStageAsync(new UpdateSecretVersionStageRequest { SecretId = name, VersionStage = "AWSPENDING", RemoveFromVersionId = v2 }, TestContext.Current.CancellationToken);
        Assert.DoesNotContain((await StagesAsync(name)).Values, stages => stages.Contains("AWSPENDING"));
    }

    [Fact]
    public async Task Moving_AWSCURRENT_makes_the_old_current_version_AWSPREVIOUS()
    {
        var (name, v1, v2) = await TwoVersionsAsync();

        await _admin.UpdateSecretVersionStageAsync(new UpdateSecretVersionStageRequest { SecretId = name, VersionStage = "AWSCURRENT", MoveToVersionId = v1, RemoveFromVersionId = v2 }, TestContext.Current.CancellationToken);

        var stages = await StagesAsync(name);
        Assert.Equal(["AWSCURRENT"], stages[v1]);
        Assert.Equal(["AWSPREVIOUS"], stages[v2]);
        Assert.Equal("one", (await _admin.GetSecretValueAsync(new GetSecretValueRequest { SecretId = name }, TestContext.Current.CancellationToken)).SecretString);
    }

    [Fact]
    public async Task AWSCURRENT_cannot_be_removed_without_moving_it()
    {
        var (name, _, v2) = await TwoVersionsAsync();

        await Assert.ThrowsAsync<InvalidParameterException>(() => _admin.UpdateSecretVersionStageAsync(new UpdateSecretVersionStageRequest { SecretId = name, VersionStage = "AWSCURRENT", RemoveFromVersionId = v2 }, TestContext.Current.CancellationToken));
        Assert.Equal(["AWSCURRENT"], (await StagesAsync(name))[v2]);
    }

    [Fact]
    public async Task Tags_are_added_replaced_and_removed()
    {
        var (name, _, _) = await TwoVersionsAsync();

        await _admin.TagResourceAsync(new TagResourceRequest { SecretId = name, Tags = [new Tag { Key = "team", Value = "a" }, new Tag { Key = "env", Value = "dev" }] }, TestContext.Current.CancellationToken);
        await _admin.TagResourceAsync(new TagResourceRequest { SecretId = name, Tags = [new Tag { Key = "team", Value = "b" }] }, TestContext.Current.CancellationToken);
        await _admin.UntagResourceAsync(new UntagResourceRequest { SecretId = name, TagKeys = ["env"] }, TestContext.Current.CancellationToken);

        var tags = (await _admin.DescribeSecretAsync(new DescribeSecretRequest { SecretId = name }, TestContext.Current.CancellationToken)).Tags!;
        Assert.Equal("team=b", string.Join(',', tags.Select(t => $"{t.Key}={t.Value}")));
    }

    [Fact]
    public async Task More_than_50_tags_are_refused_and_nothing_changes()
    {
        var (name, _, _) = await TwoVersionsAsync();

        await Assert.ThrowsAsync<LimitExceededException>(() => _admin.TagResourceAsync(new TagResourceRequest
        {
            SecretId = name,
            Tags = Enumerable.Range(0, 51).Select(i => new Tag { Key = $"k{i}", Value = "v" }).ToList(),
        }, TestContext.Current.CancellationToken));
        Assert.Null((await _admin.DescribeSecretAsync(new DescribeSecretRequest { SecretId = name }, TestContext.Current.CancellationToken)).Tags);
    }

    [Fact]
    public async Task RotateSecret_explains_that_rotation_functions_are_not_emulated()
    {
        var (name, _, _) = await TwoVersionsAsync();

        var ex = await Assert.ThrowsAsync<InvalidRequestException>(() => _admin.RotateSecretAsync(new RotateSecretRequest { SecretId = name }, TestContext.Current.CancellationToken));

        Assert.Contains("does not emulate rotation functions", ex.Message, StringComparison.Ordinal);
    }
}

using Amazon.SecretsManager;
using Amazon.SecretsManager.Model;

namespace Tap.LocalAws.Tests;

/// <summary>Every Secrets Manager operation through the Tap client, signed as an SDK signs, against LocalAws.</summary>
public sealed class SecretsManagerLifecycleTests(LocalAwsFactory factory) : IClassFixture<LocalAwsFactory>
{
    private readonly IAmazonSecretsManager _admin = factory.SecretsManager(TestPrincipals.Admin);

    private static string UniqueName(string prefix = "test") => $"{prefix}/{Guid.NewGuid():N}";

    [Fact]
    public async Task Create_get_put_describe_list_delete_restore()
    {
        var name = UniqueName();
        var created = await _admin.CreateSecretAsync(new CreateSecretRequest { Name = name, SecretString = """{"API_KEY":"one"}""", Description = "first" }, TestContext.Current.CancellationToken);
        Assert.Matches($"^arn:aws:secretsmanager:us-east-1:000000000000:secret:{name}-[A-Za-z0-9]{{6}}$", created.ARN);

        var first = await _admin.GetSecretValueAsync(new GetSecretValueRequest { SecretId = name }, TestContext.Current.CancellationToken);
        Assert.Equal("""{"API_KEY":"one"}""", first.SecretString);
        Assert.Equal(created.VersionId, first.VersionId);
        Assert.Equal(["AWSCURRENT"], first.VersionStages);

        var put = await _admin.PutSecretValueAsync(new PutSecretValueRequest { SecretId = name, SecretString = """{"API_KEY":"two"}""" }, TestContext.Current.CancellationToken);
        var described = await _admin.DescribeSecretAsync(new DescribeSecretRequest { SecretId = name }, TestContext.Current.CancellationToken);
        Assert.Equal(["AWSCURRENT"], described.VersionIdsToStages![put.VersionId!]);
        Assert.Equal(["AWSPREVIOUS"], described.VersionIdsToStages[created.VersionId!]);
        Assert.Equal("first", described.Description);
        Assert.NotNull(described.LastAccessedDate);

        var previous = await _admin.GetSecretValueAsync(new GetSecretValueRequest { SecretId = name, VersionStage = "AWSPREVIOUS" }, TestContext.Current.CancellationToken);
        Assert.Equal("""{"API_KEY":"one"}""", previous.SecretString);

        var listed = await _admin.ListSecretsAsync(new ListSecretsRequest { Filters = [new Filter { Key = "name", Values = [name] }] }, TestContext.Current.CancellationToken);
        Assert.Equal(name, Assert.Single(listed.SecretList!).Name);

        var deleted = await _admin.DeleteSecretAsync(new DeleteSecretRequest { SecretId = name, RecoveryWindowInDays = 7 }, TestContext.Current.CancellationToken);
        Assert.InRange(deleted.DeletionDate!.Value, DateTime.UtcNow.AddDays(7).AddMinutes(-5), DateTime.UtcNow.AddDays(7).AddMinutes(5));
        var whileDeleted = await Assert.ThrowsAsync<InvalidRequestException>(() => _admin.GetSecretValueAsync(new GetSecretValueRequest { SecretId = name }, TestContext.Current.CancellationToken));
        Assert.Contains("marked for deletion", whileDeleted.Message, StringComparison.Ordinal);
        Assert.Empty((await _admin.ListSecretsAsync(new ListSecretsRequest { Filters = [new Filter { Key = "name", Values = [name] }] }, TestContext.Current.CancellationToken)).SecretList!);
        Assert.Single((await _admin.ListSecretsAsync(new ListSecretsRequest { IncludePlannedDeletion = true, Filters = [new Filter { Key = "name", Values = [name] }] }, TestContext.Current.CancellationToken)).SecretList!);

        await _admin.RestoreSecretAsync(new RestoreSecretRequest { SecretId = name }, TestContext.Current.CancellationToken);
        Assert.Equal("""{"API_KEY":"two"}""", (await _admin.GetSecretValueAsync(new GetSecretValueRequest { SecretId = name }, TestContext.Current.CancellationToken)).SecretString);

        await _admin.DeleteSecretAsync(new DeleteSecretRequest { SecretId = name, ForceDeleteWithoutRecovery = true }, TestContext.Current.CancellationToken);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => _admin.GetSecretValueAsync(new GetSecretValueRequest { SecretId = name }, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Secrets_are_found_by_name_full_ARN_and_partial_ARN()
    {
        var name = UniqueName();
        var created = await _admin.CreateSecretAsync(new CreateSecretRequest { Name = name, SecretString = "v" }, TestContext.Current.CancellationToken);
        var partial = created.ARN![..^7];

        foreach (var id in new[] { name, created.ARN, partial })
        {
            Assert.Equal("v", (await _admin.GetSecretValueAsync(new GetSecretValueRequest { SecretId = id }, TestContext.Current.CancellationToken)).SecretString);
        }

        await Assert.ThrowsAsync<ResourceNotFoundException>(() => _admin.GetSecretValueAsync(new GetSecretValueRequest { SecretId = partial + "-zzzzzz" }, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Versions_are_selected_by_id_or_stage()
    {
        var name = UniqueName();
        var v1 = await _admin.CreateSecretAsync(new CreateSecretRequest { Name = name, SecretString = "one" }, TestContext.Current.CancellationToken);
        var v2 = await _admin.PutSecretValueAsync(new PutSecretValueRequest { SecretId = name, SecretString = "two", VersionStages = ["CUSTOM"] }, TestContext.Current.CancellationToken);

        Assert.Equal("one", (await _admin.GetSecretValueAsync(new GetSecretValueRequest { SecretId = name }, TestContext.Current.CancellationToken)).SecretString);
        Assert.Equal("two", (await _admin.GetSecretValueAsync(new GetSecretValueRequest { SecretId = name, VersionStage = "CUSTOM" }, TestContext.Current.CancellationToken)).SecretString);
        Assert.Equal("one", (await _admin.GetSecretValueAsync(new GetSecretValueRequest { SecretId = name, VersionId = v1.VersionId }, TestContext.Current.CancellationToken)).SecretString);
        await Assert.ThrowsAsync<InvalidRequestException>(() => _admin.GetSecretValueAsync(new GetSecretValueRequest { SecretId = name, VersionId = v2.VersionId, VersionStage = "AWSCURRENT" }, TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => _admin.GetSecretValueAsync(new GetSecretValueRequest { SecretId = name, VersionStage = "AWSPREVIOUS" }, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_repeated_ClientRequestToken_is_idempotent_for_the_same_value_and_refused_for_another()
    {
        var name = UniqueName();
        await _admin.CreateSecretAsync(new CreateSecretRequest { Name = name, SecretString = "one" }, TestContext.Current.CancellationToken);
        var token = Guid.NewGuid().ToString();

        var first = await _admin.PutSecretValueAsync(new PutSecretValueRequest { SecretId = name, SecretString = "two", ClientRequestToken = token }, TestContext.Current.CancellationToken);
        var again = await _admin.PutSecretValueAsync(new PutSecretValueRequest { SecretId = name, SecretString = "two", ClientRequestToken = token }, TestContext.Current.CancellationToken);
        var conflict = await Assert.ThrowsAsync<ResourceExistsException>(() =>
            _admin.PutSecretValueAsync(new PutSecretValueRequest { SecretId = name, SecretString = "three", ClientRequestToken = token }, TestContext.Current.CancellationToken));

        Assert.Equal(token, first.VersionId);
        Assert.Equal(token, again.VersionId);
        Assert.Equal(2, (await _admin.DescribeSecretAsync(new DescribeSecretRequest { SecretId = name }, TestContext.Current.CancellationToken)).VersionIdsToStages!.Count);
        Assert.Contains("can't modify an existing version", conflict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateSecret_changes_details_and_adds_a_current_version()
    {
        var name = UniqueName();
        var created = await _admin.CreateSecretAsync(new CreateSecretRequest { Name = name, SecretString = "one" }, TestContext.Current.CancellationToken);

        var detailsOnly = await _admin.UpdateSecretAsync(new UpdateSecretRequest { SecretId = name, Description = "new description" }, TestContext.Current.CancellationToken);
        var withValue = await _admin.UpdateSecretAsync(new UpdateSecretRequest { SecretId = name, SecretString = "two" }, TestContext.Current.CancellationToken);

        Assert.Null(detailsOnly.VersionId);
        Assert.NotEqual(created.VersionId, withValue.VersionId);
        var described = await _admin.DescribeSecretAsync(new DescribeSecretRequest { SecretId = name }, TestContext.Current.CancellationToken);
        Assert.Equal("new description", described.Description);
        Assert.Equal(["AWSCURRENT"], described.VersionIdsToStages![withValue.VersionId!]);
    }

    [Fact]
    public async Task SecretBinary_round_trips()
    {
        var name = UniqueName();
        byte[] value = [0, 1, 2, 253, 254, 255];

        await _admin.CreateSecretAsync(new CreateSecretRequest { Name = name, SecretBinary = new MemoryStream(value) }, TestContext.Current.CancellationToken);
        var read = await _admin.GetSecretValueAsync(new GetSecretValueRequest { SecretId = name }, TestContext.Current.CancellationToken);

        Assert.Equal(value, read.SecretBinary!.ToArray());
        Assert.Null(read.SecretString);
    }

    [Fact]
    public async Task ListSecrets_pages_with_NextToken_and_filters_by_tag()
    {
        var prefix = UniqueName("paged");
        for (var i = 0; i < 5; i++)
        {
            await _admin.CreateSecretAsync(new CreateSecretRequest { Name = $"{prefix}/{i}", SecretString = "x", Tags = [new Tag { Key = "team", Value = i % 2 == 0 ? "even" : "odd" }] }, TestContext.Current.CancellationToken);
        }

        var names = new List<string?>();
        await foreach (var entry in _admin.Paginators.ListSecrets(new ListSecretsRequest { MaxResults = 2, Filters = [new Filter { Key = "name", Values = [prefix] }] }).SecretList)
        {
            names.Add(entry.Name);
        }

        var even = await _admin.ListSecretsAsync(new ListSecretsRequest { Filters = [new Filter { Key = "name", Values = [prefix] }, new Filter { Key = "tag-value", Values = ["even"] }] }, TestContext.Current.CancellationToken);
        var notEven = await _admin.ListSecretsAsync(new ListSecretsRequest { Filters = [new Filter { Key = "name", Values = [prefix] }, new Filter { Key = "tag-value", Values = ["!even"] }] }, TestContext.Current.CancellationToken);

        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"{prefix}/{i}"), names);
        Assert.Equal(3, even.SecretList!.Count);
        Assert.Equal(2, notEven.SecretList!.Count);
    }

    [Fact]
    public async Task GetRandomPassword_honours_length_and_exclusions()
    {
        var password = await _admin.GetRandomPasswordAsync(new GetRandomPasswordRequest { PasswordLength = 64, ExcludePunctuation = true, ExcludeCharacters = "aeiou" }, TestContext.Current.CancellationToken);

        Assert.Equal(64, password.RandomPassword!.Length);
        Assert.All(password.RandomPassword, c => Assert.True(char.IsAsciiLetterOrDigit(c) && !"aeiou".Contains(c, StringComparison.Ordinal)));
        Assert.Contains(password.RandomPassword, char.IsAsciiDigit);
        Assert.Contains(password.RandomPassword, char.IsAsciiLetterUpper);
    }
}

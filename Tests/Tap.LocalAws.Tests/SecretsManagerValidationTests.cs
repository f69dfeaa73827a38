using Amazon.SecretsManager;
using Amazon.SecretsManager.Model;

namespace Tap.LocalAws.Tests;

/// <summary>Bad input gets Secrets Manager's error and changes nothing.</summary>
public sealed class SecretsManagerValidationTests(LocalAwsFactory factory) : IClassFixture<LocalAwsFactory>
{
    private readonly IAmazonSecretsManager _admin = factory.SecretsManager(TestPrincipals.Admin);

    private static string UniqueName() => $"validation/{Guid.NewGuid():N}";

    [Theory]
    [InlineData("has space")]
    [InlineData("semi;colon")]
    [InlineData("")]
    public async Task Invalid_names_are_refused(string name)
    {
        var ex = await Assert.ThrowsAsync<AmazonSecretsManagerException>(() => _admin.CreateSecretAsync(new CreateSecretRequest { Name = name, SecretString = "x" }, TestContext.Current.CancellationToken));

        Assert.Equal("ValidationException", ex.ErrorCode);
    }

    [Fact]
    public async Task String_and_binary_together_are_refused()
    {
        var name = UniqueName();
        await Assert.ThrowsAsync<InvalidParameterException>(() =>
            _admin.CreateSecretAsync(new CreateSecretRequest { Name = name, SecretString = "x", SecretBinary = new MemoryStream([1]) }, TestContext.Current.CancellationToken));

        await Assert.ThrowsAsync<ResourceNotFoundException>(() => _admin.DescribeSecretAsync(new DescribeSecretRequest { SecretId = name }, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Values_over_64_KB_are_refused_and_the_secret_is_unchanged()
    {
        var name = UniqueName();
        await _admin.CreateSecretAsync(new CreateSecretRequest { Name = name, SecretString = "small" }, TestContext.Current.CancellationToken);

        var ex = await Assert.ThrowsAsync<AmazonSecretsManagerException>(() =>
            _admin.PutSecretValueAsync(new PutSecretValueRequest { SecretId = name, SecretString = new string('x', 65537) }, TestContext.Current.CancellationToken));

        Assert.Equal("ValidationException", ex.ErrorCode);
        Assert.Equal("small", (await _admin.GetSecretValueAsync(new GetSecretValueRequest { SecretId = name }, TestContext.Current.CancellationToken)).SecretString);
        Assert.Single((await _admin.DescribeSecretAsync(new DescribeSecretRequest { SecretId = name }, TestContext.Current.CancellationToken)).VersionIdsToStages!);
    }

    [Fact]
    public async Task Creating_an_existing_or_deleted_name_is_refused()
    {
        var name = UniqueName();
        await _admin.CreateSecretAsync(new CreateSecretRequest { Name = name, SecretString = "x" }, TestContext.Current.CancellationToken);

        await Assert.ThrowsAsync<ResourceExistsException>(() => _admin.CreateSecretAsync(new CreateSecretRequest { Name = name, SecretString = "y" }, TestContext.Current.CancellationToken));
        await _admin.DeleteSecretAsync(new DeleteSecretRequest { SecretId = name }, TestContext.Current.CancellationToken);
        var scheduled = await Assert.ThrowsAsync<InvalidRequestException>(() => _admin.CreateSecretAsync(new CreateSecretRequest { Name = name, SecretString = "y" }, TestContext.Current.CancellationToken));
        Assert.Contains("scheduled for deletion", scheduled.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(6L, null)]
    [InlineData(31L, null)]
    [InlineData(7L, true)]
    public async Task Invalid_deletion_parameters_are_refused(long? window, bool? force)
    {
        var name = UniqueName();
        await _admin.CreateSecretAsync(new CreateSecretRequest { Name = name, SecretString = "x" }, TestContext.Current.CancellationToken);

        await Assert.ThrowsAsync<InvalidParameterException>(() =>
            _admin.DeleteSecretAsync(new DeleteSecretRequest { SecretId = name, RecoveryWindowInDays = window, ForceDeleteWithoutRecovery = force }, TestContext.Current.CancellationToken));
        Assert.Equal("x", (await _admin.GetSecretValueAsync(new GetSecretValueRequest { SecretId = name }, TestContext.Current.CancellationToken)).SecretString);
    }

    [Fact]
    public async Task Put_without_a_value_is_refused()
    {
        var name = UniqueName();
        await _admin.CreateSecretAsync(new CreateSecretRequest { Name = name }, TestContext.Current.CancellationToken);

        await Assert.ThrowsAsync<InvalidRequestException>(() => _admin.PutSecretValueAsync(new PutSecretValueRequest { SecretId = name }, TestContext.Current.CancellationToken));
        var noValue = await Assert.ThrowsAsync<ResourceNotFoundException>(() => _admin.GetSecretValueAsync(new GetSecretValueRequest { SecretId = name }, TestContext.Current.CancellationToken));
        Assert.Contains("AWSCURRENT", noValue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_list_parameters_are_refused()
    {
        Assert.Equal("ValidationException", (await Assert.ThrowsAsync<AmazonSecretsManagerException>(() => _admin.ListSecretsAsync(new ListSecretsRequest { MaxResults = 0 }, TestContext.Current.CancellationToken))).ErrorCode);
        Assert.Equal("ValidationException", (await Assert.ThrowsAsync<AmazonSecretsManagerException>(() => _admin.ListSecretsAsync(new ListSecretsRequest { Filters = [new Filter { Key = "color", Values = ["x"] }] }, TestContext.Current.CancellationToken))).ErrorCode);
        await Assert.ThrowsAsync<InvalidNextTokenException>(() => _admin.ListSecretsAsync(new ListSecretsRequest { NextToken = "not-a-token" }, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Short_ClientRequestToken_is_refused()
    {
        var ex = await Assert.ThrowsAsync<AmazonSecretsManagerException>(() =>
            _admin.CreateSecretAsync(new CreateSecretRequest { Name = UniqueName(), SecretString = "x", ClientRequestToken = "short" }, TestContext.Current.CancellationToken));

        Assert.Equal("ValidationException", ex.ErrorCode);
    }
}

using Amazon.SecretsManager.Model;

namespace Tap.Integration.Tests;

/// <summary>The function's execution role may read its one secret and nothing else, as IAM evaluates it in LocalAws.</summary>
[Trait("Category", "Process")]
public sealed class LeastPrivilegeTests(TapAppFixture fixture)
{
    [Fact]
    public async Task The_function_role_reads_its_secret_and_no_other()
    {
        var otherName = "tap/other-" + Guid.NewGuid().ToString("N")[..8];
        using (var admin = SecretsManagerClients.Create(fixture, await fixture.AdminCredentialsAsync()))
        {
            await admin.CreateSecretAsync(new CreateSecretRequest { Name = otherName, SecretString = "{\"k\":\"v\"}" }, TestContext.Current.CancellationToken);
        }

        using var asRole = SecretsManagerClients.Create(fixture, await fixture.FunctionRoleCredentialsAsync());

        var own = await asRole.GetSecretValueAsync(new GetSecretValueRequest { SecretId = fixture.SecretName }, TestContext.Current.CancellationToken);
        var described = await asRole.DescribeSecretAsync(new DescribeSecretRequest { SecretId = fixture.SecretName }, TestContext.Current.CancellationToken);
        var denied = await Assert.ThrowsAnyAsync<Amazon.Runtime.AmazonServiceException>(
            () => asRole.GetSecretValueAsync(new GetSecretValueRequest { SecretId = otherName }, TestContext.Current.CancellationToken));
        var deniedWrite = await Assert.ThrowsAnyAsync<Amazon.Runtime.AmazonServiceException>(
            () => asRole.PutSecretValueAsync(new PutSecretValueRequest { SecretId = fixture.SecretName, SecretString = "{}" }, TestContext.Current.CancellationToken));

        Assert.NotNull(own.SecretString);
        Assert.Equal(own.ARN, described.ARN);
        Assert.Equal("AccessDeniedException", denied.ErrorCode);
        Assert.Equal("AccessDeniedException", deniedWrite.ErrorCode);
    }
}

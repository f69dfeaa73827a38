using System.Net;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Aspire.Hosting.ApplicationModel;

namespace Tap.Integration.Tests;

/// <summary>The stack's invoker role, as deployed locally: only invoke, and only with the external id.</summary>
[Trait("Category", "Process")]
public sealed class InvokerRoleTests(TapAppFixture fixture)
{
    private string RoleArn => fixture.StackOutput("InvokerRoleArn");

    private string RoleName => RoleArn[(RoleArn.LastIndexOf('/') + 1)..];

    [Fact]
    public async Task With_the_external_id_the_role_calls_the_api()
    {
        using var sts = await StsAsync();
        var externalId = await fixture.Resource<ParameterResource>("invoker-external-id").GetValueAsync(TestContext.Current.CancellationToken);

        var assumed = await sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = RoleArn, RoleSessionName = "integration", ExternalId = externalId }, TestContext.Current.CancellationToken);

        var credentials = assumed.Credentials;
        using var client = TapAppFixture.SignedClient(new ImmutableCredentials(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken), fixture.Region);
        using var response = await client.GetAsync(fixture.StageUrl("orders/7"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"assumed-role/{RoleName}/integration", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not-the-external-id")]
    [InlineData(null)]
    public async Task Without_the_external_id_sts_denies_the_role(string? externalId)
    {
        using var sts = await StsAsync();

        var denied = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(
            () => sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = RoleArn, RoleSessionName = "integration", ExternalId = externalId }, TestContext.Current.CancellationToken));

        Assert.Equal("AccessDenied", denied.ErrorCode);
    }

    /// <summary>STS as LocalAws's admin: in the account the role trusts, allowed <c>sts:AssumeRole</c>.</summary>
    private async Task<AmazonSecurityTokenServiceClient> StsAsync()
    {
        var admin = await fixture.AdminCredentialsAsync();
        return new AmazonSecurityTokenServiceClient(
            new BasicAWSCredentials(admin.AccessKey, admin.SecretKey),
            new AmazonSecurityTokenServiceConfig { ServiceURL = fixture.LocalAws.PrimaryEndpoint.Url, AuthenticationRegion = fixture.Region });
    }
}

using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;

namespace Tap.LocalAws.Tests;

/// <summary>The official AWS SDK for .NET STS client against a LocalAws process: nothing but the endpoint differs.</summary>
[Trait("Category", "Process")]
[Collection(LocalAwsProcessCollectionDefinition.Name)]
public sealed class OfficialStsClientTests(LocalAwsProcessFixture localAws)
{
    private AmazonSecurityTokenServiceClient Client(ImmutableCredentials credentials) => new(
        new BasicAWSCredentials(credentials.AccessKey, credentials.SecretKey),
        new AmazonSecurityTokenServiceConfig { ServiceURL = localAws.Endpoint.ToString(), AuthenticationRegion = "us-east-1" });

    [Fact]
    public async Task GetCallerIdentity_names_the_signing_user()
    {
        using var sts = Client(TestPrincipals.Admin);

        var identity = await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest(), TestContext.Current.CancellationToken);

        Assert.Equal($"arn:aws:iam::{TestPrincipals.AccountId}:user/admin", identity.Arn);
        Assert.Equal(TestPrincipals.AccountId, identity.Account);
    }

    [Fact]
    public async Task AssumeRole_returns_working_session_credentials()
    {
        using var sts = Client(TestPrincipals.Admin);

        var assumed = await sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = TestPrincipals.RoleArn, RoleSessionName = "sdk" }, TestContext.Current.CancellationToken);
        using var asRole = new AmazonSecurityTokenServiceClient(
            new SessionAWSCredentials(assumed.Credentials.AccessKeyId, assumed.Credentials.SecretAccessKey, assumed.Credentials.SessionToken),
            new AmazonSecurityTokenServiceConfig { ServiceURL = localAws.Endpoint.ToString(), AuthenticationRegion = "us-east-1" });
        var identity = await asRole.GetCallerIdentityAsync(new GetCallerIdentityRequest(), TestContext.Current.CancellationToken);

        Assert.Equal($"arn:aws:sts::{TestPrincipals.AccountId}:assumed-role/api-handler-role/sdk", identity.Arn);
    }

    [Fact]
    public async Task A_wrong_secret_key_is_refused_with_the_SDKs_exception()
    {
        var wrong = new ImmutableCredentials(TestPrincipals.Admin.AccessKey, new string('x', 40), null);
        using var sts = Client(wrong);

        var error = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => sts.GetCallerIdentityAsync(new GetCallerIdentityRequest(), TestContext.Current.CancellationToken));

        Assert.Equal("SignatureDoesNotMatch", error.ErrorCode);
    }
}

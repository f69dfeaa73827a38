using System.Net;
using Amazon.SecretsManager.Model;
using Microsoft.Extensions.Time.Testing;
using Tap.LocalAws.Iam;
using Tap.Testing;

namespace Tap.LocalAws.Tests;

/// <summary>Temporary credentials expire as AWS's do, are remembered long enough to say so, and are then forgotten.</summary>
public sealed class SessionLifetimeTests
{
    [Fact]
    public async Task Expired_session_credentials_are_answered_ExpiredToken_in_both_protocols()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var localAws = new LocalAwsFactory { Clock = clock };
        var (_, assumed) = await StsQuery.CallAsync(localAws, TestPrincipals.Admin, StsQuery.AssumeRole(TestPrincipals.RoleArn, "short", "&DurationSeconds=900"));
        var session = StsQuery.Credentials(assumed);

        clock.Advance(TimeSpan.FromSeconds(901));
        var (status, error) = await StsQuery.CallAsync(localAws, session, "Action=GetCallerIdentity&Version=2011-06-15");
        var json = await Assert.ThrowsAsync<Amazon.SecretsManager.AmazonSecretsManagerException>(
            () => localAws.SecretsManager(session).GetSecretValueAsync(new GetSecretValueRequest { SecretId = TestPrincipals.ConfigSecretName }, TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("ExpiredToken", StsQuery.Value(error, "Error", "Code"));
        Assert.Equal("The security token included in the request is expired", StsQuery.Value(error, "Error", "Message"));
        Assert.Equal("ExpiredTokenException", json.ErrorCode);
    }

    [Fact]
    public void The_container_session_is_reused_while_half_of_it_remains_then_renewed()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var role = new IamPrincipal("r", "arn:aws:iam::000000000000:role/r", null, null, [], "a-container-token-long-enough", 3600);
        var iam = new IamDirectory([role], "000000000000", clock);

        var first = iam.ContainerSession(role);
        var polls = Enumerable.Range(0, 1000).Select(_ => iam.ContainerSession(role)).ToList();
        clock.Advance(TimeSpan.FromMinutes(31));
        var renewed = iam.ContainerSession(role);

        Assert.All(polls, poll => Assert.Same(first, poll));
        Assert.NotEqual(first.AccessKeyId, renewed.AccessKeyId);
        Assert.Equal(2, iam.SessionCount);
    }

    [Fact]
    public void Sessions_are_forgotten_twelve_hours_after_they_expire_and_until_then_reported_expired()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var role = new IamPrincipal("r", "arn:aws:iam::000000000000:role/r", null, null, [], null, 3600);
        var iam = new IamDirectory([role], "000000000000", clock);
        var old = Enumerable.Range(0, 100).Select(i => iam.IssueSession(role, $"s{i}", TimeSpan.FromMinutes(15))).ToList();

        clock.Advance(TimeSpan.FromHours(1));
        var expiredKnown = iam.HasExpired(old[0].AccessKeyId, old[0].SessionToken);
        var wrongToken = iam.HasExpired(old[0].AccessKeyId, "another-token");
        clock.Advance(TimeSpan.FromHours(12));
        iam.IssueSession(role, "fresh", TimeSpan.FromMinutes(15));

        Assert.True(expiredKnown);
        Assert.False(wrongToken);
        Assert.Equal(1, iam.SessionCount);
        Assert.False(iam.HasExpired(old[0].AccessKeyId, old[0].SessionToken));
        Assert.False(iam.TryGetSecretAccessKey(old[0].AccessKeyId, old[0].SessionToken, out _));
    }

    [Fact]
    public void A_long_term_key_is_never_reported_expired()
    {
        var user = TestCredentials.New();
        var principal = new IamPrincipal("u", "arn:aws:iam::000000000000:user/u", user.AccessKey, user.SecretKey, [], null, 3600);

        Assert.False(new IamDirectory([principal], "000000000000", TimeProvider.System).HasExpired(user.AccessKey, null));
    }
}

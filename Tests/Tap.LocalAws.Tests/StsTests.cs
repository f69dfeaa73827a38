using System.Globalization;
using System.Net;
using System.Xml.Linq;
using Amazon.Runtime;
using Amazon.SecretsManager.Model;

namespace Tap.LocalAws.Tests;

/// <summary>STS over the Query protocol: who am I, and role sessions with temporary credentials.</summary>
public sealed class StsTests(LocalAwsFactory factory) : IClassFixture<LocalAwsFactory>
{
    private static readonly XNamespace Ns = StsQuery.Ns;

    private Task<(HttpStatusCode Status, XElement Root)> CallAsync(ImmutableCredentials credentials, string body) =>
        StsQuery.CallAsync(factory, credentials, body);

    private static string Value(XElement root, params string[] path) => StsQuery.Value(root, path);

    [Fact]
    public async Task GetCallerIdentity_names_the_user()
    {
        var (status, root) = await CallAsync(TestPrincipals.Reader, "Action=GetCallerIdentity&Version=2011-06-15");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("GetCallerIdentityResponse", root.Name.LocalName);
        Assert.Equal("arn:aws:iam::000000000000:user/reader", Value(root, "GetCallerIdentityResult", "Arn"));
        Assert.Equal("000000000000", Value(root, "GetCallerIdentityResult", "Account"));
        Assert.StartsWith("AIDA", Value(root, "GetCallerIdentityResult", "UserId"), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(Value(root, "ResponseMetadata", "RequestId")));
    }

    [Fact]
    public async Task AssumeRole_issues_session_credentials_that_carry_the_role_policies()
    {
        var (status, root) = await CallAsync(TestPrincipals.Admin,
            $"Action=AssumeRole&Version=2011-06-15&RoleArn={Uri.EscapeDataString(TestPrincipals.RoleArn)}&RoleSessionName=tests&DurationSeconds=1800");

        Assert.Equal(HttpStatusCode.OK, status);
        var credentials = root.Element(Ns + "AssumeRoleResult")!.Element(Ns + "Credentials")!;
        var session = StsQuery.Credentials(root);
        Assert.StartsWith("ASIA", session.AccessKey, StringComparison.Ordinal);
        Assert.Equal("arn:aws:sts::000000000000:assumed-role/api-handler-role/tests", Value(root, "AssumeRoleResult", "AssumedRoleUser", "Arn"));
        var expiration = DateTimeOffset.Parse(credentials.Element(Ns + "Expiration")!.Value, CultureInfo.InvariantCulture);
        Assert.InRange(expiration, DateTimeOffset.UtcNow.AddMinutes(29), DateTimeOffset.UtcNow.AddMinutes(31));

        var (_, whoAmI) = await CallAsync(session, "Action=GetCallerIdentity&Version=2011-06-15");
        Assert.Equal("arn:aws:sts::000000000000:assumed-role/api-handler-role/tests", Value(whoAmI, "GetCallerIdentityResult", "Arn"));

        // The role may read only its one secret.
        var roleClient = factory.SecretsManager(session);
        var denied = await Assert.ThrowsAsync<AccessDeniedException>(() => roleClient.ListSecretsAsync(new ListSecretsRequest(), TestContext.Current.CancellationToken));
        Assert.StartsWith("User: arn:aws:sts::000000000000:assumed-role/api-handler-role/tests is not authorized", denied.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Session_credentials_are_refused_with_a_wrong_token()
    {
        var (_, root) = await CallAsync(TestPrincipals.Admin,
            $"Action=AssumeRole&RoleArn={Uri.EscapeDataString(TestPrincipals.RoleArn)}&RoleSessionName=tampered");
        var session = StsQuery.Credentials(root);
        var tampered = new ImmutableCredentials(session.AccessKey, session.SecretKey, "not-the-token");

        var (status, error) = await CallAsync(tampered, "Action=GetCallerIdentity");

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("InvalidClientTokenId", Value(error, "Error", "Code"));
    }

    [Fact]
    public async Task AssumeRole_is_denied_without_sts_AssumeRole_permission()
    {
        var (status, root) = await CallAsync(TestPrincipals.Reader,
            $"Action=AssumeRole&RoleArn={Uri.EscapeDataString(TestPrincipals.RoleArn)}&RoleSessionName=nope");

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("AccessDenied", Value(root, "Error", "Code"));
        Assert.Contains("sts:AssumeRole", Value(root, "Error", "Message"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("RoleSessionName=x", "ValidationError")]
    [InlineData("RoleSessionName=ok&DurationSeconds=899", "ValidationError")]
    [InlineData("RoleSessionName=ok&DurationSeconds=43201", "ValidationError")]
    [InlineData("DurationSeconds=900", "MissingParameter")]
    [InlineData("RoleSessionName=s%C3%A9ance", "ValidationError")]
    [InlineData("RoleSessionName=ok&ExternalId=%C3%A9", "ValidationError")]
    [InlineData("RoleSessionName=ok&Policy=%7B%7D", "ValidationError")]
    [InlineData("RoleSessionName=ok&Tags.member.1.Key=team&Tags.member.1.Value=tap", "ValidationError")]
    [InlineData("RoleSessionName=ok&SourceIdentity=me", "ValidationError")]
    public async Task AssumeRole_validates_its_parameters(string parameters, string code)
    {
        var (status, root) = await CallAsync(TestPrincipals.Admin, $"Action=AssumeRole&RoleArn={Uri.EscapeDataString(TestPrincipals.RoleArn)}&{parameters}");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(code, Value(root, "Error", "Code"));
    }

    [Fact]
    public async Task Unknown_actions_are_invalid()
    {
        var (status, root) = await CallAsync(TestPrincipals.Admin, "Action=GetFederationTokenPlease");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("InvalidAction", Value(root, "Error", "Code"));
    }

    [Fact]
    public async Task Container_credentials_are_refused_to_unknown_callers()
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/_localaws/container-credentials/api-handler-role");
        request.Headers.TryAddWithoutValidation("Authorization", TestPrincipals.RoleToken);

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        // The in-process test server has no remote address, so it is not a loopback caller.
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}

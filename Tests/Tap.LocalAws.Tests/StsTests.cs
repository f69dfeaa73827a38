using System.Globalization;
using System.Net;
using System.Text;
using System.Xml.Linq;
using Amazon.Runtime;
using Amazon.SecretsManager.Model;

namespace Tap.LocalAws.Tests;

/// <summary>STS over the Query protocol: who am I, and role sessions with temporary credentials.</summary>
public sealed class StsTests(LocalAwsFactory factory) : IClassFixture<LocalAwsFactory>
{
    private static readonly XNamespace Ns = "https://sts.amazonaws.com/doc/2011-06-15/";

    private async Task<(HttpStatusCode Status, XElement Root)> CallAsync(ImmutableCredentials credentials, string body)
    {
        using var client = factory.SignedClient(credentials, "sts");
        using var content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded");
        using var response = await client.PostAsync(new Uri("/", UriKind.Relative), content);
        return (response.StatusCode, XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!);
    }

    private static string Value(XElement root, params string[] path) =>
        path.Aggregate(root, (element, name) => element.Element(Ns + name)!).Value;

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
        var session = new ImmutableCredentials(
            credentials.Element(Ns + "AccessKeyId")!.Value, credentials.Element(Ns + "SecretAccessKey")!.Value, credentials.Element(Ns + "SessionToken")!.Value);
        Assert.StartsWith("ASIA", session.AccessKey, StringComparison.Ordinal);
        Assert.Equal("arn:aws:sts::000000000000:assumed-role/api-handler-role/tests", Value(root, "AssumeRoleResult", "AssumedRoleUser", "Arn"));
        var expiration = DateTimeOffset.Parse(credentials.Element(Ns + "Expiration")!.Value, CultureInfo.InvariantCulture);
        Assert.InRange(expiration, DateTimeOffset.UtcNow.AddMinutes(29), DateTimeOffset.UtcNow.AddMinutes(31));

        var (_, whoAmI) = await CallAsync(session, "Action=GetCallerIdentity&Version=2011-06-15");
        Assert.Equal("arn:aws:sts::000000000000:assumed-role/api-handler-role/tests", Value(whoAmI, "GetCallerIdentityResult", "Arn"));

        // The role may read only its one secret.
        var roleClient = factory.SecretsManager(session);
        var denied = await Assert.ThrowsAsync<AccessDeniedException>(() => roleClient.ListSecretsAsync(new ListSecretsRequest()));
        Assert.StartsWith("User: arn:aws:sts::000000000000:assumed-role/api-handler-role/tests is not authorized", denied.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Session_credentials_are_refused_with_a_wrong_token()
    {
        var (_, root) = await CallAsync(TestPrincipals.Admin,
            $"Action=AssumeRole&RoleArn={Uri.EscapeDataString(TestPrincipals.RoleArn)}&RoleSessionName=tampered");
        var credentials = root.Element(Ns + "AssumeRoleResult")!.Element(Ns + "Credentials")!;
        var tampered = new ImmutableCredentials(credentials.Element(Ns + "AccessKeyId")!.Value, credentials.Element(Ns + "SecretAccessKey")!.Value, "not-the-token");

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

        using var response = await client.SendAsync(request);

        // The in-process test server has no remote address, so it is not a loopback caller.
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}

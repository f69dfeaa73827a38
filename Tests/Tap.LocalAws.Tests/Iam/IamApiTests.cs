using System.Net;
using System.Xml.Linq;
using Amazon.Runtime;
using Tap.Aws.Protocol;

namespace Tap.LocalAws.Tests.Iam;

/// <summary>
/// IAM's Query API over roles, users, access keys and managed policies: what each answers, IAM's refusals, and that
/// what it makes are principals — a role assumable under its trust policy whose sessions act with its policies as
/// they are now, a user whose access key signs requests until it is deleted.
/// </summary>
public sealed class IamApiTests(LocalAwsFactory factory) : IClassFixture<LocalAwsFactory>
{
    private static readonly XNamespace Iam = "https://iam.amazonaws.com/doc/2010-05-08/";

    private static readonly string TrustReader = TestPrincipals.ReaderOnlyTrustPolicy;

    private const string ReadParameters = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:DescribeParameters","Resource":"*"}]}""";

    [Fact]
    public async Task A_role_is_made_read_back_and_refused_as_IAM_refuses()
    {
        var name = NewName("role");
        var (status, created) = await CallAsync(TestPrincipals.Admin, "CreateRole", ("RoleName", name), ("AssumeRolePolicyDocument", TrustReader), ("Path", "/app/"), ("Description", "made here"));
        Assert.Equal(HttpStatusCode.OK, status);
        var arn = Value(created, "Arn");
        Assert.Equal($"arn:aws:iam::{TestPrincipals.AccountId}:role/app/{name}", arn);
        Assert.StartsWith("AROA", Value(created, "RoleId"), StringComparison.Ordinal);

        var (_, role) = await CallAsync(TestPrincipals.Admin, "GetRole", ("RoleName", name));
        Assert.Equal(TrustReader, Uri.UnescapeDataString(Value(role, "AssumeRolePolicyDocument")));
        Assert.Equal(("made here", "3600"), (Value(role, "Description"), Value(role, "MaxSessionDuration")));

        Assert.Equal((HttpStatusCode.Conflict, "EntityAlreadyExists"), await ErrorAsync(TestPrincipals.Admin, "CreateRole", ("RoleName", name.ToUpperInvariant()), ("AssumeRolePolicyDocument", TrustReader)));
        Assert.Equal((HttpStatusCode.Conflict, "EntityAlreadyExists"), await ErrorAsync(TestPrincipals.Admin, "CreateRole", ("RoleName", "reader-trusted-role"), ("AssumeRolePolicyDocument", TrustReader)));
        Assert.Equal((HttpStatusCode.BadRequest, "MalformedPolicyDocument"), await ErrorAsync(TestPrincipals.Admin, "CreateRole", ("RoleName", NewName("bad")), ("AssumeRolePolicyDocument", "{not json")));
        Assert.Equal((HttpStatusCode.BadRequest, "ValidationError"), await ErrorAsync(TestPrincipals.Admin, "CreateRole", ("RoleName", "has space"), ("AssumeRolePolicyDocument", TrustReader)));
        Assert.Equal((HttpStatusCode.NotFound, "NoSuchEntity"), await ErrorAsync(TestPrincipals.Admin, "GetRole", ("RoleName", NewName("missing"))));
        Assert.Equal((HttpStatusCode.Forbidden, "AccessDenied"), await ErrorAsync(TestPrincipals.Reader, "CreateRole", ("RoleName", NewName("denied")), ("AssumeRolePolicyDocument", TrustReader)));

        await CallAsync(TestPrincipals.Admin, "PutRolePolicy", ("RoleName", name), ("PolicyName", "inline"), ("PolicyDocument", ReadParameters));
        Assert.Equal((HttpStatusCode.Conflict, "DeleteConflict"), await ErrorAsync(TestPrincipals.Admin, "DeleteRole", ("RoleName", name)));
        var (_, names) = await CallAsync(TestPrincipals.Admin, "ListRolePolicies", ("RoleName", name));
        Assert.Equal(["inline"], names.Descendants(Iam + "member").Select(m => m.Value));
        await CallAsync(TestPrincipals.Admin, "DeleteRolePolicy", ("RoleName", name), ("PolicyName", "inline"));
        Assert.Equal(HttpStatusCode.OK, (await CallAsync(TestPrincipals.Admin, "DeleteRole", ("RoleName", name))).Status);
    }

    [Fact]
    public async Task A_made_roles_sessions_act_with_its_policies_as_they_are_now()
    {
        var name = NewName("live");
        var (_, created) = await CallAsync(TestPrincipals.Admin, "CreateRole", ("RoleName", name), ("AssumeRolePolicyDocument", TrustReader));
        var (assumed, answer) = await StsQuery.CallAsync(factory, TestPrincipals.Reader, StsQuery.AssumeRole(Value(created, "Arn"), "live-session"));
        Assert.Equal(HttpStatusCode.OK, assumed);
        var session = StsQuery.Credentials(answer);
        Assert.Equal((HttpStatusCode.Forbidden, "AccessDenied"), await StsErrorAsync(factory, TestPrincipals.Admin, StsQuery.AssumeRole(Value(created, "Arn"), "not-trusted")));

        Assert.Equal(HttpStatusCode.BadRequest, (await DescribeParametersAsync(session)).Status);
        var (_, policy) = await CallAsync(TestPrincipals.Admin, "CreatePolicy", ("PolicyName", NewName("policy")), ("PolicyDocument", ReadParameters));
        var policyArn = Value(policy, "Arn");
        await CallAsync(TestPrincipals.Admin, "AttachRolePolicy", ("RoleName", name), ("PolicyArn", policyArn));
        Assert.Equal(HttpStatusCode.OK, (await DescribeParametersAsync(session)).Status);

        Assert.Equal((HttpStatusCode.Conflict, "DeleteConflict"), await ErrorAsync(TestPrincipals.Admin, "DeletePolicy", ("PolicyArn", policyArn)));
        await CallAsync(TestPrincipals.Admin, "DetachRolePolicy", ("RoleName", name), ("PolicyArn", policyArn));
        Assert.Equal(HttpStatusCode.BadRequest, (await DescribeParametersAsync(session)).Status);

        await CallAsync(TestPrincipals.Admin, "AttachRolePolicy", ("RoleName", name), ("PolicyArn", "arn:aws:iam::aws:policy/ReadOnlyAccess"));
        Assert.Equal(HttpStatusCode.OK, (await DescribeParametersAsync(session)).Status);
        Assert.Equal((HttpStatusCode.NotFound, "NoSuchEntity"), await ErrorAsync(TestPrincipals.Admin, "AttachRolePolicy", ("RoleName", name), ("PolicyArn", "arn:aws:iam::aws:policy/NoSuchPolicy")));
        var (_, attached) = await CallAsync(TestPrincipals.Admin, "ListAttachedRolePolicies", ("RoleName", name));
        Assert.Equal(["ReadOnlyAccess"], attached.Descendants(Iam + "PolicyName").Select(n => n.Value));
    }

    [Fact]
    public async Task A_configured_users_managed_policy_applies_while_it_exists_in_its_default_version()
    {
        Assert.Equal(HttpStatusCode.BadRequest, (await DescribeParametersAsync(TestPrincipals.Attached)).Status);

        var name = TestPrincipals.AttachedPolicyArn[(TestPrincipals.AttachedPolicyArn.LastIndexOf('/') + 1)..];
        var (_, policy) = await CallAsync(TestPrincipals.Admin, "CreatePolicy", ("PolicyName", name), ("PolicyDocument", ReadParameters));
        Assert.Equal(TestPrincipals.AttachedPolicyArn, Value(policy, "Arn"));
        Assert.Equal(HttpStatusCode.OK, (await DescribeParametersAsync(TestPrincipals.Attached)).Status);

        const string ReadNothing = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:GetParameter","Resource":"*"}]}""";
        await CallAsync(TestPrincipals.Admin, "CreatePolicyVersion", ("PolicyArn", TestPrincipals.AttachedPolicyArn), ("PolicyDocument", ReadNothing), ("SetAsDefault", "true"));
        Assert.Equal(HttpStatusCode.BadRequest, (await DescribeParametersAsync(TestPrincipals.Attached)).Status);

        var (_, versions) = await CallAsync(TestPrincipals.Admin, "ListPolicyVersions", ("PolicyArn", TestPrincipals.AttachedPolicyArn));
        foreach (var version in versions.Descendants(Iam + "VersionId").Select(v => v.Value).Where(v => v != "v2"))
        {
            await CallAsync(TestPrincipals.Admin, "DeletePolicyVersion", ("PolicyArn", TestPrincipals.AttachedPolicyArn), ("VersionId", version));
        }

        Assert.Equal(HttpStatusCode.OK, (await CallAsync(TestPrincipals.Admin, "DeletePolicy", ("PolicyArn", TestPrincipals.AttachedPolicyArn))).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await DescribeParametersAsync(TestPrincipals.Attached)).Status);
    }

    [Fact]
    public async Task A_made_users_access_key_signs_requests_until_it_is_deleted()
    {
        var name = NewName("user");
        await CallAsync(TestPrincipals.Admin, "CreateUser", ("UserName", name));
        await CallAsync(TestPrincipals.Admin, "PutUserPolicy", ("UserName", name), ("PolicyName", "read"), ("PolicyDocument", ReadParameters));
        var (_, created) = await CallAsync(TestPrincipals.Admin, "CreateAccessKey", ("UserName", name));
        var key = new ImmutableCredentials(Value(created, "AccessKeyId"), Value(created, "SecretAccessKey"), null);
        Assert.StartsWith("AKIA", key.AccessKey, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await DescribeParametersAsync(key)).Status);
        var (_, identity) = await StsQuery.CallAsync(factory, key, "Action=GetCallerIdentity&Version=2011-06-15");
        Assert.Equal($"arn:aws:iam::{TestPrincipals.AccountId}:user/{name}", identity.Descendants(StsQuery.Ns + "Arn").Single().Value);
        Assert.Equal(HttpStatusCode.Forbidden, (await StsQuery.CallAsync(factory, new ImmutableCredentials(key.AccessKey, key.SecretKey[..^1] + "x", null), "Action=GetCallerIdentity&Version=2011-06-15")).Status);

        Assert.Equal((HttpStatusCode.Conflict, "DeleteConflict"), await ErrorAsync(TestPrincipals.Admin, "DeleteUser", ("UserName", name)));
        await CallAsync(TestPrincipals.Admin, "UpdateAccessKey", ("UserName", name), ("AccessKeyId", key.AccessKey), ("Status", "Inactive"));
        Assert.Contains("UnrecognizedClientException", (await DescribeParametersAsync(key)).Body, StringComparison.Ordinal);
        await CallAsync(TestPrincipals.Admin, "DeleteAccessKey", ("UserName", name), ("AccessKeyId", key.AccessKey));
        await CallAsync(TestPrincipals.Admin, "DeleteUserPolicy", ("UserName", name), ("PolicyName", "read"));
        Assert.Equal(HttpStatusCode.OK, (await CallAsync(TestPrincipals.Admin, "DeleteUser", ("UserName", name))).Status);
        Assert.Contains("UnrecognizedClientException", (await DescribeParametersAsync(key)).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_managed_policy_keeps_at_most_five_versions_and_AWS_managed_ones_read_but_never_change()
    {
        var (_, created) = await CallAsync(TestPrincipals.Admin, "CreatePolicy", ("PolicyName", NewName("versions")), ("PolicyDocument", ReadParameters));
        var arn = Value(created, "Arn");
        for (var i = 2; i <= 5; i++)
        {
            var (_, version) = await CallAsync(TestPrincipals.Admin, "CreatePolicyVersion", ("PolicyArn", arn), ("PolicyDocument", ReadParameters), ("SetAsDefault", "true"));
            Assert.Equal($"v{i}", Value(version, "VersionId"));
        }

        Assert.Equal((HttpStatusCode.Conflict, "LimitExceeded"), await ErrorAsync(TestPrincipals.Admin, "CreatePolicyVersion", ("PolicyArn", arn), ("PolicyDocument", ReadParameters)));
        Assert.Equal("v5", Value((await CallAsync(TestPrincipals.Admin, "GetPolicy", ("PolicyArn", arn))).Xml, "DefaultVersionId"));
        Assert.Equal((HttpStatusCode.Conflict, "DeleteConflict"), await ErrorAsync(TestPrincipals.Admin, "DeletePolicyVersion", ("PolicyArn", arn), ("VersionId", "v5")));

        const string Admin = "arn:aws:iam::aws:policy/AdministratorAccess";
        var (_, document) = await CallAsync(TestPrincipals.Admin, "GetPolicyVersion", ("PolicyArn", Admin), ("VersionId", "v1"));
        Assert.Equal("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""", Uri.UnescapeDataString(Value(document, "Document")));
        Assert.Equal((HttpStatusCode.BadRequest, "InvalidInput"), await ErrorAsync(TestPrincipals.Admin, "DeletePolicy", ("PolicyArn", Admin)));
        Assert.Equal("/service-role/", Value((await CallAsync(TestPrincipals.Admin, "GetPolicy", ("PolicyArn", "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"))).Xml, "Path"));
    }

    private static string NewName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..24];

    private static string Value(XDocument xml, string element) => xml.Descendants(Iam + element).First().Value;

    private Task<(HttpStatusCode Status, string Body)> DescribeParametersAsync(ImmutableCredentials caller) =>
        factory.SendJsonAsync(AwsServiceMetadata.Ssm, caller, "DescribeParameters", "{}");

    private static async Task<(HttpStatusCode, string)> StsErrorAsync(LocalAwsFactory factory, ImmutableCredentials caller, string body)
    {
        var (status, root) = await StsQuery.CallAsync(factory, caller, body);
        return (status, root.Descendants(StsQuery.Ns + "Code").Single().Value);
    }

    private async Task<(HttpStatusCode, string)> ErrorAsync(ImmutableCredentials caller, string action, params (string Name, string Value)[] parameters)
    {
        var (status, xml) = await CallAsync(caller, action, parameters);
        return (status, xml.Descendants(Iam + "Code").Single().Value);
    }

    private Task<(HttpStatusCode Status, XDocument Xml)> CallAsync(ImmutableCredentials caller, string action, params (string Name, string Value)[] parameters) =>
        QueryCalls.CallAsync(factory, caller, "iam", "2010-05-08", action, parameters);
}

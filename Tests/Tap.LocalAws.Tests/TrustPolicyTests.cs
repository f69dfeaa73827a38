using System.Net;
using System.Xml.Linq;
using Amazon.Runtime;

namespace Tap.LocalAws.Tests;

/// <summary>
/// AssumeRole evaluates the role's trust policy with the caller's identity policy, as IAM does within one account:
/// the trust policy must let the caller in, and where it trusts only the account, an identity policy must allow too.
/// </summary>
public sealed class TrustPolicyTests(LocalAwsFactory factory) : IClassFixture<LocalAwsFactory>
{
    private Task<(HttpStatusCode Status, XElement Root)> AssumeAsync(ImmutableCredentials caller, string roleArn, string extra = "") =>
        StsQuery.CallAsync(factory, caller, StsQuery.AssumeRole(roleArn, "trust-test", extra));

    private static void AssertDenied(HttpStatusCode status, XElement root, string callerArn, string roleArn)
    {
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("AccessDenied", StsQuery.Value(root, "Error", "Code"));
        Assert.Equal($"User: {callerArn} is not authorized to perform: sts:AssumeRole on resource: {roleArn}", StsQuery.Value(root, "Error", "Message"));
    }

    [Fact]
    public async Task The_invoker_role_needs_its_external_id()
    {
        var withoutId = await AssumeAsync(TestPrincipals.Admin, TestPrincipals.InvokerRoleArn);
        var wrongId = await AssumeAsync(TestPrincipals.Admin, TestPrincipals.InvokerRoleArn, "&ExternalId=not-the-external-id");
        var rightId = await AssumeAsync(TestPrincipals.Admin, TestPrincipals.InvokerRoleArn, $"&ExternalId={TestPrincipals.InvokerExternalId}");

        AssertDenied(withoutId.Status, withoutId.Root, "arn:aws:iam::000000000000:user/admin", TestPrincipals.InvokerRoleArn);
        AssertDenied(wrongId.Status, wrongId.Root, "arn:aws:iam::000000000000:user/admin", TestPrincipals.InvokerRoleArn);
        Assert.Equal(HttpStatusCode.OK, rightId.Status);
        Assert.Equal("arn:aws:sts::000000000000:assumed-role/api-invoker-role/trust-test", StsQuery.Value(rightId.Root, "AssumeRoleResult", "AssumedRoleUser", "Arn"));
    }

    [Fact]
    public async Task A_role_trusting_only_the_account_also_needs_an_identity_policy_that_allows()
    {
        // The reader's identity policy allows no sts:AssumeRole, so the account-level trust alone is not enough.
        var (status, root) = await AssumeAsync(TestPrincipals.Reader, TestPrincipals.InvokerRoleArn, $"&ExternalId={TestPrincipals.InvokerExternalId}");

        AssertDenied(status, root, "arn:aws:iam::000000000000:user/reader", TestPrincipals.InvokerRoleArn);
    }

    [Fact]
    public async Task A_trust_policy_naming_the_caller_grants_without_an_identity_policy()
    {
        var (status, root) = await AssumeAsync(TestPrincipals.Reader, TestPrincipals.ReaderTrustedRoleArn);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("arn:aws:sts::000000000000:assumed-role/reader-trusted-role/trust-test", StsQuery.Value(root, "AssumeRoleResult", "AssumedRoleUser", "Arn"));
    }

    [Fact]
    public async Task An_identity_policy_allowing_everything_does_not_open_a_role_whose_trust_policy_names_someone_else()
    {
        var (status, root) = await AssumeAsync(TestPrincipals.Admin, TestPrincipals.ReaderTrustedRoleArn);

        AssertDenied(status, root, "arn:aws:iam::000000000000:user/admin", TestPrincipals.ReaderTrustedRoleArn);
    }

    [Fact]
    public async Task An_unknown_role_is_denied_in_the_same_words_as_a_forbidden_one()
    {
        var unknown = "arn:aws:iam::000000000000:role/no-such-role";

        var (status, root) = await AssumeAsync(TestPrincipals.Admin, unknown);

        AssertDenied(status, root, "arn:aws:iam::000000000000:user/admin", unknown);
    }
}

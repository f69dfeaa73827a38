using Tap.LocalAws.Iam;

namespace Tap.LocalAws.Tests;

/// <summary>IAM's evaluation rules: explicit deny wins, any allow grants, otherwise denied by default.</summary>
public sealed class IamPolicyTests
{
    private const string SecretArn = "arn:aws:secretsmanager:us-east-1:000000000000:secret:tap/api-config-AbCdEf";
    private static readonly Dictionary<string, string> NoContext = new(StringComparer.OrdinalIgnoreCase);

    private static PolicyDecision Evaluate(string action, string resource, params string[] policies) =>
        Evaluate(action, resource, NoContext, policies);

    private static PolicyDecision Evaluate(string action, string resource, Dictionary<string, string> context, params string[] policies) =>
        PolicyEvaluator.Evaluate(policies.Select(PolicyDocument.Parse), action, resource, context);

    public static TheoryData<string, string, string, PolicyDecision> Table() => new()
    {
        // policy, action, resource, expected
        { """{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}""", "secretsmanager:GetSecretValue", SecretArn, PolicyDecision.Allow },
        { """{"Statement":[]}""", "secretsmanager:GetSecretValue", SecretArn, PolicyDecision.ImplicitDeny },
        { """{"Statement":{"Effect":"Allow","Action":"secretsmanager:Get*","Resource":"*"}}""", "secretsmanager:GetSecretValue", SecretArn, PolicyDecision.Allow },
        { """{"Statement":{"Effect":"Allow","Action":"secretsmanager:Get*","Resource":"*"}}""", "secretsmanager:PutSecretValue", SecretArn, PolicyDecision.ImplicitDeny },
        { """{"Statement":{"Effect":"Allow","Action":"SecretsManager:getsecretvalue","Resource":"*"}}""", "secretsmanager:GetSecretValue", SecretArn, PolicyDecision.Allow },
        { """{"Statement":{"Effect":"Allow","Action":["sts:*","secretsmanager:DescribeSecret"],"Resource":"*"}}""", "secretsmanager:DescribeSecret", SecretArn, PolicyDecision.Allow },
        { """{"Statement":{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"arn:aws:secretsmanager:us-east-1:000000000000:secret:tap/api-config-??????"}}""", "secretsmanager:GetSecretValue", SecretArn, PolicyDecision.Allow },
        { """{"Statement":{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"arn:aws:secretsmanager:us-east-1:000000000000:secret:tap/api-config-??????"}}""", "secretsmanager:GetSecretValue", SecretArn + "x", PolicyDecision.ImplicitDeny },
        { """{"Statement":{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"arn:aws:secretsmanager:us-east-1:000000000000:secret:TAP/*"}}""", "secretsmanager:GetSecretValue", SecretArn, PolicyDecision.ImplicitDeny },
        { """{"Statement":{"Effect":"Allow","NotAction":"secretsmanager:DeleteSecret","Resource":"*"}}""", "secretsmanager:GetSecretValue", SecretArn, PolicyDecision.Allow },
        { """{"Statement":{"Effect":"Allow","NotAction":"secretsmanager:DeleteSecret","Resource":"*"}}""", "secretsmanager:DeleteSecret", SecretArn, PolicyDecision.ImplicitDeny },
        { """{"Statement":{"Effect":"Allow","Action":"*","NotResource":"arn:aws:secretsmanager:*:*:secret:tap/*"}}""", "secretsmanager:GetSecretValue", SecretArn, PolicyDecision.ImplicitDeny },
        { """{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"secretsmanager:DeleteSecret","Resource":"*"}]}""", "secretsmanager:DeleteSecret", SecretArn, PolicyDecision.ExplicitDeny },
        { """{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","NotAction":"secretsmanager:Get*","Resource":"*"}]}""", "secretsmanager:GetSecretValue", SecretArn, PolicyDecision.Allow },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Evaluation_follows_IAM_rules(string policy, string action, string resource, PolicyDecision expected)
    {
        Assert.Equal(expected, Evaluate(action, resource, policy));
    }

    [Fact]
    public void A_deny_in_one_policy_beats_an_allow_in_another()
    {
        var decision = Evaluate("secretsmanager:GetSecretValue", SecretArn,
            """{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}""",
            """{"Statement":{"Effect":"Deny","Action":"secretsmanager:*","Resource":"arn:aws:secretsmanager:*:*:secret:tap/*"}}""");

        Assert.Equal(PolicyDecision.ExplicitDeny, decision);
    }

    public static TheoryData<string, string, string, bool> Conditions() => new()
    {
        // condition block, context key, context value, allowed
        { """{"StringEquals":{"aws:PrincipalArn":"arn:aws:iam::000000000000:user/admin"}}""", "aws:PrincipalArn", "arn:aws:iam::000000000000:user/admin", true },
        { """{"StringEquals":{"aws:PrincipalArn":"arn:aws:iam::000000000000:user/admin"}}""", "aws:PrincipalArn", "arn:aws:iam::000000000000:user/other", false },
        { """{"StringEquals":{"aws:PrincipalArn":["a","arn:aws:iam::000000000000:user/other"]}}""", "aws:PrincipalArn", "arn:aws:iam::000000000000:user/other", true },
        { """{"StringLike":{"aws:username":"dev-*"}}""", "aws:username", "dev-alice", true },
        { """{"StringLike":{"aws:username":"dev-*"}}""", "aws:username", "ops-bob", false },
        { """{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/api-*"}}""", "aws:PrincipalArn", "arn:aws:iam::000000000000:role/api-handler-role", true },
        { """{"Bool":{"aws:SecureTransport":"true"}}""", "aws:SecureTransport", "false", false },
        { """{"Bool":{"aws:SecureTransport":true}}""", "aws:SecureTransport", "true", true },
        { """{"StringEquals":{"aws:RequestedRegion":"eu-west-1"}}""", "aws:Other", "x", false },
        { """{"StringEqualsIfExists":{"aws:RequestedRegion":"eu-west-1"}}""", "aws:Other", "x", true },
        { """{"stringequals":{"AWS:PRINCIPALARN":"x"}}""", "aws:PrincipalArn", "x", false },
    };

    [Theory]
    [MemberData(nameof(Conditions))]
    public void Conditions_restrict_statements(string condition, string key, string value, bool allowed)
    {
        var context = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { [key] = value };
        PolicyDecision Run() => Evaluate("secretsmanager:GetSecretValue", SecretArn, context,
            $$$"""{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{{{condition}}}}}""");

        if (condition.StartsWith("""{"stringequals""", StringComparison.Ordinal))
        {
            // Operators are case-sensitive in IAM: an unknown operator is a malformed policy.
            Assert.Throws<PolicyFormatException>(() => Run());
            return;
        }

        Assert.Equal(allowed ? PolicyDecision.Allow : PolicyDecision.ImplicitDeny, Run());
    }

    [Theory]
    [InlineData("s3:GetObject", "arn:aws:s3:::cdk-assets/asset.zip", true)]
    [InlineData("sqs:SendMessage", "arn:aws:sqs:us-east-1:000000000000:jobs", true)]
    [InlineData("sqs:SendMessage", "arn:aws:sqs:us-east-1:111122223333:jobs", false)]
    public void The_resources_account_is_a_condition_key_and_S3s_own_for_S3(string action, string resource, bool sameAccount)
    {
        // The CDK's file-publishing role may write only to buckets of its own account, its deploy role only to others'.
        const string Own = """{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:ResourceAccount":"000000000000"}}}}""";
        const string Others = """{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringNotEquals":{"s3:ResourceAccount":"000000000000"}}}}""";
        var principal = new IamPrincipal("deployer", "arn:aws:iam::000000000000:user/deployer", null, null, [PolicyDocument.Parse(Own)], null, 3600);
        var other = principal with { Policies = [PolicyDocument.Parse(Others)] };

        var own = IamAuthorizer.Decide(new CallerIdentity(principal.Arn, "000000000000", "AIDAEXAMPLE", principal), action, resource, "us-east-1", secureTransport: true);
        var others = IamAuthorizer.Decide(new CallerIdentity(other.Arn, "000000000000", "AIDAEXAMPLE", other), action, resource, "us-east-1", secureTransport: true);

        Assert.Equal(sameAccount ? PolicyDecision.Allow : PolicyDecision.ImplicitDeny, own.Decision);
        Assert.Equal(PolicyDecision.ImplicitDeny, others.Decision);
    }

    [Fact]
    public void A_principals_unique_id_follows_its_ARN_and_kind()
    {
        var user = new IamPrincipal("deployer", "arn:aws:iam::000000000000:user/deployer", null, null, [], null, 3600);
        var role = user with { Arn = "arn:aws:iam::000000000000:role/deployer" };
        var withoutPolicies = user with { Policies = [] };

        Assert.Matches("^AIDA[0-9A-F]{17}$", user.UniqueId);
        Assert.Matches("^AROA[0-9A-F]{17}$", role.UniqueId);
        Assert.NotEqual(user.UniqueId[4..], role.UniqueId[4..]);
        Assert.Equal(user.UniqueId, withoutPolicies.UniqueId);
        Assert.Equal(user.UniqueId, new IamPrincipal("other", user.Arn, null, null, [], null, 3600).UniqueId);
    }

    [Theory]
    [InlineData("""[]""", "JSON object")]
    [InlineData("""{"Version":"2012-10-17"}""", "Statement")]
    [InlineData("""{"Version":"2020-01-01","Statement":[]}""", "Version")]
    [InlineData("""{"Statement":{"Effect":"Maybe","Action":"*","Resource":"*"}}""", "Effect")]
    [InlineData("""{"Statement":{"Effect":"Allow","Resource":"*"}}""", "Action or NotAction")]
    [InlineData("""{"Statement":{"Effect":"Allow","Action":"*","NotAction":"*","Resource":"*"}}""", "Action or NotAction")]
    [InlineData("""{"Statement":{"Effect":"Allow","Action":5,"Resource":"*"}}""", "Action")]
    public void Malformed_policies_are_rejected_with_a_reason(string policy, string expected)
    {
        var ex = Assert.Throws<PolicyFormatException>(() => PolicyDocument.Parse(policy));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("*", "anything", true)]
    [InlineData("a?c", "abc", true)]
    [InlineData("a?c", "ac", false)]
    [InlineData("a*c", "ac", true)]
    [InlineData("a*c*e", "abcde", true)]
    [InlineData("a*c*e", "abcdf", false)]
    [InlineData("", "", true)]
    [InlineData("abc", "abcd", false)]
    public void Wildcards_match_like_IAM(string pattern, string value, bool matches)
    {
        Assert.Equal(matches, WildcardPattern.IsMatch(pattern, value, ignoreCase: false));
    }
}

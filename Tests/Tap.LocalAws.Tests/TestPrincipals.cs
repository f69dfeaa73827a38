using Amazon.Runtime;
using Tap.Testing;

namespace Tap.LocalAws.Tests;

/// <summary>The identities every LocalAws test uses, with keys generated per run in AWS's shapes.</summary>
public static class TestPrincipals
{
    public const string AccountId = "000000000000";
    public const string ConfigSecretName = "tap/api-config";
    public const string RoleArn = "arn:aws:iam::000000000000:role/api-handler-role";
    public const string RoleToken = "role-token-for-tests";

    public static readonly ImmutableCredentials Admin = TestCredentials.New();
    public static readonly ImmutableCredentials Reader = TestCredentials.New();
    public static readonly ImmutableCredentials Restricted = TestCredentials.New();

    public const string AllowAll = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""";

    public const string ReadConfigSecret = """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["secretsmanager:GetSecretValue","secretsmanager:DescribeSecret"],
         "Resource":"arn:aws:secretsmanager:us-east-1:000000000000:secret:tap/api-config-??????"}]}
        """;

    public const string AllowAllButDelete = """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},
         {"Sid":"NoDelete","Effect":"Deny","Action":"secretsmanager:DeleteSecret","Resource":"*"}]}
        """;

    /// <summary>The principals as .NET configuration keys (policies as JSON strings).</summary>
    public static Dictionary<string, string?> Settings() => new()
    {
        ["LocalAws:AccountId"] = AccountId,
        ["LocalAws:Region"] = "us-east-1",
        ["LocalAws:Principals:0:Name"] = "admin",
        ["LocalAws:Principals:0:Arn"] = "arn:aws:iam::000000000000:user/admin",
        ["LocalAws:Principals:0:AccessKeyId"] = Admin.AccessKey,
        ["LocalAws:Principals:0:SecretAccessKey"] = Admin.SecretKey,
        ["LocalAws:Principals:0:Policies:0"] = AllowAll,
        ["LocalAws:Principals:1:Name"] = "reader",
        ["LocalAws:Principals:1:Arn"] = "arn:aws:iam::000000000000:user/reader",
        ["LocalAws:Principals:1:AccessKeyId"] = Reader.AccessKey,
        ["LocalAws:Principals:1:SecretAccessKey"] = Reader.SecretKey,
        ["LocalAws:Principals:1:Policies:0"] = ReadConfigSecret,
        ["LocalAws:Principals:2:Name"] = "restricted",
        ["LocalAws:Principals:2:Arn"] = "arn:aws:iam::000000000000:user/restricted",
        ["LocalAws:Principals:2:AccessKeyId"] = Restricted.AccessKey,
        ["LocalAws:Principals:2:SecretAccessKey"] = Restricted.SecretKey,
        ["LocalAws:Principals:2:Policies:0"] = AllowAllButDelete,
        ["LocalAws:Principals:3:Name"] = "api-handler-role",
        ["LocalAws:Principals:3:Arn"] = RoleArn,
        ["LocalAws:Principals:3:ContainerCredentialsToken"] = RoleToken,
        ["LocalAws:Principals:3:MaxSessionDuration"] = "43200",
        ["LocalAws:Principals:3:Policies:0"] = ReadConfigSecret,
    };
}

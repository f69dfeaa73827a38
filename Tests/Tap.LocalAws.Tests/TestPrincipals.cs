using Amazon.Runtime;
using Tap.Aws.Protocol;
using Tap.Definition;
using Tap.LocalAws.Configuration;
using Tap.Testing;

namespace Tap.LocalAws.Tests;

/// <summary>The identities every LocalAws test uses, with keys generated per run in AWS's shapes.</summary>
public static class TestPrincipals
{
    public const string AccountId = "000000000000";
    public static readonly string ConfigSecretName = TapApplication.Secret.Name;
    public static readonly string RoleArn = $"arn:aws:iam::{AccountId}:role/{TapApplication.FunctionRole.Name}";
    public const string RoleToken = "role-token-for-tests";

    public static readonly ImmutableCredentials Admin = TestCredentials.New();
    public static readonly ImmutableCredentials Reader = TestCredentials.New();
    public static readonly ImmutableCredentials Restricted = TestCredentials.New();

    public const string AllowAll = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""";

    public static readonly string ReadConfigSecret = $$"""
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["secretsmanager:GetSecretValue","secretsmanager:DescribeSecret"],
         "Resource":"{{TapApplication.Secret.ArnPattern("us-east-1", AccountId)}}"}]}
        """;

    public const string AllowAllButDelete = """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},
         {"Sid":"NoDelete","Effect":"Deny","Action":"secretsmanager:DeleteSecret","Resource":"*"}]}
        """;

    /// <summary>The principals as .NET configuration keys, written by the same writer the AppHost uses.</summary>
    public static Dictionary<string, string?> Settings() => new LocalAwsSettings
    {
        AccountId = AccountId,
        Region = "us-east-1",
        Principals =
        [
            User("admin", Admin, AllowAll),
            User("reader", Reader, ReadConfigSecret),
            User("restricted", Restricted, AllowAllButDelete),
            new LocalAwsPrincipalSettings(TapApplication.FunctionRole.Name, RoleArn)
            {
                ContainerCredentialsToken = RoleToken,
                MaxSessionDuration = AwsLimits.MaxRoleSessionDurationSeconds,
                Policies = [ReadConfigSecret],
            },
        ],
    }.ToConfiguration().ToDictionary(setting => setting.Key, setting => (string?)setting.Value);

    private static LocalAwsPrincipalSettings User(string name, ImmutableCredentials credentials, string policy) =>
        new(name, $"arn:aws:iam::{AccountId}:user/{name}")
        {
            AccessKeyId = credentials.AccessKey,
            SecretAccessKey = credentials.SecretKey,
            Policies = [policy],
        };
}

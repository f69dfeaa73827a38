using Amazon.Runtime;
using Tap.Aws.Protocol;
using Tap.Definition;
using Tap.LocalAws.Settings;
using Tap.Testing;

namespace Tap.LocalAws.Tests;

/// <summary>The identities every LocalAws test uses, with keys generated per run in AWS's shapes.</summary>
public static class TestPrincipals
{
    public const string AccountId = "000000000000";
    public static readonly string ConfigSecretName = TapApplication.Secret.Name;
    public static readonly string RoleArn = $"arn:aws:iam::{AccountId}:role/{TapApplication.FunctionRole.Name}";
    public const string RoleToken = "role-token-for-tests";

    /// <summary>The seed's invoker role: it trusts the account root, but only with this external id.</summary>
    public static readonly string InvokerRoleArn = $"arn:aws:iam::{AccountId}:role/{TapApplication.Invoker.RoleName}";
    public const string InvokerExternalId = "tap-invoker-external-id";

    /// <summary>A role whose trust policy names the reader user itself, and nobody else.</summary>
    public static readonly string ReaderTrustedRoleArn = $"arn:aws:iam::{AccountId}:role/reader-trusted-role";

    public static readonly ImmutableCredentials Admin = TestCredentials.New();
    public static readonly ImmutableCredentials Reader = TestCredentials.New();
    public static readonly ImmutableCredentials Restricted = TestCredentials.New();
    public static readonly ImmutableCredentials Batcher = TestCredentials.New();
    public static readonly ImmutableCredentials Creator = TestCredentials.New();
    public static readonly ImmutableCredentials Invoker = TestCredentials.New();
    public static readonly ImmutableCredentials OrdersInvoker = TestCredentials.New();
    public static readonly ImmutableCredentials Attached = TestCredentials.New();

    /// <summary>The managed policy the <c>attached</c> user holds by ARN; no such policy exists until a test makes it.</summary>
    public static readonly string AttachedPolicyArn = $"arn:aws:iam::{AccountId}:policy/attached-later";

    public const string AllowAll = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""";

    public static readonly string ReadConfigSecret = $$"""
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["secretsmanager:GetSecretValue","secretsmanager:DescribeSecret"],
         "Resource":"{{TapApplication.Secret.ArnPattern("us-east-1", AccountId)}}"}]}
        """;

    public const string AllowAllButDelete = """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},
         {"Sid":"NoDelete","Effect":"Deny","Action":"secretsmanager:DeleteSecret","Resource":"*"}]}
        """;

    /// <summary>May batch-read the config secret by id, but not list secrets.</summary>
    public static readonly string BatchReadConfigSecret = $$"""
        {"Version":"2012-10-17","Statement":[
         {"Effect":"Allow","Action":"secretsmanager:BatchGetSecretValue","Resource":"*"},
         {"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"{{TapApplication.Secret.ArnPattern("us-east-1", AccountId)}}"}]}
        """;

    /// <summary>May create and describe secrets, but not tag them.</summary>
    public const string CreateButNotTag = """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["secretsmanager:CreateSecret","secretsmanager:DescribeSecret"],"Resource":"*"}]}
        """;

    /// <summary>
    /// What the definition grants invokers (<c>execute-api:Invoke</c> on every API's <c>prod</c> stage), less an
    /// explicit deny of <c>/private/…</c>: the gateway's allow, default-deny and explicit-deny cases in one policy.
    /// </summary>
    public static readonly string InvokeProdButNotPrivate = $$"""
        {"Version":"2012-10-17","Statement":[
         {"Effect":"Allow","Action":{{System.Text.Json.JsonSerializer.Serialize(TapApplication.Invoker.Actions)}},"Resource":"arn:aws:execute-api:us-east-1:{{AccountId}}:*/prod/*/*"},
         {"Effect":"Deny","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:{{AccountId}}:*/prod/*/private/*"}]}
        """;

    /// <summary>May <c>GET</c> any order under <c>/orders/</c> on any API's <c>prod</c> stage, except order 42: an explicit deny of one exact resource.</summary>
    public const string InvokeOrdersBut42 = $$"""
        {"Version":"2012-10-17","Statement":[
         {"Effect":"Allow","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:{{AccountId}}:*/prod/GET/orders/*"},
         {"Effect":"Deny","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:{{AccountId}}:*/prod/GET/orders/42"}]}
        """;

    /// <summary>The invoker role's trust policy as TapStack writes it: the account's root, with the external id.</summary>
    public static readonly string InvokerTrustPolicy = new System.Text.Json.Nodes.JsonObject
    {
        ["Version"] = "2012-10-17",
        ["Statement"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject
        {
            ["Effect"] = "Allow",
            ["Principal"] = new System.Text.Json.Nodes.JsonObject { ["AWS"] = $"arn:aws:iam::{AccountId}:root" },
            ["Action"] = "sts:AssumeRole",
            ["Condition"] = new System.Text.Json.Nodes.JsonObject
            {
                ["StringEquals"] = new System.Text.Json.Nodes.JsonObject { [InvokerDefinition.ExternalIdConditionKey] = InvokerExternalId },
            },
        }),
    }.ToJsonString();

    public static readonly string ReaderOnlyTrustPolicy = $$"""
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{AccountId}}:user/reader"},"Action":"sts:AssumeRole"}]}
        """;

    /// <summary>The principals every LocalAws test has; a test that needs more configures these and its own.</summary>
    public static IReadOnlyList<LocalAwsPrincipalSettings> All { get; } =
    [
        User("admin", Admin, AllowAll),
        User("reader", Reader, ReadConfigSecret),
        User("restricted", Restricted, AllowAllButDelete),
        User("batcher", Batcher, BatchReadConfigSecret),
        User("creator", Creator, CreateButNotTag),
        User("invoker", Invoker, InvokeProdButNotPrivate),
        User("orders-invoker", OrdersInvoker, InvokeOrdersBut42),
        new LocalAwsPrincipalSettings("attached", $"arn:aws:iam::{AccountId}:user/attached")
        {
            AccessKeyId = Attached.AccessKey,
            SecretAccessKey = Attached.SecretKey,
            ManagedPolicyArns = [AttachedPolicyArn],
        },
        new LocalAwsPrincipalSettings(TapApplication.FunctionRole.Name, RoleArn)
        {
            ContainerCredentialsToken = RoleToken,
            MaxSessionDuration = AwsLimits.MaxRoleSessionDurationSeconds,
            Policies = [ReadConfigSecret],
        },
        new LocalAwsPrincipalSettings(TapApplication.Invoker.RoleName, InvokerRoleArn) { AssumeRolePolicyDocument = InvokerTrustPolicy, Policies = [InvokeProdButNotPrivate] },
        new LocalAwsPrincipalSettings("reader-trusted-role", ReaderTrustedRoleArn) { AssumeRolePolicyDocument = ReaderOnlyTrustPolicy },
    ];

    /// <summary>The principals as .NET configuration keys, written by the same writer the AppHost uses.</summary>
    public static Dictionary<string, string?> Settings() => new LocalAwsSettings
    {
        AccountId = AccountId,
        Region = "us-east-1",
        Principals = All,
    }.ToConfiguration().ToDictionary(setting => setting.Key, setting => (string?)setting.Value);

    public static LocalAwsPrincipalSettings User(string name, ImmutableCredentials credentials, string policy) =>
        new(name, $"arn:aws:iam::{AccountId}:user/{name}")
        {
            AccessKeyId = credentials.AccessKey,
            SecretAccessKey = credentials.SecretKey,
            Policies = [policy],
        };
}

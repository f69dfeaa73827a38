using Amazon.Runtime;
using Tap.LocalAws.Settings;
using Tap.LocalAws.Tests.Lambda;
using Tap.Testing;

namespace Tap.LocalAws.Tests.ApiGateway;

/// <summary>
/// LocalAws with one HTTP API whose routes compete (<see cref="Routes"/>, stage <c>prod</c>, all <c>AWS_IAM</c>) and
/// <see cref="CallerCount"/> users, each with its own generated policy of Allow and Deny statements over
/// <c>execute-api:Invoke</c> resources of that API; one environment runs <see cref="GatewayFixture.Echo"/>.
/// </summary>
public sealed class PolicyRoutesFixture : IAsyncLifetime
{
    public const int CallerCount = 24;
    public const string ApiName = "routes-api";

    public static readonly string[] Routes = ["ANY /", "ANY /{proxy+}", "GET /orders", "GET /orders/{id}", "ANY /orders/{id}", "GET /files/{path+}"];

    /// <summary>Resource paths (after <c>{apiId}/prod/</c>) the generated statements name, in canonical form, wildcards included.</summary>
    private static readonly string[] ResourcePaths =
        ["*", "GET/*", "POST/*", "*/orders", "GET/orders", "GET/orders/*", "*/orders/*", "GET/orders/42", "*/orders/42", "GET/orders/4?",
         "DELETE/*", "GET/files/*", "*/a%20b/*", "GET/Orders/*", "GET/", "*/caf%C3%A9", "GET/orders/*/x"];

    public static readonly string ApiId = LocalAwsHttpApiSettings.DefaultApiId(ApiName);

    public LambdaTestHost Host { get; private set; } = null!;

    public IReadOnlyList<Caller> Callers { get; private set; } = [];

    public Uri Api => Host.HttpApi(ApiName);

    private ScriptedFunction Function { get; set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var random = new Random(20261201);
        Callers = [.. Enumerable.Range(0, CallerCount).Select(i => new Caller($"caller-{i}", TestCredentials.New(), Statements(random)))];
        Host = LambdaTestHost.Start(new LocalAwsSettings
        {
            Principals = [.. TestPrincipals.All, .. Callers.Select(c => TestPrincipals.User(c.Name, c.Credentials, c.PolicyDocument))],
            Functions = [LambdaTestHost.Function(GatewayFixture.Function)],
            HttpApis =
            [
                new LocalAwsHttpApiSettings(ApiName, [.. Routes.Select(route => new LocalAwsRouteSettings(route, GatewayFixture.Function) { AuthorizationType = "AWS_IAM" })])
                {
                    Url = "http://127.0.0.1:0",
                    Stage = "prod",
                },
            ],
        });
        Function = new ScriptedFunction(Host, GatewayFixture.Function, environments: 1, GatewayFixture.Echo);
        await FunctionHealth.WaitForAsync(Host.Endpoint, GatewayFixture.Function, "Idle", environments: 1);
    }

    public async ValueTask DisposeAsync()
    {
        await Function.DisposeAsync();
        await Host.DisposeAsync();
    }

    private static Statement[] Statements(Random random) =>
        [.. Enumerable.Range(0, random.Next(1, 5)).Select(_ => new Statement(random.Next(3) == 0 ? "Deny" : "Allow", ResourcePaths[random.Next(ResourcePaths.Length)]))];

    /// <summary>One statement: its effect and its resource after <c>{apiId}/prod/</c>.</summary>
    public sealed record Statement(string Effect, string ResourcePath)
    {
        public string Resource => $"arn:aws:execute-api:us-east-1:{TestPrincipals.AccountId}:{ApiId}/prod/{ResourcePath}";
    }

    /// <summary>A user and its policy.</summary>
    public sealed record Caller(string Name, ImmutableCredentials Credentials, IReadOnlyList<Statement> Statements)
    {
        public string PolicyDocument => System.Text.Json.JsonSerializer.Serialize(new
        {
            Version = "2012-10-17",
            Statement = Statements.Select(s => new { s.Effect, Action = "execute-api:Invoke", s.Resource }),
        });

        public override string ToString() => $"{Name}: {string.Join(", ", Statements.Select(s => $"{s.Effect} {s.ResourcePath}"))}";
    }
}

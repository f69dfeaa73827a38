using System.Text.Json;
using Amazon.Lambda.APIGatewayEvents;
using Tap.Aws.Lambda.Hosting.Serialization;

namespace Tap.Aws.Lambda.Hosting.Tests;

internal static class GoldenEvents
{
    public const string Documented = "http-api-v2-documented.json";
    public const string IamWithStage = "http-api-v2-iam-stage.json";

    public static string Text(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Events", name));

    public static APIGatewayHttpApiV2ProxyRequest Load(string name) =>
        JsonSerializer.Deserialize(Text(name), LambdaEventJsonContext.Default.APIGatewayHttpApiV2ProxyRequest)!;
}

using System.Text.Json.Serialization;
using Amazon.Lambda.APIGatewayEvents;
using Amazon.Lambda.Serialization.SystemTextJson;

// What the Function's cold start is judged against: the same adapter and publish settings, and nothing else.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Services.AddAWSLambdaHosting(LambdaEventSource.HttpApi, new SourceGeneratorLambdaJsonSerializer<FloorJsonContext>());
var app = builder.Build();
app.MapGet("/orders/{id}", (string id) => Results.Text($$"""{"id":"{{id}}"}""", "application/json"));
await app.RunAsync();

[JsonSerializable(typeof(APIGatewayHttpApiV2ProxyRequest))]
[JsonSerializable(typeof(APIGatewayHttpApiV2ProxyResponse))]
internal sealed partial class FloorJsonContext : JsonSerializerContext;

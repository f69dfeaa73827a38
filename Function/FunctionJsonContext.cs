using System.Text.Json;
using System.Text.Json.Serialization;
using Amazon.Lambda.APIGatewayEvents;

namespace Tap.Function;

/// <summary>
/// Source-generated JSON for every type the API writes, and for the Lambda events it receives in Lambda (Native AOT
/// has no reflection-based JSON).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ApiResponse))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(APIGatewayHttpApiV2ProxyRequest))]
[JsonSerializable(typeof(APIGatewayHttpApiV2ProxyResponse))]
internal sealed partial class FunctionJsonContext : JsonSerializerContext;

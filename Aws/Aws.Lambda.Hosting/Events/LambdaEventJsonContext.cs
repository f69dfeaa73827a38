using System.Text.Json;
using System.Text.Json.Serialization;

namespace Amazon.Lambda.APIGatewayEvents;

/// <summary>Source-generated JSON for the HTTP API payload 2.0 shapes (camelCase, absent members omitted).</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(APIGatewayHttpApiV2ProxyRequest))]
[JsonSerializable(typeof(APIGatewayHttpApiV2ProxyResponse))]
public sealed partial class LambdaEventJsonContext : JsonSerializerContext;

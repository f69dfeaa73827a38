using System.Text.Json;
using System.Text.Json.Serialization;
using Amazon.Lambda.APIGatewayEvents;

namespace Tap.LocalAws.ApiGateway;

/// <summary>The gateway's JSON: the payload 2.0 event it sends (camelCase, absent members left out) and its error body.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(APIGatewayHttpApiV2ProxyRequest))]
[JsonSerializable(typeof(GatewayResponse.Body))]
internal sealed partial class GatewayJsonContext : JsonSerializerContext;

using System.Text.Json;
using System.Text.Json.Serialization;
using Amazon.Lambda.APIGatewayEvents;

namespace Tap.Aws.Lambda.Hosting.Serialization;

/// <summary>Source-generated JSON for the HTTP API payload 2.0 shapes (camelCase, absent members omitted).</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(APIGatewayHttpApiV2ProxyRequest))]
[JsonSerializable(typeof(APIGatewayHttpApiV2ProxyResponse))]
internal sealed partial class LambdaEventJsonContext : JsonSerializerContext;

/// <summary>The serializer the overloads without one use: the payload 2.0 shapes, source-generated.</summary>
internal sealed class LambdaEventSerializer : Amazon.Lambda.Core.ILambdaSerializer
{
    public T Deserialize<T>(Stream requestStream) =>
        JsonSerializer.Deserialize(requestStream, (System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>)LambdaEventJsonContext.Default.GetTypeInfo(typeof(T))!)!;

    public void Serialize<T>(T response, Stream responseStream) =>
        JsonSerializer.Serialize(responseStream, response, (System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>)LambdaEventJsonContext.Default.GetTypeInfo(typeof(T))!);
}

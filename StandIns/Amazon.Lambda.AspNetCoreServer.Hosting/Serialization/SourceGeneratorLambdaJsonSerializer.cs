using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Amazon.Lambda.Core;

namespace Amazon.Lambda.Serialization.SystemTextJson;

/// <summary>
/// Serializes events and responses with a source-generated <see cref="JsonSerializerContext"/> (no reflection, so
/// Native AOT safe). The context must declare the event and response types, e.g.
/// <c>[JsonSerializable(typeof(APIGatewayHttpApiV2ProxyRequest))]</c>; it is created with Lambda's options:
/// camelCase names, case-insensitive reads, nulls omitted.
/// </summary>
public class SourceGeneratorLambdaJsonSerializer<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TSGContext>
    : ILambdaSerializer
    where TSGContext : JsonSerializerContext
{
    private readonly TSGContext _context;

    public SourceGeneratorLambdaJsonSerializer()
        : this(null)
    {
    }

    public SourceGeneratorLambdaJsonSerializer(Action<JsonSerializerOptions>? customizer)
    {
        SerializerOptions = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            PropertyNameCaseInsensitive = true,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        customizer?.Invoke(SerializerOptions);
        var constructor = typeof(TSGContext).GetConstructor([typeof(JsonSerializerOptions)])
            ?? throw new InvalidOperationException($"The serializer {typeof(TSGContext).FullName} is missing a constructor that takes in JsonSerializerOptions object");
        _context = (TSGContext)constructor.Invoke([SerializerOptions]);
    }

    protected JsonSerializerOptions SerializerOptions { get; }

    public T Deserialize<T>(Stream requestStream) => JsonSerializer.Deserialize(requestStream, TypeInfo<T>())!;

    public void Serialize<T>(T response, Stream responseStream) => JsonSerializer.Serialize(responseStream, response, TypeInfo<T>());

    private JsonTypeInfo<T> TypeInfo<T>() => _context.GetTypeInfo(typeof(T)) as JsonTypeInfo<T>
        ?? throw new JsonException($"No JsonTypeInfo registered in {_context.GetType().FullName} for type {typeof(T).FullName}.");
}

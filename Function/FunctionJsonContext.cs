using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tap.Function;

/// <summary>Source-generated JSON for every type the API writes (Native AOT has no reflection-based JSON).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ApiResponse))]
[JsonSerializable(typeof(ErrorResponse))]
internal sealed partial class FunctionJsonContext : JsonSerializerContext;

using System.Globalization;
using System.Text.Json;

namespace Tap.LocalAws.Lambda;

/// <summary>A function's <c>FunctionConfiguration</c>, as GetFunction and ListFunctions return it.</summary>
internal static class FunctionConfigurationJson
{
    public static void Write(Utf8JsonWriter writer, LambdaFunction function)
    {
        writer.WriteStartObject();
        writer.WriteString("FunctionName", function.Name);
        writer.WriteString("FunctionArn", function.Arn);
        if (function.Runtime is { } runtime)
        {
            writer.WriteString("Runtime", runtime);
        }

        writer.WriteString("Role", function.Role);
        if (function.Handler is { } handler)
        {
            writer.WriteString("Handler", handler);
        }

        writer.WriteNumber("CodeSize", function.Code?.Size ?? 0);
        writer.WriteString("Description", function.Description ?? string.Empty);
        writer.WriteNumber("Timeout", function.TimeoutSeconds);
        writer.WriteNumber("MemorySize", function.MemorySizeMb);

        // Lambda's own timestamp format: ISO 8601 with milliseconds and a +0000 offset.
        writer.WriteString("LastModified", function.LastModified.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture));
        if (function.Code is { } code)
        {
            writer.WriteString("CodeSha256", code.Sha256);
        }

        writer.WriteString("Version", LambdaFunction.LatestVersion);
        writer.WriteStartObject("Environment");
        writer.WriteStartObject("Variables");
        foreach (var (name, value) in function.Environment)
        {
            writer.WriteString(name, value);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteStartObject("TracingConfig");
        writer.WriteString("Mode", function.TracingMode);
        writer.WriteEndObject();
        writer.WriteString("RevisionId", function.RevisionId);
        writer.WriteString("State", "Active");
        writer.WriteString("LastUpdateStatus", "Successful");
        writer.WriteString("PackageType", "Zip");
        writer.WriteStartArray("Architectures");
        writer.WriteStringValue(function.Architecture);
        writer.WriteEndArray();
        writer.WriteStartObject("EphemeralStorage");
        writer.WriteNumber("Size", 512);
        writer.WriteEndObject();
        writer.WriteStartObject("LoggingConfig");
        writer.WriteString("LogFormat", function.JsonLogs ? "JSON" : "Text");
        writer.WriteString("LogGroup", function.LogGroup);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}

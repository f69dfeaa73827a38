using System.Text.Json;
using Tap.Aws.Errors;
using Tap.Aws.Protocol;
using Tap.Aws.SecretsManager.Protocol;

namespace Tap.LocalAws.Protocols;

/// <summary>AWS JSON 1.1 responses: the result object, or <c>{"__type": code, "message": …}</c>.</summary>
internal static class JsonProtocol
{
    public static Task WriteAsync(HttpResponse response, object result)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(result, result.GetType(), SecretsManagerJson.Options);
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = AwsJsonProtocol.ContentType;
        return response.Body.WriteAsync(bytes).AsTask();
    }

    public static async Task WriteErrorAsync(HttpResponse response, AwsError error)
    {
        response.StatusCode = error.StatusCode;
        response.ContentType = AwsJsonProtocol.ContentType;
        await using var writer = new Utf8JsonWriter(response.Body);
        AwsJsonError.Write(writer, error.Code, error.Message);
    }
}

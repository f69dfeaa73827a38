using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Tap.LocalAws.Storage;

/// <summary>
/// A stored record's file: a header line <c>{"format":n,"sha256":"…"}</c>, then the body the checksum covers, so
/// damage is found at load and reported (<see cref="LocalAwsStoreDamagedException"/>), never silently dropped or
/// overwritten. Written through <see cref="DurableFile"/>.
/// </summary>
internal static class ChecksummedFile
{
    /// <summary>Replaces <paramref name="path"/> with <paramref name="body"/> under a header of <paramref name="format"/>.</summary>
    /// <returns>A failed directory sync after the change took effect (see <see cref="DurableFile.Replace"/>).</returns>
    public static Exception? Write(string path, int format, byte[] body, Action<StorageStep>? step = null)
    {
        var header = Encoding.UTF8.GetBytes($"{{\"format\":{format},\"sha256\":\"{Convert.ToHexStringLower(SHA256.HashData(body))}\"}}\n");
        return DurableFile.Replace(path, file =>
        {
            file.Write(header);
            file.Write(body);
        }, step);
    }

    /// <summary>The body of <paramref name="path"/>, checked against its header; damage throws naming what is wrong.</summary>
    public static ReadOnlyMemory<byte> Read(string path, int format)
    {
        var bytes = File.ReadAllBytes(path);
        var newline = Array.IndexOf(bytes, (byte)'\n');
        if (newline < 0)
        {
            throw new LocalAwsStoreDamagedException(path, "it has no header line");
        }

        int actualFormat;
        string? expected;
        try
        {
            using var header = JsonDocument.Parse(bytes.AsMemory(0, newline));
            actualFormat = header.RootElement.GetProperty("format").GetInt32();
            expected = header.RootElement.GetProperty("sha256").GetString();
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new LocalAwsStoreDamagedException(path, "its header is not valid");
        }

        if (actualFormat != format)
        {
            throw new LocalAwsStoreDamagedException(path, $"its format {actualFormat} is not {format}");
        }

        var body = bytes.AsMemory(newline + 1);
        if (!string.Equals(expected, Convert.ToHexStringLower(SHA256.HashData(body.Span)), StringComparison.Ordinal))
        {
            throw new LocalAwsStoreDamagedException(path, "its checksum does not match its contents");
        }

        return body;
    }

    /// <summary>
    /// The JSON record in <paramref name="path"/>, checked as <see cref="Read"/> checks it. Damage names only the
    /// position: the parser's message may quote the file, and records hold secret values.
    /// </summary>
    public static T ReadJson<T>(string path, int format, JsonSerializerOptions? options = null)
        where T : class
    {
        var body = Read(path, format);
        try
        {
            return JsonSerializer.Deserialize<T>(body.Span, options) ?? throw new LocalAwsStoreDamagedException(path, "it holds no record");
        }
        catch (JsonException json)
        {
            throw new LocalAwsStoreDamagedException(path, $"it is not valid JSON (line {json.LineNumber}, byte {json.BytePositionInLine})");
        }
    }

    /// <summary>The file name a record named <paramref name="key"/> (which a client chose) is stored under: a hash, never the name.</summary>
    public static string FileName(string key, string extension) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..32] + extension;
}

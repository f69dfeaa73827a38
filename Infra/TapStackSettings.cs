using Constructs;

namespace Tap.Infra;

/// <summary>What one deployment of <see cref="TapStack"/> varies by, read from CDK context.</summary>
/// <param name="EnvironmentName">Suffixes the secret's and the function's names, so environments (and a redeploy after a delete) never collide.</param>
/// <param name="FunctionAssetDirectory">A directory holding the Function's <c>bootstrap</c>; published on demand when unset.</param>
/// <param name="Account">The target account, only when given with <see cref="Region"/>.</param>
/// <param name="Region">The target region, only when given with <see cref="Account"/>.</param>
/// <param name="FunctionMemory">The function's memory in MB for this deployment; the definition's when unset.</param>
public sealed record TapStackSettings(string EnvironmentName, string? FunctionAssetDirectory, string? Account = null, string? Region = null, int? FunctionMemory = null)
{
    public const string EnvironmentKey = "environment";
    public const string FunctionAssetKey = "functionAsset";
    public const string FunctionMemoryKey = "functionMemory";

    public static TapStackSettings FromContext(Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var environment = node.TryGetContext(EnvironmentKey) as string ?? "dev";
        if (environment.Length is 0 or > 16 || !environment.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c)))
        {
            throw new ArgumentException($"Context '{EnvironmentKey}' must be 1 to 16 lower-case letters or digits, not '{environment}'.");
        }

        return new TapStackSettings(
            environment,
            node.TryGetContext(FunctionAssetKey) as string,
            node.TryGetContext("account") as string,
            node.TryGetContext("region") as string,
            Memory(node.TryGetContext(FunctionMemoryKey)));
    }

    /// <summary>Lambda's range, 128 to 10,240 MB; <c>-c functionMemory=512</c> arrives as text, a cdk.json value as a number.</summary>
    private static int? Memory(object? value)
    {
        if (value is null)
        {
            return null;
        }

        var text = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);
        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var megabytes) && megabytes is >= 128 and <= 10_240
            ? megabytes
            : throw new ArgumentException($"Context '{FunctionMemoryKey}' must be a whole number of MB from 128 to 10240, not '{text}'.");
    }
}

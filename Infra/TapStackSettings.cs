using Constructs;

namespace Tap.Infra;

/// <summary>What one deployment of <see cref="TapStack"/> varies by, read from CDK context.</summary>
/// <param name="EnvironmentName">Suffixes the secret's and the function's names, so environments (and a redeploy after a delete) never collide.</param>
/// <param name="FunctionAssetDirectory">A directory holding the Function's <c>bootstrap</c>; published on demand when unset.</param>
/// <param name="Account">The target account, only when given with <see cref="Region"/>.</param>
/// <param name="Region">The target region, only when given with <see cref="Account"/>.</param>
public sealed record TapStackSettings(string EnvironmentName, string? FunctionAssetDirectory, string? Account = null, string? Region = null)
{
    public const string EnvironmentKey = "environment";
    public const string FunctionAssetKey = "functionAsset";

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
            node.TryGetContext("region") as string);
    }
}

using Aspire.Hosting;

namespace Tap.Aws.Hosting;

/// <summary>Finds the app model's <see cref="ILambdaServiceEmulatorResource"/>.</summary>
internal static class LambdaServiceEmulator
{
    public static ILambdaServiceEmulatorResource Find(IDistributedApplicationBuilder builder, string resourceName)
    {
        var emulators = builder.Resources.OfType<ILambdaServiceEmulatorResource>().ToList();
        return emulators.Count switch
        {
            1 => emulators[0],
            0 => throw new InvalidOperationException(
                $"Nothing serves {resourceName}: add the local emulator of Lambda and API Gateway (an {nameof(ILambdaServiceEmulatorResource)}) to the app first."),
            _ => throw new InvalidOperationException(
                $"The app has {emulators.Count} Lambda service emulators ({string.Join(", ", emulators.Select(e => e.Name))}); one serves every function and API."),
        };
    }
}

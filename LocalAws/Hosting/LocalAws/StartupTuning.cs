using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace Tap.LocalAws.Hosting;

/// <summary>How the processes this library starts are tuned for a developer's start rather than a server's peak.</summary>
internal static class StartupTuning
{
    /// <summary>
    /// Turns tiered PGO off for the process (and a <c>dotnet run</c> that launches it). While the app starts, every
    /// process competes for the same cores, and the tiered compiler's background re-compiles were a third or more of
    /// the AppHost's and LocalAws's CPU (bench/startup.sh under perf); PGO's instrumented tier adds to them (the
    /// AppHost's fell from 1.6 to 1.1 core-seconds without it). What PGO buys later is peak throughput, which a
    /// developer's local process does not need. LocalAws's own runtimeconfig says the same, so only the function
    /// processes need it.
    /// </summary>
    public static IResourceBuilder<T> WithoutTieredPgo<T>(this IResourceBuilder<T> builder)
        where T : IResourceWithEnvironment =>
        builder.WithEnvironment("DOTNET_TieredPGO", "0");
}

using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.Configuration;
using Tap.Tests.Shared;

namespace Tap.AppHost.Tests;

/// <summary>
/// The AppHost's app model, built but not started, with its endpoints given the ports <c>dotnet run</c> uses, so
/// each resource's environment can be read as the processes would get it.
/// </summary>
internal static class AppModel
{
    /// <param name="settings">More AppHost settings, e.g. <c>SecretsManager:ServiceURL=…</c>.</param>
    public static async Task<IDistributedApplicationTestingBuilder> CreateAsync(params string[] settings)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Tap_AppHost>(["LocalAws:Port=0", "LocalAws:HttpsPort=0", "HttpApi:Port=0", .. settings]);
        var ports = new Dictionary<string, int>(StringComparer.Ordinal) { ["http"] = 4566, ["https"] = 4567, ["runtime-api"] = 9001, ["serverless-http-api"] = 4000 };
        builder.AllocateEndpoints(endpoint => ports[endpoint.Name]);

        return builder;
    }

    public static T Single<T>(this IDistributedApplicationTestingBuilder builder)
        where T : IResource => builder.Resources.OfType<T>().Single();

    public static T Named<T>(this IDistributedApplicationTestingBuilder builder, string name)
        where T : IResource => builder.Resources.OfType<T>().Single(r => r.Name == name);

    public static async Task<Dictionary<string, string>> EnvironmentAsync(this IDistributedApplicationTestingBuilder builder, IResource resource) =>
        new((await ConfigurationAsync(builder, resource)).EnvironmentVariables, StringComparer.Ordinal);

    /// <summary>
    /// The settings LocalAws starts with: its environment, plus the owner-only JSON file its <c>--config</c> argument
    /// names (where secret keys and tokens go), as .NET configuration would merge them (<c>LocalAws__…</c> keys).
    /// </summary>
    public static async Task<(Dictionary<string, string> Environment, Dictionary<string, string> SecretFile)> LocalAwsSettingsAsync(
        this IDistributedApplicationTestingBuilder builder, IResource localAws)
    {
        var configuration = await ConfigurationAsync(builder, localAws);
        var arguments = configuration.Arguments.Select(a => a.Value).ToList();
        var file = arguments[arguments.IndexOf("--config") + 1];
        var secrets = new ConfigurationBuilder().AddJsonFile(file).Build().AsEnumerable()
            .Where(setting => setting.Value is not null)
            .ToDictionary(setting => setting.Key.Replace(":", "__", StringComparison.Ordinal), setting => setting.Value!, StringComparer.Ordinal);
        return (new(configuration.EnvironmentVariables, StringComparer.Ordinal), secrets);
    }

    private static Task<IExecutionConfigurationResult> ConfigurationAsync(IDistributedApplicationTestingBuilder builder, IResource resource) =>
        ResourceConfiguration.EvaluateAsync(builder.ExecutionContext, resource);
}

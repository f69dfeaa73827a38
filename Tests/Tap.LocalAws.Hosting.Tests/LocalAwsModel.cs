using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Tap.LocalAws.Settings;
using Tap.Tests.Shared;

namespace Tap.LocalAws.Hosting.Tests;

/// <summary>A bare app model with LocalAws in it, and the settings LocalAws would start with.</summary>
internal static class LocalAwsModel
{
    public static (IDistributedApplicationBuilder Builder, IResourceBuilder<LocalAwsResource> LocalAws) Create()
    {
        var builder = DistributedApplication.CreateBuilder();
        return (builder, builder.AddLocalAws("localaws", port: null, httpsPort: null, programPath: "/nonexistent/Tap.LocalAws.dll"));
    }

    /// <summary>LocalAws's settings as LocalAws reads them: its environment plus the owner-only file its <c>--config</c> names.</summary>
    public static async Task<LocalAwsSettings> SettingsAsync(IDistributedApplicationBuilder builder, LocalAwsResource localAws)
    {
        builder.AllocateEndpoints(endpoint => endpoint.Name switch { "http" => 4566, "runtime-api" => 9001, _ => 4000 });
        var configuration = await ResourceConfiguration.EvaluateAsync(builder.ExecutionContext, localAws);
        var arguments = configuration.Arguments.Select(a => a.Value).ToList();
        var environment = configuration.EnvironmentVariables
            .Where(variable => variable.Key.StartsWith(LocalAwsSettings.SectionName + "__", StringComparison.Ordinal))
            .Select(variable => new KeyValuePair<string, string?>(variable.Key.Replace("__", ":", StringComparison.Ordinal), variable.Value));
        return LocalAwsSettings.Read(new ConfigurationBuilder()
            .AddInMemoryCollection(environment)
            .AddJsonFile(arguments[arguments.IndexOf("--config") + 1])
            .Build());
    }
}

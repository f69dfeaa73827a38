using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Logging.Abstractions;

namespace Tap.Tests.Shared;

/// <summary>
/// A resource's environment and arguments as its process would get them, evaluated from an app model that is built
/// but not started. Compiled into each app-model test project (one file, linked).
/// </summary>
internal static class ResourceConfiguration
{
    public static async Task<IExecutionConfigurationResult> EvaluateAsync(DistributedApplicationExecutionContext context, IResource resource)
    {
        var configuration = await ExecutionConfigurationBuilder.Create(resource)
            .WithEnvironmentVariablesConfig()
            .WithArgumentsConfig()
            .BuildAsync(context, NullLogger.Instance, CancellationToken.None);
        return configuration.Exception is { } exception
            ? throw new InvalidOperationException($"{resource.Name}'s configuration could not be evaluated.", exception)
            : configuration;
    }

    public static async Task<Dictionary<string, string>> EnvironmentAsync(this IDistributedApplicationBuilder builder, IResource resource) =>
        new((await EvaluateAsync(builder.ExecutionContext, resource)).EnvironmentVariables, StringComparer.Ordinal);

    /// <summary>Gives every endpoint of the model an address, as DCP would when it starts the app.</summary>
    public static void AllocateEndpoints(this IDistributedApplicationBuilder builder, Func<EndpointAnnotation, int> port)
    {
        foreach (var endpoint in builder.Resources.SelectMany(r => r.Annotations.OfType<EndpointAnnotation>()))
        {
            var allocated = port(endpoint);
            endpoint.AllocatedEndpoint = new AllocatedEndpoint(endpoint, "localhost", allocated,
                targetPortExpression: (endpoint.IsProxied ? allocated + 1 : allocated).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>A project that exists only in the model: nothing is built or started.</summary>
    public sealed class TestProject : IProjectMetadata
    {
        public string ProjectPath => "/nonexistent/Test.csproj";
    }
}

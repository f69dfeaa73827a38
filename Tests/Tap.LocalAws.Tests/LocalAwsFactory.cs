using System.Net;
using System.Text;
using Amazon;
using Amazon.Runtime;
using Amazon.SecretsManager;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Tap.Aws.Protocol;
using Tap.Aws.SecretsManager;
using Tap.Aws.Signing;
using Tap.Testing;

namespace Tap.LocalAws.Tests;

/// <summary>LocalAws in-process, configured with <see cref="TestPrincipals"/>; clients that sign like real SDKs.</summary>
public sealed class LocalAwsFactory : WebApplicationFactory<Program>
{
    private readonly List<ServiceProvider> _clients = [];

    public FakeLogCollector Logs { get; } = new();

    /// <summary>The server's clock (and the clients'); the system clock unless a test controls time.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Where LocalAws keeps state; in memory when unset.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>Configuration on top of <see cref="TestPrincipals"/> (a <see langword="null"/> value removes a key).</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>Services a test adds on top of LocalAws's own (an in-memory telemetry exporter, say).</summary>
    public Action<IServiceCollection>? AddServices { get; init; }

    public IAmazonSecretsManager SecretsManager(ImmutableCredentials credentials)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(Clock);
        services.AddSingleton(credentials.ToAwsCredentials());
        services.AddTapSecretsManager(c =>
        {
            c.RegionEndpoint = RegionEndpoint.USEast1;
            c.ServiceURL = "http://localhost/";
            c.MaxErrorRetry = 0;
        });
        services.AddHttpClient(TapSecretsManagerServiceCollectionExtensions.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => Server.CreateHandler());
        var provider = services.BuildServiceProvider();
        _clients.Add(provider);
        return provider.GetRequiredService<IAmazonSecretsManager>();
    }

    /// <summary>An HttpClient that SigV4-signs for <paramref name="service"/> with the given credentials.</summary>
    /// <param name="baseAddress">The address requests go to; <c>https://localhost/</c> makes them arrive over TLS.</param>
    public HttpClient SignedClient(ImmutableCredentials credentials, string service, TimeProvider? clock = null, Uri? baseAddress = null)
    {
        var aws = credentials.ToAwsCredentials();
#pragma warning disable CA2000 // The HttpClient disposes the handler chain.
        var handler = new SigV4SigningHandler(aws, "us-east-1", service, new SigV4Signer(clock ?? Clock))
        {
            InnerHandler = Server.CreateHandler(),
        };
#pragma warning restore CA2000
        return new HttpClient(handler) { BaseAddress = baseAddress ?? new Uri("http://localhost/") };
    }

    /// <summary>
    /// A raw, signed Secrets Manager call: any JSON, even what the SDK would refuse to send. Returns the status and
    /// the body as text.
    /// </summary>
    public Task<(HttpStatusCode Status, string Body)> SendSecretsManagerJsonAsync(ImmutableCredentials credentials, string operation, string json) =>
        SendJsonAsync(AwsServiceMetadata.SecretsManager, credentials, operation, json);

    /// <summary>A raw, signed call to an AWS JSON 1.1 <paramref name="service"/>; the status and the body as text.</summary>
    public async Task<(HttpStatusCode Status, string Body)> SendJsonAsync(AwsServiceMetadata service, ImmutableCredentials credentials, string operation, string json)
    {
        ArgumentNullException.ThrowIfNull(service);
        using var client = SignedClient(credentials, service.SigningName);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent(json, Encoding.UTF8) };
        request.Content.Headers.ContentType = new(AwsJsonProtocol.ContentType);
        request.Headers.Add(AwsHeaders.Target, service.JsonTarget(operation));
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// A raw, signed AWS JSON 1.1 call with its error read: the status, the error's <c>__type</c> (null on success)
    /// and the body (on failure, the error's message).
    /// </summary>
    public async Task<(HttpStatusCode Status, string? Type, string Body)> CallJsonAsync(
        AwsServiceMetadata service, string operation, string json, ImmutableCredentials? caller = null)
    {
        var (status, text) = await SendJsonAsync(service, caller ?? TestPrincipals.Admin, operation, json);
        if (status == HttpStatusCode.OK)
        {
            return (status, null, text);
        }

        using var error = System.Text.Json.JsonDocument.Parse(text);
        var root = error.RootElement;
        var message = root.TryGetProperty("message", out var m) || root.TryGetProperty("Message", out m) ? m.GetString() : null;
        return (status, root.GetProperty("__type").GetString(), message ?? string.Empty);
    }

    /// <summary>A JSON call that must succeed; its answer.</summary>
    public async Task<System.Text.Json.JsonElement> OkJsonAsync(AwsServiceMetadata service, string operation, string json, ImmutableCredentials? caller = null)
    {
        var (status, type, text) = await CallJsonAsync(service, operation, json, caller);
        Assert.True(status == HttpStatusCode.OK, $"{operation}: {status} {type} {text}");
        using var answer = System.Text.Json.JsonDocument.Parse(text);
        return answer.RootElement.Clone();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        var settings = TestPrincipals.Settings();
        settings["LocalAws:DataDirectory"] = DataDirectory;
        foreach (var (key, value) in Settings)
        {
            settings[key] = value;
        }
        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(settings));
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton(Clock);
            AddServices?.Invoke(services);
        });
        builder.ConfigureLogging(logging => logging.AddProvider(new FakeLoggerProvider(Logs)));
    }

    protected override void Dispose(bool disposing)
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        base.Dispose(disposing);
    }
}

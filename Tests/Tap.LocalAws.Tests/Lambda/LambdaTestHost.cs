using System.Net;
using System.Text;
using Amazon.Runtime;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Tap.LocalAws.ApiGateway;
using Tap.LocalAws.Settings;

namespace Tap.LocalAws.Tests.Lambda;

/// <summary>
/// LocalAws in-process on a real Kestrel socket (the Runtime API tells environments apart by their connections),
/// with the test principals and the given functions, all run by <see cref="TestPrincipals.RoleArn"/>.
/// </summary>
public sealed class LambdaTestHost : IAsyncDisposable
{
    private readonly LocalAwsFactory _factory;

    private LambdaTestHost(LocalAwsFactory factory, Uri endpoint)
    {
        _factory = factory;
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }

    public LocalAwsFactory Factory => _factory;

    public static LocalAwsFunctionSettings Function(string name, int timeout = 3, string? logFormat = null) =>
        new(name, TestPrincipals.RoleArn) { Timeout = timeout, MemorySize = 256, LogFormat = logFormat };

    public static LambdaTestHost Start(params LocalAwsFunctionSettings[] functions) => Start(queueTimeoutSeconds: 10, functions);

    public static LambdaTestHost Start(int queueTimeoutSeconds, params LocalAwsFunctionSettings[] functions) =>
        Start(new LocalAwsSettings { Functions = functions, InvocationQueueTimeoutSeconds = queueTimeoutSeconds });

    /// <summary>LocalAws with the test principals and these functions and HTTP APIs (give the APIs port 0).</summary>
    public static LambdaTestHost Start(LocalAwsSettings localAws, Action<IServiceCollection>? services = null)
    {
        ArgumentNullException.ThrowIfNull(localAws);
        var settings = localAws
            .ToConfiguration()
            .ToDictionary(s => s.Key, s => (string?)s.Value);
#pragma warning disable CA2000 // Owned by the host, disposed with it.
        var factory = new LocalAwsFactory { Settings = settings, AddServices = services };
#pragma warning restore CA2000
        // Kestrel picks the port itself: UseKestrel(0) rewrites the server's addresses after the app has started
        // binding them, a race that fails a start now and then.
        factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LambdaTestHost(factory, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)));
    }

    /// <summary>Where the HTTP API <paramref name="name"/> listens.</summary>
    public Uri HttpApi(string name) => _factory.Services.GetRequiredService<HttpApiServers>().Address(name);

    /// <summary>The value of <c>AWS_LAMBDA_RUNTIME_API</c> for <paramref name="function"/>.</summary>
    public string RuntimeApi(string function) => $"{Endpoint.Host}:{Endpoint.Port}/{function}";

    public RuntimeApiClient Environment(string function) => new(RuntimeApi(function));

    /// <summary>A Lambda Invoke call, SigV4-signed for <c>lambda</c> as the SDKs sign it (as the admin unless told).</summary>
    public async Task<HttpResponseMessage> InvokeAsync(string function, string payload, ImmutableCredentials? credentials = null, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/2015-03-31/functions/{function}/invocations")
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(payload)),
        };
        configure?.Invoke(request);
        return await SendAsync(request, credentials ?? TestPrincipals.Admin);
    }

    /// <summary>Any Lambda API call, signed with <paramref name="credentials"/>, or unsigned without them.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, ImmutableCredentials? credentials)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var client = Client(credentials);
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    private HttpClient Client(ImmutableCredentials? credentials) => SignedLambdaClient.Create(Endpoint, credentials);
}

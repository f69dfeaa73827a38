using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Amazon.SecretsManager.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tap.Aws.Errors;
using Tap.Aws.Protocol;
using Tap.Aws.SecretsManager.Protocol;
using Tap.Aws.Signing;
using Tap.Definition;

namespace Tap.Testing;

/// <summary>
/// A Secrets Manager endpoint on loopback that answers GetSecretValue for one secret, after verifying the caller's
/// SigV4 signature: enough to prove a separately running process signs and reads the way AWS expects.
/// </summary>
public sealed class FakeSecretsManagerEndpoint : IAsyncDisposable, ISigV4CredentialStore
{
    private static readonly Amazon.Runtime.ImmutableCredentials Role = TestCredentials.New(temporary: true);

    /// <summary>The function role's temporary credentials, generated per run.</summary>
    public static string AccessKeyId => Role.AccessKey;

    public static string SecretAccessKey => Role.SecretKey;

    public static string SessionToken => Role.Token;

    private WebApplication? _app;
    private int _calls;

    public Uri Endpoint { get; private set; } = null!;

    public string SecretString { get; set; } = """{"API_KEY":"k-123","DATABASE_URL":"postgres://u:p@db/app","EXTERNAL_SERVICE_TOKEN":"t-456"}""";

    public int Calls => Volatile.Read(ref _calls);

    public static async Task<FakeSecretsManagerEndpoint> StartAsync()
    {
        var endpoint = new FakeSecretsManagerEndpoint();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        endpoint._app = builder.Build();
        endpoint._app.MapPost("/", endpoint.HandleAsync);
        await endpoint._app.StartAsync();
        endpoint.Endpoint = new Uri(endpoint._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return endpoint;
    }

    public bool TryGetSecretAccessKey(string accessKeyId, string? sessionToken, [NotNullWhen(true)] out string? secretAccessKey)
    {
        secretAccessKey = accessKeyId == AccessKeyId && sessionToken == SessionToken ? SecretAccessKey : null;
        return secretAccessKey is not null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _calls);
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var target = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        var request = SigV4Request.FromWire(context.Request.Method, target, context.Request.Headers, body);
        var verification = new SigV4Verifier(this, TimeProvider.System)
            .Verify(request, new SigV4VerifierOptions(AwsServiceMetadata.SecretsManager.SigningName, "us-east-1"));

        context.Response.ContentType = AwsJsonProtocol.ContentType;
        if (!verification.IsValid)
        {
            var error = AwsError.FromVerification(verification, AwsProtocol.Json);
            context.Response.StatusCode = error.StatusCode;
            await context.Response.Body.WriteAsync(AwsJsonError.Serialize(error.Code, error.Message));
            return;
        }

        var response = new GetSecretValueResponse
        {
            ARN = $"arn:aws:secretsmanager:us-east-1:000000000000:secret:{TapApplication.Secret.Name}-AbCdEf",
            Name = TapApplication.Secret.Name,
            VersionId = "v1",
            SecretString = SecretString,
            VersionStages = ["AWSCURRENT"],
        };
        await context.Response.Body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(response, SecretsManagerJson.TypeInfo<GetSecretValueResponse>()));
    }
}

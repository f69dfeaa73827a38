using System.Net.Http.Headers;
using Amazon.Runtime;
using Tap.Aws.Protocol;
using Tap.Aws.Signing;

namespace Tap.LocalAws.Tests.Lambda;

/// <summary>
/// An HttpClient over a real socket, SigV4-signed as the SDKs sign (unsigned without credentials): for Lambda's API
/// by default, or for another service such as <c>execute-api</c>.
/// </summary>
public static class SignedLambdaClient
{
    public static HttpClient Create(Uri endpoint, ImmutableCredentials? credentials, string? service = null, TimeProvider? clock = null)
    {
#pragma warning disable CA2000 // The HttpClient disposes the handler chain.
        HttpMessageHandler handler = new HttpClientHandler();
        if (credentials is not null)
        {
            AWSCredentials aws = credentials.UseToken
                ? new SessionAWSCredentials(credentials.AccessKey, credentials.SecretKey, credentials.Token)
                : new BasicAWSCredentials(credentials.AccessKey, credentials.SecretKey);
            handler = new SigV4SigningHandler(aws, "us-east-1", service ?? AwsServiceMetadata.Lambda.SigningName, new SigV4Signer(clock ?? TimeProvider.System))
            {
                InnerHandler = handler,
            };
        }
#pragma warning restore CA2000

        var client = new HttpClient(handler) { BaseAddress = endpoint, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    public static async Task<HttpResponseMessage> InvokeAsync(this HttpClient client, string function, string payload)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var content = new StringContent(payload);
        var response = await client.PostAsync(new Uri($"/2015-03-31/functions/{function}/invocations", UriKind.Relative), content);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }
}

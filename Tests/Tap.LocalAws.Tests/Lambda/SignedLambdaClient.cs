using System.Net.Http.Headers;
using Amazon.Runtime;
using Tap.Aws.Protocol;
using Tap.Testing;

namespace Tap.LocalAws.Tests.Lambda;

/// <summary>
/// An HttpClient over a real socket, SigV4-signed as the SDKs sign (unsigned without credentials): for Lambda's API
/// by default, or for another service such as <c>execute-api</c>.
/// </summary>
public static class SignedLambdaClient
{
    public static HttpClient Create(Uri endpoint, ImmutableCredentials? credentials, string? service = null, TimeProvider? clock = null)
    {
        var client = SignedHttpClient.Create(credentials, service ?? AwsServiceMetadata.Lambda.SigningName, endpoint, clock: clock);
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

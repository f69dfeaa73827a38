using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Tap.LocalAws.Protocols;

namespace Tap.LocalAws.Tests;

/// <summary>Signed Smithy RPC v2 CBOR calls against the in-process LocalAws, as botocore makes them: a CBOR map to <c>/service/{service}/operation/{operation}</c>.</summary>
internal static class CborCalls
{
    /// <returns>The status, the answer's document, and its <c>x-amzn-query-error</c> header (for an error).</returns>
    public static async Task<(HttpStatusCode Status, JsonObject Body, string? QueryError)> CallAsync(
        LocalAwsFactory factory, ImmutableCredentials? caller, string signingName, string service, string operation, JsonObject input)
    {
        using var client = caller is null ? factory.CreateClient() : factory.SignedClient(caller, signingName);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/service/{service}/operation/{operation}", UriKind.Relative));
        request.Headers.Add("smithy-protocol", "rpc-v2-cbor");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/cbor"));
        request.Content = new ByteArrayContent(CborProtocol.Encode(input));
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/cbor");
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        Assert.Equal("application/cbor", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("rpc-v2-cbor", Assert.Single(response.Headers.GetValues("smithy-protocol")));
        var error = response.Headers.TryGetValues("x-amzn-query-error", out var values) ? values.Single() : null;
        return (response.StatusCode, (JsonObject)CborProtocol.Decode(body)!, error);
    }
}

using System.Net;
using System.Xml.Linq;
using Amazon.Runtime;

namespace Tap.LocalAws.Tests;

/// <summary>Signed AWS Query calls (a form of <c>Action</c>, <c>Version</c> and parameters) against the in-process LocalAws, answered as XML.</summary>
internal static class QueryCalls
{
    public static async Task<(HttpStatusCode Status, XDocument Xml)> CallAsync(
        LocalAwsFactory factory, ImmutableCredentials caller, string signingName, string version, string action, params (string Name, string Value)[] parameters)
    {
        using var client = factory.SignedClient(caller, signingName);
        using var form = new FormUrlEncodedContent([new("Action", action), new("Version", version), .. parameters.Select(p => new KeyValuePair<string, string>(p.Name, p.Value))]);
        using var response = await client.PostAsync(new Uri("/", UriKind.Relative), form, TestContext.Current.CancellationToken);
        return (response.StatusCode, XDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)));
    }
}

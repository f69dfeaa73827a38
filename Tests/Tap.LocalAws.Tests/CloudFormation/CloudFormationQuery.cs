using System.Net;
using System.Xml.Linq;
using Amazon.Runtime;

namespace Tap.LocalAws.Tests.CloudFormation;

/// <summary>Signed CloudFormation Query calls against the in-process LocalAws, answered as XML.</summary>
internal static class CloudFormationQuery
{
    public static readonly XNamespace Ns = "http://cloudformation.amazonaws.com/doc/2010-05-15/";

    public static async Task<(HttpStatusCode Status, XDocument Xml)> CallAsync(
        LocalAwsFactory factory, ImmutableCredentials caller, string action, params (string Name, string Value)[] parameters)
    {
        using var client = factory.SignedClient(caller, "cloudformation");
        using var form = new FormUrlEncodedContent([new("Action", action), new("Version", "2010-05-15"), .. parameters.Select(p => new KeyValuePair<string, string>(p.Name, p.Value))]);
        using var response = await client.PostAsync(new Uri("/", UriKind.Relative), form, TestContext.Current.CancellationToken);
        return (response.StatusCode, XDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)));
    }
}

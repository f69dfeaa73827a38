using System.Net;
using System.Text;
using System.Xml.Linq;
using Amazon.Runtime;

namespace Tap.LocalAws.Tests;

/// <summary>Signed STS Query-protocol calls against in-process LocalAws, and reading their XML answers.</summary>
public static class StsQuery
{
    public static readonly XNamespace Ns = "https://sts.amazonaws.com/doc/2011-06-15/";

    public static async Task<(HttpStatusCode Status, XElement Root)> CallAsync(LocalAwsFactory factory, ImmutableCredentials credentials, string body)
    {
        ArgumentNullException.ThrowIfNull(factory);
        using var client = factory.SignedClient(credentials, "sts");
        using var content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded");
        using var response = await client.PostAsync(new Uri("/", UriKind.Relative), content);
        return (response.StatusCode, XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!);
    }

    public static string Value(XElement root, params string[] path) =>
        path.Aggregate(root, (element, name) => element.Element(Ns + name)!).Value;

    /// <summary>The session credentials in an AssumeRole answer.</summary>
    public static ImmutableCredentials Credentials(XElement root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var credentials = root.Element(Ns + "AssumeRoleResult")!.Element(Ns + "Credentials")!;
        return new ImmutableCredentials(
            credentials.Element(Ns + "AccessKeyId")!.Value, credentials.Element(Ns + "SecretAccessKey")!.Value, credentials.Element(Ns + "SessionToken")!.Value);
    }

    public static string AssumeRole(string roleArn, string sessionName, string extra = "") =>
        $"Action=AssumeRole&Version=2011-06-15&RoleArn={Uri.EscapeDataString(roleArn)}&RoleSessionName={sessionName}{extra}";
}

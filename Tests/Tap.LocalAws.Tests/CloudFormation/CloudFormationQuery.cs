using System.Net;
using System.Xml.Linq;
using Amazon.Runtime;

namespace Tap.LocalAws.Tests.CloudFormation;

/// <summary>Signed CloudFormation Query calls against the in-process LocalAws, answered as XML.</summary>
internal static class CloudFormationQuery
{
    public static readonly XNamespace Ns = "http://cloudformation.amazonaws.com/doc/2010-05-15/";

    public static Task<(HttpStatusCode Status, XDocument Xml)> CallAsync(
        LocalAwsFactory factory, ImmutableCredentials caller, string action, params (string Name, string Value)[] parameters) =>
        QueryCalls.CallAsync(factory, caller, "cloudformation", "2010-05-15", action, parameters);
}

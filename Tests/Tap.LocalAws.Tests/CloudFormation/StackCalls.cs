using System.Xml.Linq;
using Amazon.S3;
using Amazon.S3.Model;
using Tap.Testing;

namespace Tap.LocalAws.Tests.CloudFormation;

/// <summary>Signed CloudFormation Query calls to a LocalAws process, as its admin: create a stack and wait for it to settle, read it back.</summary>
internal sealed class StackCalls(LocalAwsProcess localAws)
{
    private static readonly XNamespace Ns = "http://cloudformation.amazonaws.com/doc/2010-05-15/";

    private async Task<XDocument> CloudFormationAsync(string action, params (string Name, string Value)[] parameters)
    {
        using var client = SignedHttpClient.Create(TestPrincipals.Admin, "cloudformation", localAws.Endpoint);
        using var form = new FormUrlEncodedContent([new("Action", action), new("Version", "2010-05-15"), .. parameters.Select(p => KeyValuePair.Create(p.Name, p.Value))]);
        using var response = await client.PostAsync(new Uri("/", UriKind.Relative), form, TestContext.Current.CancellationToken);
        var xml = XDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.True(response.IsSuccessStatusCode, $"{action}: {xml}");
        return xml;
    }

    /// <summary>Puts objects a template reads (a function's package, say) into a new bucket, as LocalAws's admin.</summary>
    public async Task UploadAsync(string bucket, params (string Key, byte[] Content)[] objects)
    {
        using var s3 = new AmazonS3Client(TestPrincipals.Admin.ToAwsCredentials(), new AmazonS3Config
        {
            ServiceURL = localAws.Endpoint.ToString(),
            AuthenticationRegion = "us-east-1",
            ForcePathStyle = true,
            MaxErrorRetry = 0,
        });
        await s3.PutBucketAsync(bucket, TestContext.Current.CancellationToken);
        foreach (var (key, content) in objects)
        {
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = new MemoryStream(content) }, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Creates a stack and waits for it to settle: its final status and outputs.</summary>
    public async Task<(string Status, Dictionary<string, string> Outputs)> DeployAsync(string name, string template)
    {
        await CloudFormationAsync("CreateStack", ("StackName", name), ("TemplateBody", template), ("Capabilities.member.1", "CAPABILITY_IAM"));
        return await SettledAsync(name);
    }

    /// <summary>Updates a stack and waits for it to settle: its final status and outputs.</summary>
    public async Task<(string Status, Dictionary<string, string> Outputs)> UpdateAsync(string name, string template)
    {
        await CloudFormationAsync("UpdateStack", ("StackName", name), ("TemplateBody", template), ("Capabilities.member.1", "CAPABILITY_IAM"));
        return await SettledAsync(name);
    }

    public async Task<(string Status, Dictionary<string, string> Outputs)> DescribeAsync(string name)
    {
        var stack = (await CloudFormationAsync("DescribeStacks", ("StackName", name))).Descendants(Ns + "member").First();
        return (stack.Element(Ns + "StackStatus")!.Value, stack.Descendants(Ns + "Outputs").Elements(Ns + "member")
            .ToDictionary(o => o.Element(Ns + "OutputKey")!.Value, o => o.Element(Ns + "OutputValue")!.Value));
    }

    /// <summary>Every event's reason, newest first: what failed, and why.</summary>
    public async Task<string> FailureReasonsAsync(string name) =>
        string.Join('\n', (await CloudFormationAsync("DescribeStackEvents", ("StackName", name))).Descendants(Ns + "ResourceStatusReason").Select(r => r.Value));

    private async Task<(string Status, Dictionary<string, string> Outputs)> SettledAsync(string name)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(60); DateTime.UtcNow < deadline; await Task.Delay(200, TestContext.Current.CancellationToken))
        {
            var (status, outputs) = await DescribeAsync(name);
            if (!status.EndsWith("_IN_PROGRESS", StringComparison.Ordinal))
            {
                return (status, outputs);
            }
        }

        throw new TimeoutException($"The stack {name} did not settle:\n{localAws.Output}");
    }
}

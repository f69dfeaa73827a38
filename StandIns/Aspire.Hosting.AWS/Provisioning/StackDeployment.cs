using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Tap.Aws.Hosting.Provisioning;

/// <summary>One provisioning of a template: what CloudFormation is asked for, and how often it is polled.</summary>
internal sealed record StackDeployment(string StackName, string Template)
{
    /// <summary>The stack tag holding <see cref="TemplateHash"/> of its last provisioning.</summary>
    public const string TemplateHashTag = "AspireAppHost_SHA256";

    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    public string? RoleArn { get; init; }

    public TimeSpan PollingInterval { get; init; } = TimeSpan.FromSeconds(3);

    public bool DisableDiffCheck { get; init; }

    public IReadOnlyList<string> DisabledCapabilities { get; init; } = [];

    /// <summary>The capabilities granted: CloudFormation's three, but those disabled.</summary>
    public List<string> Capabilities =>
        [.. ((string[])["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"])
            .Where(c => !DisabledCapabilities.Contains(c, StringComparer.OrdinalIgnoreCase))];

    /// <summary>SHA-256 (lower-case hex) over the template, then the parameters and the tags (the hash's own left out), each sorted.</summary>
    public string TemplateHash
    {
        get
        {
            var content = new StringBuilder(Template);
            content.AppendJoin(';', Parameters.Select(p => p.Key + "=" + p.Value).Order(StringComparer.Ordinal));
            content.AppendJoin(';', Tags.Where(t => t.Key != TemplateHashTag).Select(t => "tag:" + t.Key + "=" + t.Value).Order(StringComparer.Ordinal));
            return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(content.ToString()))).ToLower(CultureInfo.InvariantCulture);
        }
    }
}

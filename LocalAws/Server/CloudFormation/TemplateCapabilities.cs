using Tap.LocalAws.CloudFormation.Templates;

namespace Tap.LocalAws.CloudFormation;

/// <summary>
/// The capabilities a template needs the caller to acknowledge, as CloudFormation decides them: IAM resources need
/// <c>CAPABILITY_IAM</c>, and <c>CAPABILITY_NAMED_IAM</c> when they are given names.
/// </summary>
internal static class TemplateCapabilities
{
    public const string Iam = "CAPABILITY_IAM";
    public const string NamedIam = "CAPABILITY_NAMED_IAM";

    private static readonly Dictionary<string, string> NameProperties = new(StringComparer.Ordinal)
    {
        ["AWS::IAM::Role"] = "RoleName",
        ["AWS::IAM::User"] = "UserName",
        ["AWS::IAM::Group"] = "GroupName",
        ["AWS::IAM::ManagedPolicy"] = "ManagedPolicyName",
        ["AWS::IAM::InstanceProfile"] = "InstanceProfileName",
    };

    /// <summary>The capability the template requires (none, IAM or named IAM) and the resource types that require it.</summary>
    public static (string? Capability, IReadOnlyList<string> ResourceTypes) Required(Template template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var iam = template.Resources.Where(r => r.Type.StartsWith("AWS::IAM::", StringComparison.Ordinal)).ToList();
        if (iam.Count == 0)
        {
            return (null, []);
        }

        var named = iam.Any(r => NameProperties.TryGetValue(r.Type, out var property) && r.Properties.ContainsKey(property));
        return (named ? NamedIam : Iam, [.. iam.Select(r => r.Type).Distinct()]);
    }

    /// <summary>CloudFormation's explanation of why the capability is needed.</summary>
    public static string Reason(IReadOnlyList<string> resourceTypes) => $"The following resource(s) require capabilities: [{string.Join(", ", resourceTypes)}]";
}

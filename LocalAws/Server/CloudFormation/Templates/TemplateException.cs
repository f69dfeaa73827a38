namespace Tap.LocalAws.CloudFormation.Templates;

/// <summary>
/// A template CloudFormation would refuse, in CloudFormation's wording (its API answers it as a
/// <c>ValidationError</c>; during a stack operation it becomes the failing resource's status reason).
/// </summary>
public sealed class TemplateException(string message) : Exception(message)
{
    /// <summary>"Template format error: …": the template's structure is wrong.</summary>
    public static TemplateException Format(string detail) => new($"Template format error: {detail}");

    /// <summary>"Template error: …": an intrinsic function cannot be resolved.</summary>
    public static TemplateException Error(string detail) => new($"Template error: {detail}");
}

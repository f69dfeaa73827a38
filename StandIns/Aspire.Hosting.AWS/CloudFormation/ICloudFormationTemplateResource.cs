namespace Aspire.Hosting.AWS.CloudFormation;

/// <summary>A stack the AppHost creates or updates from a template file.</summary>
public interface ICloudFormationTemplateResource : ICloudFormationResource
{
    /// <summary>The template file (JSON or YAML, as CloudFormation reads it).</summary>
    string TemplatePath { get; }

    /// <summary>An IAM role CloudFormation assumes to create and update the stack; the caller's own permissions when unset.</summary>
    string? RoleArn { get; set; }

    /// <summary>Seconds between polls of the stack while CloudFormation works (3 by default).</summary>
    int StackPollingInterval { get; set; }

    /// <summary>
    /// Whether to provision even when the template, parameters and tags are those of the last provisioning (their
    /// SHA-256, kept in the stack's <c>AspireAppHost_SHA256</c> tag); by default an unchanged stack is left alone.
    /// </summary>
    bool DisableDiffCheck { get; set; }

    /// <summary>
    /// Capabilities not to grant: by default <c>CAPABILITY_IAM</c>, <c>CAPABILITY_NAMED_IAM</c> and
    /// <c>CAPABILITY_AUTO_EXPAND</c> are.
    /// </summary>
    IList<string> DisabledCapabilities { get; }

    /// <summary>Gives a template parameter a value.</summary>
    ICloudFormationTemplateResource AddParameter(string parameterName, string parameterValue);
}

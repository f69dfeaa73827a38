using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting.AWS.CloudFormation;

/// <summary>One output of a stack, resolved once the stack is provisioned.</summary>
public class StackOutputReference(string name, ICloudFormationResource resource) : IManifestExpressionProvider, IValueProvider, IValueWithReferences
{
    /// <summary>The output's key.</summary>
    public string Name { get; } = name;

    /// <summary>The stack.</summary>
    public ICloudFormationResource Resource { get; } = resource;

    /// <summary>The output's value now; throws when the stack has no such output (or is not provisioned yet).</summary>
    public string? Value => Resource.Outputs?.FirstOrDefault(o => string.Equals(o.OutputKey, Name, StringComparison.Ordinal)) is { } output
        ? output.OutputValue
        : throw new InvalidOperationException($"No output for {Name}");

    /// <summary>The manifest's expression for the value.</summary>
    public string ValueExpression => $"{{{Resource.Name}.output.{Name}}}";

    IEnumerable<object> IValueWithReferences.References => [Resource];

    /// <summary>The output's value once provisioning has finished.</summary>
    public async ValueTask<string?> GetValueAsync(CancellationToken cancellationToken = default)
    {
        if (Resource.ProvisioningTaskCompletionSource is { } provisioning)
        {
            await provisioning.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return Value;
    }
}

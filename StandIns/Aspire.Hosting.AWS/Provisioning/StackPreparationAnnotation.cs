using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Logging;

namespace Tap.Aws.Hosting.Provisioning;

/// <summary>
/// On a CloudFormation template resource: work that must be done before its stack is created or updated (what the
/// CDK CLI does before a deployment, such as publishing the template's assets). It runs once the stack's
/// dependencies are ready, with the stack's logger; if it fails, the stack is not deployed and shows the reason.
/// </summary>
public sealed class StackPreparationAnnotation(Func<ILogger, CancellationToken, Task> prepare) : IResourceAnnotation
{
    public Func<ILogger, CancellationToken, Task> Prepare { get; } = prepare ?? throw new ArgumentNullException(nameof(prepare));
}

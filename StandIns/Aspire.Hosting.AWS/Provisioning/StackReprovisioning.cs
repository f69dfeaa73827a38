using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.AWS.CloudFormation;
using Microsoft.Extensions.DependencyInjection;

namespace Tap.Aws.Hosting.Provisioning;

/// <summary>
/// Provisions stacks again while the app runs, as at its start: for a target that lost its stacks (a local
/// CloudFormation whose state was reset), so what the app provisions is there again without a restart.
/// </summary>
public static class StackReprovisioning
{
    /// <summary>
    /// Provisions <paramref name="stacks"/> again and waits for all of them. Each shows as waiting first, so a stack
    /// that waits for another (<c>WaitFor</c>) deploys after it, as at start; a failure shows on its stack.
    /// </summary>
    public static async Task ProvisionAgainAsync(IEnumerable<ICloudFormationTemplateResource> stacks, IServiceProvider services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stacks);
        ArgumentNullException.ThrowIfNull(services);
        var notifications = services.GetRequiredService<ResourceNotificationService>();
        var provisioning = new CloudFormationProvisioning(notifications, services.GetRequiredService<ResourceLoggerService>());
        var again = stacks.OfType<CloudFormationTemplateResource>().ToList();
        foreach (var stack in again)
        {
            stack.ProvisioningTaskCompletionSource = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await notifications.PublishUpdateAsync(stack, s => s with { State = KnownResourceStates.Waiting }).ConfigureAwait(false);
        }

        await Task.WhenAll(again.Select(stack => provisioning.ProvisionAsync(stack, cancellationToken))).ConfigureAwait(false);
    }
}

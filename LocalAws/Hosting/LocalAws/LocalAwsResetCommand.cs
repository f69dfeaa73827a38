using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace Tap.LocalAws.Hosting;

/// <summary>
/// "Reset local state": stop LocalAws, delete its data directory, start it again (the app's stacks are then deployed
/// and its secrets provisioned afresh).
/// </summary>
internal static class LocalAwsResetCommand
{
    public const string Name = "reset-state";

    public static IResourceBuilder<LocalAwsResource> Add(IResourceBuilder<LocalAwsResource> localAws) =>
        localAws.WithCommand(Name, "Reset local state", context => ExecuteAsync(localAws.Resource, context), new CommandOptions
        {
            Description = "Stop LocalAws, delete its data directory (every stack, secret and object) and start it again; the app's stacks are then deployed again.",
            ConfirmationMessage = "Delete every stack, secret and object LocalAws keeps, and start again from nothing?",
            IconName = "ArrowReset",
        });

    // The context names the running instance (e.g. localaws-abcdefgh), not the resource: the resource comes with the command.
    private static async Task<ExecuteCommandResult> ExecuteAsync(LocalAwsResource localAws, ExecuteCommandContext context)
    {
        if (localAws.DataDirectory is not { } directory)
        {
            return CommandResults.Failure("LocalAws keeps its state in memory: restart it instead.");
        }

        var commands = context.Services.GetRequiredService<ResourceCommandService>();
        var notifications = context.Services.GetRequiredService<ResourceNotificationService>();
        var stopped = await commands.ExecuteCommandAsync(localAws, KnownResourceCommands.StopCommand, context.CancellationToken).ConfigureAwait(false);
        if (!stopped.Success)
        {
            return CommandResults.Failure($"LocalAws did not stop: {stopped.Message}");
        }

        await notifications.WaitForResourceAsync(localAws.Name, KnownResourceStates.TerminalStates, context.CancellationToken).ConfigureAwait(false);
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        var started = await commands.ExecuteCommandAsync(localAws, KnownResourceCommands.StartCommand, context.CancellationToken).ConfigureAwait(false);
        return started.Success ? CommandResults.Success() : CommandResults.Failure($"LocalAws did not start again: {started.Message}");
    }
}

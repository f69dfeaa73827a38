using System.Text.Json.Nodes;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.AWS.CloudFormation;
using Aspire.Hosting.AWS.Lambda;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tap.Aws.Protocol;

namespace Tap.LocalAws.Hosting;

/// <summary>Secrets Manager secrets in LocalAws, and the Lambda functions that read them.</summary>
public static partial class SecretsManagerSecretBuilderExtensions
{
    /// <summary>The dashboard command that puts a new current version with fresh generated values.</summary>
    public const string RotateCommandName = "rotate-secret";

    /// <summary>The rotate command's optional argument: comma-separated names of keys to add.</summary>
    public const string AddKeysArgument = "addKeys";

    /// <summary>
    /// Adds a secret holding a JSON object. Once LocalAws is ready the secret is created through the Secrets Manager
    /// API when absent, each of <paramref name="keys"/> with a generated value, and left as it is when present (kept
    /// in LocalAws's data directory from an earlier run). Its ARN and current version id show in the dashboard, with a
    /// "Rotate secret" command.
    /// </summary>
    /// <param name="localAws">LocalAws.</param>
    /// <param name="name">The resource name.</param>
    /// <param name="secretName">The secret's name in Secrets Manager.</param>
    /// <param name="keys">The JSON keys a new secret gets.</param>
    public static IResourceBuilder<SecretsManagerSecretResource> AddSecretsManagerSecret(
        this IResourceBuilder<LocalAwsResource> localAws, string name, string secretName, IEnumerable<string> keys)
    {
        ArgumentNullException.ThrowIfNull(localAws);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(secretName);
        ArgumentNullException.ThrowIfNull(keys);

        var resource = new SecretsManagerSecretResource(name, secretName, [.. keys], localAws.Resource);
        var secret = AddSecret(localAws, resource);
        localAws.ApplicationBuilder.Eventing.Subscribe<ResourceReadyEvent>(localAws.Resource, async (@event, cancellationToken) =>
        {
            var notifications = @event.Services.GetRequiredService<ResourceNotificationService>();
            var logger = @event.Services.GetRequiredService<ResourceLoggerService>().GetLogger(resource);
            try
            {
                var created = await SecretProvisioner.EnsureAsync(resource, cancellationToken).ConfigureAwait(false);
                if (created)
                {
                    LogCreated(logger, resource.Arn, resource.Location);
                }
                else
                {
                    LogKept(logger, resource.Arn, resource.Location);
                }

                await PublishAsync(notifications, resource, KnownResourceStates.Running).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogProvisioningFailed(logger, ex, resource.SecretName);
                await PublishAsync(notifications, resource, KnownResourceStates.FailedToStart).ConfigureAwait(false);
            }
        });
        return secret;
    }

    /// <summary>
    /// Adds the secret a stack deploys into LocalAws, by the stack output holding its ARN. Each time the stack is up
    /// (at start, and after LocalAws's state is reset and the stack deployed again) the secret is read back: its name,
    /// ARN, current version and keys show in the dashboard, and each key the stack left empty gets a generated value,
    /// as a developer fills them after a deployment. The "Rotate secret" command works as on any other secret.
    /// </summary>
    /// <param name="localAws">LocalAws, where the stack deploys.</param>
    /// <param name="name">The resource name.</param>
    /// <param name="secretArn">The stack's output holding the secret's ARN.</param>
    public static IResourceBuilder<SecretsManagerSecretResource> AddSecretsManagerSecret(
        this IResourceBuilder<LocalAwsResource> localAws, string name, StackOutputReference secretArn)
    {
        ArgumentNullException.ThrowIfNull(localAws);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(secretArn);

        var resource = new SecretsManagerSecretResource(name, string.Empty, [], localAws.Resource) { DeployedBy = secretArn };
        var secret = AddSecret(localAws, resource).WithRelationship(secretArn.Resource, "Deployed by");
        if (localAws.ApplicationBuilder.ExecutionContext.IsRunMode)
        {
            localAws.ApplicationBuilder.Eventing.Subscribe<BeforeStartEvent>((@event, cancellationToken) =>
            {
                var services = @event.Services;
                _ = Task.Run(() => FollowStackAsync(resource, secretArn, services, services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping), CancellationToken.None);
                return Task.CompletedTask;
            });
        }

        return secret;
    }

    /// <summary>
    /// Names the secret an earlier version of the app kept in LocalAws before this deployed one replaced it. Each
    /// time the deployed secret is read back, if LocalAws still holds the earlier one, the secret's log warns and
    /// says how to read it and delete it. Nothing is copied or deleted for the developer: its values may be theirs.
    /// </summary>
    /// <param name="secret">The deployed secret.</param>
    /// <param name="secretName">The earlier secret's name, e.g. <c>tap/api-config</c>.</param>
    public static IResourceBuilder<SecretsManagerSecretResource> WithSupersededSecret(this IResourceBuilder<SecretsManagerSecretResource> secret, string secretName)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentException.ThrowIfNullOrWhiteSpace(secretName);
        if (secret.Resource.DeployedBy is null)
        {
            throw new InvalidOperationException($"{secret.Resource.Name} is not deployed by a stack: only a deployed secret supersedes one.");
        }

        secret.Resource.SupersededSecretName = secretName;
        return secret;
    }

    private static IResourceBuilder<SecretsManagerSecretResource> AddSecret(IResourceBuilder<LocalAwsResource> localAws, SecretsManagerSecretResource resource) =>
        localAws.ApplicationBuilder.AddResource(resource)
            .ExcludeFromManifest()
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "Secrets Manager secret",
                State = KnownResourceStates.Waiting,
                Properties = Properties(resource),
            })
            .WithCommand(RotateCommandName, "Rotate secret", context => RotateAsync(resource, context), new CommandOptions
            {
                Description = "Put a new current version: every key with a fresh generated value.",
                IconName = "ArrowRotateClockwise",
                Arguments =
                [
                    new InteractionInput
                    {
                        Name = AddKeysArgument,
                        Label = "Keys to add",
                        Description = "Optional: names of keys to add, separated by commas.",
                        InputType = InputType.Text,
                        Required = false,
                    },
                ],
                UpdateState = context => context.ResourceSnapshot.State?.Text == KnownResourceStates.Running
                    ? ResourceCommandState.Enabled
                    : ResourceCommandState.Disabled,
            })
            .WithParentRelationship(localAws);

    /// <summary>Reads the deployed secret back each time its stack is up; waits while the stack deploys; fails with it.</summary>
    private static async Task FollowStackAsync(SecretsManagerSecretResource secret, StackOutputReference secretArn, IServiceProvider services, CancellationToken cancellationToken)
    {
        var notifications = services.GetRequiredService<ResourceNotificationService>();
        var logger = services.GetRequiredService<ResourceLoggerService>().GetLogger(secret);
        var stackState = string.Empty;
        try
        {
            await foreach (var update in notifications.WatchAsync(cancellationToken).ConfigureAwait(false))
            {
                if (update.Resource != secretArn.Resource || update.Snapshot.State?.Text is not { } state || state == stackState)
                {
                    continue;
                }

                stackState = state;
                if (state == KnownResourceStates.Running)
                {
                    try
                    {
                        var filled = await SecretProvisioner.FillDeployedAsync(secret, secretArn.Value!, cancellationToken).ConfigureAwait(false);
                        LogDeployed(logger, secret.Arn, secretArn.Resource.Name, filled);
                        if (secret.SupersededSecretName is { } earlier && await SecretProvisioner.FindAsync(secret, earlier, cancellationToken).ConfigureAwait(false) is { } earlierArn)
                        {
                            LogSupersededStillHeld(logger, earlierArn, earlier, secret.SecretName, secret.Parent.PrimaryEndpoint.Url);
                        }

                        await PublishAsync(notifications, secret, KnownResourceStates.Running).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        LogProvisioningFailed(logger, ex, secret.SecretName);
                        await PublishAsync(notifications, secret, KnownResourceStates.FailedToStart).ConfigureAwait(false);
                    }
                }
                else
                {
                    await PublishAsync(notifications, secret, state == KnownResourceStates.FailedToStart ? KnownResourceStates.FailedToStart : KnownResourceStates.Waiting).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The app is stopping.
        }
    }

    /// <summary>
    /// The function reads the secret: its execution role is granted <paramref name="actions"/> on this one secret
    /// (by the secret's ARN pattern), <paramref name="secretIdVariable"/> names the secret, its Secrets Manager calls
    /// go to LocalAws, and it starts once the secret exists.
    /// </summary>
    /// <param name="function">The Lambda function.</param>
    /// <param name="secret">The secret.</param>
    /// <param name="secretIdVariable">The environment variable that names the secret, e.g. <c>SECRET_ID</c>.</param>
    /// <param name="actions">The actions granted, e.g. <c>secretsmanager:GetSecretValue</c>.</param>
    public static IResourceBuilder<LambdaProjectResource> WithReference(
        this IResourceBuilder<LambdaProjectResource> function,
        IResourceBuilder<SecretsManagerSecretResource> secret,
        string secretIdVariable,
        IEnumerable<string> actions)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentException.ThrowIfNullOrWhiteSpace(secretIdVariable);
        ArgumentNullException.ThrowIfNull(actions);
        var granted = actions.ToList();
        if (granted.Count == 0)
        {
            throw new ArgumentException("Grant at least one action.", nameof(actions));
        }

        var settings = LocalAwsLambdaBuilderExtensions.Settings(function);
        if (settings.IsDeployed || secret.Resource.DeployedBy is not null)
        {
            throw new InvalidOperationException(
                $"{function.Resource.Name} cannot be granted {secret.Resource.Name} here: a function or secret a stack deploys has the stack's role and grants.");
        }

        settings.RolePolicies.Add((_, _) => ValueTask.FromResult(new JsonObject
        {
            ["Version"] = "2012-10-17",
            ["Statement"] = new JsonArray(new JsonObject
            {
                ["Effect"] = "Allow",
                ["Action"] = new JsonArray([.. granted.Select(a => (JsonNode?)a)]),
                ["Resource"] = secret.Resource.ArnPattern,
            }),
        }.ToJsonString()));

        function.WithRelationship(secret.Resource, "Reference")
            .WithEnvironment(secretIdVariable, secret.Resource.SecretName);
        if (function.ApplicationBuilder.ExecutionContext.IsRunMode)
        {
            function.WaitFor(secret).WithEnvironment(AwsServiceMetadata.SecretsManager.EndpointVariable, secret.Resource.Parent.PrimaryEndpoint);
        }

        return function;
    }

    private static async Task<ExecuteCommandResult> RotateAsync(SecretsManagerSecretResource secret, ExecuteCommandContext context)
    {
        var added = (context.Arguments?[AddKeysArgument].Value ?? string.Empty)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var previous = secret.VersionId;
        try
        {
            await SecretProvisioner.RotateAsync(secret, added, context.CancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return CommandResults.Failure($"Rotation failed: {ex.Message}");
        }

        await PublishAsync(context.Services.GetRequiredService<ResourceNotificationService>(), secret, KnownResourceStates.Running).ConfigureAwait(false);
        return CommandResults.Success($"Version {previous} → {secret.VersionId}");
    }

    private static Task PublishAsync(ResourceNotificationService notifications, SecretsManagerSecretResource secret, string state) =>
        notifications.PublishUpdateAsync(secret, snapshot => snapshot with
        {
            State = state,
            StartTimeStamp = snapshot.StartTimeStamp ?? DateTime.UtcNow,
            Properties = Properties(secret),
        });

    private static System.Collections.Immutable.ImmutableArray<ResourcePropertySnapshot> Properties(SecretsManagerSecretResource secret) =>
    [
        new("secret.name", secret.SecretName) { DisplayName = "Secret name" },
        new("secret.location", secret.Location) { DisplayName = "Stored in" },
        new("secret.keys", string.Join(", ", secret.Keys)) { DisplayName = "Keys" },
        new("secret.arn", secret.Arn) { DisplayName = "ARN", IsHighlighted = true },
        new("secret.versionId", secret.VersionId) { DisplayName = "Current version id", IsHighlighted = true },
    ];

    [LoggerMessage(Level = LogLevel.Information, Message = "Created secret {Arn} in {Location}")]
    private static partial void LogCreated(ILogger logger, string? arn, string location);

    [LoggerMessage(Level = LogLevel.Information, Message = "Kept secret {Arn} in {Location} from an earlier run")]
    private static partial void LogKept(ILogger logger, string? arn, string location);

    [LoggerMessage(Level = LogLevel.Information, Message = "Read back secret {Arn} deployed by {Stack}; {Filled} empty keys given generated values")]
    private static partial void LogDeployed(ILogger logger, string? arn, string stack, int filled);

    [LoggerMessage(Level = LogLevel.Warning, Message = "LocalAws still holds {EarlierArn}, the secret an earlier version of this app kept; the app now reads {SecretName}, and nothing was copied from it. " +
        "To keep a value of it, read it (aws --endpoint-url {Endpoint} secretsmanager get-secret-value --secret-id {Earlier}) and put it into {SecretName}; " +
        "then delete it: aws --endpoint-url {Endpoint} secretsmanager delete-secret --secret-id {Earlier} --force-delete-without-recovery")]
    private static partial void LogSupersededStillHeld(ILogger logger, string earlierArn, string earlier, string secretName, string endpoint);

    [LoggerMessage(Level = LogLevel.Error, Message = "Provisioning secret {SecretName} failed")]
    private static partial void LogProvisioningFailed(ILogger logger, Exception exception, string secretName);
}

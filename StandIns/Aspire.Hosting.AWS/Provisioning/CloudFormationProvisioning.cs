using System.Collections.Immutable;
using Amazon.CloudFormation;
using Amazon.CloudFormation.Model;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.AWS;
using Aspire.Hosting.AWS.CloudFormation;
using Aspire.Hosting.AWS.Provisioning;
using Aspire.Hosting.Eventing;
using Aspire.Hosting.Lifecycle;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tap.Aws.Credentials;

namespace Tap.Aws.Hosting.Provisioning;

/// <summary>
/// Provisions each CloudFormation template resource when the app starts, in the background as the official package
/// does: once what it waits for is ready, through its client (or one made from its SDK configuration). The resource
/// shows the stack's status while CloudFormation works, then its outputs (URLs as links) and resources; a stack
/// that fails to provision fails to start, so what waits for it does not wait for ever.
/// </summary>
internal sealed partial class CloudFormationProvisioning(ResourceNotificationService notifications, ResourceLoggerService loggers) : IDistributedApplicationEventingSubscriber
{
    public const string TemplateProperty = "aws.cloudformation.template";
    public const string StatusProperty = "aws.cloudformation.stack.status";
    public const string ReasonProperty = "aws.cloudformation.stack.reason";
    public const string OutputPropertyPrefix = "aws.cloudformation.output.";
    public const string ResourcePropertyPrefix = "aws.cloudformation.resource.";

    public static void AddTo(IDistributedApplicationBuilder builder) => builder.Services.TryAddEventingSubscriber<CloudFormationProvisioning>();

    public Task SubscribeAsync(IDistributedApplicationEventing eventing, DistributedApplicationExecutionContext executionContext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(eventing);
        ArgumentNullException.ThrowIfNull(executionContext);
        if (executionContext.IsRunMode)
        {
            eventing.Subscribe<BeforeStartEvent>((@event, token) =>
            {
                var stopping = @event.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
                foreach (var resource in @event.Model.Resources.OfType<CloudFormationTemplateResource>())
                {
                    resource.ProvisioningTaskCompletionSource = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    _ = Task.Run(() => ProvisionAsync(resource, stopping), CancellationToken.None);
                }

                return Task.CompletedTask;
            });
        }

        return Task.CompletedTask;
    }

    internal async Task ProvisionAsync(CloudFormationTemplateResource resource, CancellationToken cancellationToken)
    {
        var logger = loggers.GetLogger(resource);
        var ownsClient = false;
        IAmazonCloudFormation? client = null;
        try
        {
            await notifications.WaitForDependenciesAsync(resource, cancellationToken).ConfigureAwait(false);
            await notifications.PublishUpdateAsync(resource, s => s with { State = KnownResourceStates.Starting }).ConfigureAwait(false);
            foreach (var preparation in resource.Annotations.OfType<StackPreparationAnnotation>())
            {
                await preparation.Prepare(logger, cancellationToken).ConfigureAwait(false);
            }

            // Chosen once what the stack waits for is ready: a target such as a local one may set the client by then.
            ownsClient = resource.CloudFormationClient is null;
            client = resource.CloudFormationClient ?? CreateClient(resource.AWSSDKConfig);
            var deployment = new StackDeployment(resource.StackName, await File.ReadAllTextAsync(resource.TemplatePath, cancellationToken).ConfigureAwait(false))
            {
                Parameters = resource.CloudFormationParameters.ToDictionary(),
                Tags = resource.Tags.ToDictionary(),
                RoleArn = resource.RoleArn,
                PollingInterval = TimeSpan.FromSeconds(Math.Max(1, resource.StackPollingInterval)),
                DisableDiffCheck = resource.DisableDiffCheck,
                DisabledCapabilities = [.. resource.DisabledCapabilities],
            };
            var executor = new CloudFormationStackExecutor(client, deployment, logger, stack => PublishStatusAsync(resource, stack), TimeProvider.System);
            var result = await executor.ExecuteAsync(cancellationToken).ConfigureAwait(false);
            var resources = await client.DescribeStackResourcesAsync(new DescribeStackResourcesRequest { StackName = result.Stack.StackId }, cancellationToken).ConfigureAwait(false);
            resource.Outputs = result.Stack.Outputs ?? [];
            await notifications.PublishUpdateAsync(resource, s => s with
            {
                State = KnownResourceStates.Running,
                StartTimeStamp = DateTime.UtcNow,
                Properties = Described(s.Properties, resource, result.Stack, resources.StackResources ?? []),
                Urls = [.. Links(resource.Outputs)],
            }).ConfigureAwait(false);
            LogProvisioned(logger, resource.StackName, result.Stack.StackStatus?.Value, result.Changed ? "changed" : "unchanged");
            resource.ProvisioningTaskCompletionSource?.TrySetResult();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            resource.ProvisioningTaskCompletionSource?.TrySetCanceled(cancellationToken);
        }
        catch (Exception ex) when (ex is AWSProvisioningException or AmazonServiceException or AmazonClientException or IOException or UnauthorizedAccessException or HttpRequestException)
        {
            LogFailed(logger, ex, resource.StackName, ex.Message);
            await notifications.PublishUpdateAsync(resource, s => s with
            {
                State = new ResourceStateSnapshot(KnownResourceStates.FailedToStart, KnownResourceStateStyles.Error),
                Properties = With(s.Properties, new(ReasonProperty, ex.Message) { DisplayName = "Failure" }),
            }).ConfigureAwait(false);
            resource.ProvisioningTaskCompletionSource?.TrySetException(ex);
        }
        finally
        {
            if (ownsClient)
            {
                client?.Dispose();
            }
        }
    }

    private Task PublishStatusAsync(CloudFormationTemplateResource resource, Stack stack) =>
        notifications.PublishUpdateAsync(resource, s => s with
        {
            Properties = With(s.Properties, new(StatusProperty, stack.StackStatus?.Value) { DisplayName = "Stack status" }),
        });

    /// <summary>The stack's id, template, status, outputs and resources, replacing what an earlier provisioning showed.</summary>
    private static ImmutableArray<ResourcePropertySnapshot> Described(
        ImmutableArray<ResourcePropertySnapshot> properties, CloudFormationTemplateResource resource, Stack stack, List<StackResource> resources)
    {
        var kept = properties.Where(p => !p.Name.StartsWith(OutputPropertyPrefix, StringComparison.Ordinal)
            && !p.Name.StartsWith(ResourcePropertyPrefix, StringComparison.Ordinal)
            && p.Name != CustomResourceKnownProperties.Source
            && p.Name is not (StatusProperty or ReasonProperty or TemplateProperty));
        return
        [
            .. kept,
            new(CustomResourceKnownProperties.Source, stack.StackId),
            new(TemplateProperty, resource.TemplatePath) { DisplayName = "Template" },
            new(StatusProperty, stack.StackStatus?.Value) { DisplayName = "Stack status" },
            .. (stack.Outputs ?? []).Select(o => new ResourcePropertySnapshot(OutputPropertyPrefix + o.OutputKey, o.OutputValue) { DisplayName = "Output " + o.OutputKey }),
            .. resources.Select(r => new ResourcePropertySnapshot(ResourcePropertyPrefix + r.LogicalResourceId, $"{r.ResourceType} {r.PhysicalResourceId} ({r.ResourceStatus?.Value})")
            {
                DisplayName = "Resource " + r.LogicalResourceId,
            }),
        ];
    }

    /// <summary>Each output that is an HTTP(S) URL, as a link.</summary>
    private static IEnumerable<UrlSnapshot> Links(IEnumerable<Output> outputs) => outputs
        .Where(o => Uri.TryCreate(o.OutputValue, UriKind.Absolute, out var url) && url.Scheme is "http" or "https")
        .Select(o => new UrlSnapshot(o.OutputKey!, o.OutputValue!, IsInternal: false) { DisplayProperties = new UrlDisplayPropertiesSnapshot(o.OutputKey!) });

    private static ImmutableArray<ResourcePropertySnapshot> With(ImmutableArray<ResourcePropertySnapshot> properties, ResourcePropertySnapshot property) =>
        [.. properties.Where(p => p.Name != property.Name), property];

    /// <summary>A client from the SDK configuration: its region, and its profile's credentials or the default chain's.</summary>
    private static AmazonCloudFormationClient CreateClient(IAWSSDKConfig? config)
    {
        var credentials = config?.Profile is { Length: > 0 } profile
            ? new CredentialProfileStoreChain().TryGetAWSCredentials(profile, out var found)
                ? found
                : throw new AWSProvisioningException($"The AWS profile {profile} was not found.")
            : AwsCredentialsResolver.Resolve();
        return new AmazonCloudFormationClient(credentials, new AmazonCloudFormationConfig { RegionEndpoint = config?.Region });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "CloudFormation stack {StackName} is {Status} ({Outcome})")]
    private static partial void LogProvisioned(ILogger logger, string stackName, string? status, string outcome);

    [LoggerMessage(Level = LogLevel.Error, Message = "CloudFormation stack {StackName} was not provisioned: {Reason}")]
    private static partial void LogFailed(ILogger logger, Exception exception, string stackName, string reason);
}

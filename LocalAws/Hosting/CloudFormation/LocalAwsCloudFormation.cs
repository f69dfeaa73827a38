using Amazon.CloudFormation;
using Amazon.Runtime;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.AWS.CloudFormation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Tap.Aws.Hosting.Provisioning;

namespace Tap.LocalAws.Hosting;

/// <summary>
/// Where the AWS SDK configuration LocalAws references points: each CloudFormation stack of the app provisioned
/// with that configuration (and no client of its own) is provisioned into LocalAws, as its admin, once LocalAws is
/// ready, and again each time LocalAws is ready after a restart. It shows under LocalAws in the dashboard and polls
/// CloudFormation every second, as LocalAws deploys in moments.
/// </summary>
internal static class LocalAwsCloudFormation
{
    public static void Serve(IResourceBuilder<LocalAwsResource> localAws)
    {
        var builder = localAws.ApplicationBuilder;
        if (!builder.ExecutionContext.IsRunMode)
        {
            return;
        }

        // Subscribed while the app is built, so it runs before the provisioning (subscribed as the app starts) reads the stacks.
        builder.Eventing.Subscribe<BeforeStartEvent>((@event, _) =>
        {
            Adopt(@event.Model.Resources, localAws.Resource);
            return Task.CompletedTask;
        });

        // Ready means healthy, so its endpoint is allocated; what waits for LocalAws starts once this has run. Ready
        // again means LocalAws was restarted, perhaps with its state reset: its stacks are provisioned again (an
        // unchanged stack it still has is left alone), so what the app deployed is there without a restart.
        var readyBefore = false;
        builder.Eventing.Subscribe<ResourceReadyEvent>(localAws.Resource, async (@event, cancellationToken) =>
        {
            var model = @event.Services.GetRequiredService<DistributedApplicationModel>();
            var admin = await localAws.Resource.GetAdminCredentialsAsync(cancellationToken).ConfigureAwait(false);
            foreach (var stack in Stacks(model, localAws.Resource))
            {
                var previous = stack.CloudFormationClient;
                stack.CloudFormationClient = new AmazonCloudFormationClient(
                    new BasicAWSCredentials(admin.AccessKey, admin.SecretKey),
                    new AmazonCloudFormationConfig { ServiceURL = localAws.Resource.PrimaryEndpoint.Url, RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(localAws.Resource.Region) });
                previous?.Dispose();
            }

            if (readyBefore)
            {
                var stopping = @event.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
                var stacks = Stacks(model, localAws.Resource).OfType<ICloudFormationTemplateResource>().ToList();
                _ = Task.Run(() => StackReprovisioning.ProvisionAgainAsync(stacks, @event.Services, stopping), CancellationToken.None);
            }

            readyBefore = true;
        });
    }

    /// <summary>Marks the stacks provisioned with LocalAws's SDK configuration (and no client of their own) as LocalAws's.</summary>
    internal static void Adopt(IEnumerable<IResource> resources, LocalAwsResource localAws)
    {
        foreach (var stack in resources.OfType<ICloudFormationResource>()
            .Where(stack => stack.CloudFormationClient is null && localAws.SdkConfig is { } config && stack.AWSSDKConfig == config))
        {
            stack.Annotations.Add(new ProvisionedByLocalAwsAnnotation(localAws));
            stack.Annotations.Add(new WaitAnnotation(localAws, WaitType.WaitUntilHealthy));
            stack.Annotations.Add(new ResourceRelationshipAnnotation(localAws, "Parent"));
            if (stack is ICloudFormationTemplateResource template)
            {
                template.StackPollingInterval = 1;
            }
        }
    }

    /// <summary>The LocalAws that provisions <paramref name="stack"/>, if one does.</summary>
    internal static LocalAwsResource? ProvisionerOf(ICloudFormationResource stack) =>
        stack.Annotations.OfType<ProvisionedByLocalAwsAnnotation>().FirstOrDefault()?.LocalAws;

    private static IEnumerable<ICloudFormationResource> Stacks(DistributedApplicationModel model, LocalAwsResource localAws) =>
        model.Resources.OfType<ICloudFormationResource>().Where(stack => stack.Annotations.OfType<ProvisionedByLocalAwsAnnotation>().Any(a => a.LocalAws == localAws));

    /// <summary>Marks a stack LocalAws provisions.</summary>
    private sealed class ProvisionedByLocalAwsAnnotation(LocalAwsResource localAws) : IResourceAnnotation
    {
        public LocalAwsResource LocalAws { get; } = localAws;
    }
}

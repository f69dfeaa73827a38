using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Tap.LocalAws.ApiGateway;
using Tap.LocalAws.ApiGateway.Deployment;
using Tap.LocalAws.Auth;
using Tap.LocalAws.CloudFormation;
using Tap.LocalAws.CloudFormation.Engine;
using Tap.LocalAws.CloudFormation.Providers;
using Tap.LocalAws.CloudFormation.Storage;
using Tap.LocalAws.CloudWatch;
using Tap.LocalAws.Configuration;
using Tap.LocalAws.Ecr;
using Tap.LocalAws.Iam;
using Tap.LocalAws.Iam.Entities;
using Tap.LocalAws.Kms;
using Tap.LocalAws.Lambda;
using Tap.LocalAws.Lambda.Deployment;
using Tap.LocalAws.Lambda.Runtime;
using Tap.LocalAws.Logs;
using Tap.LocalAws.S3;
using Tap.LocalAws.S3.Storage;
using Tap.LocalAws.SecretsManager;
using Tap.LocalAws.SecretsManager.Storage;
using Tap.LocalAws.Services;
using Tap.LocalAws.Settings;
using Tap.LocalAws.Sns;
using Tap.LocalAws.Ssm;
using Tap.LocalAws.Sts;
using Tap.LocalAws.Telemetry;
using Tap.LocalAws.Tls;

namespace Tap.LocalAws;

internal static partial class LocalAwsServiceCollectionExtensions
{
    public static IServiceCollection AddLocalAws(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<ResourceTelemetryOptions>();
        services.AddSingleton<ResourceTelemetryRegistry>();
        services.TryAddSingleton(provider => Validate(LocalAwsSettings.Read(provider.GetRequiredService<IConfiguration>())));
        services.AddSingleton(provider =>
        {
            var settings = provider.GetRequiredService<LocalAwsSettings>();
            return new IamDirectory(PrincipalConfiguration.Load(settings), settings.AccountId, provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<IamStore>());
        });
        services.AddSingleton(provider =>
        {
            var settings = provider.GetRequiredService<LocalAwsSettings>();
            var persistence = string.IsNullOrEmpty(settings.DataDirectory)
                ? null
                : FileSecretPersistence.Open(
                    Path.Combine(Path.GetFullPath(settings.DataDirectory), "secretsmanager"),
                    provider.GetRequiredService<ILogger<FileSecretPersistence>>());
            try
            {
                return new SecretStore(settings.AccountId, settings.Region, provider.GetRequiredService<TimeProvider>(),
                    provider.GetRequiredService<ILogger<SecretStore>>(), persistence);
            }
            catch
            {
                // A store that failed to load never opened: release the directory for the next attempt.
                persistence?.Dispose();
                throw;
            }
        });
        services.AddSingleton(provider =>
        {
            var settings = provider.GetRequiredService<LocalAwsSettings>();
            var clock = provider.GetRequiredService<TimeProvider>();
            var functions = FunctionConfiguration.Load(settings, provider.GetRequiredService<IamDirectory>(), clock.GetUtcNow());
            return new LambdaRuntimes(functions, clock, TimeSpan.FromSeconds(settings.InvocationQueueTimeoutSeconds),
                provider.GetRequiredService<ResourceTelemetryRegistry>(), provider.GetRequiredService<ILoggerFactory>());
        });
        services.AddSingleton(provider =>
        {
            var settings = provider.GetRequiredService<LocalAwsSettings>();
            var runtimes = provider.GetRequiredService<LambdaRuntimes>();
            var apis = HttpApiConfiguration.Load(settings, [.. runtimes.Functions.Select(r => r.Function)]);
            var loggers = provider.GetRequiredService<ILoggerFactory>();
            var telemetry = provider.GetRequiredService<ResourceTelemetryRegistry>();
            var gateways = apis.Select(api => new HttpApiGateway(api, provider.GetRequiredService<AwsRequestAuthenticator>(), runtimes,
                provider.GetRequiredService<TimeProvider>(), telemetry.HttpApi(api.Name), loggers)).ToList();
            return new HttpApiServers(gateways, runtimes, provider.GetRequiredService<IHostApplicationLifetime>(), loggers);
        });
        services.AddHostedService(provider => provider.GetRequiredService<HttpApiServers>());
        services.AddSingleton<HttpApiService>();
        services.AddHostedService(provider => provider.GetRequiredService<HttpApiService>());
        services.AddSingleton<IResourceProvider, HttpApiProvider>();
        services.AddSingleton<IResourceProvider, HttpApiIntegrationProvider>();
        services.AddSingleton<IResourceProvider, HttpApiRouteProvider>();
        services.AddSingleton<IResourceProvider, HttpApiStageProvider>();
        services.AddLocalAwsHttps();
        services.AddSingleton(provider => new ParameterStore(
            provider.GetRequiredService<LocalAwsSettings>().DataDirectory, provider.GetRequiredService<ILogger<ParameterStore>>()));
        services.AddSingleton<ParameterStoreService>();
        services.AddSingleton(provider =>
        {
            var settings = provider.GetRequiredService<LocalAwsSettings>();
            return new S3Store(settings.DataDirectory, settings.S3MaxStorageMegabytes * 1024L * 1024L, provider.GetRequiredService<ILogger<S3Store>>());
        });
        services.AddSingleton<S3Service>();
        services.AddSingleton<TemplateSource>();
        services.AddSingleton(provider => new StackStore(
            provider.GetRequiredService<LocalAwsSettings>().DataDirectory, provider.GetRequiredService<ILogger<StackStore>>()));
        services.AddSingleton<IResourceProvider, CdkMetadataProvider>();
        services.AddSingleton<IResourceProvider, SsmParameterProvider>();
        services.AddSingleton<IResourceProvider, SecretProvider>();
        services.AddSingleton<IResourceProvider, LogGroupProvider>();
        services.AddSingleton<IResourceProvider, MetricFilterProvider>();
        services.AddSingleton(provider => new IamStore(
            provider.GetRequiredService<LocalAwsSettings>().DataDirectory, provider.GetRequiredService<ILogger<IamStore>>()));
        services.AddSingleton<IamService>();
        services.AddSingleton<IResourceProvider, RoleProvider>();
        services.AddSingleton<IResourceProvider, PolicyProvider>();
        services.AddSingleton<IResourceProvider, ManagedPolicyProvider>();
        services.AddSingleton<IResourceProvider, UserProvider>();
        services.AddSingleton<IResourceProvider, AccessKeyProvider>();
        services.AddSingleton<IResourceProvider, BucketProvider>();
        services.AddSingleton<IResourceProvider, BucketPolicyProvider>();
        services.AddSingleton<LogsService>();
        services.AddSingleton<EcrService>();
        services.AddSingleton<IResourceProvider, RepositoryProvider>();
        services.AddSingleton<SnsService>();
        services.AddSingleton<IResourceProvider, TopicProvider>();
        services.AddSingleton<IResourceProvider, SubscriptionProvider>();
        services.AddSingleton<CloudWatchService>();
        services.AddSingleton<IResourceProvider, AlarmProvider>();
        services.AddSingleton<IResourceProvider, DashboardProvider>();
        services.AddSingleton<KmsService>();
        services.AddSingleton<IResourceProvider, KmsKeyProvider>();
        services.AddSingleton<IResourceProvider, KmsAliasProvider>();
        services.AddSingleton<FunctionStore>();
        services.AddSingleton<LambdaService>();
        services.AddSingleton<IResourceProvider, FunctionProvider>();
        services.AddSingleton<IResourceProvider, PermissionProvider>();
        services.AddSingleton<StackDeployer>();
        services.AddSingleton<StackOperationRunner>();
        services.AddSingleton<StackService>();
        services.AddSingleton<SecretsManagerService>();
        services.AddSingleton<AwsRequestAuthenticator>();

        // The AWS APIs, in the order the pipeline asks which one a request is for: S3, CloudFormation, IAM, SNS and
        // CloudWatch before STS, which takes any Query-shaped request on "/" (S3 takes only those for an S3 host or
        // signed for s3, the others only those signed for them).
        services.AddSingleton<IAwsServiceApi, S3Api>();
        services.AddSingleton<IAwsServiceApi, SecretsManagerApi>();
        services.AddSingleton<IAwsServiceApi, CloudFormationApi>();
        services.AddSingleton<IAwsServiceApi, IamApi>();
        services.AddSingleton<IAwsServiceApi, SnsApi>();
        services.AddSingleton<IAwsServiceApi, CloudWatchApi>();
        services.AddSingleton<IAwsServiceApi, StsApi>();
        services.AddSingleton<IAwsServiceApi, LambdaApi>();
        services.AddSingleton<IAwsServiceApi, ApiGatewayV2Api>();
        services.AddSingleton<IAwsServiceApi, SsmApi>();
        services.AddSingleton<IAwsServiceApi, LogsApi>();
        services.AddSingleton<IAwsServiceApi, EcrApi>();
        services.AddSingleton<IAwsServiceApi, KmsApi>();
        services.AddSingleton<IAwsServiceApi, ExecutionEnvironmentsApi>();
        return services;
    }

    /// <summary>The top-level settings, checked at start so a typo stops LocalAws with the setting's name.</summary>
    private static LocalAwsSettings Validate(LocalAwsSettings settings)
    {
        if (!AccountIdPattern().IsMatch(settings.AccountId))
        {
            throw SettingsSection.Invalid(LocalAwsSettings.SectionName, nameof(settings.AccountId), "must be 12 digits.");
        }

        if (!RegionPattern().IsMatch(settings.Region))
        {
            throw SettingsSection.Invalid(LocalAwsSettings.SectionName, nameof(settings.Region), "must be a region name such as us-east-1.");
        }

        SettingLimits.Integer(LocalAwsSettings.SectionName, nameof(settings.InvocationQueueTimeoutSeconds), settings.InvocationQueueTimeoutSeconds, 1, 900);
        SettingLimits.Integer(LocalAwsSettings.SectionName, nameof(settings.LambdaConcurrency), settings.LambdaConcurrency, 1, 1000);
        SettingLimits.Integer(LocalAwsSettings.SectionName, nameof(settings.LambdaIdleTimeoutSeconds), settings.LambdaIdleTimeoutSeconds, 1, 86_400);
        SettingLimits.Integer(LocalAwsSettings.SectionName, nameof(settings.S3MaxObjectMegabytes), settings.S3MaxObjectMegabytes, 1, 5 * 1024 * 1024);
        SettingLimits.Integer(LocalAwsSettings.SectionName, nameof(settings.S3MaxStorageMegabytes), settings.S3MaxStorageMegabytes, 1, int.MaxValue);
        return settings;
    }

    [GeneratedRegex("^[0-9]{12}$")]
    private static partial Regex AccountIdPattern();

    [GeneratedRegex("^[a-z]{2}(-[a-z]+)+-[0-9]+$")]
    private static partial Regex RegionPattern();
}

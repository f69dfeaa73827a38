using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Tap.LocalAws.ApiGateway;
using Tap.LocalAws.Auth;
using Tap.LocalAws.Configuration;
using Tap.LocalAws.Iam;
using Tap.LocalAws.Lambda;
using Tap.LocalAws.Lambda.Runtime;
using Tap.LocalAws.SecretsManager;
using Tap.LocalAws.SecretsManager.Storage;
using Tap.LocalAws.Services;
using Tap.LocalAws.Sts;

namespace Tap.LocalAws;

internal static partial class LocalAwsServiceCollectionExtensions
{
    public static IServiceCollection AddLocalAws(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<LocalAwsOptions>()
            .Validate(o => AccountIdPattern().IsMatch(o.AccountId), "LocalAws configuration LocalAws:AccountId must be 12 digits.")
            .Validate(o => RegionPattern().IsMatch(o.Region), "LocalAws configuration LocalAws:Region must be a region name such as us-east-1.")
            .Validate(o => o.InvocationQueueTimeoutSeconds is >= 1 and <= 900, "LocalAws configuration LocalAws:InvocationQueueTimeoutSeconds must be from 1 to 900.")
            .ValidateOnStart();
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<LocalAwsOptions>>().Value;
            var principals = PrincipalConfiguration.Load(provider.GetRequiredService<IConfiguration>(), options.AccountId);
            return new IamDirectory(principals, options.AccountId, provider.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<LocalAwsOptions>>().Value;
            var persistence = string.IsNullOrEmpty(options.DataDirectory)
                ? null
                : FileSecretPersistence.Open(
                    Path.Combine(Path.GetFullPath(options.DataDirectory), "secretsmanager"),
                    provider.GetRequiredService<ILogger<FileSecretPersistence>>());
            try
            {
                return new SecretStore(options.AccountId, options.Region, provider.GetRequiredService<TimeProvider>(),
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
            var options = provider.GetRequiredService<IOptions<LocalAwsOptions>>().Value;
            var clock = provider.GetRequiredService<TimeProvider>();
            var functions = FunctionConfiguration.Load(provider.GetRequiredService<IConfiguration>(), provider.GetRequiredService<IamDirectory>(),
                options.AccountId, options.Region, clock.GetUtcNow());
            return new LambdaRuntimes(functions, clock, TimeSpan.FromSeconds(options.InvocationQueueTimeoutSeconds), provider.GetRequiredService<ILoggerFactory>());
        });
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<LocalAwsOptions>>().Value;
            var runtimes = provider.GetRequiredService<LambdaRuntimes>();
            var apis = HttpApiConfiguration.Load(provider.GetRequiredService<IConfiguration>(), [.. runtimes.Functions.Select(r => r.Function)],
                options.AccountId, options.Region);
            var loggers = provider.GetRequiredService<ILoggerFactory>();
            var gateways = apis.Select(api => new HttpApiGateway(api, provider.GetRequiredService<AwsRequestAuthenticator>(), runtimes,
                provider.GetRequiredService<TimeProvider>(), loggers)).ToList();
            return new HttpApiServers(gateways, loggers);
        });
        services.AddHostedService(provider => provider.GetRequiredService<HttpApiServers>());
        services.AddSingleton<SecretsManagerService>();
        services.AddSingleton<AwsRequestAuthenticator>();

        // The AWS APIs, in the order the pipeline asks which one a request is for.
        services.AddSingleton<IAwsServiceApi, SecretsManagerApi>();
        services.AddSingleton<IAwsServiceApi, StsApi>();
        services.AddSingleton<IAwsServiceApi, LambdaApi>();
        return services;
    }

    [GeneratedRegex("^[0-9]{12}$")]
    private static partial Regex AccountIdPattern();

    [GeneratedRegex("^[a-z]{2}(-[a-z]+)+-[0-9]+$")]
    private static partial Regex RegionPattern();
}

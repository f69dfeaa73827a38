using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Tap.LocalAws.Auth;
using Tap.LocalAws.Configuration;
using Tap.LocalAws.Iam;
using Tap.LocalAws.SecretsManager;
using Tap.LocalAws.Sts;

namespace Tap.LocalAws;

internal static class LocalAwsServiceCollectionExtensions
{
    public static IServiceCollection AddLocalAws(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
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
                : new FileSecretPersistence(Path.Combine(Path.GetFullPath(options.DataDirectory), "secretsmanager"));
            return new SecretStore(options.AccountId, options.Region, provider.GetRequiredService<TimeProvider>(), persistence);
        });
        services.AddSingleton<SecretsManagerService>();
        services.AddSingleton<SecretsManagerApi>();
        services.AddSingleton<StsApi>();
        services.AddSingleton<AwsRequestAuthenticator>();
        return services;
    }
}

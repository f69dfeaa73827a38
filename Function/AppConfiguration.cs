using Amazon.Runtime;
using Amazon.SecretsManager.Extensions.Caching;
using Tap.Aws.SecretsManager;

namespace Tap.Function;

/// <summary>
/// The app's configuration secret, named by <c>SECRET_ID</c> (name or ARN), read through the secret cache the first
/// time a request needs it. Every way it can fail becomes <see cref="ConfigurationUnavailableException"/> after a
/// precise log entry for the operator; callers only ever see the generic 500 body README shows. Values are never logged.
/// </summary>
internal sealed partial class AppConfiguration(IConfiguration configuration, ISecretsManagerCache cache, ILogger<AppConfiguration> logger)
{
    public const string SecretIdSetting = "SECRET_ID";

    /// <summary>Overrides how long a loaded secret is trusted, in whole seconds (tests shorten it).</summary>
    public const string CacheTtlSetting = "SECRET_CACHE_TTL_SECONDS";

    /// <summary>How long a loaded secret is trusted by default: a rotation reaches the API within 5 minutes.</summary>
    public const uint DefaultCacheItemTtlMilliseconds = 5 * 60 * 1000;

    /// <summary>The cache TTL: <see cref="CacheTtlSetting"/> when it is a positive number of seconds, else the default.</summary>
    public static uint CacheItemTtlMilliseconds(IConfiguration configuration) =>
        uint.TryParse(configuration[CacheTtlSetting], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            && seconds is > 0 and <= uint.MaxValue / 1000
            ? seconds * 1000
            : DefaultCacheItemTtlMilliseconds;

    public async Task<SecretJson> GetAsync(CancellationToken cancellationToken)
    {
        var secretId = configuration[SecretIdSetting];
        if (string.IsNullOrWhiteSpace(secretId))
        {
            LogMissingSecretId(logger, SecretIdSetting);
            throw new ConfigurationUnavailableException();
        }

        SecretJson secret;
        try
        {
            secret = await cache.GetSecretJsonAsync(secretId, cancellationToken);
        }
        catch (AmazonServiceException ex)
        {
            LogServiceError(logger, ex, secretId, ex.ErrorCode, (int)ex.StatusCode, ex.RequestId);
            throw new ConfigurationUnavailableException();
        }
        catch (AmazonClientException ex)
        {
            LogClientError(logger, ex, secretId);
            throw new ConfigurationUnavailableException();
        }

        if (!secret.IsJsonObject)
        {
            LogNotJson(logger, secretId, secret.VersionId);
            throw new ConfigurationUnavailableException();
        }

        return secret;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Configuration unavailable: the {Setting} setting is not set, so no secret can be read")]
    private static partial void LogMissingSecretId(ILogger logger, string setting);

    [LoggerMessage(Level = LogLevel.Error, Message = "Configuration unavailable: reading secret {SecretId} failed with {ErrorCode} (HTTP {Status}, request {AwsRequestId})")]
    private static partial void LogServiceError(ILogger logger, Exception exception, string secretId, string errorCode, int status, string? awsRequestId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Configuration unavailable: Secrets Manager could not be reached for secret {SecretId}")]
    private static partial void LogClientError(ILogger logger, Exception exception, string secretId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Configuration unavailable: secret {SecretId} (version {VersionId}) is not a JSON object")]
    private static partial void LogNotJson(ILogger logger, string secretId, string? versionId);
}

/// <summary>The configuration secret could not be used; the log says why.</summary>
internal sealed class ConfigurationUnavailableException() : Exception("The configuration secret is unavailable; see the preceding log entry.");

using Amazon.CloudFormation;
using Amazon.Runtime;
using Tap.LocalAws.Settings;
using Tap.Testing;

namespace Tap.AWSSDK.CloudFormation.Tests;

/// <summary>One LocalAws process, with an admin, that every test here deploys its own stacks into.</summary>
#pragma warning disable CA1001 // xunit disposes fixtures through IAsyncLifetime.DisposeAsync.
public sealed class LocalAwsStacks : IAsyncLifetime
#pragma warning restore CA1001
{
    private readonly LocalAwsProcess _process = new(Admin, new LocalAwsSettings
    {
        Principals =
        [
            new("admin", $"arn:aws:iam::{LocalAwsSettings.DefaultAccountId}:user/admin")
            {
                AccessKeyId = Admin.AccessKey,
                SecretAccessKey = Admin.SecretKey,
                Policies = ["""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"""],
            },
        ],
    }.ToConfiguration().ToDictionary(setting => setting.Key, string? (setting) => setting.Value), https: true);

    public static ImmutableCredentials Admin { get; } = TestCredentials.New();

    public Uri Endpoint => _process.Endpoint;

    /// <summary>Its HTTPS address, with a certificate from LocalAws's own CA (S3 buckets may demand TLS).</summary>
    public Uri HttpsEndpoint => _process.HttpsEndpoint!;

    /// <summary>A client signing as the admin, or with <paramref name="credentials"/>.</summary>
    public AmazonCloudFormationClient Client(ImmutableCredentials? credentials = null)
    {
        var keys = credentials ?? Admin;
        return new AmazonCloudFormationClient(new BasicAWSCredentials(keys.AccessKey, keys.SecretKey),
            new AmazonCloudFormationConfig { ServiceURL = Endpoint.ToString(), RegionEndpoint = Amazon.RegionEndpoint.USEast1 });
    }

    /// <summary>A Secrets Manager client signing as the admin.</summary>
    public Amazon.SecretsManager.AmazonSecretsManagerClient SecretsManager() => _process.SecretsManager();

    public async ValueTask InitializeAsync() => await _process.StartAsync();

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}

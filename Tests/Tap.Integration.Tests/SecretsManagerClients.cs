using Amazon;
using Amazon.Runtime;
using Amazon.SecretsManager;

namespace Tap.Integration.Tests;

/// <summary>Secrets Manager clients for LocalAws as the app runs it.</summary>
internal static class SecretsManagerClients
{
    public static AmazonSecretsManagerClient Create(TapAppFixture fixture, ImmutableCredentials credentials)
    {
        AWSCredentials aws = credentials.UseToken
            ? new SessionAWSCredentials(credentials.AccessKey, credentials.SecretKey, credentials.Token)
            : new BasicAWSCredentials(credentials.AccessKey, credentials.SecretKey);
        return new AmazonSecretsManagerClient(aws, new AmazonSecretsManagerConfig
        {
            RegionEndpoint = RegionEndpoint.GetBySystemName(fixture.Region),
            ServiceURL = fixture.LocalAws.PrimaryEndpoint.Url,
        });
    }
}

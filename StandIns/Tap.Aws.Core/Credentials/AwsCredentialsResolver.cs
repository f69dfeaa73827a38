using Amazon.Runtime;
using Amazon.Runtime.Credentials;

namespace Tap.Aws.Credentials;

/// <summary>
/// The AWS SDK's default credential chain (environment, profile, container credentials endpoint, instance
/// metadata), as AWSSDK.Core resolves it. Temporary credentials from the chain refresh themselves.
/// </summary>
public static class AwsCredentialsResolver
{
    public static AWSCredentials Resolve() => DefaultAWSCredentialsIdentityResolver.GetCredentials();
}

using Tap.Aws.Credentials;
using Tap.Testing;

namespace Tap.Aws.Core.Tests;

/// <summary>The SDK's default chain, first link: environment variables (as Lambda provides role credentials).</summary>
public sealed class AwsCredentialsResolverTests
{
    [Fact]
    public async Task Environment_credentials_with_a_session_token_are_resolved_by_the_SDK_chain()
    {
        string[] names = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"];
        var saved = names.ToDictionary(n => n, Environment.GetEnvironmentVariable);
        var expected = TestCredentials.New(temporary: true);
        try
        {
            Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", expected.AccessKey);
            Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", expected.SecretKey);
            Environment.SetEnvironmentVariable("AWS_SESSION_TOKEN", expected.Token);

            var credentials = await AwsCredentialsResolver.Resolve().GetCredentialsAsync();

            Assert.Equal(expected.AccessKey, credentials.AccessKey);
            Assert.Equal(expected.SecretKey, credentials.SecretKey);
            Assert.Equal(expected.Token, credentials.Token);
            Assert.True(credentials.UseToken);
        }
        finally
        {
            foreach (var (name, value) in saved)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }
}

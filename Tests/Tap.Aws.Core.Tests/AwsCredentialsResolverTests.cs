using Tap.Aws.Credentials;

namespace Tap.Aws.Core.Tests;

/// <summary>The SDK's default chain, first link: environment variables (as Lambda provides role credentials).</summary>
public sealed class AwsCredentialsResolverTests
{
    [Fact]
    public async Task Environment_credentials_with_a_session_token_are_resolved_by_the_SDK_chain()
    {
        string[] names = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"];
        var saved = names.ToDictionary(n => n, Environment.GetEnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "ASIAENVIRONMENTTEST1");
            Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "environment-secret-key");
            Environment.SetEnvironmentVariable("AWS_SESSION_TOKEN", "environment-session-token");

            var credentials = await AwsCredentialsResolver.Resolve().GetCredentialsAsync();

            Assert.Equal("ASIAENVIRONMENTTEST1", credentials.AccessKey);
            Assert.Equal("environment-secret-key", credentials.SecretKey);
            Assert.Equal("environment-session-token", credentials.Token);
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

using Tap.Aws.Credentials;
using Tap.Aws.Endpoints;
using Tap.Aws.Http;
using Tap.Aws.Protocol;

namespace Tap.Aws.Core.Tests;

public sealed class AwsEnvironmentTests
{
    private static Func<string, string?> Env(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void Service_specific_endpoint_wins_over_the_global_one()
    {
        var uri = AwsEndpointResolver.Resolve(AwsServiceMetadata.SecretsManager, "us-east-1",
            Env(("AWS_ENDPOINT_URL_SECRETS_MANAGER", "http://127.0.0.1:4566"), ("AWS_ENDPOINT_URL", "http://127.0.0.1:9999")));

        Assert.Equal(new Uri("http://127.0.0.1:4566"), uri);
    }

    [Fact]
    public void Global_endpoint_is_used_when_no_service_endpoint_is_set()
    {
        var uri = AwsEndpointResolver.Resolve(AwsServiceMetadata.SecretsManager, "us-east-1", Env(("AWS_ENDPOINT_URL", "http://127.0.0.1:9999")));

        Assert.Equal(new Uri("http://127.0.0.1:9999"), uri);
    }

    [Fact]
    public void Public_endpoint_is_the_default()
    {
        var uri = AwsEndpointResolver.Resolve(AwsServiceMetadata.SecretsManager, "eu-west-1", Env());

        Assert.Equal(new Uri("https://secretsmanager.eu-west-1.amazonaws.com/"), uri);
    }

    [Fact]
    public void AWS_REGION_wins_over_AWS_DEFAULT_REGION()
    {
        Assert.Equal("eu-central-1", AwsRegionResolver.Resolve(Env(("AWS_REGION", "eu-central-1"), ("AWS_DEFAULT_REGION", "us-west-2"))));
        Assert.Equal("us-west-2", AwsRegionResolver.Resolve(Env(("AWS_DEFAULT_REGION", "us-west-2"))));
    }

    [Theory]
    [InlineData(500, null, true)]
    [InlineData(503, null, true)]
    [InlineData(429, null, true)]
    [InlineData(400, "ThrottlingException", true)]
    [InlineData(400, "ResourceNotFoundException", false)]
    [InlineData(400, "AccessDeniedException", false)]
    [InlineData(403, null, false)]
    public void Retries_only_throttling_and_server_errors(int status, string? code, bool retryable)
    {
        Assert.Equal(retryable, AwsRetryPolicy.IsRetryable(status, code));
    }

    [Fact]
    public void Backoff_is_jittered_and_capped()
    {
        var policy = new AwsRetryPolicy { BaseDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromMilliseconds(300) };
        var random = new Random(42);

        var delays = Enumerable.Range(1, 50).Select(attempt => policy.GetDelay(attempt % 5 + 1, random)).ToList();

        Assert.All(delays, d => Assert.InRange(d, TimeSpan.Zero, TimeSpan.FromMilliseconds(300)));
        Assert.True(delays.Distinct().Count() > 40, "Backoff should be jittered.");
    }
}

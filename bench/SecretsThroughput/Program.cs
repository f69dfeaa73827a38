using System.Diagnostics;
using System.Globalization;
using Amazon;
using Amazon.Runtime;
using Amazon.SecretsManager;
using Amazon.SecretsManager.Model;

// Usage: SecretsThroughput <endpoint> <secret-id> <seconds> <concurrency>
// Credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY. Prints "<requests/s> <errors>".
if (args.Length != 4)
{
    Console.Error.WriteLine("usage: SecretsThroughput <endpoint> <secret-id> <seconds> <concurrency>");
    return 2;
}

var (endpoint, secretId) = (args[0], args[1]);
var duration = TimeSpan.FromSeconds(double.Parse(args[2], CultureInfo.InvariantCulture));
var concurrency = int.Parse(args[3], CultureInfo.InvariantCulture);
var credentials = new BasicAWSCredentials(
    Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID"), Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY"));
using var client = new AmazonSecretsManagerClient(credentials, new AmazonSecretsManagerConfig
{
    RegionEndpoint = RegionEndpoint.USEast1,
    ServiceURL = endpoint,
    MaxErrorRetry = 0,
});

// Warm up connections and JIT before measuring.
for (var i = 0; i < 20; i++)
{
    await client.GetSecretValueAsync(new GetSecretValueRequest { SecretId = secretId });
}

long completed = 0, errors = 0;
var stopwatch = Stopwatch.StartNew();
var workers = Enumerable.Range(0, concurrency).Select(async _ =>
{
    while (stopwatch.Elapsed < duration)
    {
        try
        {
            await client.GetSecretValueAsync(new GetSecretValueRequest { SecretId = secretId });
            Interlocked.Increment(ref completed);
        }
        catch (AmazonServiceException)
        {
            Interlocked.Increment(ref errors);
        }
    }
});
await Task.WhenAll(workers);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{completed / stopwatch.Elapsed.TotalSeconds:F0} {errors}"));
return 0;

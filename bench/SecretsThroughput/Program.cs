using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Amazon;
using Amazon.Runtime;
using Amazon.SecretsManager;
using Amazon.SecretsManager.Model;
using Tap.LocalAws.Configuration;

// Usage: SecretsThroughput <endpoint> <secret-id> <seconds> <concurrency>
//        SecretsThroughput --localaws-config <file.json>   (LocalAws settings: one user allowed everything)
// Credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY. Prints "<requests/s> <errors>".
if (args is ["--localaws-config", var configPath])
{
    var settings = new LocalAwsSettings
    {
        Principals =
        [
            new LocalAwsPrincipalSettings("bench", "arn:aws:iam::000000000000:user/bench")
            {
                AccessKeyId = Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID"),
                SecretAccessKey = Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY"),
                Policies = ["""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"""],
            },
        ],
    };
    File.WriteAllText(configPath, JsonSerializer.Serialize(settings.ToConfiguration().ToDictionary(), BenchJson.Default.DictionaryStringString));
    return 0;
}

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

/// <summary>Source-generated JSON for the configuration file.</summary>
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class BenchJson : JsonSerializerContext;

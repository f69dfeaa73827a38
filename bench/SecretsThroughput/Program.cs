using System.Text.Json;
using System.Text.Json.Serialization;
using Tap.LocalAws.Settings;

// The Secrets Manager benchmark's two helpers (wrk is its load generator):
//   SecretsThroughput --localaws-config <file.json>   LocalAws settings: one user, from AWS_ACCESS_KEY_ID /
//                                                      AWS_SECRET_ACCESS_KEY, allowed everything
//   SecretsThroughput --floor <url> <body.json>       the floor: an unsigned Kestrel endpoint answering every POST
//                                                      with that GetSecretValue response body, as Secrets Manager does
switch (args)
{
    case ["--localaws-config", var configPath]:
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

    case ["--floor", var url, var bodyPath]:
        var body = File.ReadAllBytes(bodyPath);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(url);
        var app = builder.Build();
        app.MapPost("/", () => Results.Bytes(body, "application/x-amz-json-1.1"));
        await app.RunAsync();
        return 0;

    default:
        Console.Error.WriteLine("usage: SecretsThroughput --localaws-config <file.json> | --floor <url> <body.json>");
        return 2;
}

/// <summary>Source-generated JSON for the configuration file.</summary>
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class BenchJson : JsonSerializerContext;

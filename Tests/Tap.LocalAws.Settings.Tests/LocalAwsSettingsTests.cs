using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace Tap.LocalAws.Settings.Tests;

public sealed class LocalAwsSettingsTests
{
    private const string Policy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""";

    private static readonly LocalAwsSettings Everything = new()
    {
        AccountId = "123456789012",
        Region = "eu-west-1",
        DataDirectory = "/var/lib/localaws",
        InvocationQueueTimeoutSeconds = 20,
        LambdaConcurrency = 4,
        LambdaIdleTimeoutSeconds = 60,
        Principals =
        [
            new("admin", "arn:aws:iam::123456789012:user/admin") { AccessKeyId = "AKIAEXAMPLE000000000", SecretAccessKey = "secret/+=", Policies = [Policy, Policy] },
            new("role", "arn:aws:iam::123456789012:role/role") { ContainerCredentialsToken = "token-token-token", MaxSessionDuration = 43200, AssumeRolePolicyDocument = Policy },
        ],
        Functions =
        [
            new("fn", "arn:aws:iam::123456789012:role/role")
            {
                Timeout = 30, MemorySize = 256, LogFormat = "JSON",
                Environment = new Dictionary<string, string> { ["SECRET_ID"] = "tap/api-config", ["EMPTY"] = "" },
            },
        ],
        HttpApis =
        [
            new("api", [new("ANY /{proxy+}", "fn") { AuthorizationType = "AWS_IAM", TimeoutInMillis = 5000 }, new("$default", "fn")])
            {
                Url = "http://localhost:4000", ApiId = "abcdef1234", Stage = "prod", AccessLogFormat = "$context.requestId",
                Throttle = new(12.5, 100),
                Cors = new() { AllowOrigins = ["*"], AllowMethods = ["GET"], AllowHeaders = ["x-amz-date"], ExposeHeaders = ["x-id"], AllowCredentials = false, MaxAge = 60 },
            },
        ],
        HostedFunctions = [new("api-handler-local") { CredentialsToken = "hosted-token" }, new("no-token")],
        ApiPorts = [new("serverless-http-api", 4000)],
    };

    [Fact]
    public void What_is_written_is_what_is_read()
    {
        var read = LocalAwsSettings.Read(Configuration(Everything.ToConfiguration()));

        Assert.Equal(Everything.ToConfiguration().OrderBy(s => s.Key), read.ToConfiguration().OrderBy(s => s.Key));
        Assert.Equal("LocalAws:Principals:1", read.Principals[1].ConfigurationPath);
        Assert.Equal("LocalAws:HttpApis:0:Routes:1", read.HttpApis[0].Routes[1].ConfigurationPath);
        Assert.Equal(12.5, read.HttpApis[0].Throttle!.RateLimit);
        Assert.Equal(string.Empty, read.Functions[0].Environment["EMPTY"]);
        Assert.Equal(("hosted-token", null), (read.HostedFunctions[0].CredentialsToken, read.HostedFunctions[1].CredentialsToken));
        Assert.Equal("/_localaws/functions/api-handler-local/credentials", read.HostedFunctions[0].CredentialsPath);
        Assert.Equal(new LocalAwsApiPortSettings("serverless-http-api", 4000), Assert.Single(read.ApiPorts));
    }

    [Fact]
    public void Environment_variables_carry_the_same_settings()
    {
        var variables = Everything.ToEnvironmentVariables().ToList();
        foreach (var (name, value) in variables)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        try
        {
            var read = LocalAwsSettings.Read(new ConfigurationBuilder().AddEnvironmentVariables().Build());

            Assert.Equal(Everything.ToConfiguration().OrderBy(s => s.Key), read.ToConfiguration().OrderBy(s => s.Key));
            Assert.Contains(variables, v => v.Key == "LocalAws__Principals__0__AccessKeyId");
        }
        finally
        {
            foreach (var (name, _) in variables)
            {
                Environment.SetEnvironmentVariable(name, null);
            }
        }
    }

    [Fact]
    public void Unset_values_are_left_out_and_read_back_as_defaults()
    {
        var written = new LocalAwsSettings().ToConfiguration().ToList();
        var read = LocalAwsSettings.Read(Configuration(written));

        Assert.DoesNotContain(written, s => s.Key.EndsWith(":DataDirectory", StringComparison.Ordinal));
        Assert.Equal((LocalAwsSettings.DefaultAccountId, LocalAwsSettings.DefaultRegion, null, 10), (read.AccountId, read.Region, read.DataDirectory, read.InvocationQueueTimeoutSeconds));
        Assert.Empty(read.Principals);
    }

    [Fact]
    public void Policies_written_as_json_objects_in_a_file_are_read_as_the_same_json()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "localaws.example.json");
        using var example = JsonDocument.Parse(File.ReadAllText(path));
        var settings = LocalAwsSettings.Read(new ConfigurationBuilder().AddJsonFile(path).Build());

        var expected = example.RootElement.GetProperty("LocalAws").GetProperty("Principals")[0].GetProperty("Policies")[0];
        using var read = JsonDocument.Parse(settings.Principals[0].Policies[0]);
        Assert.True(JsonElement.DeepEquals(expected, read.RootElement), settings.Principals[0].Policies[0]);
        Assert.NotEmpty(settings.HttpApis[0].Routes);
    }

    [Fact]
    public void Booleans_and_numbers_in_a_JSON_file_may_be_JSON_booleans_and_numbers_or_strings()
    {
        var json = """
            {"LocalAws":{"InvocationQueueTimeoutSeconds":7,"HttpApis":[
              {"Name":"a","WaitForFunctions":true,"Throttle":{"RateLimit":2.5,"BurstLimit":5},"Cors":{"AllowCredentials":true,"MaxAge":600},"Routes":[{"RouteKey":"GET /","Function":"f","TimeoutInMillis":1000}]},
              {"Name":"b","WaitForFunctions":"false","Throttle":{"RateLimit":"2.5","BurstLimit":"5"},"Cors":{"AllowCredentials":"false","MaxAge":"600"},"Routes":[]}]}}
            """;
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json));

        var settings = LocalAwsSettings.Read(new ConfigurationBuilder().AddJsonStream(stream).Build());

        Assert.Equal(7, settings.InvocationQueueTimeoutSeconds);
        var (typed, text) = (settings.HttpApis[0], settings.HttpApis[1]);
        Assert.Equal((true, true, 600, 2.5, 5, 1000), (typed.WaitForFunctions, typed.Cors!.AllowCredentials, typed.Cors.MaxAge, typed.Throttle!.RateLimit, typed.Throttle.BurstLimit, typed.Routes[0].TimeoutInMillis));
        Assert.Equal((false, false, 600, 2.5, 5), (text.WaitForFunctions, text.Cors!.AllowCredentials, text.Cors.MaxAge, text.Throttle!.RateLimit, text.Throttle.BurstLimit));
    }

    [Fact]
    public void Condition_keys_split_by_configuration_are_joined_back()
    {
        var settings = LocalAwsSettings.Read(Configuration(new Dictionary<string, string>
        {
            ["LocalAws:Principals:0:Name"] = "role",
            ["LocalAws:Principals:0:AssumeRolePolicyDocument:Statement:0:Condition:StringEquals:sts:ExternalId"] = "abc",
            ["LocalAws:Principals:0:AssumeRolePolicyDocument:Statement:0:Action"] = "*",
        }));

        using var trust = JsonDocument.Parse(settings.Principals[0].AssumeRolePolicyDocument!);
        var statement = trust.RootElement.GetProperty("Statement")[0];
        Assert.Equal("abc", statement.GetProperty("Condition").GetProperty("StringEquals").GetProperty("sts:ExternalId").GetString());
        Assert.Equal("*", statement.GetProperty("Action").GetString());
    }

    [Fact]
    public void Lists_keep_their_numeric_order_past_ten()
    {
        var policies = Enumerable.Range(0, 12).Select(i => $$"""{"Version":"{{i}}"}""").ToList();
        var written = new LocalAwsSettings { Principals = [new("a", "arn:aws:iam::000000000000:user/a") { Policies = policies }] };

        var read = LocalAwsSettings.Read(Configuration(written.ToConfiguration()));

        Assert.Equal(policies, read.Principals[0].Policies);
    }

    [Theory]
    [InlineData("LocalAws:InvocationQueueTimeoutSeconds", "soon")]
    [InlineData("LocalAws:Principals:3:MaxSessionDuration", "1h")]
    [InlineData("LocalAws:Functions:0:Timeout", "3.5")]
    [InlineData("LocalAws:HttpApis:0:Routes:0:TimeoutInMillis", "x")]
    [InlineData("LocalAws:HttpApis:0:Throttle:RateLimit", "fast")]
    [InlineData("LocalAws:HttpApis:0:Cors:AllowCredentials", "yes")]
    [InlineData("LocalAws:HttpApis:0:Cors:MaxAge", "NaN")]
    public void A_value_of_the_wrong_type_names_its_setting(string key, string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => LocalAwsSettings.Read(Configuration(new Dictionary<string, string> { [key] = value })));

        Assert.StartsWith($"LocalAws configuration {key} must be", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_api_port_needs_its_port()
    {
        var error = Assert.Throws<InvalidOperationException>(() => LocalAwsSettings.Read(Configuration(new Dictionary<string, string>
        {
            ["LocalAws:ApiPorts:0:Name"] = "serverless-http-api",
        })));

        Assert.Equal("LocalAws configuration LocalAws:ApiPorts:0:Port is required.", error.Message);
    }

    [Theory]
    [InlineData("RateLimit", "BurstLimit")]
    [InlineData("BurstLimit", "RateLimit")]
    public void Half_a_throttle_names_the_missing_half(string given, string missing)
    {
        var error = Assert.Throws<InvalidOperationException>(() => LocalAwsSettings.Read(Configuration(new Dictionary<string, string>
        {
            [$"LocalAws:HttpApis:0:Throttle:{given}"] = "5",
        })));

        Assert.Contains($"LocalAws:HttpApis:0:Throttle:{missing} is needed", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("LocalAws:Principals:0:SecretAccessKey", true)]
    [InlineData("LocalAws:Principals:2:ContainerCredentialsToken", true)]
    [InlineData("LocalAws:HostedFunctions:0:CredentialsToken", true)]
    [InlineData("LocalAws:HostedFunctions:0:Name", false)]
    [InlineData("LocalAws:Principals:0:AccessKeyId", false)]
    [InlineData("LocalAws:Functions:0:Environment:SecretAccessKeyName", false)]
    public void Secret_keys_are_told_apart(string key, bool secret) => Assert.Equal(secret, LocalAwsSettings.IsSecret(key));

    private static IConfiguration Configuration(IEnumerable<KeyValuePair<string, string>> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();
}

using Microsoft.Extensions.Configuration;
using Tap.LocalAws.Configuration;
using Tap.LocalAws.Iam;
using Tap.LocalAws.Lambda;
using Tap.LocalAws.Settings;

namespace Tap.LocalAws.Tests.Lambda;

/// <summary>LocalAws:Functions as the settings writer produces it, and what CreateFunction would refuse.</summary>
public sealed class FunctionConfigurationTests
{
    private static readonly IamDirectory Iam = new(
        PrincipalConfiguration.Load(LocalAwsSettings.Read(Configuration(TestPrincipals.Settings()))), TestPrincipals.AccountId, TimeProvider.System);

    private static IConfiguration Configuration(IEnumerable<KeyValuePair<string, string?>> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

    private static IReadOnlyList<LambdaFunction> Load(params LocalAwsFunctionSettings[] functions) => FunctionConfiguration.Load(
        LocalAwsSettings.Read(Configuration(new LocalAwsSettings { Functions = functions }.ToConfiguration().Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))),
        Iam, DateTimeOffset.UnixEpoch);

    [Fact]
    public void The_settings_writer_and_the_loader_agree_on_every_field_and_Lambdas_defaults_fill_the_rest()
    {
        var functions = Load(
            new LocalAwsFunctionSettings("api-handler", TestPrincipals.RoleArn)
            {
                Timeout = 30,
                MemorySize = 512,
                LogFormat = LocalAwsFunctionSettings.JsonLogFormat,
                Environment = new Dictionary<string, string> { ["SECRET_ID"] = "tap/api-config", ["MODE"] = "x" },
            },
            new LocalAwsFunctionSettings("defaults", TestPrincipals.RoleArn));

        var configured = functions[0];
        Assert.Equal("arn:aws:lambda:us-east-1:000000000000:function:api-handler", configured.Arn);
        Assert.Equal((30, 512, true), (configured.TimeoutSeconds, configured.MemorySizeMb, configured.JsonLogs));
        Assert.Equal("tap/api-config", configured.Environment["SECRET_ID"]);
        Assert.Equal("/aws/lambda/api-handler", configured.LogGroup);
        Assert.Equal((3, 128, false), (functions[1].TimeoutSeconds, functions[1].MemorySizeMb, functions[1].JsonLogs));
    }

    [Theory]
    [InlineData("bad name!", null, 3, 128, null, "Functions:0:Name")]
    [InlineData("f", "arn:aws:iam::000000000000:role/not-configured", 3, 128, null, "Functions:0:Role")]
    [InlineData("f", "arn:aws:iam::000000000000:user/admin", 3, 128, null, "Functions:0:Role")]
    [InlineData("f", null, 0, 128, null, "Functions:0:Timeout")]
    [InlineData("f", null, 901, 128, null, "Functions:0:Timeout")]
    [InlineData("f", null, 3, 127, null, "Functions:0:MemorySize")]
    [InlineData("f", null, 3, 10241, null, "Functions:0:MemorySize")]
    [InlineData("f", null, 3, 128, "Yaml", "Functions:0:LogFormat")]
    public void A_setting_CreateFunction_would_refuse_stops_the_start_naming_it(string name, string? role, int timeout, int memory, string? logFormat, string setting)
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            Load(new LocalAwsFunctionSettings(name, role ?? TestPrincipals.RoleArn) { Timeout = timeout, MemorySize = memory, LogFormat = logFormat }));
        Assert.Contains("LocalAws configuration LocalAws:" + setting, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_function_configured_twice_stops_the_start()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            Load(new LocalAwsFunctionSettings("twice", TestPrincipals.RoleArn), new LocalAwsFunctionSettings("twice", TestPrincipals.RoleArn)));
        Assert.Contains("Functions:1:Name", error.Message, StringComparison.Ordinal);
    }
}

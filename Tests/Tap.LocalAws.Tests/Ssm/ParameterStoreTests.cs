using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tap.Aws.Protocol;
using Tap.LocalAws.Ssm;
using Tap.LocalAws.Storage;

namespace Tap.LocalAws.Tests.Ssm;

/// <summary>
/// Parameter Store as its API documents it, called with raw signed JSON (so nothing a client library smooths over is
/// hidden): versions, selectors, SecureString, paths, paging, its errors and its IAM actions, and durability.
/// </summary>
public sealed class ParameterStoreTests : IDisposable
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("localaws-ssm-").FullName;
    private readonly LocalAwsFactory _factory;

    public ParameterStoreTests() => _factory = new LocalAwsFactory { DataDirectory = _dataDirectory };

    public void Dispose()
    {
        _factory.Dispose();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public async Task Each_overwrite_is_a_new_version_read_back_by_number_and_in_the_history()
    {
        Assert.Equal(1, (await OkAsync("PutParameter", """{"Name":"/tap/mode","Value":"blue","Type":"String","Description":"first"}""")).GetProperty("Version").GetInt32());
        var refused = await CallAsync("PutParameter", """{"Name":"/tap/mode","Value":"green","Type":"String"}""");
        Assert.Equal((HttpStatusCode.BadRequest, "ParameterAlreadyExists"), (refused.Status, refused.Type));
        Assert.Equal(2, (await OkAsync("PutParameter", """{"Name":"/tap/mode","Value":"green","Overwrite":true}""")).GetProperty("Version").GetInt32());

        var current = (await OkAsync("GetParameter", """{"Name":"/tap/mode"}""")).GetProperty("Parameter");
        Assert.Equal(("green", 2, "String"), (current.GetProperty("Value").GetString(), current.GetProperty("Version").GetInt32(), current.GetProperty("Type").GetString()));
        Assert.Equal("arn:aws:ssm:us-east-1:000000000000:parameter/tap/mode", current.GetProperty("ARN").GetString());
        var first = (await OkAsync("GetParameter", """{"Name":"/tap/mode:1"}""")).GetProperty("Parameter");
        Assert.Equal(("blue", ":1"), (first.GetProperty("Value").GetString(), first.GetProperty("Selector").GetString()));
        Assert.Equal("ParameterVersionNotFound", (await CallAsync("GetParameter", """{"Name":"/tap/mode:9"}""")).Type);
        Assert.Equal("ParameterNotFound", (await CallAsync("GetParameter", """{"Name":"/tap/none"}""")).Type);
        var byArn = (await OkAsync("GetParameter", """{"Name":"arn:aws:ssm:us-east-1:000000000000:parameter/tap/mode"}""")).GetProperty("Parameter");
        Assert.Equal("green", byArn.GetProperty("Value").GetString());

        var history = (await OkAsync("GetParameterHistory", """{"Name":"/tap/mode"}""")).GetProperty("Parameters").EnumerateArray().ToList();
        Assert.Equal(["blue", "green"], history.Select(h => h.GetProperty("Value").GetString()));
        Assert.All(history, h => Assert.Equal("first", h.GetProperty("Description").GetString()));
        Assert.All(history, h => Assert.Equal("arn:aws:iam::000000000000:user/admin", h.GetProperty("LastModifiedUser").GetString()));
    }

    [Fact]
    public async Task A_SecureString_is_opaque_without_decryption_and_its_value_reaches_no_log()
    {
        const string Value = "s3cr3t-ssm-9b1d";
        await OkAsync("PutParameter", $$"""{"Name":"/tap/token","Value":"{{Value}}","Type":"SecureString"}""");

        var sealedValue = (await OkAsync("GetParameter", """{"Name":"/tap/token"}""")).GetProperty("Parameter").GetProperty("Value").GetString()!;
        var plain = (await OkAsync("GetParameter", """{"Name":"/tap/token","WithDecryption":true}""")).GetProperty("Parameter").GetProperty("Value").GetString();
        var described = Assert.Single((await OkAsync("DescribeParameters", "{}")).GetProperty("Parameters").EnumerateArray());

        Assert.Equal(Value, plain);
        Assert.NotEqual(Value, sealedValue);
        Assert.DoesNotContain(Value, System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(sealedValue)), StringComparison.Ordinal);
        Assert.Equal("alias/aws/ssm", described.GetProperty("KeyId").GetString());
        var pattern = await CallAsync("PutParameter", $$"""{"Name":"/tap/token","Value":"{{Value}}-x","Overwrite":true,"AllowedPattern":"^[0-9]+$"}""");
        Assert.Equal("ParameterPatternMismatchException", pattern.Type);
        Assert.DoesNotContain(Value, pattern.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(_factory.Logs.GetSnapshot(), l => l.Message.Contains(Value, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Paths_list_one_level_or_all_below_page_by_page_and_DescribeParameters_filters()
    {
        foreach (var name in (string[])["/app/a", "/app/b", "/app/deep/c", "/other/d", "plain"])
        {
            await OkAsync("PutParameter", $$"""{"Name":"{{name}}","Value":"v","Type":"String"}""");
        }

        Assert.Equal(["/app/a", "/app/b"], Names(await OkAsync("GetParametersByPath", """{"Path":"/app"}""")));
        Assert.Equal(["/app/a", "/app/b", "/app/deep/c"], Names(await OkAsync("GetParametersByPath", """{"Path":"/app/","Recursive":true}""")));

        var page = await OkAsync("GetParametersByPath", """{"Path":"/","Recursive":true,"MaxResults":3}""");
        Assert.Equal(["/app/a", "/app/b", "/app/deep/c"], Names(page));
        var rest = await OkAsync("GetParametersByPath", $$"""{"Path":"/","Recursive":true,"MaxResults":3,"NextToken":"{{page.GetProperty("NextToken").GetString()}}"}""");
        Assert.Equal(["/other/d"], Names(rest));
        Assert.False(rest.TryGetProperty("NextToken", out _));
        Assert.Equal("InvalidNextToken", (await CallAsync("GetParametersByPath", """{"Path":"/","NextToken":"bm9wZQ=="}""")).Type);

        Assert.Equal(["/app/deep/c"], Names(await OkAsync("DescribeParameters", """{"ParameterFilters":[{"Key":"Name","Option":"Contains","Values":["deep"]}]}""")));
        Assert.Equal(["/app/a", "/app/b"], Names(await OkAsync("DescribeParameters", """{"ParameterFilters":[{"Key":"Path","Option":"OneLevel","Values":["/app"]}]}""")));
        Assert.Equal("InvalidFilterKey", (await CallAsync("DescribeParameters", """{"ParameterFilters":[{"Key":"Colour","Values":["x"]}]}""")).Type);

        var got = await OkAsync("GetParameters", """{"Names":["/app/a","plain","/missing"]}""");
        Assert.Equal(["/app/a", "plain"], Names(got));
        Assert.Equal(["/missing"], got.GetProperty("InvalidParameters").EnumerateArray().Select(e => e.GetString()));
        var deleted = await OkAsync("DeleteParameters", """{"Names":["/app/a","/missing"]}""");
        Assert.Equal(["/app/a"], deleted.GetProperty("DeletedParameters").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("ParameterNotFound", (await CallAsync("DeleteParameter", """{"Name":"/app/a"}""")).Type);
    }

    [Theory]
    [InlineData("""{"Name":"a/b","Value":"v","Type":"String"}""", "ValidationException")]
    [InlineData("""{"Name":"/aws/mine","Value":"v","Type":"String"}""", "ValidationException")]
    [InlineData("""{"Name":"SSM-thing","Value":"v","Type":"String"}""", "ValidationException")]
    [InlineData("""{"Name":"/a b","Value":"v","Type":"String"}""", "ValidationException")]
    [InlineData("""{"Name":"/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/16","Value":"v","Type":"String"}""", "HierarchyLevelLimitExceededException")]
    [InlineData("""{"Name":"/new","Value":"v"}""", "ValidationException")]
    [InlineData("""{"Name":"/new","Value":"v","Type":"Number"}""", "ValidationException")]
    [InlineData("""{"Name":"/new","Value":"","Type":"String"}""", "ValidationException")]
    [InlineData("""{"Name":"/new","Value":"v","Type":"String","KeyId":"alias/mine"}""", "ValidationException")]
    [InlineData("""{"Name":"/new","Value":"v","Type":"String","Overwrite":true,"Tags":[{"Key":"k","Value":"v"}]}""", "ValidationException")]
    [InlineData("""{"Name":"/new","Value":"v","Type":"String","AllowedPattern":"("}""", "ValidationException")]
    [InlineData("""{"Name":"/new","Value":5,"Type":"String"}""", "SerializationException")]
    [InlineData("""["not","an","object"]""", "SerializationException")]
    public async Task A_put_Parameter_Store_would_refuse_gets_its_error_and_stores_nothing(string body, string error)
    {
        var (status, type, _) = await CallAsync("PutParameter", body);

        Assert.Equal((HttpStatusCode.BadRequest, error), (status, type));
        Assert.Empty((await OkAsync("DescribeParameters", "{}")).GetProperty("Parameters").EnumerateArray());
    }

    [Fact]
    public async Task A_value_over_the_standard_tiers_4_KB_needs_the_advanced_tier()
    {
        var big = new string('x', 4097);
        Assert.Equal("ValidationException", (await CallAsync("PutParameter", $$"""{"Name":"/big","Value":"{{big}}","Type":"String"}""")).Type);
        Assert.Equal("Advanced", (await OkAsync("PutParameter", $$"""{"Name":"/big","Value":"{{big}}","Type":"String","Tier":"Advanced"}""")).GetProperty("Tier").GetString());
    }

    [Fact]
    public async Task Each_operation_demands_its_ssm_action_on_the_parameters_arn()
    {
        await OkAsync("PutParameter", """{"Name":"/tap/guarded","Value":"v","Type":"String"}""");

        foreach (var (operation, body, action) in (ValueTuple<string, string, string>[])
        [
            ("GetParameter", """{"Name":"/tap/guarded"}""", "ssm:GetParameter on resource: arn:aws:ssm:us-east-1:000000000000:parameter/tap/guarded"),
            ("PutParameter", """{"Name":"/tap/guarded","Value":"x","Overwrite":true}""", "ssm:PutParameter on resource: arn:aws:ssm:us-east-1:000000000000:parameter/tap/guarded"),
            ("GetParametersByPath", """{"Path":"/tap"}""", "ssm:GetParametersByPath on resource: arn:aws:ssm:us-east-1:000000000000:parameter/tap"),
            ("DescribeParameters", "{}", "ssm:DescribeParameters on resource: *"),
        ])
        {
            var (status, type, message) = await CallAsync(operation, body, TestPrincipals.Reader);
            Assert.Equal((HttpStatusCode.BadRequest, "AccessDeniedException"), (status, type));
            Assert.Contains($"is not authorized to perform: {action}", message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Parameters_survive_a_restart_and_a_failed_write_changes_nothing()
    {
        await OkAsync("PutParameter", """{"Name":"/kept","Value":"one","Type":"SecureString"}""");
        await OkAsync("PutParameter", """{"Name":"/kept","Value":"two","Overwrite":true}""");
        var store = _factory.Services.GetRequiredService<ParameterStore>();
        store.BeforeStep = step => throw new IOException($"disk full at {step}");
        var (status, type, _) = await CallAsync("PutParameter", """{"Name":"/kept","Value":"three","Overwrite":true}""");
        Assert.Equal((HttpStatusCode.InternalServerError, "InternalServerError"), (status, type));
        store.BeforeStep = null;
        _factory.Dispose();

        using var again = new LocalAwsFactory { DataDirectory = _dataDirectory };
        var (_, _, body) = await CallAsync("GetParameter", """{"Name":"/kept","WithDecryption":true}""", factory: again);
        using var json = JsonDocument.Parse(body);
        var parameter = json.RootElement.GetProperty("Parameter");
        Assert.Equal(("two", 2, "SecureString"), (parameter.GetProperty("Value").GetString(), parameter.GetProperty("Version").GetInt32(), parameter.GetProperty("Type").GetString()));
        Assert.Empty(Directory.GetFiles(Path.Combine(_dataDirectory, "ssm"), "*" + DurableFile.TemporaryExtension));
    }

    private static List<string?> Names(JsonElement result) =>
        [.. result.GetProperty("Parameters").EnumerateArray().Select(p => p.GetProperty("Name").GetString())];

    private Task<JsonElement> OkAsync(string operation, string body) => _factory.OkJsonAsync(AwsServiceMetadata.Ssm, operation, body);

    private Task<(HttpStatusCode Status, string? Type, string Body)> CallAsync(
        string operation, string body, Amazon.Runtime.ImmutableCredentials? caller = null, LocalAwsFactory? factory = null) =>
        (factory ?? _factory).CallJsonAsync(AwsServiceMetadata.Ssm, operation, body, caller);
}

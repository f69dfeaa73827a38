using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace Tap.LocalAws.Tests;

/// <summary>
/// Bad input gets AWS's error, in full, before anything changes; the same field is held to the same rules by every
/// operation that takes it; and values an earlier version stored are repaired at load instead of breaking calls.
/// </summary>
public sealed class InputValidationTests(LocalAwsFactory factory) : IClassFixture<LocalAwsFactory>
{
    private async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(string operation, string json)
    {
        var (status, body) = await factory.SendSecretsManagerJsonAsync(TestPrincipals.Admin, operation, json);
        using var document = JsonDocument.Parse(body);
        return (status, document.RootElement.Clone());
    }

    private async Task<string> CreateAsync()
    {
        var name = $"input/{Guid.NewGuid():N}";
        var (status, _) = await SendAsync("CreateSecret", $$"""{"Name":"{{name}}","SecretString":"x"}""");
        Assert.Equal(HttpStatusCode.OK, status);
        return name;
    }

    public static TheoryData<string, string> BadTags => new()
    {
        { "[null]", "Value null at 'tags.1.member' failed to satisfy constraint: Member must not be null" },
        { """[{"Value":"v"}]""", "Value null at 'tags.1.member.key' failed to satisfy constraint: Member must not be null" },
        { """[{"Key":""}]""", "Value '' at 'tags.1.member.key' failed to satisfy constraint: Member must have length between 1 and 128" },
        { $$"""[{"Key":"ok"},{"Key":"k","Value":"{{new string('v', 257)}}"}]""", "Value at 'tags.2.member.value' failed to satisfy constraint: Member must have length less than or equal to 256" },
        { """[{"Key":"semi;colon"}]""", "at 'tags.1.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern" },
    };

    [Theory]
    [MemberData(nameof(BadTags))]
    public async Task CreateSecret_and_TagResource_refuse_the_same_bad_tags_in_the_same_words(string tags, string expected)
    {
        var name = await CreateAsync();
        var newName = $"input/{Guid.NewGuid():N}";

        var create = await SendAsync("CreateSecret", $$"""{"Name":"{{newName}}","SecretString":"x","Tags":{{tags}}}""");
        var tag = await SendAsync("TagResource", $$"""{"SecretId":"{{name}}","Tags":{{tags}}}""");

        Assert.Equal(HttpStatusCode.BadRequest, create.Status);
        Assert.Equal("ValidationException", create.Body.GetProperty("__type").GetString());
        Assert.Contains(expected, create.Body.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(create.Body.GetProperty("message").GetString(), tag.Body.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync("DescribeSecret", $$"""{"SecretId":"{{newName}}"}""")).Status);
        Assert.False((await SendAsync("DescribeSecret", $$"""{"SecretId":"{{name}}"}""")).Body.TryGetProperty("Tags", out _));
    }

    [Theory]
    [InlineData("ListSecrets", """{"Filters":[null]}""", "Value null at 'filters.1.member'")]
    [InlineData("ListSecrets", """{"Filters":[{"Key":"name","Values":[null]}]}""", "Value null at 'filters.1.member.values.1.member'")]
    [InlineData("ListSecrets", """{"Filters":[{"Key":"name","Values":[]}]}""", "Value at 'filters.1.member.values' failed to satisfy constraint: Member must have length between 1 and 10")]
    [InlineData("ListSecrets", """{"SortOrder":"sideways"}""", "Member must satisfy enum value set: [asc, desc]")]
    [InlineData("BatchGetSecretValue", """{"SecretIdList":[null]}""", "Value null at 'secretIdList.1.member'")]
    [InlineData("PutSecretValue", """{"SecretId":"x","SecretString":"y","VersionStages":[null]}""", "Value null at 'versionStages.1.member'")]
    [InlineData("UntagResource", """{"SecretId":"x","TagKeys":[null]}""", "Value null at 'tagKeys.1.member'")]
    [InlineData("GetRandomPassword", """{"PasswordLength":9223372036854775807}""", "Value '9223372036854775807' at 'passwordLength' failed to satisfy constraint: Member must have value between 1 and 4096")]
    [InlineData("GetSecretValue", """{}""", "Value null at 'secretId' failed to satisfy constraint: Member must not be null")]
    [InlineData("GetSecretValue", """{"SecretId":"x","VersionId":"short"}""", "at 'versionId' failed to satisfy constraint: Member must have length between 32 and 64")]
    public async Task Null_elements_and_out_of_range_values_are_validation_errors(string operation, string json, string expected)
    {
        var (status, body) = await SendAsync(operation, json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("ValidationException", body.GetProperty("__type").GetString());
        Assert.Contains(expected, body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_violation_is_reported_at_once()
    {
        var (_, body) = await SendAsync("CreateSecret", """{"Description":"ok","ClientRequestToken":"short","Tags":[null]}""");

        Assert.StartsWith("3 validation errors detected: ", body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ListSecrets", "Filters")]
    [InlineData("TagResource", "Tags")]
    [InlineData("CreateSecret", "Name")]
    public async Task JSON_nested_past_64_levels_is_a_serialization_error_not_a_crash(string operation, string member)
    {
        var deep = string.Concat(Enumerable.Repeat("[", 100)) + string.Concat(Enumerable.Repeat("]", 100));

        var (status, body) = await SendAsync(operation, $$"""{"{{member}}":{{deep}}}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("SerializationException", body.GetProperty("__type").GetString());
    }

    [Theory]
    [InlineData("MaxResults", "1e400")]
    [InlineData("MaxResults", "\"ten\"")]
    [InlineData("Filters", "{\"Key\":\"name\"}")]
    public async Task Values_of_the_wrong_type_or_beyond_their_type_are_serialization_errors(string member, string value)
    {
        var (status, body) = await SendAsync("ListSecrets", $$"""{"{{member}}":{{value}}}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("SerializationException", body.GetProperty("__type").GetString());
    }

    [Theory]
    [InlineData("""{"Version":1,"Statement":[]}""")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Sid":5,"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}""")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":1},"Action":"*","Resource":"*"}]}""")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":[null]},"Action":"*","Resource":"*"}]}""")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":[1],"Resource":"*"}]}""")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"StringEquals":{"k":[null]}}}]}""")]
    public async Task Wrongly_typed_fields_in_a_resource_policy_are_a_malformed_policy_not_a_crash(string policy)
    {
        var name = await CreateAsync();

        var (status, body) = await SendAsync("PutResourcePolicy", JsonSerializer.Serialize(new { SecretId = name, ResourcePolicy = policy }));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("MalformedPolicyDocumentException", body.GetProperty("__type").GetString());
    }

    [Theory]
    [InlineData("ListSecrets", "{}")]
    [InlineData("ListSecretVersionIds", """{"SecretId":"SECRET"}""")]
    [InlineData("BatchGetSecretValue", """{"Filters":[{"Key":"name","Values":["input/"]}]}""")]
    public async Task A_page_token_beyond_the_end_is_invalid_not_an_overflow(string operation, string json)
    {
        var name = await CreateAsync();
        var token = Convert.ToBase64String(Encoding.UTF8.GetBytes($"offset:{int.MaxValue}"));
        var request = JsonNode.Parse(json.Replace("SECRET", name, StringComparison.Ordinal))!.AsObject();
        request["NextToken"] = token;

        var (status, body) = await SendAsync(operation, request.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("InvalidNextTokenException", body.GetProperty("__type").GetString());
    }

    [Fact]
    public async Task Nothing_sent_is_quoted_back_when_it_could_be_a_secret()
    {
        var value = "s3cr3t-" + Guid.NewGuid().ToString("N");

        var (_, body) = await SendAsync("CreateSecret", $$"""{"Name":"bad name!","SecretString":"{{value}}{{new string('x', 70000)}}"}""");

        Assert.DoesNotContain(value, body.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(factory.Logs.GetSnapshot(), r => r.Message.Contains(value, StringComparison.Ordinal));
        Assert.DoesNotContain(factory.Logs.GetSnapshot(), r => r.Level >= LogLevel.Error);
    }
}

using System.Net;
using System.Text.Json;
using Tap.Aws.Protocol;

namespace Tap.LocalAws.Tests.Kms;

/// <summary>
/// KMS's key and alias operations, called with raw signed JSON: a key named four ways, its key policy deciding who
/// may use it (as in KMS, IAM alone is not enough), scheduled deletion, aliases, and KMS's errors.
/// </summary>
public sealed class KmsApiTests(LocalAwsFactory factory) : IClassFixture<LocalAwsFactory>
{
    [Fact]
    public async Task A_key_is_found_by_id_ARN_alias_and_alias_ARN()
    {
        var (id, arn) = await CreateKeyAsync("""{"Description":"assets"}""");
        var alias = "alias/test-" + Guid.NewGuid().ToString("N")[..8];
        await OkAsync("CreateAlias", $$"""{"AliasName":"{{alias}}","TargetKeyId":"{{id}}"}""");

        foreach (var reference in (string[])[id, arn, alias, $"arn:aws:kms:us-east-1:000000000000:{alias}"])
        {
            var metadata = (await OkAsync("DescribeKey", $$"""{"KeyId":"{{reference}}"}""")).GetProperty("KeyMetadata");
            Assert.Equal((id, arn, "assets", "Enabled", "SYMMETRIC_DEFAULT"), (metadata.GetProperty("KeyId").GetString(), metadata.GetProperty("Arn").GetString(),
                metadata.GetProperty("Description").GetString(), metadata.GetProperty("KeyState").GetString(), metadata.GetProperty("KeySpec").GetString()));
        }

        var aliases = (await OkAsync("ListAliases", $$"""{"KeyId":"{{id}}"}""")).GetProperty("Aliases").EnumerateArray().Select(a => a.GetProperty("AliasName").GetString());
        Assert.Equal([alias], aliases);
        Assert.Contains("kms:*", (await OkAsync("GetKeyPolicy", $$"""{"KeyId":"{{id}}","PolicyName":"default"}""")).GetProperty("Policy").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_policy_that_does_not_name_the_account_locks_out_even_an_administrator_who_bypasses_the_safety_check()
    {
        const string OnlyReader = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:user/reader"},"Action":"kms:DescribeKey","Resource":"*"}]}""";
        var lockout = await factory.CallJsonAsync(AwsServiceMetadata.Kms, "CreateKey", $$"""{"Policy":{{JsonSerializer.Serialize(OnlyReader)}}}""");
        Assert.Equal(("MalformedPolicyDocumentException", "The new key policy will not allow you to update the key policy in the future."), (lockout.Type, lockout.Body));
        var (id, _) = await CreateKeyAsync($$"""{"Policy":{{JsonSerializer.Serialize(OnlyReader)}},"BypassPolicyLockoutSafetyCheck":true}""");

        var admin = await factory.CallJsonAsync(AwsServiceMetadata.Kms, "DescribeKey", $$"""{"KeyId":"{{id}}"}""");
        var reader = await factory.CallJsonAsync(AwsServiceMetadata.Kms, "DescribeKey", $$"""{"KeyId":"{{id}}"}""", TestPrincipals.Reader);
        var readerWrites = await factory.CallJsonAsync(AwsServiceMetadata.Kms, "DisableKey", $$"""{"KeyId":"{{id}}"}""", TestPrincipals.Reader);

        Assert.Equal((HttpStatusCode.BadRequest, "AccessDeniedException"), (admin.Status, admin.Type));
        Assert.Equal(HttpStatusCode.OK, reader.Status);
        Assert.Equal("AccessDeniedException", readerWrites.Type);
    }

    [Fact]
    public async Task A_key_scheduled_for_deletion_refuses_changes_until_the_deletion_is_cancelled()
    {
        var (id, arn) = await CreateKeyAsync("{}");
        Assert.Equal("ValidationException", (await factory.CallJsonAsync(AwsServiceMetadata.Kms, "ScheduleKeyDeletion", $$"""{"KeyId":"{{id}}","PendingWindowInDays":6}""")).Type);

        var scheduled = await OkAsync("ScheduleKeyDeletion", $$"""{"KeyId":"{{id}}","PendingWindowInDays":7}""");
        Assert.Equal((arn, "PendingDeletion", 7), (scheduled.GetProperty("KeyId").GetString(), scheduled.GetProperty("KeyState").GetString(), scheduled.GetProperty("PendingWindowInDays").GetInt32()));
        var refused = await factory.CallJsonAsync(AwsServiceMetadata.Kms, "EnableKeyRotation", $$"""{"KeyId":"{{id}}"}""");
        Assert.Equal(("KMSInvalidStateException", $"{arn} is pending deletion."), (refused.Type, refused.Body));
        Assert.Equal("KMSInvalidStateException", (await factory.CallJsonAsync(AwsServiceMetadata.Kms, "CreateAlias", $$"""{"AliasName":"alias/late-{{id[..8]}}","TargetKeyId":"{{id}}"}""")).Type);

        await OkAsync("CancelKeyDeletion", $$"""{"KeyId":"{{id}}"}""");
        Assert.Equal("Disabled", (await OkAsync("DescribeKey", $$"""{"KeyId":"{{id}}"}""")).GetProperty("KeyMetadata").GetProperty("KeyState").GetString());
        await OkAsync("EnableKeyRotation", $$"""{"KeyId":"{{id}}"}""");
        Assert.True((await OkAsync("GetKeyRotationStatus", $$"""{"KeyId":"{{id}}"}""")).GetProperty("KeyRotationEnabled").GetBoolean());
    }

    [Theory]
    [InlineData("CreateAlias", """{"AliasName":"alias/aws/s3","TargetKeyId":"{id}"}""", "NotAuthorizedException")]
    [InlineData("CreateAlias", """{"AliasName":"no-prefix","TargetKeyId":"{id}"}""", "ValidationException")]
    [InlineData("CreateAlias", """{"AliasName":"alias/x-{id}","TargetKeyId":"alias/other"}""", "ValidationException")]
    [InlineData("CreateAlias", """{"AliasName":"alias/x-{id}","TargetKeyId":"00000000-0000-0000-0000-000000000000"}""", "NotFoundException")]
    [InlineData("DeleteAlias", """{"AliasName":"alias/none-{id}"}""", "NotFoundException")]
    [InlineData("DescribeKey", """{"KeyId":"alias/none-{id}"}""", "NotFoundException")]
    [InlineData("CreateKey", """{"KeySpec":"RSA_9999"}""", "ValidationException")]
    [InlineData("CreateKey", """{"KeySpec":"SYMMETRIC_DEFAULT","KeyUsage":"SIGN_VERIFY"}""", "ValidationException")]
    [InlineData("CreateKey", """{"Policy":"{not json"}""", "MalformedPolicyDocumentException")]
    [InlineData("PutKeyPolicy", """{"KeyId":"{id}","PolicyName":"default","Policy":"{\"Statement\":5}"}""", "MalformedPolicyDocumentException")]
    public async Task Bad_requests_get_KMSs_errors(string operation, string body, string error)
    {
        var (id, _) = await CreateKeyAsync("{}");

        var (status, type, _) = await factory.CallJsonAsync(AwsServiceMetadata.Kms, operation, body.Replace("{id}", id, StringComparison.Ordinal));

        Assert.Equal((HttpStatusCode.BadRequest, error), (status, type));
    }

    private async Task<(string Id, string Arn)> CreateKeyAsync(string body)
    {
        var metadata = (await OkAsync("CreateKey", body)).GetProperty("KeyMetadata");
        return (metadata.GetProperty("KeyId").GetString()!, metadata.GetProperty("Arn").GetString()!);
    }

    private Task<JsonElement> OkAsync(string operation, string body) => factory.OkJsonAsync(AwsServiceMetadata.Kms, operation, body);
}

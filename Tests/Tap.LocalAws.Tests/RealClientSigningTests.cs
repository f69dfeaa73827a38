using System.Text.Json;

using Tap.Testing;

namespace Tap.LocalAws.Tests;

/// <summary>
/// Every real client still passes now that LocalAws refuses unsigned <c>x-amz-*</c> headers: the AWS CLI v1 and v2,
/// boto3 and <c>curl --aws-sigv4</c>, with long-term keys and with session credentials (a signed token header).
/// </summary>
[Trait("Category", "Process")]
[Collection(LocalAwsProcessCollectionDefinition.Name)]
public sealed class RealClientSigningTests(LocalAwsProcessFixture localAws)
{
    private const string Boto3Missing = "Missing tool: python3 with boto3 is not installed; install boto3 to run this test.";

    [Theory]
    [InlineData("aws")]
    [InlineData("/usr/bin/aws")]
    public async Task Each_AWS_CLI_signs_what_LocalAws_requires(string program)
    {
        Assert.SkipUnless(ExternalProcess.Exists(program), $"Missing tool: the AWS CLI at {program}; install it (Debian: apt-get install awscli gives v2 at /usr/bin/aws) to run this test.");
        var name = $"clients/{Guid.NewGuid():N}";

        var created = await AwsCli.RunProgramAsync(program, localAws.Endpoint, TestPrincipals.Admin, null, "secretsmanager", "create-secret", "--name", name, "--secret-string", "v");
        var read = await AwsCli.RunProgramAsync(program, localAws.Endpoint, TestPrincipals.Admin, null, "secretsmanager", "get-secret-value", "--secret-id", name);
        var assumed = await AwsCli.RunProgramAsync(program, localAws.Endpoint, TestPrincipals.Admin, null,
            "sts", "assume-role", "--role-arn", TestPrincipals.InvokerRoleArn, "--role-session-name", "cli", "--external-id", TestPrincipals.InvokerExternalId);
        Assert.True(assumed.ExitCode == 0, assumed.Error);
        var credentials = JsonDocument.Parse(assumed.Output).RootElement.GetProperty("Credentials");
        var session = new Amazon.Runtime.ImmutableCredentials(
            credentials.GetProperty("AccessKeyId").GetString(), credentials.GetProperty("SecretAccessKey").GetString(), credentials.GetProperty("SessionToken").GetString());
        var whoAmI = await AwsCli.RunProgramAsync(program, localAws.Endpoint, session, null, "sts", "get-caller-identity");

        Assert.True(created.ExitCode == 0, created.Error);
        Assert.True(read.ExitCode == 0, read.Error);
        Assert.True(whoAmI.ExitCode == 0, whoAmI.Error);
        Assert.Equal("arn:aws:sts::000000000000:assumed-role/api-invoker-role/cli", JsonDocument.Parse(whoAmI.Output).RootElement.GetProperty("Arn").GetString());
    }

    [Fact]
    public async Task Curl_signs_the_operation_selector_it_is_given()
    {
        var result = await ExternalProcess.RunAsync("curl",
        [
            "-sS", "--aws-sigv4", "aws:amz:us-east-1:secretsmanager", "--user", $"{TestPrincipals.Admin.AccessKey}:{TestPrincipals.Admin.SecretKey}",
            "-H", "X-Amz-Target: secretsmanager.ListSecrets", "-H", "Content-Type: application/x-amz-json-1.1", "--data", "{}",
            "-w", "\n%{http_code}", localAws.Endpoint.ToString(),
        ]);

        Assert.True(result.Output.EndsWith("\n200", StringComparison.Ordinal), result.Output + result.Error);
        Assert.Contains("\"SecretList\"", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Boto3_signs_with_keys_and_with_session_credentials()
    {
        var check = await ExternalProcess.RunAsync("python3", ["-c", "import boto3"]);
        Assert.SkipWhen(check.ExitCode != 0, Boto3Missing);
        const string Script = """
            import boto3, sys
            endpoint, key, secret, role, external_id = sys.argv[1:6]
            session = boto3.session.Session(aws_access_key_id=key, aws_secret_access_key=secret, region_name="us-east-1")
            session.client("secretsmanager", endpoint_url=endpoint).list_secrets()
            c = session.client("sts", endpoint_url=endpoint).assume_role(RoleArn=role, RoleSessionName="boto3", ExternalId=external_id)["Credentials"]
            assumed = boto3.session.Session(aws_access_key_id=c["AccessKeyId"], aws_secret_access_key=c["SecretAccessKey"],
                                            aws_session_token=c["SessionToken"], region_name="us-east-1")
            print(assumed.client("sts", endpoint_url=endpoint).get_caller_identity()["Arn"])
            """;

        var result = await ExternalProcess.RunAsync("python3",
            ["-c", Script, localAws.Endpoint.ToString(), TestPrincipals.Admin.AccessKey, TestPrincipals.Admin.SecretKey, TestPrincipals.InvokerRoleArn, TestPrincipals.InvokerExternalId]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal("arn:aws:sts::000000000000:assumed-role/api-invoker-role/boto3", result.Output.Trim());
    }
}

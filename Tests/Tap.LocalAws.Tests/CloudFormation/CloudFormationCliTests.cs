using System.Text.Json;
using Tap.Testing;

namespace Tap.LocalAws.Tests.CloudFormation;

/// <summary>CloudFormation through the AWS CLI v1 and v2 against a LocalAws process: validate-template from a file and from S3, and its error.</summary>
[Trait("Category", "Process")]
[Collection(LocalAwsProcessCollectionDefinition.Name)]
public sealed class CloudFormationCliTests(LocalAwsProcessFixture localAws)
{
    public static TheoryData<string> Clis => new("aws", "/usr/bin/aws");

    [Theory]
    [MemberData(nameof(Clis))]
    public async Task The_AWS_CLI_validates_a_template_from_a_file_and_from_S3(string cli)
    {
        Assert.SkipUnless(ExternalProcess.Exists(cli), $"Missing tool: the AWS CLI at {cli}; install it (Debian: apt-get install awscli gives v2 at /usr/bin/aws) to run this test.");
        var directory = Directory.CreateTempSubdirectory("cfn-cli-").FullName;
        try
        {
            var file = Path.Combine(directory, "template.yaml");
            await File.WriteAllTextAsync(file, """
                Description: Validated by the CLI
                Parameters:
                  Name: {Type: String, Default: tap}
                Resources:
                  Param: {Type: 'AWS::SSM::Parameter', Properties: {Type: String, Value: !Ref Name}}
                """, TestContext.Current.CancellationToken);

            var local = await SucceedsAsync(cli, "cloudformation", "validate-template", "--template-body", "file://" + file);
            using (var validated = JsonDocument.Parse(local))
            {
                Assert.Equal("Validated by the CLI", validated.RootElement.GetProperty("Description").GetString());
                Assert.Equal("tap", validated.RootElement.GetProperty("Parameters")[0].GetProperty("DefaultValue").GetString());
            }

            var bucket = S3.S3Http.NewBucket();
            await SucceedsAsync(cli, "s3", "mb", $"s3://{bucket}");
            await SucceedsAsync(cli, "s3", "cp", file, $"s3://{bucket}/template.yaml");
            var fromS3 = await SucceedsAsync(cli, "cloudformation", "validate-template", "--template-url", $"https://s3.us-east-1.amazonaws.com/{bucket}/template.yaml");
            Assert.Contains("Validated by the CLI", fromS3, StringComparison.Ordinal);

            await File.WriteAllTextAsync(file, "Resources: {}", TestContext.Current.CancellationToken);
            var invalid = await AwsCli.RunProgramAsync(cli, localAws.Endpoint, TestPrincipals.Admin, null, "cloudformation", "validate-template", "--template-body", "file://" + file);
            Assert.NotEqual(0, invalid.ExitCode);
            Assert.Contains("(ValidationError)", invalid.Error, StringComparison.Ordinal);
            Assert.Contains("At least one Resources member must be defined.", invalid.Error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private async Task<string> SucceedsAsync(string cli, params string[] arguments)
    {
        var result = await AwsCli.RunProgramAsync(cli, localAws.Endpoint, TestPrincipals.Admin, null, arguments);
        Assert.True(result.ExitCode == 0, $"aws {string.Join(' ', arguments)}: {result.Error}");
        return result.Output;
    }
}

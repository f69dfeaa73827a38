using System.Net;
using Tap.Aws.Protocol;

namespace Tap.LocalAws.Tests.Ecr;

/// <summary>
/// ECR's repository operations, called with raw signed JSON: what a repository reports, its policies, ECR's errors
/// and actions, and a repository kept across a restart.
/// </summary>
public sealed class EcrApiTests : IDisposable
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("localaws-ecr-").FullName;
    private readonly LocalAwsFactory _factory;

    public EcrApiTests() => _factory = new LocalAwsFactory { DataDirectory = _dataDirectory };

    public void Dispose()
    {
        _factory.Dispose();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public async Task A_repository_reports_its_settings_and_policies_and_survives_a_restart()
    {
        var created = (await OkAsync("CreateRepository", """{"repositoryName":"team/app","imageTagMutability":"IMMUTABLE","imageScanningConfiguration":{"scanOnPush":true},"tags":[{"Key":"k","Value":"v"}]}"""))
            .GetProperty("repository");
        Assert.Equal("arn:aws:ecr:us-east-1:000000000000:repository/team/app", created.GetProperty("repositoryArn").GetString());
        Assert.Equal("000000000000.dkr.ecr.us-east-1.amazonaws.com/team/app", created.GetProperty("repositoryUri").GetString());
        Assert.Equal(("IMMUTABLE", true, "AES256"), (created.GetProperty("imageTagMutability").GetString(),
            created.GetProperty("imageScanningConfiguration").GetProperty("scanOnPush").GetBoolean(), created.GetProperty("encryptionConfiguration").GetProperty("encryptionType").GetString()));

        const string Policy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":["ecr:BatchGetImage"]}]}""";
        const string Lifecycle = """{"rules":[{"rulePriority":1,"description":"expire old untagged images","selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":365},"action":{"type":"expire"}}]}""";
        await OkAsync("SetRepositoryPolicy", $$"""{"repositoryName":"team/app","policyText":{{System.Text.Json.JsonSerializer.Serialize(Policy)}}}""");
        await OkAsync("PutLifecyclePolicy", $$"""{"repositoryName":"team/app","lifecyclePolicyText":{{System.Text.Json.JsonSerializer.Serialize(Lifecycle)}}}""");

        using var restarted = new LocalAwsFactory { DataDirectory = _dataDirectory };
        _factory.Dispose();
        Assert.Equal(Policy, (await restarted.OkJsonAsync(AwsServiceMetadata.Ecr, "GetRepositoryPolicy", """{"repositoryName":"team/app"}""")).GetProperty("policyText").GetString());
        Assert.Equal(Lifecycle, (await restarted.OkJsonAsync(AwsServiceMetadata.Ecr, "GetLifecyclePolicy", """{"repositoryName":"team/app"}""")).GetProperty("lifecyclePolicyText").GetString());
        var listed = Assert.Single((await restarted.OkJsonAsync(AwsServiceMetadata.Ecr, "DescribeRepositories", "{}")).GetProperty("repositories").EnumerateArray());
        Assert.Equal("team/app", listed.GetProperty("repositoryName").GetString());

        await restarted.OkJsonAsync(AwsServiceMetadata.Ecr, "DeleteRepository", """{"repositoryName":"team/app"}""");
        Assert.Equal("RepositoryNotFoundException", (await restarted.CallJsonAsync(AwsServiceMetadata.Ecr, "DescribeRepositories", """{"repositoryNames":["team/app"]}""")).Type);
    }

    [Theory]
    [InlineData("CreateRepository", """{"repositoryName":"Upper"}""", "ValidationException")]
    [InlineData("CreateRepository", """{"repositoryName":"a"}""", "ValidationException")]
    [InlineData("CreateRepository", """{"repositoryName":"ok-name","imageTagMutability":"SOMETIMES"}""", "ValidationException")]
    [InlineData("CreateRepository", """{"repositoryName":"ok-name","registryId":"111122223333"}""", "InvalidParameterException")]
    [InlineData("CreateRepository", """{"repositoryName":"ok-name","encryptionConfiguration":{"encryptionType":"AES256","kmsKey":"k"}}""", "InvalidParameterException")]
    [InlineData("SetRepositoryPolicy", """{"repositoryName":"taken","policyText":"{not json"}""", "InvalidParameterException")]
    [InlineData("PutLifecyclePolicy", """{"repositoryName":"taken","lifecyclePolicyText":"{\"rules\":[{\"rulePriority\":1,\"selection\":{\"tagStatus\":\"any\"},\"action\":{\"type\":\"archive\"}}],\"padding\":\"..................................\"}"}""", "InvalidParameterException")]
    [InlineData("GetRepositoryPolicy", """{"repositoryName":"taken"}""", "RepositoryPolicyNotFoundException")]
    [InlineData("GetLifecyclePolicy", """{"repositoryName":"taken"}""", "LifecyclePolicyNotFoundException")]
    [InlineData("DeleteRepository", """{"repositoryName":"missing"}""", "RepositoryNotFoundException")]
    [InlineData("CreateRepository", """{"repositoryName":"taken"}""", "RepositoryAlreadyExistsException")]
    public async Task Bad_requests_get_ECRs_errors_and_change_nothing(string operation, string body, string error)
    {
        await OkAsync("CreateRepository", """{"repositoryName":"taken"}""");

        var (status, type, _) = await _factory.CallJsonAsync(AwsServiceMetadata.Ecr, operation, body);

        Assert.Equal((HttpStatusCode.BadRequest, error), (status, type));
        var names = (await OkAsync("DescribeRepositories", "{}")).GetProperty("repositories").EnumerateArray().Select(r => r.GetProperty("repositoryName").GetString());
        Assert.Equal(["taken"], names);
    }

    [Fact]
    public async Task A_caller_without_ecr_permissions_is_denied_and_learns_nothing()
    {
        await OkAsync("CreateRepository", """{"repositoryName":"private"}""");

        var (status, type, message) = await _factory.CallJsonAsync(AwsServiceMetadata.Ecr, "DescribeRepositories", """{"repositoryNames":["private"]}""", TestPrincipals.Reader);
        var (_, missingType, _) = await _factory.CallJsonAsync(AwsServiceMetadata.Ecr, "DescribeRepositories", """{"repositoryNames":["absent"]}""", TestPrincipals.Reader);

        Assert.Equal((HttpStatusCode.BadRequest, "AccessDeniedException"), (status, type));
        Assert.Contains("ecr:DescribeRepositories", message, StringComparison.Ordinal);
        Assert.Equal("AccessDeniedException", missingType);
    }

    private Task<System.Text.Json.JsonElement> OkAsync(string operation, string body) => _factory.OkJsonAsync(AwsServiceMetadata.Ecr, operation, body);
}

using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Tap.LocalAws.Services;
using Tap.LocalAws.Settings;

namespace Tap.LocalAws.Tests;

/// <summary>
/// The services LocalAws serves, as they declare themselves: each operation's declared IAM action is the one its
/// authorization demands, so it is the one a caller without it is denied.
/// </summary>
public sealed class ServiceRegistryTests : IClassFixture<ServiceRegistryTests.Host>
{
    private readonly Host _host;

    public ServiceRegistryTests(Host host) => _host = host;

    public sealed class Host : IDisposable
    {
        public LocalAwsFactory Factory { get; } = new()
        {
            Settings = new LocalAwsSettings { Functions = [new LocalAwsFunctionSettings("declared", TestPrincipals.RoleArn)] }
                .ToConfiguration().ToDictionary(s => s.Key, s => (string?)s.Value),
        };

        public void Dispose() => Factory.Dispose();
    }

    public static TheoryData<string> SecretsManagerOperations()
    {
        using var factory = new LocalAwsFactory();
        return new(Declared(factory.Services, "secretsmanager").Select(o => o.Name));
    }

    [Fact]
    public void Each_service_has_its_own_signing_name_and_declares_each_operation_once_with_actions_of_its_own()
    {
        var services = _host.Factory.Services.GetServices<IAwsServiceApi>().ToList();
        Assert.Equal(["s3", "secretsmanager", "cloudformation", "iam", "sns", "monitoring", "sts", "lambda", "apigateway", "ssm", "logs", "ecr", "kms", "localaws"], services.Select(s => s.Metadata.SigningName));
        foreach (var service in services)
        {
            Assert.Equal(service.Operations.Count, service.Operations.Select(o => o.Name).Distinct().Count());
            Assert.All(service.Operations.Where(o => o.IamAction is not null), o => Assert.StartsWith(service.Metadata.ActionPrefix + ":", o.IamAction, StringComparison.Ordinal));
        }
    }

    [Theory]
    [MemberData(nameof(SecretsManagerOperations))]
    public async Task A_Secrets_Manager_caller_without_the_declared_action_is_denied_naming_it(string operation)
    {
        var declared = Declared(_host.Factory.Services, "secretsmanager").Single(o => o.Name == operation);

        // Creator may only create and describe; Reader may only read the config secret.
        var caller = operation is "CreateSecret" or "DescribeSecret" ? TestPrincipals.Reader : TestPrincipals.Creator;
        var (status, body) = await _host.Factory.SendSecretsManagerJsonAsync(caller, operation, MinimalRequest(operation));

        Assert.True(status == HttpStatusCode.BadRequest && body.Contains("AccessDeniedException", StringComparison.Ordinal), $"{status}: {body}");
        Assert.Contains($"is not authorized to perform: {declared.IamAction}", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("POST", "/2015-03-31/functions/declared/invocations", "Invoke")]
    [InlineData("GET", "/2015-03-31/functions/declared", "GetFunction")]
    [InlineData("GET", "/2015-03-31/functions/declared/configuration", "GetFunctionConfiguration")]
    [InlineData("GET", "/2015-03-31/functions/", "ListFunctions")]
    public async Task A_Lambda_caller_without_the_declared_action_is_denied_naming_it(string method, string path, string operation)
    {
        var declared = Declared(_host.Factory.Services, "lambda").Single(o => o.Name == operation);
        using var client = _host.Factory.SignedClient(TestPrincipals.Reader, "lambda");
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = new StringContent("{}");
        }

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains($"is not authorized to perform: {declared.IamAction}", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "", "ListBuckets")]
    [InlineData("PUT", "-new", "CreateBucket")]
    [InlineData("DELETE", "", "DeleteBucket")]
    [InlineData("GET", "?location", "GetBucketLocation")]
    [InlineData("GET", "?list-type=2", "ListObjectsV2")]
    [InlineData("GET", "?versions", "ListObjectVersions")]
    [InlineData("GET", "?policy", "GetBucketPolicy")]
    [InlineData("DELETE", "?policy", "DeleteBucketPolicy")]
    [InlineData("GET", "?versioning", "GetBucketVersioning")]
    [InlineData("GET", "?encryption", "GetBucketEncryption")]
    [InlineData("GET", "?publicAccessBlock", "GetPublicAccessBlock")]
    [InlineData("DELETE", "?publicAccessBlock", "DeletePublicAccessBlock")]
    [InlineData("GET", "?tagging", "GetBucketTagging")]
    [InlineData("PUT", "/key", "PutObject")]
    [InlineData("GET", "/key", "GetObject")]
    [InlineData("DELETE", "/key", "DeleteObject")]
    [InlineData("POST", "/key?uploads", "CreateMultipartUpload")]
    [InlineData("DELETE", "/key?uploadId=u", "AbortMultipartUpload")]
    [InlineData("GET", "/key?uploadId=u", "ListParts")]
    public async Task An_S3_caller_without_the_declared_action_is_denied_naming_it(string method, string suffix, string operation)
    {
        var declared = Declared(_host.Factory.Services, "s3").Single(o => o.Name == operation);
        using var admin = S3.S3Http.For(_host.Factory, TestPrincipals.Admin);
        var bucket = await admin.CreateBucketAsync();
        using var reader = S3.S3Http.For(_host.Factory, TestPrincipals.Reader);
        var path = operation == "ListBuckets" ? "/" : $"/{bucket}{suffix}";
        var response = await reader.SendAsync(new HttpMethod(method), path, method is "PUT" or "POST" ? [] : null);
        Assert.Equal((HttpStatusCode.Forbidden, "AccessDenied"), (response.Status, response.ErrorCode));
        Assert.Contains($"is not authorized to perform: {declared.IamAction}", response.Text, StringComparison.Ordinal);
    }

    private static IReadOnlyList<AwsOperation> Declared(IServiceProvider services, string signingName) =>
        services.GetServices<IAwsServiceApi>().Single(s => s.Metadata.SigningName == signingName).Operations;

    /// <summary>The smallest request of each operation that passes its input validation.</summary>
    private static string MinimalRequest(string operation) => operation switch
    {
        "CreateSecret" => """{"Name":"registry/new"}""",
        "ListSecrets" or "GetRandomPassword" => "{}",
        "BatchGetSecretValue" => """{"SecretIdList":["registry/x"]}""",
        "ValidateResourcePolicy" => """{"ResourcePolicy":"{\"Version\":\"2012-10-17\",\"Statement\":[]}"}""",
        "PutResourcePolicy" => """{"SecretId":"registry/x","ResourcePolicy":"{\"Version\":\"2012-10-17\",\"Statement\":[]}"}""",
        "UpdateSecretVersionStage" => """{"SecretId":"registry/x","VersionStage":"AWSCURRENT"}""",
        "TagResource" => """{"SecretId":"registry/x","Tags":[{"Key":"k","Value":"v"}]}""",
        "UntagResource" => """{"SecretId":"registry/x","TagKeys":["k"]}""",
        "PutSecretValue" => """{"SecretId":"registry/x","SecretString":"v"}""",
        _ => """{"SecretId":"registry/x"}""",
    };
}

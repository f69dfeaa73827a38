using System.Text.Json;
using System.Text.Json.Nodes;
using Tap.Aws.Protocol;
using Tap.LocalAws.Iam;
using Tap.LocalAws.Services;

namespace Tap.LocalAws.Ecr;

/// <summary>
/// Amazon ECR (AWS JSON 1.1, <c>X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.{Operation}</c>): the repository
/// operations a deployment needs (the CDK's bootstrap stack makes one), each with the <c>ecr:</c> action it demands.
/// </summary>
internal sealed class EcrApi(EcrService service) : JsonServiceApi<EcrService>(service, AwsServiceMetadata.Ecr, Served)
{
    private const string RepositoryArn = "arn:aws:ecr:{region}:{account}:repository/{repositoryName}";

    private static readonly JsonOperationTable<EcrService> Served = new(
    [
        (new("CreateRepository", "ecr:CreateRepository", RepositoryArn), (s, r, a, w) => s.CreateRepository(r, a, w)),
        (new("DescribeRepositories", "ecr:DescribeRepositories", RepositoryArn), (s, r, a, w) => s.DescribeRepositories(r, a, w)),
        (new("DeleteRepository", "ecr:DeleteRepository", RepositoryArn), (s, r, a, w) => s.DeleteRepository(r, a, w)),
        (new("PutImageTagMutability", "ecr:PutImageTagMutability", RepositoryArn), (s, r, a, w) => s.PutImageTagMutability(r, a, w)),
        (new("SetRepositoryPolicy", "ecr:SetRepositoryPolicy", RepositoryArn), (s, r, a, w) => s.SetRepositoryPolicy(r, a, w)),
        (new("GetRepositoryPolicy", "ecr:GetRepositoryPolicy", RepositoryArn), (s, r, a, w) => s.GetRepositoryPolicy(r, a, w)),
        (new("DeleteRepositoryPolicy", "ecr:DeleteRepositoryPolicy", RepositoryArn), (s, r, a, w) => s.DeleteRepositoryPolicy(r, a, w)),
        (new("PutLifecyclePolicy", "ecr:PutLifecyclePolicy", RepositoryArn), (s, r, a, w) => s.PutLifecyclePolicy(r, a, w)),
        (new("GetLifecyclePolicy", "ecr:GetLifecyclePolicy", RepositoryArn), (s, r, a, w) => s.GetLifecyclePolicy(r, a, w)),
        (new("DeleteLifecyclePolicy", "ecr:DeleteLifecyclePolicy", RepositoryArn), (s, r, a, w) => s.DeleteLifecyclePolicy(r, a, w)),
    ]);

    /// <inheritdoc cref="JsonOperationTable{TService}.Invoke"/>
    public static JsonDocument Invoke(EcrService service, string operation, CallerIdentity caller, string region, JsonObject input) =>
        Served.Invoke(service, operation, caller, region, input);
}

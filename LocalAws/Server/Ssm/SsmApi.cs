using System.Text.Json;
using Tap.Aws.Protocol;
using Tap.LocalAws.Iam;
using Tap.LocalAws.Services;

namespace Tap.LocalAws.Ssm;

/// <summary>
/// AWS Systems Manager's Parameter Store (AWS JSON 1.1, <c>X-Amz-Target: AmazonSSM.{Operation}</c>): the operations
/// a deployment needs, each with the <c>ssm:</c> action it demands.
/// </summary>
internal sealed class SsmApi(ParameterStoreService service) : JsonServiceApi<ParameterStoreService>(service, AwsServiceMetadata.Ssm, Served)
{
    private const string ParameterArn = "arn:aws:ssm:{region}:{account}:parameter/{Name}";

    private static readonly JsonOperationTable<ParameterStoreService> Served = new(
    [
        (new("PutParameter", "ssm:PutParameter", ParameterArn), (s, r, a, w) => s.PutParameter(r, a, w)),
        (new("GetParameter", "ssm:GetParameter", ParameterArn), (s, r, a, w) => s.GetParameter(r, a, w)),
        (new("GetParameters", "ssm:GetParameters", ParameterArn), (s, r, a, w) => s.GetParameters(r, a, w)),
        (new("GetParametersByPath", "ssm:GetParametersByPath", "arn:aws:ssm:{region}:{account}:parameter/{Path}"), (s, r, a, w) => s.GetParametersByPath(r, a, w)),
        (new("DeleteParameter", "ssm:DeleteParameter", ParameterArn), (s, r, a, w) => s.DeleteParameter(r, a, w)),
        (new("DeleteParameters", "ssm:DeleteParameters", ParameterArn), (s, r, a, w) => s.DeleteParameters(r, a, w)),
        (new("DescribeParameters", "ssm:DescribeParameters", "*"), (s, r, a, w) => s.DescribeParameters(r, a, w)),
        (new("GetParameterHistory", "ssm:GetParameterHistory", ParameterArn), (s, r, a, w) => s.GetParameterHistory(r, a, w)),
    ]);

    /// <inheritdoc cref="JsonOperationTable{TService}.Invoke"/>
    public static JsonDocument Invoke(ParameterStoreService service, string operation, CallerIdentity caller, string region, System.Text.Json.Nodes.JsonObject input) =>
        Served.Invoke(service, operation, caller, region, input);
}

using Tap.Aws.Errors;
using Tap.LocalAws.ApiGateway.Deployment;
using Tap.LocalAws.CloudFormation.Engine;
using Tap.LocalAws.CloudFormation.Templates;
using Tap.LocalAws.Protocols;

namespace Tap.LocalAws.CloudFormation.Providers;

/// <summary>What the <c>AWS::ApiGatewayV2::*</c> providers share: the API a resource belongs to, the stack's principal, the errors.</summary>
internal static class HttpApiResources
{
    /// <summary>The <c>ApiId</c> a child resource (integration, route, stage) names.</summary>
    public static string ApiId(ResourceRequest request) => Intrinsics.Text(request.Properties["ApiId"])!;

    public static AwsServiceException BadRequest(string message) => new(new AwsError(400, "BadRequestException", message));

    /// <summary>Removes a child of its API (at <paramref name="path"/>); when the API is gone, the child went with it.</summary>
    public static async Task RemoveAsync(HttpApiService apis, ResourceRequest request, string path, Func<HttpApiRecord, HttpApiRecord> remove, CancellationToken cancellationToken)
    {
        try
        {
            await apis.ChangeAsync(ApiId(request), path, apis.ActingFor("DELETE", request.Principal), remove, cancellationToken);
        }
        catch (AwsServiceException ex) when (ex.Error.Code == "NotFoundException")
        {
            // Deleting it succeeds, as CloudFormation's handlers treat a resource already gone.
        }
    }
}

using System.Text;
using System.Text.Json.Nodes;
using Tap.LocalAws.CloudFormation.Engine;
using Tap.LocalAws.CloudFormation.Templates;
using Tap.LocalAws.Protocols;
using Tap.LocalAws.S3;

namespace Tap.LocalAws.CloudFormation.Providers;

/// <summary>
/// <c>AWS::S3::BucketPolicy</c>: the bucket's policy, put through S3's PutBucketPolicy as the stack's principal (so
/// S3's checks apply: the resources must be the bucket's, Block Public Access refuses a public policy). Its physical
/// id is the bucket's name; another <c>Bucket</c> replaces it.
/// </summary>
internal sealed class BucketPolicyProvider(S3Service s3) : IResourceProvider
{
    public string ResourceType => "AWS::S3::BucketPolicy";

    public ResourceSchema Schema { get; } = new(new Dictionary<string, PropertySchema>
    {
        ["Bucket"] = PropertySchema.Text() with { Required = true, CreateOnly = true },
        ["PolicyDocument"] = PropertySchema.Json() with { Required = true },
    });

    public IReadOnlyCollection<string> Attributes { get; } = [];

    public async Task<ProvisionedResource> CreateAsync(ResourceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var bucket = Intrinsics.Text(request.Properties["Bucket"])!;
        await PutAsync(request, bucket, cancellationToken);
        return new(bucket, new Dictionary<string, JsonNode?>());
    }

    public async Task<ProvisionedResource> UpdateAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(current);
        await PutAsync(request, current.PhysicalId, cancellationToken);
        return current;
    }

    public async Task DeleteAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(current);
        try
        {
            await s3.InvokeAsync(S3Operations.DeleteBucketPolicy, request.Principal, current.PhysicalId, [], cancellationToken);
        }
        catch (AwsServiceException ex) when (ex.Error.Code is "NoSuchBucket" or "NoSuchBucketPolicy")
        {
            // Already gone: deleting it succeeds, as CloudFormation's handlers treat it.
        }
    }

    private Task<(int Status, byte[] Body)> PutAsync(ResourceRequest request, string bucket, CancellationToken cancellationToken)
    {
        var document = request.Properties["PolicyDocument"]!;
        var json = document.GetValueKind() == System.Text.Json.JsonValueKind.String ? document.GetValue<string>() : document.ToJsonString();
        return s3.InvokeAsync(S3Operations.PutBucketPolicy, request.Principal, bucket, Encoding.UTF8.GetBytes(json), cancellationToken);
    }
}

using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Tap.LocalAws.CloudFormation.Engine;
using Tap.LocalAws.CloudFormation.Templates;
using Tap.LocalAws.Protocols;
using Tap.LocalAws.S3;
using Tap.LocalAws.Services;
using Tap.LocalAws.Settings;

namespace Tap.LocalAws.CloudFormation.Providers;

/// <summary>
/// <c>AWS::S3::Bucket</c>: a real LocalAws S3 bucket, made through S3's own operations as the stack's principal, with
/// its versioning, default encryption, public access block and tags. <c>Ref</c> is its name; <c>Fn::GetAtt</c> gives
/// <c>Arn</c>, <c>DomainName</c>, <c>RegionalDomainName</c>, <c>DualStackDomainName</c> and <c>WebsiteURL</c> in AWS's
/// forms. <c>LifecycleConfiguration</c> and <c>OwnershipControls</c> are recorded but not enforced (LocalAws expires
/// nothing and has no ACLs). <c>AccessControl</c> may only be <c>Private</c>, what a bucket without ACLs is: AWS refuses
/// any other canned ACL on a bucket whose objects' ownership is enforced (every new bucket's default), and LocalAws
/// keeps no ACLs for the case it is not. A bucket that still holds objects fails to delete, as in CloudFormation.
/// </summary>
internal sealed class BucketProvider(S3Service s3, LocalAwsSettings settings) : IResourceProvider
{
    private static readonly XNamespace S3 = "http://s3.amazonaws.com/doc/2006-03-01/";

    private static readonly string[] CannedAcls =
        ["Private", "PublicRead", "PublicReadWrite", "AuthenticatedRead", "LogDeliveryWrite", "BucketOwnerRead", "BucketOwnerFullControl", "AwsExecRead"];

    /// <summary>One <c>ServerSideEncryptionRule</c>.</summary>
    private static readonly PropertySchema EncryptionRule = PropertySchema.MapOf(new Dictionary<string, PropertySchema>
    {
        ["ServerSideEncryptionByDefault"] = PropertySchema.MapOf(new Dictionary<string, PropertySchema>
        {
            ["SSEAlgorithm"] = PropertySchema.Text() with { Required = true },
            ["KMSMasterKeyID"] = PropertySchema.Text(),
        }),
        ["BucketKeyEnabled"] = PropertySchema.Boolean(),
    });

    public string ResourceType => "AWS::S3::Bucket";

    public ResourceSchema Schema { get; } = new(new Dictionary<string, PropertySchema>
    {
        ["BucketName"] = PropertySchema.Text() with { CreateOnly = true },
        ["AccessControl"] = PropertySchema.Text(),
        ["VersioningConfiguration"] = PropertySchema.MapOf(new Dictionary<string, PropertySchema> { ["Status"] = PropertySchema.Text() with { Required = true } }),
        ["BucketEncryption"] = PropertySchema.MapOf(new Dictionary<string, PropertySchema>
        {
            ["ServerSideEncryptionConfiguration"] = PropertySchema.ListOf(EncryptionRule) with { Required = true },
        }),
        ["PublicAccessBlockConfiguration"] = PropertySchema.MapOf(new Dictionary<string, PropertySchema>
        {
            ["BlockPublicAcls"] = PropertySchema.Boolean(),
            ["BlockPublicPolicy"] = PropertySchema.Boolean(),
            ["IgnorePublicAcls"] = PropertySchema.Boolean(),
            ["RestrictPublicBuckets"] = PropertySchema.Boolean(),
        }),
        ["LifecycleConfiguration"] = PropertySchema.Json(),
        ["OwnershipControls"] = PropertySchema.Json(),
        ["Tags"] = PropertySchema.Tags(),
    });

    public IReadOnlyCollection<string> Attributes { get; } = ["Arn", "DomainName", "RegionalDomainName", "DualStackDomainName", "WebsiteURL"];

    public async Task<ProvisionedResource> CreateAsync(ResourceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        CheckAccessControl(request.Properties);
        var name = Intrinsics.Text(request.Properties["BucketName"]) ?? request.GeneratedName(maxLength: 63, lowerCase: true);
        var location = settings.Region == "us-east-1" ? [] : Xml(new XElement(S3 + "CreateBucketConfiguration", new XElement(S3 + "LocationConstraint", settings.Region)));
        await RunAsync(S3Operations.CreateBucket, request, name, location, cancellationToken);
        try
        {
            await ConfigureAsync(request, name, previous: null, cancellationToken);
        }
        catch (AwsServiceException)
        {
            // The bucket was made: remove it, so the failed create leaves nothing behind.
            await RunAsync(S3Operations.DeleteBucket, request, name, [], cancellationToken);
            throw;
        }

        return Made(name);
    }

    public async Task<ProvisionedResource> UpdateAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(current);
        CheckAccessControl(request.Properties);
        await ConfigureAsync(request, current.PhysicalId, previous: current, cancellationToken);
        return Made(current.PhysicalId);
    }

    public async Task DeleteAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(current);
        try
        {
            await RunAsync(S3Operations.DeleteBucket, request, current.PhysicalId, [], cancellationToken);
        }
        catch (AwsServiceException ex) when (ex.Error.Code == "NoSuchBucket")
        {
            // Already gone: deleting it succeeds, as CloudFormation's handlers treat it.
        }
    }

    /// <summary>Puts each configuration the properties declare, and, on an update, removes each they no longer declare.</summary>
    private async Task ConfigureAsync(ResourceRequest request, string bucket, ProvisionedResource? previous, CancellationToken cancellationToken)
    {
        var properties = request.Properties;
        if (properties["VersioningConfiguration"] is JsonObject versioning)
        {
            await RunAsync(S3Operations.PutBucketVersioning, request, bucket,
                Xml(new XElement(S3 + "VersioningConfiguration", new XElement(S3 + "Status", Intrinsics.Text(versioning["Status"])))), cancellationToken);
        }
        else if (previous is not null)
        {
            // A bucket once versioned can only be suspended; one never versioned is left so.
            var (status, body) = await RunAsync(S3Operations.GetBucketVersioning, request, bucket, [], cancellationToken);
            if (status == 200 && Encoding.UTF8.GetString(body).Contains("<Status>Enabled</Status>", StringComparison.Ordinal))
            {
                await RunAsync(S3Operations.PutBucketVersioning, request, bucket, Xml(new XElement(S3 + "VersioningConfiguration", new XElement(S3 + "Status", "Suspended"))), cancellationToken);
            }
        }

        if (properties["BucketEncryption"]?["ServerSideEncryptionConfiguration"] is JsonArray rules)
        {
            await RunAsync(S3Operations.PutBucketEncryption, request, bucket, Xml(new XElement(S3 + "ServerSideEncryptionConfiguration",
                rules.OfType<JsonObject>().Select(rule => new XElement(S3 + "Rule",
                    new XElement(S3 + "ApplyServerSideEncryptionByDefault",
                        new XElement(S3 + "SSEAlgorithm", Intrinsics.Text(rule["ServerSideEncryptionByDefault"]?["SSEAlgorithm"])),
                        Intrinsics.Text(rule["ServerSideEncryptionByDefault"]?["KMSMasterKeyID"]) is { } key ? new XElement(S3 + "KMSMasterKeyID", key) : null),
                    rule["BucketKeyEnabled"] is { } enabled ? new XElement(S3 + "BucketKeyEnabled", enabled.GetValue<bool>() ? "true" : "false") : null)))), cancellationToken);
        }
        else if (previous is not null)
        {
            await RunAsync(S3Operations.DeleteBucketEncryption, request, bucket, [], cancellationToken);
        }

        if (properties["PublicAccessBlockConfiguration"] is JsonObject block)
        {
            await RunAsync(S3Operations.PutPublicAccessBlock, request, bucket, Xml(new XElement(S3 + "PublicAccessBlockConfiguration",
                ((string[])["BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"])
                    .Select(setting => new XElement(S3 + setting, block[setting]?.GetValue<bool>() == true ? "true" : "false")))), cancellationToken);
        }
        else if (previous is not null)
        {
            await RunAsync(S3Operations.DeletePublicAccessBlock, request, bucket, [], cancellationToken);
        }

        if (properties["Tags"] is JsonArray { Count: > 0 } tags)
        {
            await RunAsync(S3Operations.PutBucketTagging, request, bucket, Xml(new XElement(S3 + "Tagging", new XElement(S3 + "TagSet",
                tags.OfType<JsonObject>().Select(t => new XElement(S3 + "Tag", new XElement(S3 + "Key", Intrinsics.Text(t["Key"])), new XElement(S3 + "Value", Intrinsics.Text(t["Value"]))))))), cancellationToken);
        }
        else if (previous is not null)
        {
            await RunAsync(S3Operations.DeleteBucketTagging, request, bucket, [], cancellationToken);
        }
    }

    private static void CheckAccessControl(JsonObject properties)
    {
        var acl = Intrinsics.Text(properties["AccessControl"]);
        if (acl is null or "Private")
        {
            return;
        }

        if (!CannedAcls.Contains(acl))
        {
            throw S3Errors.InvalidArgument($"AccessControl '{acl}' is not a canned ACL: one of {string.Join(", ", CannedAcls)}.");
        }

        var ownership = Intrinsics.Text(properties["OwnershipControls"]?["Rules"]?[0]?["ObjectOwnership"]) ?? "BucketOwnerEnforced";
        throw ownership == "BucketOwnerEnforced"
            ? S3Errors.Error(400, "InvalidBucketAclWithObjectOwnership", "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting")
            : S3Errors.NotImplemented($"the canned ACL {acl} (LocalAws keeps no ACLs)");
    }

    private Task<(int Status, byte[] Body)> RunAsync(AwsOperation operation, ResourceRequest request, string bucket, byte[] body, CancellationToken cancellationToken) =>
        s3.InvokeAsync(operation, request.Principal, bucket, body, cancellationToken);

    private static byte[] Xml(XElement document) => Encoding.UTF8.GetBytes(document.ToString(SaveOptions.DisableFormatting));

    private ProvisionedResource Made(string name) => new(name, new Dictionary<string, JsonNode?>
    {
        ["Arn"] = JsonValue.Create("arn:aws:s3:::" + name),
        ["DomainName"] = JsonValue.Create($"{name}.s3.amazonaws.com"),
        ["RegionalDomainName"] = JsonValue.Create($"{name}.s3.{settings.Region}.amazonaws.com"),
        ["DualStackDomainName"] = JsonValue.Create($"{name}.s3.dualstack.{settings.Region}.amazonaws.com"),
        ["WebsiteURL"] = JsonValue.Create($"http://{name}.s3-website-{settings.Region}.amazonaws.com"),
    });
}

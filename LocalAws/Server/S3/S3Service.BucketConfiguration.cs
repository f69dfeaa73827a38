using System.Text;
using System.Text.Json;
using Tap.LocalAws.Iam;
using Tap.LocalAws.Protocols;
using Tap.LocalAws.S3.Storage;

namespace Tap.LocalAws.S3;

/// <summary>A bucket's policy, versioning, default encryption, public access block and tags.</summary>
internal sealed partial class S3Service
{
    /// <summary>S3's limit on a bucket policy.</summary>
    private const int MaxPolicyBytes = 20 * 1024;

    private static readonly string[] EncryptionAlgorithms = ["AES256", "aws:kms", "aws:kms:dsse"];

    private async Task PutBucketPolicyAsync(S3Call request)
    {
        var bucket = Authorize(request);
        var body = await ReadDocumentAsync(request, MaxPolicyBytes + 1);
        if (body.Length > MaxPolicyBytes)
        {
            throw S3Errors.Error(400, "PolicyTooLarge", "Policies must be less than 20 KB.");
        }

        var json = Encoding.UTF8.GetString(body);
        PolicyDocument policy;
        try
        {
            policy = PolicyDocument.Parse(json);
        }
        catch (Exception ex) when (ex is JsonException or PolicyFormatException)
        {
            throw S3Errors.Error(400, "MalformedPolicy", ex is PolicyFormatException ? ex.Message : "Policies must be valid JSON and the first byte must be '{'");
        }

        var arn = BucketArn(bucket.Name);
        if (policy.Statements.Any(s => s.Principals is null))
        {
            throw S3Errors.Error(400, "MalformedPolicy", "Missing required field Principal");
        }

        if (policy.Statements.SelectMany(s => s.Resources ?? s.NotResources ?? []).Any(r => r != arn && !r.StartsWith(arn + "/", StringComparison.Ordinal)))
        {
            throw S3Errors.Error(400, "MalformedPolicy", "Policy has invalid resource");
        }

        if (bucket.PublicAccessBlock?.BlockPublicPolicy == true && policy.Statements.Any(IsPublic))
        {
            throw S3Errors.Error(403, "AccessDenied",
                $"User: {request.Access.Caller.Arn} is not authorized to perform: s3:PutBucketPolicy on resource: \"{arn}\" because public policies are blocked by the BlockPublicPolicy block public access setting.");
        }

        store.UpdateBucket(bucket.Name, b => b with { Policy = json });
        request.Http.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private async Task GetBucketPolicyAsync(S3Call request)
    {
        var bucket = Authorize(request);
        var policy = bucket.Policy ?? throw S3Errors.Error(404, "NoSuchBucketPolicy", "The bucket policy does not exist");
        request.Http.Response.ContentType = "application/json";
        await request.Http.Response.WriteAsync(policy, Encoding.UTF8);
    }

    private async Task PutBucketVersioningAsync(S3Call request)
    {
        var bucket = Authorize(request);
        var status = S3Xml.Parse(await ReadDocumentAsync(request), "VersioningConfiguration").ChildValue("Status");
        if (status is not (null or "Enabled" or "Suspended"))
        {
            throw S3Errors.MalformedXml();
        }

        // A bucket once versioned can be suspended, never unversioned again; no Status changes nothing.
        store.UpdateBucket(bucket.Name, b => b with { Versioning = status ?? b.Versioning });
        request.Http.Response.StatusCode = StatusCodes.Status200OK;
    }

    private async Task GetBucketVersioningAsync(S3Call request)
    {
        var bucket = Authorize(request);
        await RestXmlProtocol.WriteAsync(request.Http.Response, "VersioningConfiguration", xml => xml.Element("Status", bucket.Versioning));
    }

    private async Task PutBucketEncryptionAsync(S3Call request)
    {
        var bucket = Authorize(request);
        var rule = S3Xml.Parse(await ReadDocumentAsync(request), "ServerSideEncryptionConfiguration").Children("Rule").SingleOrDefault() ?? throw S3Errors.MalformedXml();
        var defaults = rule.Children("ApplyServerSideEncryptionByDefault").SingleOrDefault() ?? throw S3Errors.MalformedXml();
        var algorithm = defaults.ChildValue("SSEAlgorithm");
        if (!EncryptionAlgorithms.Contains(algorithm))
        {
            throw S3Errors.MalformedXml();
        }

        var keyId = defaults.ChildValue("KMSMasterKeyID");
        if (keyId is not null && algorithm == "AES256")
        {
            throw S3Errors.InvalidArgument("a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse");
        }

        var encryption = new BucketEncryption(algorithm!, keyId, rule.ChildBoolean("BucketKeyEnabled"));
        store.UpdateBucket(bucket.Name, b => b with { Encryption = encryption });
        request.Http.Response.StatusCode = StatusCodes.Status200OK;
    }

    private async Task GetBucketEncryptionAsync(S3Call request)
    {
        var encryption = Authorize(request).Encryption;
        await RestXmlProtocol.WriteAsync(request.Http.Response, "ServerSideEncryptionConfiguration", xml =>
        {
            xml.WriteStartElement("Rule");
            xml.WriteStartElement("ApplyServerSideEncryptionByDefault");
            xml.Element("SSEAlgorithm", encryption.Algorithm);
            xml.Element("KMSMasterKeyID", encryption.KmsKeyId);
            xml.WriteEndElement();
            xml.Element("BucketKeyEnabled", encryption.BucketKeyEnabled);
            xml.WriteEndElement();
        });
    }

    private async Task PutPublicAccessBlockAsync(S3Call request)
    {
        var bucket = Authorize(request);
        var configuration = S3Xml.Parse(await ReadDocumentAsync(request), "PublicAccessBlockConfiguration");
        var block = new PublicAccessBlock(
            configuration.ChildBoolean("BlockPublicAcls"),
            configuration.ChildBoolean("IgnorePublicAcls"),
            configuration.ChildBoolean("BlockPublicPolicy"),
            configuration.ChildBoolean("RestrictPublicBuckets"));
        store.UpdateBucket(bucket.Name, b => b with { PublicAccessBlock = block });
        request.Http.Response.StatusCode = StatusCodes.Status200OK;
    }

    private async Task GetPublicAccessBlockAsync(S3Call request)
    {
        var block = Authorize(request).PublicAccessBlock
            ?? throw S3Errors.Error(404, "NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found");
        await RestXmlProtocol.WriteAsync(request.Http.Response, "PublicAccessBlockConfiguration", xml =>
        {
            xml.Element("BlockPublicAcls", block.BlockPublicAcls);
            xml.Element("IgnorePublicAcls", block.IgnorePublicAcls);
            xml.Element("BlockPublicPolicy", block.BlockPublicPolicy);
            xml.Element("RestrictPublicBuckets", block.RestrictPublicBuckets);
        });
    }

    private async Task PutBucketTaggingAsync(S3Call request)
    {
        var bucket = Authorize(request);
        var tagSet = S3Xml.Parse(await ReadDocumentAsync(request), "Tagging").Children("TagSet").SingleOrDefault() ?? throw S3Errors.MalformedXml();
        var tags = tagSet.Children("Tag").Select(t => new KeyValuePair<string, string>(
            t.ChildValue("Key") ?? throw S3Errors.MalformedXml(), t.ChildValue("Value") ?? string.Empty)).ToList();
        if (tags.Count > 50)
        {
            throw S3Errors.Error(400, "BadRequest", "Bucket tag count cannot be greater than 50");
        }

        if (tags.Select(t => t.Key).Distinct(StringComparer.Ordinal).Count() != tags.Count)
        {
            throw S3Errors.Error(400, "InvalidTag", "Cannot provide multiple Tags with the same key");
        }

        if (tags.Any(t => t.Key.Length is 0 or > 128 || t.Value.Length > 256))
        {
            throw S3Errors.Error(400, "InvalidTag", "The TagKey you have provided is invalid");
        }

        if (tags.Any(t => t.Key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase)))
        {
            throw S3Errors.Error(400, "InvalidTag", "System tags cannot be added/updated by requester");
        }

        store.UpdateBucket(bucket.Name, b => b with { Tags = tags });
        request.Http.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private async Task GetBucketTaggingAsync(S3Call request)
    {
        var tags = Authorize(request).Tags ?? throw S3Errors.Error(404, "NoSuchTagSet", "The TagSet does not exist");
        await RestXmlProtocol.WriteAsync(request.Http.Response, "Tagging", xml =>
        {
            xml.WriteStartElement("TagSet");
            foreach (var (key, value) in tags)
            {
                xml.WriteStartElement("Tag");
                xml.Element("Key", key);
                xml.Element("Value", value);
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
        });
    }

    /// <summary>
    /// Whether a statement makes the bucket public, as Block Public Access judges it: it allows anyone (<c>*</c>)
    /// without a condition that pins the caller or the source to fixed values.
    /// </summary>
    private static bool IsPublic(PolicyStatement statement)
    {
        string[] pinning = ["aws:SourceArn", "aws:SourceAccount", "aws:SourceOwner", "aws:SourceVpc", "aws:SourceVpce", "aws:PrincipalAccount", "aws:PrincipalArn", "aws:PrincipalOrgID", "aws:userid", "aws:SourceIp"];
        return statement.Effect == PolicyEffect.Allow
            && statement.Principals?.Contains("*") == true
            && !statement.Conditions.Any(c => !c.Operator.Contains("Not", StringComparison.Ordinal)
                && !c.Values.Any(v => v.Contains('*', StringComparison.Ordinal))
                && pinning.Contains(c.Key, StringComparer.OrdinalIgnoreCase));
    }
}

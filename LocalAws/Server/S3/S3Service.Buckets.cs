using System.Text.RegularExpressions;
using Tap.LocalAws.Protocols;
using Tap.LocalAws.S3.Storage;

namespace Tap.LocalAws.S3;

/// <summary>Buckets: created, listed, found, located and deleted.</summary>
internal sealed partial class S3Service
{
    private async Task ListBucketsAsync(S3Call request)
    {
        request.Access.DemandOperation("*");
        var prefix = request.Query("prefix") ?? string.Empty;
        var buckets = store.Buckets().Where(b => b.Name.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        await RestXmlProtocol.WriteAsync(request.Http.Response, "ListAllMyBucketsResult", xml =>
        {
            xml.WriteStartElement("Buckets");
            foreach (var bucket in buckets)
            {
                xml.WriteStartElement("Bucket");
                xml.Element("Name", bucket.Name);
                xml.Element("CreationDate", S3Xml.Timestamp(bucket.CreationDate));
                xml.Element("BucketRegion", bucket.Region);
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
            WriteOwner(xml);
            if (prefix.Length > 0)
            {
                xml.Element("Prefix", prefix);
            }
        });
    }

    private async Task CreateBucketAsync(S3Call request)
    {
        if (!IsValidBucketName(request.Bucket))
        {
            throw S3Errors.InvalidBucketName();
        }

        request.Access.DemandOperation(BucketArn(request.Bucket), requestedAs: $"\"{BucketArn(request.Bucket)}\"");
        var body = await ReadDocumentAsync(request);
        var constraint = body.Length == 0 ? null : S3Xml.Parse(body, "CreateBucketConfiguration").ChildValue("LocationConstraint");

        // us-east-1 takes no constraint (or its own name); every other region must be named, as S3 requires.
        var named = string.IsNullOrEmpty(constraint) ? "us-east-1" : constraint;
        if (named != settings.Region)
        {
            throw S3Errors.Error(400, "IllegalLocationConstraintException", string.IsNullOrEmpty(constraint)
                ? "The unspecified location constraint is incompatible for the region specific endpoint this request was sent to."
                : $"The {constraint} location constraint is incompatible for the region specific endpoint this request was sent to.");
        }

        var created = store.TryCreateBucket(new BucketRecord { Name = request.Bucket, CreationDate = Now(), Region = settings.Region });
        if (!created && settings.Region != "us-east-1")
        {
            // In us-east-1, S3 answers a re-creation by the owner with 200 for legacy compatibility; elsewhere with 409.
            throw S3Errors.Error(409, "BucketAlreadyOwnedByYou", "Your previous request to create the named bucket succeeded and you already own it.");
        }

        request.Http.Response.Headers.Location = "/" + request.Bucket;
        request.Http.Response.StatusCode = StatusCodes.Status200OK;
    }

    private Task DeleteBucket(S3Call request)
    {
        Authorize(request);
        store.DeleteBucket(request.Bucket);
        request.Http.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    private Task HeadBucket(S3Call request)
    {
        var bucket = Authorize(request);
        request.Http.Response.Headers["x-amz-bucket-region"] = bucket.Region;
        request.Http.Response.StatusCode = StatusCodes.Status200OK;
        return Task.CompletedTask;
    }

    private async Task GetBucketLocationAsync(S3Call request)
    {
        var bucket = Authorize(request);

        // S3 reports us-east-1 as no constraint at all.
        await RestXmlProtocol.WriteAsync(request.Http.Response, "LocationConstraint", xml =>
        {
            if (bucket.Region != "us-east-1")
            {
                xml.WriteString(bucket.Region);
            }
        });
    }

    private void WriteOwner(System.Xml.XmlWriter xml)
    {
        xml.WriteStartElement("Owner");
        xml.Element("ID", OwnerId);
        xml.WriteEndElement();
    }

    /// <summary>S3's general purpose bucket naming rules.</summary>
    internal static bool IsValidBucketName(string name) =>
        BucketNamePattern().IsMatch(name)
        && !name.Contains("..", StringComparison.Ordinal)
        && !IpAddressPattern().IsMatch(name)
        && !name.StartsWith("xn--", StringComparison.Ordinal)
        && !name.StartsWith("sthree-", StringComparison.Ordinal)
        && !name.EndsWith("-s3alias", StringComparison.Ordinal)
        && !name.EndsWith("--ol-s3", StringComparison.Ordinal);

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketNamePattern();

    [GeneratedRegex(@"^\d+\.\d+\.\d+\.\d+$")]
    private static partial Regex IpAddressPattern();
}

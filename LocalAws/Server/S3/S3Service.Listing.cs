using System.Globalization;
using System.Text;
using System.Xml;
using Tap.Aws.Signing;
using Tap.LocalAws.Protocols;
using Tap.LocalAws.S3.Storage;

namespace Tap.LocalAws.S3;

/// <summary>
/// Listing a bucket: its keys (ListObjects, ListObjectsV2) or every version (ListObjectVersions), in UTF-8 order,
/// with prefixes, delimiters rolled up into common prefixes, pages and <c>encoding-type=url</c>.
/// </summary>
internal sealed partial class S3Service
{
    private const int MaxListKeys = 1000;

    private async Task ListObjectsAsync(S3Call request, bool version2)
    {
        var prefix = request.Query("prefix") ?? string.Empty;
        var bucket = Authorize(request, new Dictionary<string, string>(StringComparer.Ordinal) { ["s3:prefix"] = prefix });
        var delimiter = NonEmpty(request.Query("delimiter"));
        var maxKeys = ParseLimit(request.Query("max-keys"), "max-keys");
        var encode = UrlEncoding(request);
        var token = request.Query("continuation-token");
        var startAfter = version2 ? request.Query("start-after") : request.Query("marker");
        var resume = version2 && token is not null ? Resume.Decode(token)
            : new Resume(NonEmpty(startAfter), !version2 && delimiter is not null && startAfter?.EndsWith(delimiter, StringComparison.Ordinal) == true ? startAfter : null);

        var entries = new List<(ObjectRecord? Record, string? CommonPrefix)>();
        var truncated = false;
        var skipPrefix = resume.CommonPrefix;
        store.Scan(bucket.Name, prefix, resume.After, record =>
        {
            if (record.Latest.IsDeleteMarker || (skipPrefix is not null && record.Key.StartsWith(skipPrefix, StringComparison.Ordinal)))
            {
                return true;
            }

            var commonPrefix = CommonPrefix(record.Key, prefix, delimiter);
            if (commonPrefix is not null && entries.Count > 0 && entries[^1].CommonPrefix == commonPrefix)
            {
                return true;
            }

            if (entries.Count == maxKeys)
            {
                truncated = true;
                return false;
            }

            entries.Add(commonPrefix is null ? (record, null) : (null, commonPrefix));
            return true;
        });

        var last = entries.Count > 0 ? entries[^1] : default;
        var next = last.CommonPrefix is { } p ? new Resume(p, p) : new Resume(last.Record?.Key, null);
        await RestXmlProtocol.WriteAsync(request.Http.Response, "ListBucketResult", xml =>
        {
            xml.Element("Name", bucket.Name);
            xml.Element("Prefix", encode(prefix));
            if (version2)
            {
                xml.Element("KeyCount", entries.Count);
                xml.Element("ContinuationToken", token);
                xml.Element("StartAfter", encode(startAfter));
                xml.Element("NextContinuationToken", truncated ? next.Encode() : null);
            }
            else
            {
                xml.Element("Marker", encode(startAfter ?? string.Empty));
                xml.Element("NextMarker", truncated && delimiter is not null ? encode(next.After) : null);
            }

            xml.Element("MaxKeys", maxKeys);
            xml.Element("Delimiter", encode(delimiter));
            xml.Element("EncodingType", request.Query("encoding-type") == "url" ? "url" : null);
            xml.Element("IsTruncated", truncated);
            foreach (var (record, _) in entries.Where(e => e.Record is not null))
            {
                var version = record!.Latest;
                xml.WriteStartElement("Contents");
                xml.Element("Key", encode(record.Key));
                xml.Element("LastModified", S3Xml.Timestamp(version.LastModified));
                xml.Element("ETag", version.ETag);
                xml.Element("Size", version.Size);
                xml.Element("StorageClass", "STANDARD");
                WriteChecksumAlgorithm(xml, version);
                if (!version2 || request.Query("fetch-owner") == "true")
                {
                    WriteOwner(xml);
                }

                xml.WriteEndElement();
            }

            WriteCommonPrefixes(xml, entries.Select(e => e.CommonPrefix), encode);
        });
    }

    private async Task ListObjectVersionsAsync(S3Call request)
    {
        var prefix = request.Query("prefix") ?? string.Empty;
        var bucket = Authorize(request, new Dictionary<string, string>(StringComparer.Ordinal) { ["s3:prefix"] = prefix });
        var delimiter = NonEmpty(request.Query("delimiter"));
        var maxKeys = ParseLimit(request.Query("max-keys"), "max-keys");
        var encode = UrlEncoding(request);
        var keyMarker = NonEmpty(request.Query("key-marker"));
        var versionMarker = keyMarker is null ? null : NonEmpty(request.Query("version-id-marker"));

        var entries = new List<(string Key, ObjectVersion? Version, bool IsLatest, string? CommonPrefix)>();
        var truncated = false;
        store.Scan(bucket.Name, prefix, after: null, record =>
        {
            var order = keyMarker is null ? 1 : Utf8Ordinal.Instance.Compare(record.Key, keyMarker);
            if (order < 0 || (order == 0 && versionMarker is null))
            {
                return true;
            }

            var commonPrefix = CommonPrefix(record.Key, prefix, delimiter);
            if (commonPrefix is not null)
            {
                if (entries.Count > 0 && entries[^1].CommonPrefix == commonPrefix)
                {
                    return true;
                }

                if (entries.Count == maxKeys)
                {
                    truncated = true;
                    return false;
                }

                entries.Add((record.Key, null, false, commonPrefix));
                return true;
            }

            var versions = record.Versions.Select((v, i) => (Version: v, IsLatest: i == 0));
            if (order == 0)
            {
                versions = versions.SkipWhile(v => v.Version.VersionId != versionMarker).Skip(1);
            }

            foreach (var (version, isLatest) in versions)
            {
                if (entries.Count == maxKeys)
                {
                    truncated = true;
                    return false;
                }

                entries.Add((record.Key, version, isLatest, null));
            }

            return true;
        });

        var last = entries.Count > 0 ? entries[^1] : default;
        await RestXmlProtocol.WriteAsync(request.Http.Response, "ListVersionsResult", xml =>
        {
            xml.Element("Name", bucket.Name);
            xml.Element("Prefix", encode(prefix));
            xml.Element("KeyMarker", encode(keyMarker ?? string.Empty));
            xml.Element("VersionIdMarker", versionMarker ?? string.Empty);
            if (truncated)
            {
                xml.Element("NextKeyMarker", encode(last.CommonPrefix ?? last.Key));
                xml.Element("NextVersionIdMarker", last.Version?.VersionId);
            }

            xml.Element("MaxKeys", maxKeys);
            xml.Element("Delimiter", encode(delimiter));
            xml.Element("EncodingType", request.Query("encoding-type") == "url" ? "url" : null);
            xml.Element("IsTruncated", truncated);
            foreach (var (key, version, isLatest, _) in entries.Where(e => e.Version is not null))
            {
                xml.WriteStartElement(version!.IsDeleteMarker ? "DeleteMarker" : "Version");
                xml.Element("Key", encode(key));
                xml.Element("VersionId", version.VersionId);
                xml.Element("IsLatest", isLatest);
                xml.Element("LastModified", S3Xml.Timestamp(version.LastModified));
                if (!version.IsDeleteMarker)
                {
                    xml.Element("ETag", version.ETag);
                    xml.Element("Size", version.Size);
                    xml.Element("StorageClass", "STANDARD");
                    WriteChecksumAlgorithm(xml, version);
                }

                WriteOwner(xml);
                xml.WriteEndElement();
            }

            WriteCommonPrefixes(xml, entries.Select(e => e.CommonPrefix), encode);
        });
    }

    /// <summary>A listing's page size: at most S3's 1,000; a negative or unparsable value is S3's InvalidArgument.</summary>
    private static int ParseLimit(string? value, string name)
    {
        if (value is null)
        {
            return MaxListKeys;
        }

        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var limit)
            ? Math.Min(limit, MaxListKeys)
            : throw S3Errors.InvalidArgument($"Provided {name} not an integer or within integer range");
    }

    /// <summary>The common prefix a key rolls up into under <paramref name="delimiter"/>, if any.</summary>
    private static string? CommonPrefix(string key, string prefix, string? delimiter)
    {
        if (delimiter is null)
        {
            return null;
        }

        var at = key.IndexOf(delimiter, prefix.Length, StringComparison.Ordinal);
        return at < 0 ? null : key[..(at + delimiter.Length)];
    }

    private static void WriteCommonPrefixes(XmlWriter xml, IEnumerable<string?> prefixes, Func<string?, string?> encode)
    {
        foreach (var prefix in prefixes.OfType<string>())
        {
            xml.WriteStartElement("CommonPrefixes");
            xml.Element("Prefix", encode(prefix));
            xml.WriteEndElement();
        }
    }

    private static void WriteChecksumAlgorithm(XmlWriter xml, ObjectVersion version)
    {
        if (version.Checksum is { } checksum)
        {
            xml.Element("ChecksumAlgorithm", checksum.Algorithm);
            xml.Element("ChecksumType", checksum.Type);
        }
    }

    /// <summary>With <c>encoding-type=url</c>, keys and prefixes are URL-encoded in the answer (XML cannot carry every character).</summary>
    private static Func<string?, string?> UrlEncoding(S3Call request) => request.Query("encoding-type") switch
    {
        null => value => value,
        "url" => value => value is null ? null : UriEncoding.Encode(value, encodeSlash: false),
        var other => throw S3Errors.InvalidArgument($"Invalid Encoding Method specified in Request: {other}"),
    };

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>Where a page resumes: after a key, skipping a common prefix already returned; opaque to clients.</summary>
    private sealed record Resume(string? After, string? CommonPrefix)
    {
        public string Encode() => Convert.ToBase64String(Encoding.UTF8.GetBytes((CommonPrefix is null ? "k" : "p") + After));

        public static Resume Decode(string token)
        {
            try
            {
                var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
                return text.Length > 0 && text[0] is 'k' or 'p'
                    ? new Resume(text[1..].Length > 0 ? text[1..] : null, text[0] == 'p' ? text[1..] : null)
                    : throw new FormatException();
            }
            catch (FormatException)
            {
                throw S3Errors.InvalidArgument("The continuation token provided is incorrect");
            }
        }
    }
}

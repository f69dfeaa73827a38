using System.Security.Cryptography;
using System.Text.Json;
using Tap.LocalAws.Storage;

namespace Tap.LocalAws.S3.Storage;

/// <summary>What a deletion did: the version it removed or the delete marker it added.</summary>
internal sealed record DeleteOutcome(string? VersionId, bool DeleteMarker);

/// <summary>Object versions: put, found, deleted, listed, with S3's versioning rules.</summary>
internal sealed partial class S3Store
{
    /// <summary>The id S3 gives the one version of an unversioned (or suspended) bucket's key.</summary>
    public const string NullVersionId = "null";

    /// <summary>A version of <paramref name="key"/>: the latest (perhaps a delete marker) without <paramref name="versionId"/>.</summary>
    public ObjectVersion? FindVersion(string bucketName, string key, string? versionId)
    {
        lock (_gate)
        {
            var record = Bucket(bucketName).Objects.GetValueOrDefault(key);
            return record is null ? null
                : versionId is null ? record.Latest
                : record.Versions.FirstOrDefault(v => v.VersionId == versionId);
        }
    }

    /// <summary>
    /// A version of <paramref name="key"/> (as <see cref="FindVersion"/>) with its bytes opened in the same step, so a
    /// replacement or deletion that commits meanwhile cannot remove them before they are read.
    /// </summary>
    public OpenedVersion? OpenVersion(string bucketName, string key, string? versionId)
    {
        lock (_gate)
        {
            var version = FindVersion(bucketName, key, versionId);
            return version is null ? null
                : new OpenedVersion(version, version is { IsDeleteMarker: false, Size: > 0 } ? OpenBlob(bucketName, version.DataFile!) : null);
        }
    }

    /// <summary>
    /// Stores a new version of <paramref name="key"/> whose bytes are in <paramref name="blob"/> (sealed): its version
    /// id follows the bucket's versioning, and the version it replaces (if unversioned or suspended) is removed.
    /// </summary>
    public ObjectVersion PutVersion(string bucketName, string key, ObjectVersion version, BlobWriter? blob)
    {
        lock (_gate)
        {
            var bucket = Bucket(bucketName);
            var stored = version with { VersionId = bucket.Record.Versioning == "Enabled" ? NewVersionId() : NullVersionId, DataFile = blob?.FileName };
            Commit(bucket, key, stored);
            blob?.Keep();
            return stored;
        }
    }

    /// <summary>Deletes as S3's DeleteObject does: a version when named, else the key (unversioned) or by a delete marker.</summary>
    public DeleteOutcome Delete(string bucketName, string key, string? versionId, DateTimeOffset now)
    {
        lock (_gate)
        {
            var bucket = Bucket(bucketName);
            var record = bucket.Objects.GetValueOrDefault(key);
            if (versionId is not null)
            {
                var removed = record?.Versions.FirstOrDefault(v => v.VersionId == versionId);
                if (removed is null)
                {
                    return new DeleteOutcome(versionId, false);
                }

                WriteVersions(bucket, key, [.. record!.Versions.Where(v => v != removed)]);
                return new DeleteOutcome(versionId, removed.IsDeleteMarker);
            }

            if (bucket.Record.Versioning is null)
            {
                if (record is not null)
                {
                    WriteVersions(bucket, key, [.. record.Versions.Where(v => v.VersionId != NullVersionId)]);
                }

                return new DeleteOutcome(null, false);
            }

            var marker = new ObjectVersion
            {
                VersionId = bucket.Record.Versioning == "Enabled" ? NewVersionId() : NullVersionId,
                IsDeleteMarker = true,
                LastModified = now,
            };
            Commit(bucket, key, marker);
            return new DeleteOutcome(marker.VersionId, true);
        }
    }

    /// <summary>
    /// Visits the keys after <paramref name="after"/> (all when <see langword="null"/>) that start with
    /// <paramref name="prefix"/>, in S3's order, while <paramref name="visit"/> returns true.
    /// </summary>
    public void Scan(string bucketName, string prefix, string? after, Func<ObjectRecord, bool> visit)
    {
        lock (_gate)
        {
            foreach (var (key, record) in Bucket(bucketName).Objects)
            {
                if (after is not null && Utf8Ordinal.Instance.Compare(key, after) <= 0)
                {
                    continue;
                }

                if (!key.StartsWith(prefix, StringComparison.Ordinal))
                {
                    // The keys with a prefix are one run in this order: past it, none follows.
                    if (Utf8Ordinal.Instance.Compare(key, prefix) > 0)
                    {
                        return;
                    }

                    continue;
                }

                if (!visit(record))
                {
                    return;
                }
            }
        }
    }

    /// <summary>Adds <paramref name="version"/> as the newest; a null-id version replaces the key's previous null-id one.</summary>
    private void Commit(BucketState bucket, string key, ObjectVersion version)
    {
        var versions = bucket.Objects.GetValueOrDefault(key)?.Versions ?? [];
        List<ObjectVersion> next = [version, .. versions.Where(v => v.VersionId != version.VersionId)];
        Reserve(version.Size);
        try
        {
            WriteVersions(bucket, key, next);
        }
        catch
        {
            _storedBytes -= version.Size;
            throw;
        }
    }

    /// <summary>Writes the key's record (or deletes it when no version is left), then removes the bytes of versions gone.</summary>
    private void WriteVersions(BucketState bucket, string key, List<ObjectVersion> versions)
    {
        var path = Path.Combine(bucket.Directory, ObjectsFolder, ChecksummedFile.FileName(key, ObjectExtension));
        var previous = bucket.Objects.GetValueOrDefault(key);
        if (versions.Count == 0)
        {
            Persist(() => DurableFile.Delete(path, BeforeStep), path);
            bucket.Objects.Remove(key);
        }
        else
        {
            var record = new ObjectRecord(key, versions);
            Persist(() => ChecksummedFile.Write(path, Format, JsonSerializer.SerializeToUtf8Bytes(record), BeforeStep), path);
            bucket.Objects[key] = record;
        }

        foreach (var gone in previous?.Versions.Except(versions) ?? [])
        {
            Release(bucket, gone.DataFile, gone.Size);
        }
    }

    /// <summary>Removes bytes no record names any more (a crash before leaves them to the next start).</summary>
    private void Release(BucketState bucket, string? dataFile, long size)
    {
        if (dataFile is not null)
        {
            _storedBytes -= size;
            DurableFile.TryDelete(Path.Combine(bucket.Directory, DataFolder, dataFile));
        }
    }

    /// <summary>A version id as S3's look: 32 URL-safe characters.</summary>
    private static string NewVersionId() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '.').Replace('/', '_');
}

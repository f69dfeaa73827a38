using Tap.LocalAws.Storage;

namespace Tap.LocalAws.S3.Storage;

/// <summary>Reading a bucket's folder at start, and removing what no record names.</summary>
internal sealed partial class S3Store
{
    /// <summary>The bucket in <paramref name="directory"/>; <see langword="null"/> (and the folder removed) when it has no record, as a deletion interrupted leaves it.</summary>
    private BucketState? LoadBucket(string directory)
    {
        var recordPath = Path.Combine(directory, BucketFile);
        if (!File.Exists(recordPath))
        {
            TryDeleteDirectory(directory);
            return null;
        }

        var record = ReadRecord<BucketRecord>(recordPath);
        if (!string.Equals(record.Name, Path.GetFileName(directory), StringComparison.Ordinal))
        {
            throw new LocalAwsStoreDamagedException(recordPath, "it holds a bucket that belongs in another folder");
        }

        var bucket = new BucketState(record, directory);
        var referenced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in Records(directory, ObjectsFolder, ObjectExtension))
        {
            var stored = ReadRecord<ObjectRecord>(path);
            if (stored.Versions is not { Count: > 0 } || Path.GetFileName(path) != ChecksummedFile.FileName(stored.Key, ObjectExtension))
            {
                throw new LocalAwsStoreDamagedException(path, "it holds no version, or a key that belongs in another file");
            }

            bucket.Objects[stored.Key] = stored;
            foreach (var version in stored.Versions.Where(v => v.DataFile is not null))
            {
                referenced.Add(version.DataFile!);
                _storedBytes += version.Size;
            }
        }

        foreach (var path in Records(directory, UploadsFolder, UploadExtension))
        {
            var upload = ReadRecord<MultipartUpload>(path);
            if (Path.GetFileName(path) != ChecksummedFile.FileName(upload.UploadId, UploadExtension))
            {
                throw new LocalAwsStoreDamagedException(path, "it holds an upload that belongs in another file");
            }

            bucket.Uploads[upload.UploadId] = upload;
            foreach (var part in upload.Parts.Values)
            {
                referenced.Add(part.DataFile);
                _storedBytes += part.Size;
            }
        }

        // Bytes no record names were never acknowledged (or were replaced and not yet removed): garbage.
        var data = Path.Combine(directory, DataFolder);
        DurableFile.CreateDirectory(data);
        foreach (var path in Directory.EnumerateFiles(data))
        {
            if (!referenced.Remove(Path.GetFileName(path)))
            {
                DurableFile.TryDelete(path);
            }
        }

        if (referenced.Count > 0)
        {
            throw new LocalAwsStoreDamagedException(data, $"{referenced.Count} object version(s) or part(s) have lost their bytes");
        }

        return bucket;
    }

    /// <summary>The record files of one folder, once its unfinished writes are removed.</summary>
    private static List<string> Records(string bucketDirectory, string folder, string extension)
    {
        var directory = Path.Combine(bucketDirectory, folder);
        DurableFile.CreateDirectory(directory);
        foreach (var partial in Directory.EnumerateFiles(directory, "*" + DurableFile.TemporaryExtension))
        {
            DurableFile.TryDelete(partial);
        }

        return Directory.EnumerateFiles(directory, "*" + extension).ToList();
    }
}

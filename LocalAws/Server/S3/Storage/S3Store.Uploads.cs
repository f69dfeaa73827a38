using System.Text.Json;
using Tap.LocalAws.Storage;

namespace Tap.LocalAws.S3.Storage;

/// <summary>Multipart uploads: started, given parts, completed into an object version, or aborted.</summary>
internal sealed partial class S3Store
{
    public void StartUpload(string bucketName, MultipartUpload upload)
    {
        lock (_gate)
        {
            var bucket = Bucket(bucketName);
            WriteUpload(bucket, upload);
            bucket.Uploads[upload.UploadId] = upload;
        }
    }

    /// <summary>The upload <paramref name="uploadId"/> of <paramref name="key"/>, or S3's NoSuchUpload.</summary>
    public MultipartUpload FindUpload(string bucketName, string key, string uploadId)
    {
        lock (_gate)
        {
            return Bucket(bucketName).Uploads.GetValueOrDefault(uploadId) is { } upload && upload.Key == key ? upload : throw S3Errors.NoSuchUpload();
        }
    }

    /// <summary>Adds (or replaces) a part whose bytes are in <paramref name="blob"/> (sealed).</summary>
    public void PutPart(string bucketName, string key, string uploadId, UploadedPart part, BlobWriter blob)
    {
        lock (_gate)
        {
            var bucket = Bucket(bucketName);
            var upload = bucket.Uploads.GetValueOrDefault(uploadId) is { } found && found.Key == key ? found : throw S3Errors.NoSuchUpload();
            var replaced = upload.Parts.GetValueOrDefault(part.PartNumber);
            var next = upload with { Parts = new Dictionary<int, UploadedPart>(upload.Parts) { [part.PartNumber] = part } };
            Reserve(part.Size);
            try
            {
                WriteUpload(bucket, next);
            }
            catch
            {
                _storedBytes -= part.Size;
                throw;
            }

            bucket.Uploads[uploadId] = next;
            blob.Keep();
            if (replaced is not null)
            {
                Release(bucket, replaced.DataFile, replaced.Size);
            }
        }
    }

    /// <summary>
    /// Stores the assembled object (its bytes in <paramref name="blob"/>, sealed) as a new version and ends the upload,
    /// removing its parts' bytes.
    /// </summary>
    public ObjectVersion CompleteUpload(string bucketName, string key, string uploadId, ObjectVersion version, BlobWriter blob)
    {
        lock (_gate)
        {
            var upload = FindUpload(bucketName, key, uploadId);
            var stored = PutVersion(bucketName, key, version, blob);
            EndUpload(Bucket(bucketName), upload);
            return stored;
        }
    }

    public void AbortUpload(string bucketName, string key, string uploadId)
    {
        lock (_gate)
        {
            EndUpload(Bucket(bucketName), FindUpload(bucketName, key, uploadId));
        }
    }

    private void EndUpload(BucketState bucket, MultipartUpload upload)
    {
        var path = Path.Combine(bucket.Directory, UploadsFolder, ChecksummedFile.FileName(upload.UploadId, UploadExtension));
        Persist(() => DurableFile.Delete(path, BeforeStep), path);
        bucket.Uploads.Remove(upload.UploadId);
        foreach (var part in upload.Parts.Values)
        {
            Release(bucket, part.DataFile, part.Size);
        }
    }

    private void WriteUpload(BucketState bucket, MultipartUpload upload)
    {
        var path = Path.Combine(bucket.Directory, UploadsFolder, ChecksummedFile.FileName(upload.UploadId, UploadExtension));
        Persist(() => ChecksummedFile.Write(path, Format, JsonSerializer.SerializeToUtf8Bytes(upload), BeforeStep), path);
    }
}

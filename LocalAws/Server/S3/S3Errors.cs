using Tap.Aws.Errors;
using Tap.LocalAws.Protocols;

namespace Tap.LocalAws.S3;

/// <summary>S3's errors, with the status and code S3 gives and its wording where the SDKs or users read it.</summary>
internal static class S3Errors
{
    public static AwsServiceException Error(int status, string code, string message) => new(new AwsError(status, code, message));

    public static AwsServiceException NoSuchBucket() => Error(404, "NoSuchBucket", "The specified bucket does not exist");

    public static AwsServiceException NoSuchKey() => Error(404, "NoSuchKey", "The specified key does not exist.");

    public static AwsServiceException NoSuchVersion() => Error(404, "NoSuchVersion", "The specified version does not exist.");

    public static AwsServiceException NoSuchUpload() => Error(404, "NoSuchUpload",
        "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.");

    public static AwsServiceException AccessDenied() => Error(403, "AccessDenied", "Access Denied");

    public static AwsServiceException InvalidArgument(string message) => Error(400, "InvalidArgument", message);

    public static AwsServiceException InvalidRequest(string message) => Error(400, "InvalidRequest", message);

    public static AwsServiceException MalformedXml() => Error(400, "MalformedXML",
        "The XML you provided was not well-formed or did not validate against our published schema");

    public static AwsServiceException InvalidBucketName() => Error(400, "InvalidBucketName", "The specified bucket is not valid.");

    public static AwsServiceException BadDigest(string algorithm) => Error(400, "BadDigest", $"The {algorithm} you specified did not match the calculated checksum.");

    public static AwsServiceException IncompleteBody() => Error(400, "IncompleteBody",
        "You did not provide the number of bytes specified by the Content-Length HTTP header.");

    public static AwsServiceException EntityTooLarge(long maxBytes) => Error(400, "EntityTooLarge",
        $"Your proposed upload exceeds the maximum allowed size of {maxBytes} bytes.");

    public static AwsServiceException NotImplemented(string what) => Error(501, "NotImplemented",
        $"A header or query you provided implies functionality that is not implemented: {what}.");

    public static AwsServiceException MethodNotAllowed() => Error(405, "MethodNotAllowed", "The specified method is not allowed against this resource.");

    public static AwsServiceException PreconditionFailed() => Error(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold");

    public static AwsServiceException StorageFailed() => Error(500, "InternalError", "LocalAws could not store the change durably; nothing was changed.");
}

using Tap.Aws.Errors;

namespace Tap.LocalAws.Protocols;

/// <summary>An error to answer in the calling protocol's shape. Messages never carry secret values.</summary>
public sealed class AwsServiceException(AwsError error) : Exception(error.Message)
{
    public AwsError Error { get; } = error;

    public static AwsServiceException Json(string code, string message) => new(new AwsError(400, code, message));

    public static AwsServiceException Query(int status, string code, string message) => new(new AwsError(status, code, message));
}

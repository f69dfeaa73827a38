using System.Net;
using Amazon.Runtime;

namespace Amazon.CloudFormation;

/// <summary>Base of every error CloudFormation returns; <see cref="AmazonServiceException.ErrorCode"/> is AWS's code (<c>ValidationError</c>, say).</summary>
public class AmazonCloudFormationException(string message, ErrorType errorType, string errorCode, string? requestId, HttpStatusCode statusCode)
    : AmazonServiceException(message, null, errorType, errorCode, requestId, statusCode)
{
    internal static AmazonCloudFormationException Create(Tap.Aws.Http.AwsHttpError error) =>
        new(error.Message, (int)error.StatusCode >= 500 ? ErrorType.Receiver : ErrorType.Sender, error.Code, error.RequestId, error.StatusCode);
}

using System.Net;
using Amazon.Runtime;

namespace Amazon.SecretsManager;

/// <summary>Base of every error Secrets Manager returns; <see cref="AmazonServiceException.ErrorCode"/> is AWS's code.</summary>
public class AmazonSecretsManagerException(string message, ErrorType errorType, string errorCode, string? requestId, HttpStatusCode statusCode)
    : AmazonServiceException(message, null, errorType, errorCode, requestId, statusCode)
{
    internal static AmazonSecretsManagerException Create(string code, string message, string? requestId, HttpStatusCode statusCode)
    {
        var errorType = (int)statusCode >= 500 ? ErrorType.Receiver : ErrorType.Sender;
        return code switch
        {
            nameof(Model.ResourceNotFoundException) => new Model.ResourceNotFoundException(message, errorType, code, requestId, statusCode),
            nameof(Model.InvalidRequestException) => new Model.InvalidRequestException(message, errorType, code, requestId, statusCode),
            nameof(Model.InvalidParameterException) => new Model.InvalidParameterException(message, errorType, code, requestId, statusCode),
            nameof(Model.InvalidNextTokenException) => new Model.InvalidNextTokenException(message, errorType, code, requestId, statusCode),
            nameof(Model.ResourceExistsException) => new Model.ResourceExistsException(message, errorType, code, requestId, statusCode),
            nameof(Model.LimitExceededException) => new Model.LimitExceededException(message, errorType, code, requestId, statusCode),
            nameof(Model.DecryptionFailureException) => new Model.DecryptionFailureException(message, errorType, code, requestId, statusCode),
            nameof(Model.EncryptionFailureException) => new Model.EncryptionFailureException(message, errorType, code, requestId, statusCode),
            nameof(Model.InternalServiceErrorException) => new Model.InternalServiceErrorException(message, errorType, code, requestId, statusCode),
            nameof(Model.MalformedPolicyDocumentException) => new Model.MalformedPolicyDocumentException(message, errorType, code, requestId, statusCode),
            nameof(Model.PreconditionNotMetException) => new Model.PreconditionNotMetException(message, errorType, code, requestId, statusCode),
            nameof(Model.PublicPolicyException) => new Model.PublicPolicyException(message, errorType, code, requestId, statusCode),
            nameof(Model.AccessDeniedException) => new Model.AccessDeniedException(message, errorType, code, requestId, statusCode),
            _ => new AmazonSecretsManagerException(message, errorType, code, requestId, statusCode),
        };
    }
}

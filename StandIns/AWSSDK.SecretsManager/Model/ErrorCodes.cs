using System.Net;
using Amazon.Runtime;

namespace Amazon.SecretsManager.Model;

// The typed errors Secrets Manager documents, plus IAM's AccessDeniedException. Codes without a type here surface as
// AmazonSecretsManagerException with ErrorCode set (as in the AWS SDK).

public sealed class ResourceNotFoundException(string message, ErrorType errorType, string errorCode, string? requestId, HttpStatusCode statusCode)
    : AmazonSecretsManagerException(message, errorType, errorCode, requestId, statusCode);

public sealed class InvalidRequestException(string message, ErrorType errorType, string errorCode, string? requestId, HttpStatusCode statusCode)
    : AmazonSecretsManagerException(message, errorType, errorCode, requestId, statusCode);

public sealed class InvalidParameterException(string message, ErrorType errorType, string errorCode, string? requestId, HttpStatusCode statusCode)
    : AmazonSecretsManagerException(message, errorType, errorCode, requestId, statusCode);

public sealed class InvalidNextTokenException(string message, ErrorType errorType, string errorCode, string? requestId, HttpStatusCode statusCode)
    : AmazonSecretsManagerException(message, errorType, errorCode, requestId, statusCode);

public sealed class ResourceExistsException(string message, ErrorType errorType, string errorCode, string? requestId, HttpStatusCode statusCode)
    : AmazonSecretsManagerException(message, errorType, errorCode, requestId, statusCode);

public sealed class LimitExceededException(string message, ErrorType errorType, string errorCode, string? requestId, HttpStatusCode statusCode)
    : AmazonSecretsManagerException(message, errorType, errorCode, requestId, statusCode);

public sealed class DecryptionFailureException(string message, ErrorType errorType, string errorCode, string? requestId, HttpStatusCode statusCode)
    : AmazonSecretsManagerException(message, errorType, errorCode, requestId, statusCode);

public sealed class EncryptionFailureException(string message, ErrorType errorType, string errorCode, string? requestId, HttpStatusCode statusCode)
    : AmazonSecretsManagerException(message, errorType, errorCode, requestId, statusCode);

public sealed class InternalServiceErrorException(string message, ErrorType errorType, string errorCode, string? requestId, HttpStatusCode statusCode)
    : AmazonSecretsManagerException(message, errorType, errorCode, requestId, statusCode);

public sealed class MalformedPolicyDocumentException(string message, ErrorType errorType, string errorCode, string? requestId, HttpStatusCode statusCode)
    : AmazonSecretsManagerException(message, errorType, errorCode, requestId, statusCode);

public sealed class PreconditionNotMetException(string message, ErrorType errorType, string errorCode, string? requestId, HttpStatusCode statusCode)
    : AmazonSecretsManagerException(message, errorType, errorCode, requestId, statusCode);

public sealed class PublicPolicyException(string message, ErrorType errorType, string errorCode, string? requestId, HttpStatusCode statusCode)
    : AmazonSecretsManagerException(message, errorType, errorCode, requestId, statusCode);

public sealed class AccessDeniedException(string message, ErrorType errorType, string errorCode, string? requestId, HttpStatusCode statusCode)
    : AmazonSecretsManagerException(message, errorType, errorCode, requestId, statusCode);

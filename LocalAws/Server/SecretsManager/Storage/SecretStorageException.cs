namespace Tap.LocalAws.SecretsManager.Storage;

/// <summary>
/// A change could not be stored durably, so it was not made. A server-side failure (AWS's
/// <c>InternalServiceError</c>); the cause is the inner exception, which names files, never secret values.
/// </summary>
public sealed class SecretStorageException(Exception cause)
    : Exception("LocalAws could not store the change durably; nothing was changed.", cause);

namespace Tap.LocalAws.SecretsManager.Storage;

/// <summary>
/// A change could not be stored durably, so it was not made. A server-side failure (AWS's
/// <c>InternalServiceError</c>); the cause is the inner exception, which names files, never secret values.
/// </summary>
public sealed class SecretStorageException(Exception cause)
    : Exception("LocalAws could not store the change durably; nothing was changed.", cause);

/// <summary>The data directory holds a file that cannot be trusted. LocalAws refuses to start rather than lose data.</summary>
public sealed class LocalAwsStoreDamagedException(string path, string reason)
    : Exception($"LocalAws: the data directory holds a damaged secret file '{path}': {reason}. Nothing was changed; repair or move the file and start again.")
{
    public string FilePath { get; } = path;
}

/// <summary>Another LocalAws process holds the data directory; two writers would overwrite each other's changes.</summary>
public sealed class LocalAwsStoreInUseException(string directory, Exception cause)
    : Exception($"LocalAws: the data directory '{directory}' is in use by another LocalAws process. Stop that process, or give this one its own LocalAws:DataDirectory.", cause)
{
    public string DataDirectory { get; } = directory;
}

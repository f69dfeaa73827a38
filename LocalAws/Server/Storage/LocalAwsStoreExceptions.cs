namespace Tap.LocalAws.Storage;

/// <summary>The data directory holds a file that cannot be trusted. LocalAws refuses to start rather than lose data.</summary>
public sealed class LocalAwsStoreDamagedException(string path, string reason)
    : Exception($"LocalAws: the data directory holds a damaged file '{path}': {reason}. Nothing was changed; repair or move the file and start again.")
{
    public string FilePath { get; } = path;
}

/// <summary>Another LocalAws process holds the data directory; two writers would overwrite each other's changes.</summary>
public sealed class LocalAwsStoreInUseException(string directory, Exception cause)
    : Exception($"LocalAws: the data directory '{directory}' is in use by another LocalAws process. Stop that process, or give this one its own LocalAws:DataDirectory.", cause)
{
    public string DataDirectory { get; } = directory;
}

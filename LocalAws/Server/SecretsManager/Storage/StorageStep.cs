namespace Tap.LocalAws.SecretsManager.Storage;

/// <summary>The steps of a durable write, in order. Each can fail; none may leave memory and disk disagreeing.</summary>
public enum StorageStep
{
    /// <summary>Creating the temporary file beside the secret's file.</summary>
    CreateTemporary,

    /// <summary>Writing the header and body to the temporary file.</summary>
    WriteTemporary,

    /// <summary>Flushing the temporary file to the disk.</summary>
    FlushTemporary,

    /// <summary>Renaming the temporary file over the secret's file: the moment the change takes effect.</summary>
    ReplaceFile,

    /// <summary>Deleting the secret's file: the moment a removal takes effect.</summary>
    DeleteFile,

    /// <summary>Syncing the directory, so the rename or deletion survives a power loss.</summary>
    SyncDirectory,
}

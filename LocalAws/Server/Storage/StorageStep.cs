namespace Tap.LocalAws.Storage;

/// <summary>The steps of a durable write, in order. Each can fail; none may leave memory and disk disagreeing.</summary>
public enum StorageStep
{
    /// <summary>Creating the temporary file beside the file it replaces.</summary>
    CreateTemporary,

    /// <summary>Writing the content to the temporary file.</summary>
    WriteTemporary,

    /// <summary>Flushing the temporary file to the disk.</summary>
    FlushTemporary,

    /// <summary>Renaming the temporary file over the old one: the moment the change takes effect.</summary>
    ReplaceFile,

    /// <summary>Deleting the file: the moment a removal takes effect.</summary>
    DeleteFile,

    /// <summary>Syncing the directory, so the rename or deletion survives a power loss.</summary>
    SyncDirectory,
}

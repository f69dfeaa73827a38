using System.IO.Compression;
using System.Security.Cryptography;
using Tap.Aws.Errors;
using Tap.LocalAws.Protocols;

namespace Tap.LocalAws.Lambda.Deployment;

/// <summary>
/// A deployment package as Lambda unpacks it: every entry under one directory, with the Unix mode bits the zip
/// recorded (so <c>bootstrap</c> stays executable; an entry made without them, e.g. on Windows, is not executable,
/// as in Lambda), nothing outside the directory, at most Lambda's 250 MB unzipped. Content-addressed: a package
/// already unpacked is reused, and a half-unpacked one is never seen.
/// </summary>
internal static class CodeArchive
{
    /// <summary>Lambda's limit on a package's unzipped size.</summary>
    public const long MaxUnzippedBytes = 262_144_000;

    /// <summary>Marks the folder a package is unpacked into before it is moved under its hash.</summary>
    public const string StagingMarker = ".unpacking-";

    private const int UnixFileTypeMask = 0xF000;
    private const int UnixSymbolicLink = 0xA000;

    public static FunctionCode Unpack(byte[] zip, string root)
    {
        ArgumentNullException.ThrowIfNull(zip);
        var code = new FunctionCode(Convert.ToBase64String(SHA256.HashData(zip)), zip.Length);
        var directory = Path.Combine(root, code.Folder);
        if (Directory.Exists(directory))
        {
            return code;
        }

        var staging = $"{directory}{StagingMarker}{Guid.NewGuid():N}";
        Directory.CreateDirectory(staging);
        try
        {
            Extract(zip, staging);
            try
            {
                Directory.Move(staging, directory);
            }
            catch (IOException) when (Directory.Exists(directory))
            {
                // Another deployment of the same package got there first.
                Directory.Delete(staging, recursive: true);
            }
        }
        catch
        {
            Directory.Delete(staging, recursive: true);
            throw;
        }

        return code;
    }

    private static void Extract(byte[] zip, string target)
    {
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(new MemoryStream(zip, writable: false), ZipArchiveMode.Read);
        }
        catch (InvalidDataException)
        {
            throw Invalid("Could not unzip uploaded file. Please check your file, then try to upload again.");
        }

        using (archive)
        {
            var root = Path.GetFullPath(target) + Path.DirectorySeparatorChar;
            long total = 0;
            foreach (var entry in archive.Entries)
            {
                var path = Path.GetFullPath(Path.Combine(root, entry.FullName));
                if (!path.StartsWith(root, StringComparison.Ordinal))
                {
                    throw Invalid($"Could not unzip uploaded file: the entry {entry.FullName} lies outside the package.");
                }

                if (entry.FullName.EndsWith('/'))
                {
                    Directory.CreateDirectory(path);
                    continue;
                }

                total += entry.Length;
                if (total > MaxUnzippedBytes)
                {
                    throw Invalid($"Unzipped size must be smaller than {MaxUnzippedBytes} bytes");
                }

                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                var mode = (entry.ExternalAttributes >> 16) & 0xFFFF;
                try
                {
                    if ((mode & UnixFileTypeMask) == UnixSymbolicLink)
                    {
                        CreateLink(entry, path, root);
                        continue;
                    }

                    using (var source = entry.Open())
                    using (var file = File.Create(path))
                    {
                        source.CopyTo(file);
                    }
                }
                catch (InvalidDataException)
                {
                    throw Invalid("Could not unzip uploaded file. Please check your file, then try to upload again.");
                }

                var permissions = mode & 0x1FF;
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(path, permissions == 0 ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead : (UnixFileMode)permissions);
                }
            }
        }
    }

    private static void CreateLink(ZipArchiveEntry entry, string path, string root)
    {
        using var reader = new StreamReader(entry.Open());
        var linkTarget = reader.ReadToEnd();
        var resolved = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, linkTarget));
        if (!resolved.StartsWith(root, StringComparison.Ordinal))
        {
            throw Invalid($"Could not unzip uploaded file: the link {entry.FullName} points outside the package.");
        }

        File.CreateSymbolicLink(path, linkTarget);
    }

    private static AwsServiceException Invalid(string message) => new(new AwsError(400, "InvalidParameterValueException", message));
}

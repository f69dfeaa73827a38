using System.Globalization;

namespace Tap.LocalAws.Lambda.Runtime;

/// <summary>
/// What Linux's <c>/proc</c> says about the process at the other end of a loopback TCP connection: which process
/// holds the client's socket (its inode from <see cref="SocketDiagnostics"/>), whether it still runs, when it
/// started and its peak memory. Every method answers
/// <see langword="null"/> (or <see langword="false"/>) where <c>/proc</c> is missing or unreadable.
/// </summary>
internal static class LinuxProcesses
{
    private const string ProcRoot = "/proc";

    // The kernel's USER_HZ: the unit of /proc/{pid}/stat times, 100 on every mainstream Linux build.
    private const double ClockTicksPerSecond = 100;

    public static bool IsAvailable { get; } = OperatingSystem.IsLinux() && Directory.Exists("/proc/self/fd");

    /// <summary>
    /// The process holding the socket <paramref name="inode"/> open: <paramref name="likely"/> processes are searched
    /// first (environments seen before), then their children (the <c>curl</c> a shell runtime starts per call), and
    /// only then every process this user may inspect: once per new environment, not per connection.
    /// </summary>
    public static int? FindProcessHolding(long inode, IReadOnlyCollection<int> likely)
    {
        ArgumentNullException.ThrowIfNull(likely);
        var target = string.Create(CultureInfo.InvariantCulture, $"socket:[{inode}]");
        foreach (var pid in likely.Concat(likely.SelectMany(Children)).Concat(AllProcessIds()))
        {
            if (HoldsLink(pid, target))
            {
                return pid;
            }
        }

        return null;
    }

    /// <summary>
    /// The process's start as a wall-clock time, or <see langword="null"/> when it no longer runs (gone, or a zombie
    /// waiting for its parent). Comparing start times tells a reused pid from the process seen before.
    /// </summary>
    public static DateTimeOffset? StartTime(int pid, DateTimeOffset now)
    {
        if (ReadText($"{ProcRoot}/{pid}/stat") is not { } stat || ReadText($"{ProcRoot}/uptime") is not { } uptime)
        {
            return null;
        }

        // The command name (field 2) may hold spaces and parentheses: fields are counted after its last ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        if (fields.Length < 20 || fields[0] is "Z" or "X"
            || !long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var startTicks)
            || !double.TryParse(uptime.Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var uptimeSeconds))
        {
            return null;
        }

        var age = TimeSpan.FromSeconds(uptimeSeconds - (startTicks / ClockTicksPerSecond));
        return now - age;
    }

    /// <summary>
    /// The process that stands for <paramref name="pid"/> as an execution environment: itself, or, for an HTTP
    /// helper program a shell runtime starts per call (AWS's custom-runtime tutorial uses <c>curl</c>), its parent.
    /// </summary>
    public static int RuntimeProcess(int pid) => CommandName(pid) is "curl" or "wget" && ParentOf(pid) is { } parent ? parent : pid;

    /// <summary>The process's command name (<c>/proc/{pid}/comm</c>: its executable's name, at most 15 characters).</summary>
    public static string? CommandName(int pid) => ReadText($"{ProcRoot}/{pid}/comm")?.Trim();

    /// <summary>The process's parent, or <see langword="null"/> when it has none to name (gone, or a child of the root).</summary>
    public static int? ParentOf(int pid)
    {
        if (ReadText($"{ProcRoot}/{pid}/stat") is not { } stat)
        {
            return null;
        }

        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return fields.Length > 1 && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var parent) && parent > 1 ? parent : null;
    }

    /// <summary>
    /// Whether two start times read for one pid are the same process: <c>/proc</c> counts them in 10 ms ticks,
    /// read against a moving clock, so within a second is the same.
    /// </summary>
    public static bool SameStart(DateTimeOffset first, DateTimeOffset second) => (first - second).Duration() < TimeSpan.FromSeconds(1);

    /// <summary>The process's peak resident memory (<c>VmHWM</c>) in bytes.</summary>
    public static long? PeakResidentBytes(int pid)
    {
        var line = ReadLines($"{ProcRoot}/{pid}/status")?.FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        var kilobytes = line?["VmHWM:".Length..].Trim().Split(' ')[0];
        return long.TryParse(kilobytes, NumberStyles.None, CultureInfo.InvariantCulture, out var kb) ? kb * 1024 : null;
    }

    /// <summary>The process's children, from <c>/proc/{pid}/task/*/children</c>.</summary>
    private static IEnumerable<int> Children(int pid)
    {
        IEnumerable<string> tasks;
        try
        {
            tasks = Directory.EnumerateDirectories($"{ProcRoot}/{pid}/task").ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            yield break;
        }

        foreach (var task in tasks)
        {
            foreach (var child in (ReadText($"{task}/children") ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (int.TryParse(child, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                {
                    yield return id;
                }
            }
        }
    }

    private static IEnumerable<int> AllProcessIds()
    {
        IEnumerable<string> entries;
        try
        {
            entries = Directory.EnumerateDirectories(ProcRoot).ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            yield break;
        }

        foreach (var entry in entries)
        {
            if (int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                yield return pid;
            }
        }
    }

    private static bool HoldsLink(int pid, string target)
    {
        try
        {
            foreach (var fd in Directory.EnumerateFileSystemEntries($"{ProcRoot}/{pid}/fd"))
            {
                try
                {
                    if (new FileInfo(fd).LinkTarget == target)
                    {
                        return true;
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // The descriptor closed while we looked.
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Another user's process, or one that just exited.
        }

        return false;
    }

    private static string? ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string[]? ReadLines(string path) => ReadText(path)?.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}

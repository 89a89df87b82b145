using System.Runtime.InteropServices;

namespace GraphCompiler.Runtime.Checkpoints;

/// <summary>
/// Replaces a file so that readers (and a process that crashes half way) only ever see the old
/// contents or the new ones: write a temporary file in the same directory, flush it to disk, rename
/// it over the target (atomic on one file system), then flush the directory entry where the OS allows.
/// </summary>
internal static class AtomicFile
{
    /// <summary>The suffix of temporary files; a killed writer may leave one behind, never a broken target.</summary>
    public const string TemporarySuffix = ".tmp";

    public static void Write(string path, Action<Stream> write)
    {
        var fullPath = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, "." + Path.GetFileName(fullPath) + "." + Guid.NewGuid().ToString("N")[..12] + TemporarySuffix);
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
                write(stream);
                // Data must be on disk before the rename makes it visible under the real name.
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
        _ = DirectorySync.TryFlush(directory);
    }

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var copy = bytes.ToArray();
        Write(path, stream => stream.Write(copy));
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}

/// <summary>
/// Best-effort fsync of a directory on Unix, so a completed rename survives a power loss too.
/// A process crash needs no more than the rename; failure here is therefore ignored.
/// </summary>
internal static partial class DirectorySync
{
    private const int ReadOnlyFlag = 0; // O_RDONLY

    /// <summary>True when the directory was flushed; false on Windows (renames there need no directory flush) or on failure.</summary>
    public static bool TryFlush(string directory)
    {
        if (OperatingSystem.IsWindows()) return false;
        try
        {
            int fd = Open(directory, ReadOnlyFlag);
            if (fd < 0) return false;
            int result = Fsync(fd);
            _ = Close(fd);
            return result == 0;
        }
        catch (DllNotFoundException) { return false; }
        catch (EntryPointNotFoundException) { return false; }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync")]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}

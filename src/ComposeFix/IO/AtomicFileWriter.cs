namespace ComposeFix.IO;

/// <summary>
/// Replaces a file's content atomically: a temporary file in the same folder, the original's
/// permissions copied onto it, then a rename over the original. Refuses when the file no longer
/// holds the bytes that were read, so a concurrent edit is never overwritten.
/// </summary>
public static class AtomicFileWriter
{
    /// <param name="expectedCurrent">The bytes the file held when it was read, or null for a file that must not exist yet.</param>
    public static void Replace(string path, byte[]? expectedCurrent, byte[] content, UnixFileMode? newFileMode = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(content);

        // Write through a symlink to its target, so the link stays a link.
        string target = File.Exists(path) && File.ResolveLinkTarget(path, returnFinalTarget: true) is FileSystemInfo link ? link.FullName : Path.GetFullPath(path);
        bool exists = File.Exists(target);
        if (expectedCurrent is null && exists)
        {
            throw new IOException($"{path} appeared since the run started; not overwritten");
        }

        if (expectedCurrent is not null)
        {
            if (!exists)
            {
                throw new IOException("the file was removed since it was read; not written");
            }

            if (!File.ReadAllBytes(target).AsSpan().SequenceEqual(expectedCurrent))
            {
                throw new IOException("the file changed since it was read; not written");
            }
        }

        string dir = Path.GetDirectoryName(target)!;
        string temp = Path.Combine(dir, $".{Path.GetFileName(target)}.composefix-{Guid.NewGuid():N}.tmp");
        try
        {
            // Create the temporary file with its final mode, so that a secret is never readable by others, even briefly.
            var mode = OperatingSystem.IsWindows() ? (UnixFileMode?)null : exists ? File.GetUnixFileMode(target) : newFileMode ?? (UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            var streamOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (mode is not null && !OperatingSystem.IsWindows())
            {
                streamOptions.UnixCreateMode = mode.Value;
            }

            using (var fs = new FileStream(temp, streamOptions))
            {
                fs.Write(content);
                fs.Flush(flushToDisk: true);
            }

            if (mode is not null && !OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temp, mode.Value); // the umask may have narrowed UnixCreateMode
            }

            File.Move(temp, target, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

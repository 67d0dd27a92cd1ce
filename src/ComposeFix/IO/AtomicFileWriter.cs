namespace ComposeFix.IO;

/// <summary>
/// Replaces a file's content atomically: a temporary file in the same folder, the original's
/// permissions (and owner, where permitted) copied onto it, then a rename over the original.
/// Refuses when the file no longer holds the bytes that were read, so a concurrent edit is never
/// overwritten; on any failure the original is left as it was and the temporary file is removed.
/// </summary>
public static class AtomicFileWriter
{
    /// <param name="expectedCurrent">The bytes the file held when it was read, or null for a file that must not exist yet.</param>
    public static void Replace(string path, byte[]? expectedCurrent, byte[] content, UnixFileMode? newFileMode = null) =>
        Replace(SystemFileOperations.Instance, path, expectedCurrent, content, newFileMode);

    internal static void Replace(IFileOperations fs, string path, byte[]? expectedCurrent, byte[] content, UnixFileMode? newFileMode = null)
    {
        ArgumentNullException.ThrowIfNull(fs);
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(content);

        // Write through a symlink to its target, so the link stays a link.
        string target = fs.FileExists(path) && fs.FinalLinkTarget(path) is string link ? link : Path.GetFullPath(path);
        bool exists = fs.FileExists(target);
        CheckUnchanged(fs, path, target, expectedCurrent);

        string dir = Path.GetDirectoryName(target)!;
        string temp = Path.Combine(dir, $".{Path.GetFileName(target)}.composefix-{Guid.NewGuid():N}.tmp");
        try
        {
            // Create the temporary file with its final mode, so that a secret is never readable by others, even briefly.
            var mode = OperatingSystem.IsWindows() ? (UnixFileMode?)null : exists ? fs.GetUnixFileMode(target) : newFileMode ?? (UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            fs.WriteNewFile(temp, content, mode);
            if (exists)
            {
                fs.CopyOwnerIfPermitted(target, temp);
            }

            // Again right before the rename: an editor may have saved the file while the new content was written.
            CheckUnchanged(fs, path, target, expectedCurrent);
            fs.Replace(temp, target);
        }
        catch
        {
            TryDelete(fs, temp);
            throw;
        }
    }

    private static void CheckUnchanged(IFileOperations fs, string path, string target, byte[]? expectedCurrent)
    {
        bool exists = fs.FileExists(target);
        if (expectedCurrent is null)
        {
            if (exists)
            {
                throw new IOException($"{path} appeared since the run started; not overwritten");
            }

            return;
        }

        if (!exists)
        {
            throw new IOException("the file was removed since it was read; not written");
        }

        if (!fs.ReadAllBytes(target).AsSpan().SequenceEqual(expectedCurrent))
        {
            throw new IOException("the file changed since it was read; not written");
        }
    }

    private static void TryDelete(IFileOperations fs, string path)
    {
        try
        {
            fs.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

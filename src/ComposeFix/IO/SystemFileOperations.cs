namespace ComposeFix.IO;

/// <summary>The real file system.</summary>
internal sealed class SystemFileOperations : IFileOperations
{
    public static readonly SystemFileOperations Instance = new();

    public bool FileExists(string path) => File.Exists(path);

    public string? FinalLinkTarget(string path) => File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName;

    public byte[] ReadAllBytes(string path) => File.ReadAllBytes(path);

    public UnixFileMode GetUnixFileMode(string path) => OperatingSystem.IsWindows() ? default : File.GetUnixFileMode(path);

    public void WriteNewFile(string path, byte[] content, UnixFileMode? mode)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (mode is not null && !OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = mode.Value;
        }

        using (var fs = new FileStream(path, options))
        {
            fs.Write(content);
            fs.Flush(flushToDisk: true);
        }

        if (mode is not null && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode.Value); // the umask may have narrowed UnixCreateMode
        }
    }

    public void CopyOwnerIfPermitted(string from, string to) => UnixOwner.CopyIfPermitted(from, to);

    public void Replace(string from, string to) => File.Move(from, to, overwrite: true);

    public void Delete(string path) => File.Delete(path);
}

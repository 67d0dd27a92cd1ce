using ComposeFix.IO;

namespace ComposeFix.Tests.WriteFaults;

/// <summary>The real file system with hooks that run in place of, or after, single operations.</summary>
internal sealed class FaultyFileOperations : IFileOperations
{
    private readonly SystemFileOperations real = SystemFileOperations.Instance;

    /// <summary>Runs after the temporary file was written (path of the temporary file).</summary>
    public Action<string>? AfterWriteNewFile { get; init; }

    /// <summary>Replaces WriteNewFile (path, content).</summary>
    public Action<string, byte[]>? WriteNewFileInstead { get; init; }

    /// <summary>Replaces the final rename (temporary path, target).</summary>
    public Action<string, string>? ReplaceInstead { get; init; }

    public List<string> Created { get; } = [];

    public bool FileExists(string path) => real.FileExists(path);

    public string? FinalLinkTarget(string path) => real.FinalLinkTarget(path);

    public byte[] ReadAllBytes(string path) => real.ReadAllBytes(path);

    public UnixFileMode GetUnixFileMode(string path) => real.GetUnixFileMode(path);

    public void WriteNewFile(string path, byte[] content, UnixFileMode? mode)
    {
        Created.Add(path);
        if (WriteNewFileInstead is not null)
        {
            WriteNewFileInstead(path, content);
            return;
        }

        real.WriteNewFile(path, content, mode);
        AfterWriteNewFile?.Invoke(path);
    }

    public void CopyOwnerIfPermitted(string from, string to) => real.CopyOwnerIfPermitted(from, to);

    public void Replace(string from, string to)
    {
        if (ReplaceInstead is not null)
        {
            ReplaceInstead(from, to);
            return;
        }

        real.Replace(from, to);
    }

    public void Delete(string path) => real.Delete(path);
}

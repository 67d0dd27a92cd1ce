namespace ComposeFix.IO;

/// <summary>
/// The few file-system operations <see cref="AtomicFileWriter"/> performs, so that tests can make
/// one of them fail (a full disk) or change the file in between (a concurrent editor).
/// </summary>
internal interface IFileOperations
{
    bool FileExists(string path);

    /// <summary>The final target of a symbolic link, or null when <paramref name="path"/> is not a link.</summary>
    string? FinalLinkTarget(string path);

    byte[] ReadAllBytes(string path);

    UnixFileMode GetUnixFileMode(string path);

    /// <summary>Creates a file that must not exist yet, with <paramref name="mode"/>, and flushes it to disk.</summary>
    void WriteNewFile(string path, byte[] content, UnixFileMode? mode);

    /// <summary>Gives <paramref name="to"/> the owner and group of <paramref name="from"/> where the process may (root may, others may not).</summary>
    void CopyOwnerIfPermitted(string from, string to);

    /// <summary>Renames <paramref name="from"/> over <paramref name="to"/>.</summary>
    void Replace(string from, string to);

    void Delete(string path);
}

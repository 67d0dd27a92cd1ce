using ComposeFix.IO;

namespace ComposeFix.Tests.WriteFaults;

/// <summary>The temp-file-and-rename write under real and injected faults: the original always survives intact.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AtomicFileWriterTests : IDisposable
{
    private static readonly byte[] Original = "services:\n  web:\n    image: nginx:1.27\n"u8.ToArray();
    private static readonly byte[] Fixed = "services:\n  web:\n    image: nginx:1.27\n    restart: on-failure:5\n"u8.ToArray();

    private readonly string dir = Directory.CreateTempSubdirectory("composefix-write-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void KeepsTheModeAndTheOwner()
    {
        string path = Create("compose.yaml");
        var mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
        File.SetUnixFileMode(path, mode);
        var owner = UnixOwner.Of(path);
        if (ReadOnlyFolder.IsRoot)
        {
            // Root writes the temporary file as root; the user's file must stay the user's.
            Assert.Equal(0, Chown(path, 4321, 4322));
            owner = (4321, 4322);
        }

        AtomicFileWriter.Replace(path, Original, Fixed);

        Assert.Equal(Fixed, File.ReadAllBytes(path));
        Assert.Equal(mode, File.GetUnixFileMode(path));
        Assert.NotNull(owner);
        Assert.Equal(owner, UnixOwner.Of(path));
        AssertNoTemporaryFiles();
    }

    [Fact]
    public void AFileChangedBetweenReadAndRenameIsNotOverwritten()
    {
        string path = Create("compose.yaml");
        byte[] editorSave = "services: {}\n"u8.ToArray();
        var fs = new FaultyFileOperations { AfterWriteNewFile = _ => File.WriteAllBytes(path, editorSave) };

        var ex = Assert.Throws<IOException>(() => AtomicFileWriter.Replace(fs, path, Original, Fixed));

        Assert.Contains("changed since it was read", ex.Message, StringComparison.Ordinal);
        Assert.Equal(editorSave, File.ReadAllBytes(path));
        Assert.Single(fs.Created);
        AssertNoTemporaryFiles();
    }

    [Fact]
    public void AFileChangedBeforeTheWriteIsNotOverwritten()
    {
        string path = Create("compose.yaml");
        byte[] changed = [.. Original, .. "# edited\n"u8];
        File.WriteAllBytes(path, changed);
        var fs = new FaultyFileOperations();

        var ex = Assert.Throws<IOException>(() => AtomicFileWriter.Replace(fs, path, Original, Fixed));

        Assert.Contains("changed since it was read", ex.Message, StringComparison.Ordinal);
        Assert.Equal(changed, File.ReadAllBytes(path));
        Assert.Empty(fs.Created); // refused before anything was written
    }

    [Fact]
    public void ADiskFullWhileWritingLeavesTheOriginalAndNoTemporaryFile()
    {
        string path = Create("compose.yaml");
        var fs = new FaultyFileOperations
        {
            WriteNewFileInstead = (temp, content) =>
            {
                File.WriteAllBytes(temp, content[..(content.Length / 2)]); // the part that fitted
                throw new IOException("No space left on device", 28);
            },
        };

        var ex = Assert.Throws<IOException>(() => AtomicFileWriter.Replace(fs, path, Original, Fixed));

        Assert.Equal("cannot write: no space left on the device", WriteFailure.Describe(ex));
        Assert.Equal(Original, File.ReadAllBytes(path));
        AssertNoTemporaryFiles();
    }

    [Fact]
    public void AFailedRenameLeavesTheOriginalAndNoTemporaryFile()
    {
        string path = Create("compose.yaml");
        var fs = new FaultyFileOperations { ReplaceInstead = (_, _) => throw new IOException("Read-only file system", 30) };

        var ex = Assert.Throws<IOException>(() => AtomicFileWriter.Replace(fs, path, Original, Fixed));

        Assert.Equal("cannot write: the file system is read-only", WriteFailure.Describe(ex));
        Assert.Equal(Original, File.ReadAllBytes(path));
        AssertNoTemporaryFiles();
    }

    [Fact]
    public void AReadOnlyFolderRefusesTheWriteAndKeepsTheOriginal()
    {
        string path = Create("sub/compose.yaml");
        using (ReadOnlyFolder.Protect(Path.GetDirectoryName(path)!))
        {
            var ex = Assert.ThrowsAny<Exception>(() => AtomicFileWriter.Replace(path, Original, Fixed));
            Assert.True(ex is UnauthorizedAccessException or IOException, ex.ToString());
            Assert.StartsWith("cannot write here: permission denied", WriteFailure.Describe(ex), StringComparison.Ordinal);
        }

        Assert.Equal(Original, File.ReadAllBytes(path));
        AssertNoTemporaryFiles();
    }

    [Fact]
    public void AFileThatAppearedIsNotOverwrittenByANewSideFile()
    {
        string path = Create("secret.txt");
        Assert.Throws<IOException>(() => AtomicFileWriter.Replace(path, null, Fixed));
        Assert.Equal(Original, File.ReadAllBytes(path));
    }

    private string Create(string relative)
    {
        string path = Path.Combine(dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, Original);
        return path;
    }

    private void AssertNoTemporaryFiles() => Assert.Empty(Directory.GetFiles(dir, "*.tmp", SearchOption.AllDirectories));

    private static int Chown(string path, int uid, int gid)
    {
        using var p = System.Diagnostics.Process.Start("chown", [$"{uid}:{gid}", path]);
        p.WaitForExit();
        return p.ExitCode;
    }
}

using System.Text;

namespace ComposeFix.Tests.WriteFaults;

/// <summary>`fix --write` through the real CLI when some files cannot be written: each says so, stays intact, and the others are fixed.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class WriteFaultCliTests : IDisposable
{
    private const string Vulnerable = "services:\n  web:\n    image: nginx:1.27\n    ports:\n      - \"8080:80\"\n";

    private readonly string dir = Directory.CreateTempSubdirectory("composefix-writefault-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void UnwritableFolderAndFileAreReportedAndTheOthersAreFixed()
    {
        foreach (var name in new[] { "a", "locked-folder", "locked-file", "z" })
        {
            Directory.CreateDirectory(Path.Combine(dir, name));
            File.WriteAllText(Path.Combine(dir, name, "compose.yaml"), Vulnerable, new UTF8Encoding(false));
        }

        (int Code, string Out, string Err) r;
        using (ReadOnlyFolder.Protect(Path.Combine(dir, "locked-folder")))
        using (ReadOnlyFolder.IsRoot ? ReadOnlyFolder.Protect(Path.Combine(dir, "locked-file", "compose.yaml")) : ReadOnlyFolder.Protect(Path.Combine(dir, "locked-file")))
        {
            r = CliProcess.Run(dir, "fix", "--write", ".");
        }

        Assert.Equal(2, r.Code);
        Assert.Matches(@"(?m)^locked-folder/compose\.yaml:1:1: error: cannot write here: permission denied .*; the file is unchanged$", r.Err);
        Assert.Matches(@"(?m)^locked-file/compose\.yaml:1:1: error: cannot write here: permission denied .*; the file is unchanged$", r.Err);
        Assert.DoesNotContain("   at ", r.Err, StringComparison.Ordinal);
        Assert.Equal(Vulnerable, File.ReadAllText(Path.Combine(dir, "locked-folder", "compose.yaml")));
        Assert.Equal(Vulnerable, File.ReadAllText(Path.Combine(dir, "locked-file", "compose.yaml")));
        Assert.Contains("127.0.0.1:8080:80", File.ReadAllText(Path.Combine(dir, "a", "compose.yaml")), StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:8080:80", File.ReadAllText(Path.Combine(dir, "z", "compose.yaml")), StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(dir, "*.tmp", SearchOption.AllDirectories));
        Assert.Contains("composefix: 4 files scanned, 2 changed", r.Err, StringComparison.Ordinal); // only what was written
    }

    [Fact]
    public void VerboseAddsTheExceptionDetail()
    {
        Directory.CreateDirectory(Path.Combine(dir, "locked"));
        File.WriteAllText(Path.Combine(dir, "locked", "compose.yaml"), Vulnerable, new UTF8Encoding(false));
        (int Code, string Out, string Err) quiet, verbose;
        using (ReadOnlyFolder.Protect(Path.Combine(dir, "locked")))
        {
            quiet = CliProcess.Run(dir, "fix", "--write", "locked/compose.yaml");
            verbose = CliProcess.Run(dir, "fix", "--write", "--verbose", "locked/compose.yaml");
        }

        Assert.Equal(2, quiet.Code);
        Assert.Equal(2, verbose.Code);
        Assert.DoesNotContain("Exception", quiet.Err, StringComparison.Ordinal);
        Assert.Contains("UnauthorizedAccessException", verbose.Err, StringComparison.Ordinal);
        Assert.Contains("AtomicFileWriter", verbose.Err, StringComparison.Ordinal);
    }
}

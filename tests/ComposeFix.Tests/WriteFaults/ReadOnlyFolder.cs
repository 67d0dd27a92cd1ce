using System.Diagnostics;

namespace ComposeFix.Tests.WriteFaults;

/// <summary>
/// Makes a folder or file unwritable for real: `chattr +i` as root (root ignores permission bits,
/// and CI runs as root), mode 0555 otherwise. Disposing makes it writable again.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class ReadOnlyFolder : IDisposable
{
    private readonly string path;
    private readonly bool immutable;
    private readonly UnixFileMode? previousMode;

    private ReadOnlyFolder(string path, bool immutable, UnixFileMode? previousMode)
    {
        this.path = path;
        this.immutable = immutable;
        this.previousMode = previousMode;
    }

    public static bool IsRoot => Environment.UserName == "root";

    public static ReadOnlyFolder Protect(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("write-fault tests need a Unix file system");
        }

        if (IsRoot)
        {
            Chattr("+i", path);
            return new ReadOnlyFolder(path, immutable: true, null);
        }

        var mode = File.GetUnixFileMode(path);
        File.SetUnixFileMode(path, mode & ~(UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite));
        return new ReadOnlyFolder(path, immutable: false, mode);
    }

    public void Dispose()
    {
        if (immutable)
        {
            Chattr("-i", path);
        }
        else if (previousMode is { } mode)
        {
            File.SetUnixFileMode(path, mode);
        }
    }

    private static void Chattr(string flag, string target)
    {
        var psi = new ProcessStartInfo("chattr") { RedirectStandardError = true };
        psi.ArgumentList.Add(flag);
        psi.ArgumentList.Add(target);
        using var p = Process.Start(psi)!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            // Running as root but unable to set the flag (e.g. tmpfs): this test cannot create its condition.
            throw new InvalidOperationException($"chattr {flag} {target} failed ({err.Trim()}); run the tests on a file system with immutable flags (ext4, xfs, btrfs)");
        }
    }
}

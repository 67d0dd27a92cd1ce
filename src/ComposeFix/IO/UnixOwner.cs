using System.Runtime.InteropServices;

namespace ComposeFix.IO;

/// <summary>
/// Copies a file's owner and group onto another file on Linux (.NET has no managed API for it), so
/// that `sudo composefix fix --write` does not hand a user's compose file over to root. Failures are
/// ignored: only root (or the owner, for a group it belongs to) may change ownership.
/// </summary>
internal static partial class UnixOwner
{
    private const int AtFdCwd = -100;
    private const uint StatxUid = 0x8;
    private const uint StatxGid = 0x10;

    public static void CopyIfPermitted(string from, string to)
    {
        if (!OperatingSystem.IsLinux() || Of(from) is not { } source || Of(to) is not { } current || source == current)
        {
            return;
        }

        _ = Chown(to, source.Uid, source.Gid); // EPERM for an ordinary user: the file keeps the writer's owner, as with cp
    }

    /// <summary>The owner and group of a file, or null when they cannot be read.</summary>
    public static (uint Uid, uint Gid)? Of(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            return Statx(AtFdCwd, path, 0, StatxUid | StatxGid, out var buffer) == 0 ? (buffer.Uid, buffer.Gid) : null;
        }
        catch (EntryPointNotFoundException)
        {
            return null; // a C library without statx (glibc before 2.28)
        }
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Statx(int dirfd, string path, int flags, uint mask, out StatxBuffer buffer);

    [LibraryImport("libc", EntryPoint = "chown", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Chown(string path, uint owner, uint group);

    /// <summary>The head of struct statx (the same layout on every Linux architecture), padded to the kernel's 256 bytes.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 256)]
    private struct StatxBuffer
    {
        public uint Mask;
        public uint BlockSize;
        public ulong Attributes;
        public uint LinkCount;
        public uint Uid;
        public uint Gid;
    }
}

namespace ComposeFix.IO;

/// <summary>Plain words for why a file could not be written (the runtime's messages name errno values and temporary paths).</summary>
public static class WriteFailure
{
    private const int NoSpace = 28;   // ENOSPC
    private const int ReadOnlyFs = 30; // EROFS
    private const int QuotaExceeded = 122; // EDQUOT

    public static string Describe(Exception ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        return ex switch
        {
            UnauthorizedAccessException => "cannot write here: permission denied (a read-only or immutable folder or file?)",
            IOException { HResult: NoSpace } => "cannot write: no space left on the device",
            IOException { HResult: QuotaExceeded } => "cannot write: disk quota exceeded",
            IOException { HResult: ReadOnlyFs } => "cannot write: the file system is read-only",
            _ => ex.Message,
        };
    }
}

namespace ComposeFix.Lsp.JsonRpc;

/// <summary>A header block that cannot be understood; the reader has skipped it.</summary>
public sealed class FramingException : Exception
{
    public FramingException()
    {
    }

    public FramingException(string message)
        : base(message)
    {
    }

    public FramingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

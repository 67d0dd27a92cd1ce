using System.Buffers;
using System.Text;

namespace ComposeFix.Text;

/// <summary>
/// A file's text plus the byte-level facts that must survive a round trip: the UTF-8 BOM,
/// the line-ending style and whether the last line ends with a newline. All offsets in
/// ComposeFix are UTF-16 indices into <see cref="Text"/>, which never contains the BOM.
/// </summary>
public sealed class SourceText
{
    /// <summary>Files larger than this are refused before they are read into memory.</summary>
    public const long MaxBytes = 32L * 1024 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Characters YAML does not allow in a stream (outside its printable set), which Compose refuses too.</summary>
    private static readonly SearchValues<char> NonPrintable = SearchValues.Create(
        "\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000B\u000C\u000E\u000F\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F\u007F"
        + "\u0080\u0081\u0082\u0083\u0084\u0086\u0087\u0088\u0089\u008A\u008B\u008C\u008D\u008E\u008F\u0090\u0091\u0092\u0093\u0094\u0095\u0096\u0097\u0098\u0099\u009A\u009B\u009C\u009D\u009E\u009F\uFFFE\uFFFF");
    private int[]? lineStarts;

    private SourceText(string text, bool hasBom)
    {
        Text = text;
        HasBom = hasBom;
        NewLine = DetectNewLine(text);
        EndsWithNewline = text.Length > 0 && (text[^1] == '\n' || text[^1] == '\r');
    }

    public string Text { get; }

    public bool HasBom { get; }

    /// <summary>The dominant line ending: "\r\n" when CRLF lines are at least as many as LF-only lines.</summary>
    public string NewLine { get; }

    public bool EndsWithNewline { get; }

    public static SourceText FromString(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        bool bom = text.Length > 0 && text[0] == '\uFEFF';
        return new SourceText(bom ? text[1..] : text, bom);
    }

    /// <summary>Edited text of the same file: keeps the BOM fact.</summary>
    public SourceText WithText(string text) => new(text, HasBom);

    /// <summary>Decodes file bytes; refuses binary, UTF-16/32 and invalid UTF-8 input with a positioned error.</summary>
    public static SourceText Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxBytes)
        {
            throw new InputException($"file is larger than the {MaxBytes / (1024 * 1024)} MiB limit", 1, 1);
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE, 0x00, 0x00]) || bytes.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0xFE, 0xFF]))
        {
            throw new InputException("file is UTF-32 encoded; ComposeFix reads UTF-8 only (convert it with iconv -f UTF-32 -t UTF-8)", 1, 1);
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            throw new InputException("file is UTF-16 encoded; ComposeFix reads UTF-8 only (convert it with iconv -f UTF-16 -t UTF-8)", 1, 1);
        }

        bool bom = bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]);
        ReadOnlySpan<byte> body = bom ? bytes[3..] : bytes;
        int nul = body.IndexOf((byte)0);
        if (nul >= 0)
        {
            var (line, col) = ByteLineColumn(body, nul);
            throw new InputException("binary file: NUL byte found; compose files are UTF-8 text", line, col);
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(body);
        }
        catch (DecoderFallbackException)
        {
            int bad = FirstInvalidUtf8(body);
            var (line, col) = ByteLineColumn(body, bad);
            throw new InputException("file is not valid UTF-8 (Latin-1 or binary?); ComposeFix reads UTF-8 only", line, col);
        }

        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            throw new InputException("file starts with two byte-order marks", 1, 1);
        }

        int control = text.AsSpan().IndexOfAny(NonPrintable);
        if (control >= 0)
        {
            var source = new SourceText(text, bom);
            var (line, col) = source.LineColumn(control);
            throw new InputException($"control character U+{(int)text[control]:X4} is not allowed in YAML (a binary file?); compose files are UTF-8 text", line, col);
        }

        return new SourceText(text, bom);
    }

    /// <summary>Encodes text (usually an edited version of <see cref="Text"/>) with this file's BOM.</summary>
    public byte[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int count = StrictUtf8.GetByteCount(text);
        int offset = HasBom ? 3 : 0;
        var bytes = new byte[count + offset];
        if (HasBom)
        {
            bytes[0] = 0xEF;
            bytes[1] = 0xBB;
            bytes[2] = 0xBF;
        }

        StrictUtf8.GetBytes(text, 0, text.Length, bytes, offset);
        return bytes;
    }

    /// <summary>The text as a diff shows it: with the BOM character in front when the file has one.</summary>
    public string WithBom(string text) => HasBom ? "\uFEFF" + text : text;

    /// <summary>1-based line and column (UTF-16 units) of an index, counting only LF and lone CR as line breaks.</summary>
    public (int Line, int Column) LineColumn(int index)
    {
        lineStarts ??= ComputeLineStarts(Text);
        int i = Array.BinarySearch(lineStarts, index);
        if (i < 0)
        {
            i = ~i - 1;
        }

        return (i + 1, index - lineStarts[i] + 1);
    }

    private static int[] ComputeLineStarts(string text)
    {
        var starts = new List<int> { 0 };
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\n' || (c == '\r' && (i + 1 >= text.Length || text[i + 1] != '\n')))
            {
                starts.Add(i + 1);
            }
        }

        return [.. starts];
    }

    private static string DetectNewLine(string text)
    {
        // Vectorised counts: this runs on every parse, including each verification re-parse.
        var span = text.AsSpan();
        int crlf = span.Count("\r\n".AsSpan());
        int lf = span.Count('\n') - crlf;
        return crlf > 0 && crlf >= lf ? "\r\n" : "\n";
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        int i = 0;
        while (i < bytes.Length)
        {
            var status = System.Text.Rune.DecodeFromUtf8(bytes[i..], out _, out int consumed);
            if (status != System.Buffers.OperationStatus.Done)
            {
                return i;
            }

            i += consumed;
        }

        return bytes.Length;
    }

    /// <summary>Line and column of a byte offset, counted like <see cref="LineColumn"/>: LF, CRLF and lone CR break lines, columns are UTF-16 units.</summary>
    private static (int Line, int Column) ByteLineColumn(ReadOnlySpan<byte> bytes, int offset)
    {
        int line = 1, lineStart = 0;
        for (int i = 0; i < offset; i++)
        {
            if (bytes[i] == (byte)'\n' || (bytes[i] == (byte)'\r' && (i + 1 >= bytes.Length || bytes[i + 1] != (byte)'\n')))
            {
                line++;
                lineStart = i + 1;
            }
        }

        // The bytes before the offset on its line may hold multi-byte characters (or, for a NUL, invalid ones: each counts once).
        return (line, Encoding.UTF8.GetCharCount(bytes[lineStart..offset]) + 1);
    }
}

/// <summary>A problem with the input itself, at a 1-based line and column.</summary>
public sealed class InputException : Exception
{
    public InputException(string message, int line, int column)
        : base(message)
    {
        Line = line;
        Column = column;
    }

    public InputException(string message, int line, int column, Exception innerException)
        : base(message, innerException)
    {
        Line = line;
        Column = column;
    }

    public InputException()
    {
    }

    public InputException(string message)
        : base(message)
    {
    }

    public InputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public int Line { get; } = 1;

    public int Column { get; } = 1;
}

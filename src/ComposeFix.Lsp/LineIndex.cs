using ComposeFix.Lsp.Protocol;

namespace ComposeFix.Lsp;

/// <summary>
/// Offsets in a string ↔ LSP positions (0-based line, UTF-16 code units in the line, which is what
/// a .NET string index counts). Line breaks are LF, CRLF and a lone CR, as in LSP and SourceText.
/// </summary>
public sealed class LineIndex
{
    private readonly string text;
    private readonly int[] starts;

    public LineIndex(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        this.text = text;
        var list = new List<int> { 0 };
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= text.Length || text[i + 1] != '\n')))
            {
                list.Add(i + 1);
            }
        }

        starts = [.. list];
    }

    public int LineCount => starts.Length;

    public Position PositionOf(int offset)
    {
        offset = Math.Clamp(offset, 0, text.Length);
        int line = Array.BinarySearch(starts, offset);
        if (line < 0)
        {
            line = ~line - 1;
        }

        return new Position(line, offset - starts[line]);
    }

    /// <summary>The offset of a position; a character past the end of its line means the line's end (as LSP asks).</summary>
    public int OffsetOf(Position position)
    {
        ArgumentNullException.ThrowIfNull(position);
        if (position.Line < 0)
        {
            return 0;
        }

        if (position.Line >= starts.Length)
        {
            return text.Length;
        }

        return Math.Min(starts[position.Line] + Math.Max(position.Character, 0), LineEnd(position.Line));
    }

    /// <summary>The offset where a line's content ends (before its line break).</summary>
    public int LineEnd(int line)
    {
        line = Math.Clamp(line, 0, starts.Length - 1);
        int end = line + 1 < starts.Length ? starts[line + 1] : text.Length;
        while (end > starts[line] && (text[end - 1] == '\n' || text[end - 1] == '\r'))
        {
            end--;
        }

        return end;
    }

    /// <summary>The offset of a 1-based line and UTF-16 column as the engine reports them.</summary>
    public int OffsetOf(int line, int column) => OffsetOf(new Position(line - 1, column - 1));

    public Protocol.Range RangeOf(int start, int end) => new(PositionOf(start), PositionOf(end));
}

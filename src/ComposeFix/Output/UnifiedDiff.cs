using System.Globalization;
using System.Text;
using DiffPlex;
using DiffPlex.Model;

namespace ComposeFix.Output;

/// <summary>
/// Renders git-style unified diffs that <c>git apply</c> and <c>patch -p1</c> reproduce byte for byte.
/// </summary>
/// <remarks>
/// Text is split on <c>\n</c> only and every line keeps its own ending (<c>\n</c> or <c>\r\n</c>), so
/// CRLF files, lone <c>\r</c> characters and a leading U+FEFF survive verbatim. A last line without
/// a final newline is followed by <c>\ No newline at end of file</c>, exactly as git writes it.
/// The diff itself uses <c>\n</c> for its own structural lines; callers write the result as UTF-8.
/// </remarks>
public static class UnifiedDiff
{
    private const string NoNewlineMarker = "\\ No newline at end of file\n";

    private const string Reset = "\u001b[0m";
    private const string Bold = "\u001b[1m";
    private const string Red = "\u001b[31m";
    private const string Green = "\u001b[32m";
    private const string Cyan = "\u001b[36m";

    /// <summary>Unified diff of one file, git-style. Returns "" when <paramref name="oldText"/> == <paramref name="newText"/>.</summary>
    /// <param name="path">Relative path with forward slashes, e.g. <c>deploy/docker-compose.yml</c>.</param>
    /// <param name="oldText">Current content of the file (a leading BOM, if any, included).</param>
    /// <param name="newText">Desired content of the file.</param>
    /// <param name="context">Number of context lines around each change (git default: 3).</param>
    public static string Render(string path, string oldText, string newText, int context = 3)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(oldText);
        ArgumentNullException.ThrowIfNull(newText);
        ArgumentOutOfRangeException.ThrowIfNegative(context);

        if (string.Equals(oldText, newText, StringComparison.Ordinal))
        {
            return string.Empty;
        }

        string[] oldLines = SplitLines(oldText);
        string[] newLines = SplitLines(newText);
        List<Edit> edits = ComputeEdits(oldLines, newLines);
        context = Math.Min(context, Math.Max(oldLines.Length, newLines.Length)); // no overflow for huge values

        var sb = new StringBuilder(EstimateCapacity(path, oldLines, newLines, edits, context));
        string a = QuotePath("a/", path);
        string b = QuotePath("b/", path);
        sb.Append("diff --git ").Append(a).Append(' ').Append(b).Append('\n');
        AppendFileLabel(sb, "--- ", a);
        AppendFileLabel(sb, "+++ ", b);

        int i = 0;
        while (i < edits.Count)
        {
            // One hunk holds all edits whose context windows overlap or touch (gap of at most 2 * context lines).
            int j = i;
            while (j + 1 < edits.Count && edits[j + 1].OldStart - edits[j].OldEnd <= 2 * context)
            {
                j++;
            }

            Edit first = edits[i];
            Edit last = edits[j];
            int oldStart = Math.Max(0, first.OldStart - context);
            int newStart = first.NewStart - (first.OldStart - oldStart);
            int oldEnd = Math.Min(oldLines.Length, last.OldEnd + context);
            int newEnd = last.NewEnd + (oldEnd - last.OldEnd);

            AppendHunkHeader(sb, oldStart, oldEnd - oldStart, newStart, newEnd - newStart);

            int oldPos = oldStart;
            for (int k = i; k <= j; k++)
            {
                Edit edit = edits[k];
                AppendLines(sb, ' ', oldLines, oldPos, edit.OldStart);
                AppendLines(sb, '-', oldLines, edit.OldStart, edit.OldEnd);
                AppendLines(sb, '+', newLines, edit.NewStart, edit.NewEnd);
                oldPos = edit.OldEnd;
            }

            AppendLines(sb, ' ', oldLines, oldPos, oldEnd);
            i = j + 1;
        }

        return sb.ToString();
    }

    /// <summary>Diff that creates a new file with the given unix mode (e.g. "100600"), git-style ("new file mode").</summary>
    /// <param name="path">Relative path with forward slashes.</param>
    /// <param name="newText">Content of the new file.</param>
    /// <param name="mode">Six-digit octal git mode, e.g. <c>100644</c> or <c>100755</c>.</param>
    public static string RenderNewFile(string path, string newText, string mode = "100644")
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(newText);
        ArgumentNullException.ThrowIfNull(mode);
        if (mode.Length != 6 || !mode.All(static c => c is >= '0' and <= '7'))
        {
            throw new ArgumentException($"Invalid git file mode '{mode}': expected six octal digits such as 100644.", nameof(mode));
        }

        string[] lines = SplitLines(newText);
        var sb = new StringBuilder(newText.Length + lines.Length + (2 * path.Length) + 96);
        string a = QuotePath("a/", path);
        string b = QuotePath("b/", path);
        sb.Append("diff --git ").Append(a).Append(' ').Append(b).Append('\n');
        sb.Append("new file mode ").Append(mode).Append('\n');

        // git writes no hunk (and no ---/+++ lines) for an empty new file.
        if (lines.Length == 0)
        {
            return sb.ToString();
        }

        AppendFileLabel(sb, "--- ", "/dev/null");
        AppendFileLabel(sb, "+++ ", b);
        AppendHunkHeader(sb, 0, 0, 0, lines.Length);
        AppendLines(sb, '+', lines, 0, lines.Length);
        return sb.ToString();
    }

    /// <summary>Adds ANSI colours (red -, green +, cyan @@, bold headers) for terminal output.</summary>
    /// <param name="diff">One or more diffs as produced by <see cref="Render"/> or <see cref="RenderNewFile"/>.</param>
    public static string Colorize(string diff)
    {
        ArgumentNullException.ThrowIfNull(diff);
        if (diff.Length == 0)
        {
            return diff;
        }

        var sb = new StringBuilder(diff.Length + (diff.Length / 4) + 16);
        bool inHunk = false;
        int start = 0;
        while (start < diff.Length)
        {
            int newline = diff.IndexOf('\n', start);
            int next = newline < 0 ? diff.Length : newline + 1;
            int contentEnd = newline < 0 ? diff.Length : newline;
            if (contentEnd > start && diff[contentEnd - 1] == '\r')
            {
                contentEnd--;
            }

            ReadOnlySpan<char> content = diff.AsSpan(start, contentEnd - start);
            string? color;
            if (content.StartsWith("diff --git ", StringComparison.Ordinal))
            {
                inHunk = false;
                color = Bold;
            }
            else if (content.StartsWith("@@", StringComparison.Ordinal))
            {
                inHunk = true;
                color = Cyan;
            }
            else if (!inHunk)
            {
                color = content.IsEmpty ? null : Bold;
            }
            else if (content.StartsWith("-", StringComparison.Ordinal))
            {
                color = Red;
            }
            else if (content.StartsWith("+", StringComparison.Ordinal))
            {
                color = Green;
            }
            else
            {
                color = null;
            }

            if (color is null)
            {
                sb.Append(content);
            }
            else
            {
                sb.Append(color).Append(content).Append(Reset);
            }

            sb.Append(diff, contentEnd, next - contentEnd);
            start = next;
        }

        return sb.ToString();
    }

    /// <summary>Splits on <c>\n</c> only; every line keeps its terminator. "" has no lines.</summary>
    private static string[] SplitLines(string text)
    {
        if (text.Length == 0)
        {
            return [];
        }

        var lines = new List<string>();
        int start = 0;
        while (start < text.Length)
        {
            int newline = text.IndexOf('\n', start);
            if (newline < 0)
            {
                lines.Add(text[start..]);
                break;
            }

            lines.Add(text.Substring(start, newline - start + 1));
            start = newline + 1;
        }

        return [.. lines];
    }

    private static void AppendLines(StringBuilder sb, char prefix, string[] lines, int from, int to)
    {
        for (int k = from; k < to; k++)
        {
            string line = lines[k];
            sb.Append(prefix).Append(line);
            if (line.Length == 0 || line[^1] != '\n')
            {
                sb.Append('\n').Append(NoNewlineMarker);
            }
        }
    }

    private static void AppendHunkHeader(StringBuilder sb, int oldStart, int oldCount, int newStart, int newCount)
    {
        sb.Append("@@ -");
        AppendRange(sb, oldStart, oldCount);
        sb.Append(" +");
        AppendRange(sb, newStart, newCount);
        sb.Append(" @@\n");
    }

    /// <summary>git's range format: 1-based start, ",count" omitted when 1; an empty side names the line before.</summary>
    private static void AppendRange(StringBuilder sb, int start, int count)
    {
        sb.Append((count == 0 ? start : start + 1).ToString(CultureInfo.InvariantCulture));
        if (count != 1)
        {
            sb.Append(',').Append(count.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>git appends a tab to ---/+++ labels containing a space so that GNU patch finds the end of the name.</summary>
    private static void AppendFileLabel(StringBuilder sb, string marker, string label)
    {
        sb.Append(marker).Append(label);
        if (label.Contains(' ', StringComparison.Ordinal))
        {
            sb.Append('\t');
        }

        sb.Append('\n');
    }

    /// <summary>Quotes "prefix + path" the way git does (core.quotePath=true): C escapes, octal UTF-8 bytes.</summary>
    private static string QuotePath(string prefix, string path)
    {
        bool needsQuote = false;
        foreach (char c in path)
        {
            if (c < 0x20 || c == '"' || c == '\\' || c >= 0x7F)
            {
                needsQuote = true;
                break;
            }
        }

        if (!needsQuote)
        {
            return prefix + path;
        }

        var sb = new StringBuilder(path.Length * 2 + prefix.Length + 2);
        sb.Append('"').Append(prefix);
        foreach (byte value in Encoding.UTF8.GetBytes(path))
        {
            switch (value)
            {
                case (byte)'\a': sb.Append("\\a"); break;
                case (byte)'\b': sb.Append("\\b"); break;
                case (byte)'\t': sb.Append("\\t"); break;
                case (byte)'\n': sb.Append("\\n"); break;
                case (byte)'\v': sb.Append("\\v"); break;
                case (byte)'\f': sb.Append("\\f"); break;
                case (byte)'\r': sb.Append("\\r"); break;
                case (byte)'"': sb.Append("\\\""); break;
                case (byte)'\\': sb.Append("\\\\"); break;
                default:
                    if (value < 0x20 || value >= 0x7F)
                    {
                        sb.Append('\\')
                          .Append((char)('0' + ((value >> 6) & 7)))
                          .Append((char)('0' + ((value >> 3) & 7)))
                          .Append((char)('0' + (value & 7)));
                    }
                    else
                    {
                        sb.Append((char)value);
                    }

                    break;
            }
        }

        sb.Append('"');
        return sb.ToString();
    }

    private static int EstimateCapacity(string path, string[] oldLines, string[] newLines, List<Edit> edits, int context)
    {
        long estimate = (4L * path.Length) + 64;
        foreach (Edit edit in edits)
        {
            estimate += 48 + (2L * context * 40);
            for (int k = edit.OldStart; k < edit.OldEnd; k++)
            {
                estimate += oldLines[k].Length + 1;
            }

            for (int k = edit.NewStart; k < edit.NewEnd; k++)
            {
                estimate += newLines[k].Length + 1;
            }
        }

        return (int)Math.Min(estimate, 1 << 24);
    }

    /// <summary>
    /// Line-level edit script (sorted, non-overlapping, separated by at least one unchanged line).
    /// </summary>
    /// <remarks>
    /// Like git's xdiff, lines that occur on only one side are taken out before running DiffPlex's Myers
    /// diff: they can never be part of the longest common subsequence, so the result stays minimal, while
    /// whole-file rewrites (e.g. LF to CRLF) no longer cost O(N * D). Lines are compared ordinally,
    /// endings included, via small integer tokens.
    /// </remarks>
    private static List<Edit> ComputeEdits(string[] oldLines, string[] newLines)
    {
        var ids = new Dictionary<string, int>(oldLines.Length + newLines.Length, StringComparer.Ordinal);
        var occursInOld = new List<bool>();
        var occursInNew = new List<bool>();
        int[] oldIds = Tokenize(oldLines, ids, occursInOld, occursInNew, isOld: true);
        int[] newIds = Tokenize(newLines, ids, occursInOld, occursInNew, isOld: false);

        List<int> keptOld = KeepShared(oldIds, occursInNew);
        List<int> keptNew = KeepShared(newIds, occursInOld);

        var edits = new List<Edit>();
        int nextOld = 0;
        int nextNew = 0;

        void Match(int oldIndex, int newIndex)
        {
            if (oldIndex > nextOld || newIndex > nextNew)
            {
                edits.Add(new Edit(nextOld, oldIndex - nextOld, nextNew, newIndex - nextNew));
            }

            nextOld = oldIndex + 1;
            nextNew = newIndex + 1;
        }

        if (keptOld.Count > 0 && keptNew.Count > 0)
        {
            DiffResult result = Differ.Instance.CreateDiffs(
                TokenText(keptOld, oldIds), TokenText(keptNew, newIds), ignoreWhiteSpace: false, ignoreCase: false, TokenChunker.Instance);
            int ra = 0;
            int rb = 0;
            foreach (DiffBlock block in result.DiffBlocks)
            {
                for (; ra < block.DeleteStartA; ra++, rb++)
                {
                    Match(keptOld[ra], keptNew[rb]);
                }

                ra += block.DeleteCountA;
                rb += block.InsertCountB;
            }

            for (; ra < keptOld.Count && rb < keptNew.Count; ra++, rb++)
            {
                Match(keptOld[ra], keptNew[rb]);
            }
        }

        Match(oldLines.Length, newLines.Length);
        return edits;
    }

    private static int[] Tokenize(string[] lines, Dictionary<string, int> ids, List<bool> occursInOld, List<bool> occursInNew, bool isOld)
    {
        var tokens = new int[lines.Length];
        for (int k = 0; k < lines.Length; k++)
        {
            if (!ids.TryGetValue(lines[k], out int id))
            {
                id = ids.Count;
                ids.Add(lines[k], id);
                occursInOld.Add(false);
                occursInNew.Add(false);
            }

            (isOld ? occursInOld : occursInNew)[id] = true;
            tokens[k] = id;
        }

        return tokens;
    }

    private static List<int> KeepShared(int[] tokens, List<bool> occursOnOtherSide)
    {
        var kept = new List<int>(tokens.Length);
        for (int k = 0; k < tokens.Length; k++)
        {
            if (occursOnOtherSide[tokens[k]])
            {
                kept.Add(k);
            }
        }

        return kept;
    }

    /// <summary>One token per kept line, each terminated by '\n', for <see cref="TokenChunker"/>.</summary>
    private static string TokenText(List<int> kept, int[] tokens)
    {
        var sb = new StringBuilder(kept.Count * 6);
        foreach (int index in kept)
        {
            sb.Append(tokens[index].ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>A run of <see cref="OldCount"/> removed lines at <see cref="OldStart"/> replaced by <see cref="NewCount"/> added lines at <see cref="NewStart"/> (0-based).</summary>
    private readonly record struct Edit(int OldStart, int OldCount, int NewStart, int NewCount)
    {
        public int OldEnd => OldStart + OldCount;

        public int NewEnd => NewStart + NewCount;
    }

    /// <summary>Chunker for DiffPlex over <see cref="TokenText"/> output: one piece per '\n'-terminated token.</summary>
    private sealed class TokenChunker : IChunker
    {
        public static readonly TokenChunker Instance = new();

        public IReadOnlyList<string> Chunk(string text)
        {
            var pieces = new List<string>();
            int start = 0;
            while (start < text.Length)
            {
                int newline = text.IndexOf('\n', start);
                pieces.Add(text[start..newline]);
                start = newline + 1;
            }

            return pieces;
        }
    }
}

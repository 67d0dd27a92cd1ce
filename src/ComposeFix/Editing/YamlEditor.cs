using System.Text;
using ComposeFix.Yaml;

namespace ComposeFix.Editing;

/// <summary>
/// Turns node-level operations into <see cref="TextEdit"/>s on the original text, in the style of
/// the surrounding block: sibling indentation, indented or indentless sequences, flow stays flow,
/// the quote of neighbouring scalars, the line ending of the line it writes next to, and no final
/// newline where the file had none. It never re-emits anything it did not create.
/// </summary>
public sealed class YamlEditor
{
    private readonly string text;
    private readonly StyleProfile profile;
    private readonly string fileNewLine;
    private readonly List<TextEdit> edits = [];
    private readonly Dictionary<YSequence, (HashSet<int> Removed, List<TextEdit> Edits)> flowRemovals = [];

    public YamlEditor(YFile file, StyleProfile profile)
    {
        ArgumentNullException.ThrowIfNull(file);
        text = file.Text;
        this.profile = profile;
        fileNewLine = file.Source.NewLine;
    }

    public IReadOnlyList<TextEdit> Edits => edits;

    public void AddPair(YMapping map, string key, NewNode value)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(value);
        var quote = profile.QuoteAmong(map.Pairs.Select(p => p.Value));
        if (map.IsFlow || map.Pairs.Count == 0)
        {
            string item = RenderKey(key, quote) + ": " + Inline(value, quote);
            AppendFlow(map, map.Pairs.Count == 0 ? null : map.Pairs[^1].Key, map.Pairs.Count == 0 ? null : PairEnd(map.Pairs[^1]), item);
            return;
        }

        int col = StyleProfile.Column(text, map.Pairs[0].Key.Start);
        int p = InsertionPoint(map, col);
        var ctx = new Context(profile.IndentStepIn(text, map), profile.SequenceOffsetIn(text, map), quote, NewLineAt(p), PrefersFlowSequences(map));
        var sb = new StringBuilder();
        WritePair(sb, key, value, col, ctx);
        Insert(p, sb.ToString(), ctx.NewLine);
    }

    public void AppendItem(YSequence seq, NewNode item)
    {
        ArgumentNullException.ThrowIfNull(seq);
        ArgumentNullException.ThrowIfNull(item);
        var quote = profile.QuoteAmong(seq.Items);
        if (seq.IsFlow || seq.Items.Count == 0)
        {
            AppendFlow(seq, seq.Items.Count == 0 ? null : seq.Items[^1], seq.Items.Count == 0 ? null : seq.Items[^1].End, Inline(item, quote));
            return;
        }

        int dash = DashOf(seq.Items[^1]);
        int col = StyleProfile.Column(text, dash);
        int p = InsertionPoint(seq, col);
        var ctx = new Context(profile.IndentStep, profile.SequenceOffset, quote, NewLineAt(p), false);
        var sb = new StringBuilder();
        WriteItem(sb, item, col, ctx);
        Insert(p, sb.ToString(), ctx.NewLine);
    }

    /// <summary>Replaces the value <paramref name="node"/> (a mapping value or a sequence item) with <paramref name="value"/>.</summary>
    public void ReplaceValue(YNode node, NewNode value)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(value);
        var parent = node.Parent ?? throw new EditConflictException("cannot replace the document root");
        bool flowContext = InFlow(node);
        YPair? pair = (parent as YMapping)?.Pairs.FirstOrDefault(p => ReferenceEquals(p.Value, node));
        char quote = node is YScalar { IsQuoted: true } q
            ? (q.Style == YScalarStyle.SingleQuoted ? '\'' : '"')
            : profile.QuoteAmong(parent is YMapping pm ? pm.Pairs.Select(p => p.Value) : ((YSequence)parent).Items);

        bool block = !flowContext && pair is not null && IsBlockValue(value, PrefersFlowSequences(parent as YMapping));
        if (!block && node is YScalar { IsEmpty: false, IsBlock: false } scalar)
        {
            string rendered = scalar.IsQuoted && value is NewScalar { Tag: ScalarResolver.StrTag } ns
                ? Quote(ns.Value, quote)
                : Inline(value, quote);
            edits.Add(new TextEdit(scalar.ValueStart, scalar.End, rendered));
            return;
        }

        int start;
        bool afterProperties = false;
        if (node is YScalar { IsEmpty: true })
        {
            start = node.ValueStart;
        }
        else if (node.Start < node.ValueStart && (node.Anchor is not null || node.Tag is not null))
        {
            start = PropertiesEnd(node);
            afterProperties = true;
        }
        else if (pair is not null)
        {
            start = AfterColon(pair);
        }
        else
        {
            start = node.ValueStart;
        }

        // A block collection starts on a later line than its key: the rest of the key's line (a comment) is kept.
        int keyLineEnd = LineEnd(start);
        bool valueOnLaterLine = node is not YScalar { IsEmpty: true } && node.ValueStart > keyLineEnd;
        if (!block)
        {
            // A space after the colon, and after kept properties: "&m" + "x" would make the anchor "&mx".
            string lead = afterProperties || (pair is not null && start == AfterColonOrNeg(pair)) ? " " : (node is YScalar { IsEmpty: true } && pair is not null ? " " : "");
            if (start < text.Length && start > 0 && text[start - 1] == ' ')
            {
                lead = "";
            }

            if (valueOnLaterLine)
            {
                edits.Add(new TextEdit(start, start, lead + Inline(value, quote)));
                edits.Add(new TextEdit(keyLineEnd, node.End, ""));
                return;
            }

            edits.Add(new TextEdit(start, node.End, lead + Inline(value, quote)));
            return;
        }

        var map = (YMapping)parent;
        int keyCol = StyleProfile.Column(text, pair!.Key.Start);
        string nl = NewLineAt(NextLineStart(node.End));
        var ctx = new Context(profile.IndentStepIn(text, map), profile.SequenceOffsetIn(text, map), quote, nl, false);
        var sb = new StringBuilder();
        WriteBlock(sb, value, keyCol, ctx);
        sb.Length -= nl.Length;
        if (valueOnLaterLine)
        {
            edits.Add(new TextEdit(keyLineEnd, node.End, nl + sb));
            return;
        }

        int end = node is YScalar { IsEmpty: true } ? start : node.End;
        int rest = SkipBlanks(end);
        if (rest < text.Length && text[rest] == '#')
        {
            // A comment beside the key stays on the key's line: the block goes after it.
            if (end > start)
            {
                edits.Add(new TextEdit(start, end, ""));
            }

            int lineEnd = LineEnd(rest);
            edits.Add(new TextEdit(lineEnd, lineEnd, nl + sb));
            return;
        }

        edits.Add(new TextEdit(start, end, nl + sb));
    }

    public void RemovePair(YMapping map, YPair pair)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(pair);
        int idx = map.Pairs.IndexOf(pair);
        if (idx < 0)
        {
            throw new ArgumentException("pair not in mapping", nameof(pair));
        }

        if (map.Pairs.Count == 1)
        {
            if (map.IsFlow)
            {
                edits.Add(new TextEdit(map.ValueStart + 1, map.End - 1, ""));
            }
            else
            {
                ReplaceValue(map, new NewMap([], Flow: true));
            }

            return;
        }

        if (map.IsFlow)
        {
            edits.Add(idx < map.Pairs.Count - 1
                ? new TextEdit(pair.Key.Start, map.Pairs[idx + 1].Key.Start, "")
                : new TextEdit(PairEnd(map.Pairs[idx - 1]), PairEnd(pair), ""));
            return;
        }

        RemoveBlockEntry(pair.Key.Start, PairEnd(pair), idx < map.Pairs.Count - 1 ? map.Pairs[idx + 1].Key.Start : -1);
    }

    public void RemoveItem(YSequence seq, int index)
    {
        ArgumentNullException.ThrowIfNull(seq);
        var item = seq.Items[index];
        if (seq.Items.Count == 1)
        {
            if (seq.IsFlow)
            {
                edits.Add(new TextEdit(seq.ValueStart + 1, seq.End - 1, ""));
            }
            else
            {
                ReplaceValue(seq, new NewSeq([], Flow: true));
            }

            return;
        }

        if (seq.IsFlow)
        {
            RemoveFlowItem(seq, index);
            return;
        }

        RemoveBlockEntry(DashOf(item), item.End, index < seq.Items.Count - 1 ? DashOf(seq.Items[index + 1]) : -1);
    }

    /// <summary>
    /// Removes flow items run by run, so that several removals from one flow sequence (one fix) do not
    /// overlap: a run is removed with the separator after it, a run that ends the sequence with the
    /// separator before it.
    /// </summary>
    private void RemoveFlowItem(YSequence seq, int index)
    {
        if (!flowRemovals.TryGetValue(seq, out var state))
        {
            state = ([], []);
            flowRemovals[seq] = state;
        }

        state.Removed.Add(index);
        foreach (var e in state.Edits)
        {
            edits.Remove(e);
        }

        state.Edits.Clear();
        int n = seq.Items.Count;
        if (state.Removed.Count == n)
        {
            state.Edits.Add(new TextEdit(seq.ValueStart + 1, seq.End - 1, ""));
        }
        else
        {
            var removed = state.Removed.Order().ToList();
            for (int i = 0; i < removed.Count; i++)
            {
                int first = removed[i];
                while (i + 1 < removed.Count && removed[i + 1] == removed[i] + 1)
                {
                    i++;
                }

                int last = removed[i];
                state.Edits.Add(last < n - 1
                    ? new TextEdit(seq.Items[first].Start, seq.Items[last + 1].Start, "")
                    : new TextEdit(seq.Items[first - 1].End, seq.Items[last].End, ""));
            }
        }

        edits.AddRange(state.Edits);
    }

    /// <summary>Renames a mapping key in place, keeping its quoting.</summary>
    public void RenameKey(YPair pair, string newKey)
    {
        ArgumentNullException.ThrowIfNull(pair);
        if (pair.Key is not YScalar key || key.IsBlock)
        {
            throw new EditConflictException("only scalar keys can be renamed");
        }

        string rendered = key.IsQuoted ? Quote(newKey, key.Style == YScalarStyle.SingleQuoted ? '\'' : '"') : RenderKey(newKey, profile.Quote);
        edits.Add(new TextEdit(key.ValueStart, key.End, rendered));
    }

    /// <summary>Inserts text at <paramref name="index"/> as new lines; used for whole new top-level blocks.</summary>
    private void Insert(int p, string block, string nl)
    {
        if (p >= text.Length && text.Length > 0 && text[^1] != '\n' && text[^1] != '\r')
        {
            // The file has no final newline: keep it that way.
            edits.Add(new TextEdit(p, p, nl + block[..^nl.Length]));
        }
        else
        {
            edits.Add(new TextEdit(p, p, block));
        }
    }

    private void AppendFlow(YNode collection, YNode? lastStart, int? lastEnd, string item)
    {
        if (lastEnd is null)
        {
            // Several items into one empty collection: separate them.
            int at = collection.ValueStart + 1;
            bool follows = edits.Any(e => e.Start == at && e.End == at);
            edits.Add(new TextEdit(at, at, (follows ? ", " : "") + item));
            return;
        }

        int end = lastEnd.Value;
        if (LineOf(lastStart!.Start) != LineOf(collection.ValueStart))
        {
            int col = StyleProfile.Column(text, lastStart.Start);
            string nl = NewLineAt(NextLineStart(end));

            // A comment beside the last item stays beside it: the item gets a comma before the comment, and the new
            // item a line of its own after it. New items there end with a comma, so that several appends (in one
            // editor or in several fixes, whose equal edits the planner merges) still compose.
            int i = SkipBlanks(end);
            bool comma = i < text.Length && text[i] == ',';
            if (comma)
            {
                i = SkipBlanks(i + 1);
            }

            if (i < text.Length && text[i] == '#')
            {
                var separator = new TextEdit(end, end, ",");
                if (!comma && !edits.Contains(separator))
                {
                    edits.Add(separator);
                }

                int lineEnd = LineEnd(i);
                edits.Add(new TextEdit(lineEnd, lineEnd, nl + new string(' ', col) + item + ","));
                return;
            }

            edits.Add(new TextEdit(end, end, "," + nl + new string(' ', col) + item));
        }
        else
        {
            edits.Add(new TextEdit(end, end, ", " + item));
        }
    }

    private void RemoveBlockEntry(int start, int end, int nextStart)
    {
        int ls = LineStart(start);
        if (OnlySpaces(ls, start))
        {
            int stop = EndOfLineAfter(end);
            if (stop >= text.Length && text.Length > 0 && text[^1] != '\n' && text[^1] != '\r')
            {
                // The last line goes: take the line break before it, so the file still has no final newline.
                int s = ls;
                if (s > 0 && text[s - 1] == '\n')
                {
                    s--;
                }

                if (s > 0 && text[s - 1] == '\r')
                {
                    s--;
                }

                edits.Add(new TextEdit(s, stop, ""));
                return;
            }

            edits.Add(new TextEdit(ls, stop, ""));
            return;
        }

        if (nextStart < 0)
        {
            throw new EditConflictException("cannot remove the last entry of a collection that starts on its parent's line");
        }

        edits.Add(new TextEdit(start, nextStart, ""));
    }

    private void WritePair(StringBuilder sb, string key, NewNode value, int col, Context ctx)
    {
        sb.Append(' ', col).Append(RenderKey(key, ctx.Quote)).Append(':');
        if (value is NewScalar { Tag: ScalarResolver.NullTag })
        {
            sb.Append(ctx.NewLine); // `key:` — an empty value, as people write it
        }
        else if (IsBlockValue(value, ctx.FlowSequences))
        {
            sb.Append(ctx.NewLine);
            WriteBlock(sb, value, col, ctx);
        }
        else
        {
            sb.Append(' ').Append(Inline(value, ctx.Quote)).Append(ctx.NewLine);
        }
    }

    private void WriteBlock(StringBuilder sb, NewNode value, int keyCol, Context ctx)
    {
        switch (value)
        {
            case NewMap map:
                foreach (var (k, v) in map.Pairs)
                {
                    WritePair(sb, k, v, keyCol + ctx.Step, ctx);
                }

                break;
            case NewSeq seq:
                foreach (var item in seq.Items)
                {
                    WriteItem(sb, item, keyCol + ctx.SequenceOffset, ctx);
                }

                break;
        }
    }

    private void WriteItem(StringBuilder sb, NewNode item, int dashCol, Context ctx)
    {
        if (item is NewMap { Pairs.Count: > 0, Flow: not true } map)
        {
            var inner = new StringBuilder();
            foreach (var (k, v) in map.Pairs)
            {
                WritePair(inner, k, v, dashCol + 2, ctx);
            }

            sb.Append(' ', dashCol).Append("- ").Append(inner, dashCol + 2, inner.Length - dashCol - 2);
            return;
        }

        sb.Append(' ', dashCol).Append("- ").Append(Inline(item, ctx.Quote)).Append(ctx.NewLine);
    }

    private static bool IsBlockValue(NewNode value, bool flowSequences) => value switch
    {
        NewSeq { Items.Count: > 0, Flow: null } => !flowSequences,
        NewSeq { Items.Count: > 0, Flow: false } => true,
        NewMap { Pairs.Count: > 0, Flow: not true } => true,
        _ => false,
    };

    /// <summary>A block mapping whose sequences are all flow (<c>[a, b]</c>) gets flow sequences too.</summary>
    private static bool PrefersFlowSequences(YMapping? map)
    {
        if (map is null)
        {
            return false;
        }

        int flow = 0, block = 0;
        foreach (var p in map.Pairs)
        {
            // Exec-form commands are flow by habit; they say nothing about the file's list style.
            if (p.IsMerge || p.KeyText is "command" or "entrypoint" or "test")
            {
                continue;
            }

            if (p.Value is YSequence { Items.Count: > 0 } s)
            {
                if (s.IsFlow)
                {
                    flow++;
                }
                else
                {
                    block++;
                }
            }
        }

        return flow > 0 && block == 0;
    }

    public static string Inline(NewNode value, char quote)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value switch
        {
            NewScalar { Tag: ScalarResolver.NullTag } => "null",
            NewScalar s when s.Tag != ScalarResolver.StrTag => s.Value,
            NewScalar s => s.Quoting == Quoting.Always || !ScalarResolver.IsPlainSafe(s.Value) ? Quote(s.Value, quote) : s.Value,
            NewRaw r => r.Source,
            NewSeq q => "[" + string.Join(", ", q.Items.Select(i => Inline(i, quote))) + "]",
            NewMap m => "{" + string.Join(", ", m.Pairs.Select(p => RenderKey(p.Key, quote) + ": " + Inline(p.Value, quote))) + "}",
            _ => throw new ArgumentException("unknown value", nameof(value)),
        };
    }

    private static string Quote(string value, char quote) => quote == '\'' ? ScalarResolver.SingleQuote(value) ?? ScalarResolver.DoubleQuote(value) : ScalarResolver.DoubleQuote(value);

    private static string RenderKey(string key, char quote) => ScalarResolver.IsPlainSafe(key) ? key : Quote(key, quote);

    /// <summary>Where new lines go after the last child of a block collection: after its last line and after any comment lines indented deeper than the children.</summary>
    private int InsertionPoint(YNode container, int childColumn)
    {
        int p = EndOfLineAfter(container.End);
        while (p < text.Length)
        {
            int q = p;
            while (q < text.Length && (text[q] == ' ' || text[q] == '\t'))
            {
                q++;
            }

            if (q < text.Length && text[q] == '#' && q - p > childColumn)
            {
                p = NextLineStart(q);
                continue;
            }

            break;
        }

        return p;
    }

    /// <summary>The start of the line after the one holding the character before <paramref name="end"/>.</summary>
    private int EndOfLineAfter(int end)
    {
        if (end > 0 && (text[end - 1] == '\n' || text[end - 1] == '\r'))
        {
            return end;
        }

        return NextLineStart(end);
    }

    private int NextLineStart(int i)
    {
        while (i < text.Length && text[i] != '\n' && text[i] != '\r')
        {
            i++;
        }

        if (i < text.Length && text[i] == '\r')
        {
            i++;
            if (i < text.Length && text[i] == '\n')
            {
                i++;
            }
        }
        else if (i < text.Length)
        {
            i++;
        }

        return i;
    }

    private string NewLineAt(int p)
    {
        if (p >= 2 && text[p - 1] == '\n' && text[p - 2] == '\r')
        {
            return "\r\n";
        }

        if (p >= 1 && text[p - 1] == '\n')
        {
            return "\n";
        }

        return fileNewLine;
    }

    private int LineStart(int i)
    {
        while (i > 0 && text[i - 1] != '\n' && text[i - 1] != '\r')
        {
            i--;
        }

        return i;
    }

    /// <summary>The index of the line break that ends the line holding <paramref name="i"/> (or the end of the text).</summary>
    private int LineEnd(int i)
    {
        while (i < text.Length && text[i] != '\n' && text[i] != '\r')
        {
            i++;
        }

        return i;
    }

    private int SkipBlanks(int i)
    {
        while (i < text.Length && (text[i] == ' ' || text[i] == '\t'))
        {
            i++;
        }

        return i;
    }

    private int LineOf(int i)
    {
        int line = 0;
        for (int j = 0; j < i; j++)
        {
            if (text[j] == '\n')
            {
                line++;
            }
        }

        return line;
    }

    private bool OnlySpaces(int from, int to)
    {
        for (int i = from; i < to; i++)
        {
            if (text[i] != ' ' && text[i] != '\t')
            {
                return false;
            }
        }

        return true;
    }

    private int DashOf(YNode item)
    {
        int j = item.Start - 1;
        while (j >= 0 && YamlLoader.IsBlankOrBreak(text[j]))
        {
            j--;
        }

        return j >= 0 && text[j] == '-' ? j : throw new EditConflictException("cannot find the dash of a sequence item");
    }

    private static int PairEnd(YPair pair) => Math.Max(pair.Key.End, pair.Value.End);

    private int AfterColon(YPair pair)
    {
        int i = AfterColonOrNeg(pair);
        return i >= 0 ? i : throw new EditConflictException("cannot find the ':' after a key");
    }

    private int AfterColonOrNeg(YPair pair)
    {
        int i = pair.Key.End;
        while (i < text.Length && (text[i] == ' ' || text[i] == '\t'))
        {
            i++;
        }

        return i < text.Length && text[i] == ':' ? i + 1 : -1;
    }

    private int PropertiesEnd(YNode node)
    {
        // Keep the anchor/tag; replace what follows them on their line.
        int i = node.Start;
        while (i < text.Length && !YamlLoader.IsBlankOrBreak(text[i]))
        {
            i++;
        }

        while (i < node.ValueStart && i < text.Length && text[i] == ' ')
        {
            int j = i;
            while (j < text.Length && text[j] == ' ')
            {
                j++;
            }

            if (j < text.Length && (text[j] == '&' || text[j] == '!'))
            {
                i = j;
                while (i < text.Length && !YamlLoader.IsBlankOrBreak(text[i]))
                {
                    i++;
                }
            }
            else
            {
                break;
            }
        }

        return i;
    }

    private static bool InFlow(YNode node)
    {
        for (var p = node.Parent; p is not null; p = p.Parent)
        {
            if (p is YMapping { IsFlow: true } or YSequence { IsFlow: true })
            {
                return true;
            }
        }

        return false;
    }

    private sealed record Context(int Step, int SequenceOffset, char Quote, string NewLine, bool FlowSequences);
}

using ComposeFix.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace ComposeFix.Yaml;

/// <summary>
/// Builds a <see cref="YFile"/> from YamlDotNet's event parser (comments on), normalising the
/// measured position quirks of YamlDotNet 18.1.0 (see shared/research/yamldotnet-spans.md):
/// zero-width block collection marks, zero-width flow brackets, over-long block scalars, and
/// exceptions that are not <see cref="YamlException"/>. The builder is iterative, so deep nesting
/// cannot overflow the stack; it stops at <see cref="MaxDepth"/> levels.
/// </summary>
public static class YamlLoader
{
    public const int MaxDepth = 1000;

    public static YFile Load(SourceText source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var stream = new YFile(source);
        var builder = new Builder(stream);
        var parser = new Parser(new CommentCollectingScanner(new Scanner(new StringReader(source.Text), skipComments: false), stream.Comments));
        ParsingEvent? last = null;
        try
        {
            while (parser.MoveNext())
            {
                last = parser.Current;
                builder.Handle(last!);
            }
        }
        catch (InputException)
        {
            throw;
        }
        catch (YamlException ex)
        {
            throw YamlSyntaxErrors.From(ex, source.Text, builder.InnermostOpenFlow());
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or IndexOutOfRangeException or FormatException or NullReferenceException)
        {
            // YamlDotNet throws bare exceptions for some malformed input (e.g. an unclosed flow collection).
            var (line, col) = last is null ? (1, 1) : ((int)last.End.Line, (int)last.End.Column);
            throw new InputException("invalid YAML after this point (an unclosed [ or {, or an unterminated quote?)", line, col, ex);
        }

        builder.Finish();
        return stream;
    }

    private sealed class Builder(YFile stream)
    {
        private readonly string text = stream.Text;
        private readonly List<Frame> stack = [];
        private readonly Dictionary<string, YNode> anchors = new(StringComparer.Ordinal);
        private readonly List<YScalar> blockScalars = [];
        private readonly HashSet<YNode> implicitPairs = [];
        private YDocument? doc;

        public void Handle(ParsingEvent e)
        {
            switch (e)
            {
                case DocumentStart ds:
                    doc = new YDocument { Start = (int)ds.Start.Index };
                    stream.Documents.Add(doc);
                    anchors.Clear();
                    break;
                case DocumentEnd:
                    break;
                case Scalar s:
                    Attach(MakeScalar(s), s);
                    break;
                case AnchorAlias a:
                    {
                        var alias = new YAlias { Name = a.Value.Value };
                        SetPosition(alias, a, (int)a.Start.Index);
                        alias.ValueStart = alias.Start;
                        alias.End = (int)a.End.Index;
                        if (!anchors.TryGetValue(alias.Name, out var target))
                        {
                            throw new InputException($"alias *{alias.Name} refers to an anchor that is not defined before it", alias.Line, alias.Column);
                        }

                        alias.Target = target;
                        doc!.Aliases.Add(alias);
                        Attach(alias, a);
                        break;
                    }

                case SequenceStart ss:
                    {
                        var seq = new YSequence { IsFlow = ss.Style == SequenceStyle.Flow };
                        Open(seq, ss);
                        break;
                    }

                case MappingStart ms:
                    {
                        var map = new YMapping { IsFlow = ms.Style == MappingStyle.Flow };
                        Open(map, ms);
                        break;
                    }

                case SequenceEnd or MappingEnd:
                    Close(e);
                    break;
            }
        }

        /// <summary>The innermost flow collection ([ or {) that is still open: where an unclosed bracket starts.</summary>
        public YNode? InnermostOpenFlow()
        {
            for (int i = stack.Count - 1; i >= 0; i--)
            {
                if (stack[i].Node is YMapping { IsFlow: true } or YSequence { IsFlow: true } && !implicitPairs.Contains(stack[i].Node))
                {
                    return stack[i].Node;
                }
            }

            return null;
        }

        public void Finish()
        {
            var docs = stream.Documents;
            for (int i = 0; i < docs.Count; i++)
            {
                docs[i].End = i + 1 < docs.Count ? docs[i + 1].Start : text.Length;
            }

            stream.Comments.Sort((a, b) => a.Start.CompareTo(b.Start));
            foreach (var scalar in blockScalars)
            {
                TrimBlockScalar(scalar);
            }

            // Block collections end where their last child ends; fix them up after block scalars were trimmed.
            foreach (var d in docs)
            {
                if (d.Root is not null)
                {
                    FixEnds(d.Root);
                }
            }
        }

        private YScalar MakeScalar(Scalar s)
        {
            var node = new YScalar
            {
                Value = s.Value,
                Style = s.Style switch
                {
                    ScalarStyle.SingleQuoted => YScalarStyle.SingleQuoted,
                    ScalarStyle.DoubleQuoted => YScalarStyle.DoubleQuoted,
                    ScalarStyle.Literal => YScalarStyle.Literal,
                    ScalarStyle.Folded => YScalarStyle.Folded,
                    _ => YScalarStyle.Plain,
                },
            };
            SetPosition(node, s, Math.Min((int)s.Start.Index, text.Length));
            if (node.Style == YScalarStyle.Plain && node.Value.Length == 0 && (node.Anchor is not null || node.Tag is not null))
            {
                // An empty value with properties (`a: &x`, `ports: !reset`): YamlDotNet's event runs on to the next
                // token, over a comment and the line break. The value is the point right after the properties.
                node.ValueStart = SkipProperties(node.Start, node, blanksAfter: false);
                node.End = node.ValueStart;
            }
            else
            {
                node.ValueStart = SkipProperties(node.Start, node);
                node.End = Math.Min(Math.Max((int)s.End.Index, node.ValueStart), text.Length);
            }
            if (node.IsBlock)
            {
                blockScalars.Add(node);
            }

            return node;
        }

        private static void SetPosition(YNode node, ParsingEvent e, int start)
        {
            node.Start = start;
            node.Line = (int)e.Start.Line;
            node.Column = (int)e.Start.Column;
            if (e is NodeEvent ne)
            {
                if (!ne.Anchor.IsEmpty)
                {
                    node.Anchor = ne.Anchor.Value;
                }

                if (!ne.Tag.IsEmpty && !ne.Tag.IsNonSpecific)
                {
                    node.Tag = ne.Tag.Value;
                }
            }
        }

        /// <summary>Skips an anchor and a tag (in either order) and, unless <paramref name="blanksAfter"/> is false, the blanks after them.</summary>
        private int SkipProperties(int i, YNode node, bool blanksAfter = true)
        {
            if (node.Anchor is null && node.Tag is null)
            {
                return i;
            }

            int end = i;
            for (int round = 0; round < 2 && i < text.Length && (text[i] == '&' || text[i] == '!'); round++)
            {
                if (text[i] == '!' && i + 1 < text.Length && text[i + 1] == '<')
                {
                    int close = text.IndexOf('>', i);
                    i = close < 0 ? text.Length : close + 1;
                }
                else
                {
                    while (i < text.Length && !IsBlankOrBreak(text[i]) && (text[i] is not (',' or ']' or '}') || text[i - 1] == '!'))
                    {
                        i++;
                    }
                }

                end = i;
                while (i < text.Length && IsBlankOrBreak(text[i]))
                {
                    i++;
                }
            }

            return blanksAfter ? i : end;
        }

        private void Open(YNode node, NodeEvent e)
        {
            SetPosition(node, e, (int)e.Start.Index);
            bool flow = node is YMapping { IsFlow: true } or YSequence { IsFlow: true };
            if (node is YMapping && flow && stack.Count > 0 && stack[^1].Node is YSequence { IsFlow: true } parentSeq && e.Start.Index <= parentSeq.ValueStart)
            {
                implicitPairs.Add(node);
                flow = false;
            }
            if (flow)
            {
                // The bracket: skip properties from the event start.
                int i = SkipProperties(node.Start, node);
                while (i < text.Length && text[i] != '[' && text[i] != '{')
                {
                    i++;
                }

                node.ValueStart = i;
            }
            else
            {
                node.ValueStart = -1; // set from the first child
            }

            Attach(node, e);
            if (stack.Count >= MaxDepth)
            {
                throw new InputException($"nesting deeper than {MaxDepth} levels", node.Line, node.Column);
            }

            stack.Add(new Frame(node));
        }

        private void Close(ParsingEvent e)
        {
            var frame = stack[^1];
            stack.RemoveAt(stack.Count - 1);
            var node = frame.Node;
            if (node is YMapping { IsFlow: true } or YSequence { IsFlow: true } && !implicitPairs.Contains(node))
            {
                node.End = (int)e.Start.Index + 1;
            }
            else
            {
                if (node.ValueStart < 0)
                {
                    node.ValueStart = node.Start;
                }

                if (node.Anchor is null && node.Tag is null)
                {
                    node.Start = node.ValueStart;
                }

                node.End = node.ValueStart; // fixed up in Finish once children are final
            }
        }

        private void Attach(YNode node, ParsingEvent e)
        {
            doc!.NodeCount++;
            if (node.Anchor is not null)
            {
                anchors[node.Anchor] = node;
                doc.AnchoredNodes.Add(node);
            }

            if (stack.Count == 0)
            {
                doc.Root = node;
                return;
            }

            var frame = stack[^1];
            node.Parent = frame.Node;
            node.Depth = stack.Count;
            switch (frame.Node)
            {
                case YSequence seq:
                    if (seq.Items.Count == 0 && !seq.IsFlow)
                    {
                        seq.ValueStart = DashBefore(node.Start);
                    }

                    seq.Items.Add(node);
                    break;
                case YMapping map:
                    if (frame.PendingKey is null)
                    {
                        if (map.Pairs.Count == 0 && (!map.IsFlow || implicitPairs.Contains(map)))
                        {
                            map.ValueStart = node.Start;
                            (map.Line, map.Column) = (node.Line, node.Column);
                        }

                        frame.PendingKey = node;
                    }
                    else
                    {
                        map.Pairs.Add(new YPair(frame.PendingKey, node));
                        frame.PendingKey = null;
                    }

                    break;
            }

            _ = e;
        }

        private int DashBefore(int i)
        {
            int j = i - 1;
            while (j >= 0 && IsBlankOrBreak(text[j]))
            {
                j--;
            }

            return j >= 0 && text[j] == '-' ? j : i;
        }

        private void TrimBlockScalar(YScalar s)
        {
            int headerEnd = text.IndexOf('\n', s.ValueStart);
            if (headerEnd < 0 || headerEnd >= s.End)
            {
                return;
            }

            bool keep = false;
            for (int i = s.ValueStart + 1; i < headerEnd && text[i] is '+' or '-' or (>= '0' and <= '9'); i++)
            {
                keep |= text[i] == '+';
            }

            int end = s.End;
            int c = FirstCommentAtOrAfter(headerEnd);
            if (c >= 0 && stream.Comments[c].Start < end)
            {
                end = LineStart(stream.Comments[c].Start);
            }

            if (!keep)
            {
                while (end > headerEnd && IsBlankOrBreak(text[end - 1]))
                {
                    end--;
                }
            }

            s.End = Math.Max(end, headerEnd);
        }

        private int FirstCommentAtOrAfter(int index)
        {
            var comments = stream.Comments;
            int lo = 0, hi = comments.Count;
            while (lo < hi)
            {
                int mid = (lo + hi) / 2;
                if (comments[mid].Start < index)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }

            return lo < comments.Count ? lo : -1;
        }

        private int LineStart(int i)
        {
            while (i > 0 && text[i - 1] != '\n' && text[i - 1] != '\r')
            {
                i--;
            }

            return i;
        }

        /// <summary>Post-order walk with an explicit stack: a block collection ends where its last child ends.</summary>
        private void FixEnds(YNode root)
        {
            var work = new Stack<(YNode Node, bool Visited)>();
            work.Push((root, false));
            while (work.Count > 0)
            {
                var (node, visited) = work.Pop();
                if (!visited)
                {
                    work.Push((node, true));
                    ForEachChild(node, work, static (w, child) => w.Push((child, false)));
                    continue;
                }

                switch (node)
                {
                    case YMapping m when m.Pairs.Count > 0 && (!m.IsFlow || implicitPairs.Contains(m)):
                        m.End = Math.Max(m.Pairs[^1].Value.End, m.Pairs[^1].Key.End);
                        break;
                    case YSequence { IsFlow: false } s when s.Items.Count > 0:
                        s.End = s.Items[^1].End;
                        break;
                }
            }
        }

        private sealed class Frame(YNode node)
        {
            public YNode Node { get; } = node;

            public YNode? PendingKey { get; set; }
        }
    }

    /// <summary>Calls <paramref name="visit"/> for each child (keys and values in order); no iterator object per node.</summary>
    internal static void ForEachChild<TState>(YNode node, TState state, Action<TState, YNode> visit)
    {
        switch (node)
        {
            case YMapping m:
                foreach (var p in m.Pairs)
                {
                    visit(state, p.Key);
                    visit(state, p.Value);
                }

                break;
            case YSequence s:
                foreach (var item in s.Items)
                {
                    visit(state, item);
                }

                break;
        }
    }

    internal static bool IsBlankOrBreak(char c) => c is ' ' or '\t' or '\r' or '\n';
}

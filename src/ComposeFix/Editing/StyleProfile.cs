using ComposeFix.Yaml;

namespace ComposeFix.Editing;

/// <summary>
/// How a file writes YAML, measured from the file itself: indentation step, whether block sequences
/// under a key are indented (<c>- </c> deeper than the key) or not, and the preferred quote.
/// The editor asks the nearest mapping first and falls back on these file-wide majorities.
/// </summary>
public sealed class StyleProfile
{
    public int IndentStep { get; private init; } = 2;

    /// <summary>Columns from a key to the dash of its block sequence (0 = indentless).</summary>
    public int SequenceOffset { get; private init; } = 2;

    public char Quote { get; private init; } = '"';

    public static StyleProfile Measure(string text, YNode? root)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (root is null)
        {
            return new StyleProfile();
        }

        var steps = new Dictionary<int, int>();
        var seqOffsets = new Dictionary<int, int>();
        int doubles = 0, singles = 0;
        var work = new Stack<YNode>();
        work.Push(root);
        while (work.Count > 0)
        {
            var node = work.Pop();
            switch (node)
            {
                case YScalar { Style: YScalarStyle.DoubleQuoted }:
                    doubles++;
                    break;
                case YScalar { Style: YScalarStyle.SingleQuoted }:
                    singles++;
                    break;
                case YMapping map:
                    foreach (var pair in map.Pairs)
                    {
                        if (!map.IsFlow)
                        {
                            int keyCol = Column(text, pair.Key.Start);
                            if (pair.Value is YMapping { IsFlow: false, Pairs.Count: > 0 } child)
                            {
                                Count(steps, Column(text, child.Pairs[0].Key.Start) - keyCol);
                            }
                            else if (pair.Value is YSequence { IsFlow: false, Items.Count: > 0 } seq)
                            {
                                Count(seqOffsets, Column(text, seq.ValueStart) - keyCol);
                            }
                        }

                        work.Push(pair.Key);
                        work.Push(pair.Value);
                    }

                    break;
                case YSequence seq:
                    foreach (var item in seq.Items)
                    {
                        work.Push(item);
                    }

                    break;
            }
        }

        int step = Majority(steps, 2, v => v > 0);
        return new StyleProfile
        {
            IndentStep = step,
            SequenceOffset = Majority(seqOffsets, step, v => v >= 0),
            Quote = singles > doubles ? '\'' : '"',
        };
    }

    /// <summary>Sequence offset used by the block mapping <paramref name="map"/>'s own sequences, if it has any.</summary>
    public int SequenceOffsetIn(string text, YMapping map)
    {
        ArgumentNullException.ThrowIfNull(map);
        foreach (var pair in map.Pairs)
        {
            if (pair.Value is YSequence { IsFlow: false, Items.Count: > 0 } seq)
            {
                return Column(text, seq.ValueStart) - Column(text, pair.Key.Start);
            }
        }

        return SequenceOffset;
    }

    /// <summary>Indent step used inside <paramref name="map"/> for nested mappings, if it has any.</summary>
    public int IndentStepIn(string text, YMapping map)
    {
        ArgumentNullException.ThrowIfNull(map);
        foreach (var pair in map.Pairs)
        {
            if (pair.Value is YMapping { IsFlow: false, Pairs.Count: > 0 } child)
            {
                int step = Column(text, child.Pairs[0].Key.Start) - Column(text, pair.Key.Start);
                if (step > 0)
                {
                    return step;
                }
            }
        }

        return IndentStep;
    }

    /// <summary>Quote character of the quoted scalars among <paramref name="nodes"/>, else the file's.</summary>
    public char QuoteAmong(IEnumerable<YNode> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        int d = 0, s = 0;
        foreach (var n in nodes)
        {
            if (n is YScalar { Style: YScalarStyle.DoubleQuoted })
            {
                d++;
            }
            else if (n is YScalar { Style: YScalarStyle.SingleQuoted })
            {
                s++;
            }
        }

        return d == 0 && s == 0 ? Quote : s > d ? '\'' : '"';
    }

    public static int Column(string text, int index)
    {
        ArgumentNullException.ThrowIfNull(text);
        int i = index;
        while (i > 0 && text[i - 1] != '\n' && text[i - 1] != '\r')
        {
            i--;
        }

        return index - i;
    }

    private static void Count(Dictionary<int, int> counts, int value)
    {
        counts[value] = counts.GetValueOrDefault(value) + 1;
    }

    private static int Majority(Dictionary<int, int> counts, int fallback, Func<int, bool> valid)
    {
        int best = fallback, bestCount = 0;
        foreach (var (value, count) in counts)
        {
            if (valid(value) && (count > bestCount || (count == bestCount && value < best)))
            {
                best = value;
                bestCount = count;
            }
        }

        return best;
    }
}

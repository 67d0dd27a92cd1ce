using ComposeFix.Text;

namespace ComposeFix.Yaml;

public enum YScalarStyle
{
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

/// <summary>
/// A node of the source tree. Offsets are UTF-16 indices into <see cref="SourceText.Text"/>:
/// <see cref="Start"/> includes the anchor and tag, <see cref="ValueStart"/> is the first character of
/// the value itself (scalar text, opening bracket, first key or first dash), and <see cref="End"/> is the
/// exclusive end of the content: trailing blank lines of clipped block scalars, comments and the next
/// line's indentation are never part of a node.
/// </summary>
public abstract class YNode
{
    public int Start { get; internal set; }

    public int ValueStart { get; internal set; }

    public int End { get; internal set; }

    public string? Anchor { get; internal set; }

    /// <summary>The resolved tag (e.g. <c>tag:yaml.org,2002:str</c> or <c>!reset</c>), or null when the node has none.</summary>
    public string? Tag { get; internal set; }

    public YNode? Parent { get; internal set; }

    public int Depth { get; internal set; }

    /// <summary>Where this node was defined, for messages.</summary>
    public int Line { get; internal set; }

    public int Column { get; internal set; }
}

public sealed class YScalar : YNode
{
    public string Value { get; internal set; } = "";

    public YScalarStyle Style { get; internal set; }

    public bool IsQuoted => Style is YScalarStyle.SingleQuoted or YScalarStyle.DoubleQuoted;

    public bool IsBlock => Style is YScalarStyle.Literal or YScalarStyle.Folded;

    /// <summary>A zero-width plain scalar: the empty value of <c>key:</c>.</summary>
    public bool IsEmpty => Style == YScalarStyle.Plain && ValueStart == End;

    public override string ToString() => Value;
}

public sealed class YPair
{
    internal YPair(YNode key, YNode value)
    {
        Key = key;
        Value = value;
    }

    public YNode Key { get; }

    public YNode Value { get; }

    /// <summary>The key as text when it is a scalar, otherwise null.</summary>
    public string? KeyText => (Key as YScalar)?.Value;

    /// <summary>A YAML merge key: a plain, untagged <c>&lt;&lt;</c>.</summary>
    public bool IsMerge => Key is YScalar { Style: YScalarStyle.Plain, Value: "<<", Tag: null };
}

public sealed class YMapping : YNode
{
    public bool IsFlow { get; internal set; }

    public List<YPair> Pairs { get; } = [];

    public YPair? Find(string key)
    {
        if (Pairs.Count > 16)
        {
            // Large mappings (a services: block with thousands of entries) get an index, so that looking up
            // every service is not quadratic. Pairs only grow while loading; a changed count rebuilds it.
            if (index is null || indexedCount != Pairs.Count)
            {
                index = new Dictionary<string, YPair>(Pairs.Count, StringComparer.Ordinal);
                foreach (var pair in Pairs)
                {
                    if (!pair.IsMerge && pair.KeyText is { } text)
                    {
                        index.TryAdd(text, pair);
                    }
                }

                indexedCount = Pairs.Count;
            }

            return index.GetValueOrDefault(key);
        }

        foreach (var pair in Pairs)
        {
            if (!pair.IsMerge && pair.KeyText == key)
            {
                return pair;
            }
        }

        return null;
    }

    private Dictionary<string, YPair>? index;
    private int indexedCount;
}

public sealed class YSequence : YNode
{
    public bool IsFlow { get; internal set; }

    public List<YNode> Items { get; } = [];
}

public sealed class YAlias : YNode
{
    public string Name { get; internal set; } = "";

    public YNode Target { get; internal set; } = null!;
}

public sealed record YComment(int Start, int End, string Text, bool IsInline);

public sealed class YDocument
{
    public YNode? Root { get; internal set; }

    /// <summary>Offset of the document's first character (its <c>---</c> marker when explicit).</summary>
    public int Start { get; internal set; }

    /// <summary>Offset just past the document: the start of the next document, or the end of the text.</summary>
    public int End { get; internal set; }

    public List<YAlias> Aliases { get; } = [];

    /// <summary>Anchored nodes in document order (an anchor name may be defined again later).</summary>
    public List<YNode> AnchoredNodes { get; } = [];

    public int NodeCount { get; internal set; }
}

public sealed class YFile
{
    internal YFile(SourceText source)
    {
        Source = source;
    }

    public SourceText Source { get; }

    public string Text => Source.Text;

    public List<YDocument> Documents { get; } = [];

    /// <summary>Every comment of the stream, ordered by position.</summary>
    public List<YComment> Comments { get; } = [];
}

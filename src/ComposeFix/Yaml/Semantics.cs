using System.Text;
using ComposeFix.Text;

namespace ComposeFix.Yaml;

/// <summary>
/// The meaning of a YAML node once aliases and merge keys are resolved: what Compose sees.
/// Values are immutable and shared (an alias reuses its anchor's value), so expansion is linear
/// in memory; <see cref="Size"/> counts the nodes an expansion would have, which is what the
/// alias-bomb budget limits.
/// </summary>
public abstract class Sem
{
    public long Size { get; protected init; } = 1;

    public static string Describe(Sem value) => value switch
    {
        SemScalar s => s.Tag == ScalarResolver.StrTag ? ScalarResolver.DoubleQuote(s.Value) : s.Value.Length == 0 ? s.Tag : s.Value,
        SemSeq q => $"[{q.Items.Count} items]",
        SemMap m => $"{{{string.Join(", ", m.Entries.Keys.Take(5))}{(m.Entries.Count > 5 ? ", …" : "")}}}",
        _ => "?",
    };
}

public sealed class SemScalar : Sem
{
    public SemScalar(string tag, string value)
    {
        Tag = tag;
        Value = value;
    }

    public string Tag { get; }

    public string Value { get; }

    public static SemScalar Text(string value) => new(ScalarResolver.StrTag, value);

    public override string ToString() => Describe(this);
}

public sealed class SemSeq : Sem
{
    public SemSeq(IReadOnlyList<Sem> items)
    {
        Items = items;
        Size = 1 + items.Sum(i => i.Size);
    }

    public IReadOnlyList<Sem> Items { get; }
}

public sealed class SemMap : Sem
{
    public SemMap(IReadOnlyDictionary<string, Sem> entries)
    {
        Entries = entries;
        Size = 1 + entries.Values.Sum(i => i.Size);
    }

    public IReadOnlyDictionary<string, Sem> Entries { get; }

    public Sem? Get(string key) => Entries.TryGetValue(key, out var v) ? v : null;
}

/// <summary>Resolves a document's nodes into <see cref="Sem"/> values, with a bound on alias expansion.</summary>
public sealed class SemanticBuilder
{
    private readonly SourceText source;
    private readonly long budget;
    private readonly Dictionary<YNode, Sem> memo = [];
    private readonly HashSet<YNode> inProgress = [];
    private long expanded;

    public SemanticBuilder(SourceText source, YDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        this.source = source;

        // Generous for real files (8,000 services merging one anchor stay far below it), tiny for a billion laughs.
        budget = Math.Max(200_000, 50L * document.NodeCount);
    }

    public Sem Build(YNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (memo.TryGetValue(node, out var done))
        {
            expanded += done.Size;
            CheckBudget(node);
            return done;
        }

        // A cycle can only close through an alias, and an alias always targets an anchored node: only those are tracked.
        if (node.Anchor is not null && !inProgress.Add(node))
        {
            throw Error(node, "recursive alias: an anchor contains an alias to itself");
        }

        Sem result = node switch
        {
            YScalar s => BuildScalar(s),
            YAlias a => BuildAlias(a),
            YSequence q => BuildSeq(q),
            YMapping m => BuildMap(m),
            _ => throw new InvalidOperationException("unknown node"),
        };
        if (node.Anchor is not null)
        {
            inProgress.Remove(node);
            memo[node] = result;
        }

        if (node is not YAlias)
        {
            expanded++;
        }

        return result;
    }

    public static string KeyString(Sem key) => key is SemScalar s ? s.Value : "\u0000" + Canonical(key);

    private static SemScalar BuildScalar(YScalar s)
    {
        var (tag, value) = ScalarResolver.Resolve(s);
        return new SemScalar(tag, value);
    }

    private Sem BuildAlias(YAlias alias)
    {
        var value = Build(alias.Target);
        if (!memo.ContainsKey(alias.Target))
        {
            expanded += value.Size;
        }

        CheckBudget(alias);
        return value;
    }

    private SemSeq BuildSeq(YSequence q)
    {
        var items = new Sem[q.Items.Count];
        for (int i = 0; i < items.Length; i++)
        {
            items[i] = Build(q.Items[i]);
        }

        return new SemSeq(items);
    }

    private SemMap BuildMap(YMapping m)
    {
        var entries = new Dictionary<string, Sem>(m.Pairs.Count, StringComparer.Ordinal);
        List<YNode>? merges = null;
        foreach (var pair in m.Pairs)
        {
            if (pair.IsMerge)
            {
                (merges ??= []).Add(pair.Value);
                continue;
            }

            entries[KeyString(Build(pair.Key))] = Build(pair.Value);
        }

        if (merges is not null)
        {
            foreach (var merge in merges)
            {
                var target = Unalias(merge);
                if (target is YSequence seq)
                {
                    foreach (var item in seq.Items)
                    {
                        MergeInto(entries, item);
                    }
                }
                else
                {
                    MergeInto(entries, merge);
                }
            }
        }

        return new SemMap(entries);
    }

    private void MergeInto(Dictionary<string, Sem> entries, YNode source)
    {
        if (Build(source) is not SemMap map)
        {
            throw Error(source, "a merge key (<<) must refer to a mapping or a list of mappings");
        }

        foreach (var (k, v) in map.Entries)
        {
            entries.TryAdd(k, v);
        }
    }

    public static YNode Unalias(YNode node) => node is YAlias a ? a.Target : node;

    private void CheckBudget(YNode at)
    {
        if (expanded > budget)
        {
            throw Error(at, $"excessive aliasing: the aliases expand to more than {budget} nodes (an alias bomb?)");
        }
    }

    private InputException Error(YNode at, string message)
    {
        var (line, col) = source.LineColumn(at.Start);
        return new InputException(message, line, col);
    }

    private static string Canonical(Sem value)
    {
        var sb = new StringBuilder();
        Write(value, sb);
        return sb.ToString();

        static void Write(Sem v, StringBuilder sb)
        {
            switch (v)
            {
                case SemScalar s:
                    sb.Append(s.Tag).Append(':').Append(ScalarResolver.DoubleQuote(s.Value));
                    break;
                case SemSeq q:
                    sb.Append('[');
                    foreach (var i in q.Items)
                    {
                        Write(i, sb);
                        sb.Append(',');
                    }

                    sb.Append(']');
                    break;
                case SemMap m:
                    sb.Append('{');
                    foreach (var (k, i) in m.Entries.OrderBy(e => e.Key, StringComparer.Ordinal))
                    {
                        sb.Append(ScalarResolver.DoubleQuote(k)).Append(':');
                        Write(i, sb);
                        sb.Append(',');
                    }

                    sb.Append('}');
                    break;
            }
        }
    }
}

/// <summary>A path into a <see cref="Sem"/> tree: mapping keys (string) and sequence indices (int).</summary>
public sealed class SemPath : IEquatable<SemPath>
{
    public SemPath(IReadOnlyList<object> segments)
    {
        Segments = segments;
    }

    public IReadOnlyList<object> Segments { get; }

    public static SemPath Of(params object[] segments) => new(segments);

    public SemPath Append(object segment) => Concat([segment]);

    /// <summary>This path followed by more segments (one exact-size array: paths are built for every key a recipe looks at).</summary>
    public SemPath Concat(object[] more)
    {
        ArgumentNullException.ThrowIfNull(more);
        var all = new object[Segments.Count + more.Length];
        for (int i = 0; i < Segments.Count; i++)
        {
            all[i] = Segments[i];
        }

        more.CopyTo(all, Segments.Count);
        return new SemPath(all);
    }

    public SemPath Parent => new([.. Segments.Take(Segments.Count - 1)]);

    public override string ToString() => string.Join(".", Segments.Select(s => s is int i ? $"[{i}]" : (string)s)).Replace(".[", "[", StringComparison.Ordinal);

    public bool Equals(SemPath? other) => other is not null && Segments.SequenceEqual(other.Segments);

    public override bool Equals(object? obj) => Equals(obj as SemPath);

    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var s in Segments)
        {
            h.Add(s);
        }

        return h.ToHashCode();
    }
}

public enum SemOpKind
{
    /// <summary>Set a mapping key (creating missing parent mappings) or replace a sequence item.</summary>
    Set,

    /// <summary>Append to the sequence at the path (created when missing).</summary>
    Append,

    /// <summary>Remove a mapping key or a sequence item.</summary>
    Remove,
}

public sealed record SemOp(SemOpKind Kind, SemPath Path, Sem? Value);

/// <summary>Persistent updates and comparison of <see cref="Sem"/> trees, used to verify every edit.</summary>
public static class SemOps
{
    /// <summary>
    /// The tree after <paramref name="ops"/>, applied in order (the input is not changed). Each mapping or
    /// sequence on the way is copied once for the whole batch, not once per operation: a plan for 8,000
    /// services would otherwise copy the services mapping 8,000 times.
    /// </summary>
    public static Sem ApplyAll(Sem root, IEnumerable<SemOp> ops)
    {
        ArgumentNullException.ThrowIfNull(ops);
        object current = root;
        foreach (var op in ops)
        {
            current = Thawed.Update(current, op, 0);
        }

        return Thawed.Freeze(current);
    }

    /// <summary>A mapping or sequence copied once so that later operations of the same batch change it in place.</summary>
    private sealed class Thawed
    {
        private Dictionary<string, object>? map;
        private List<object>? seq;

        public static object Update(object node, SemOp op, int depth)
        {
            var segs = op.Path.Segments;
            if (depth == segs.Count)
            {
                switch (op.Kind)
                {
                    case SemOpKind.Set:
                        return op.Value!;
                    case SemOpKind.Append:
                        var list = node as Thawed is { seq: not null } t ? t : new Thawed { seq = [.. (node as SemSeq)?.Items ?? []] };
                        list.seq!.Add(op.Value!);
                        return list;
                    default:
                        throw new InvalidOperationException("remove at the root");
                }
            }

            object seg = segs[depth];
            bool last = depth == segs.Count - 1;
            if (seg is string key)
            {
                var m = node is Thawed { map: not null } tm ? tm : new Thawed { map = node is SemMap sm ? sm.Entries.ToDictionary(e => e.Key, e => (object)e.Value, StringComparer.Ordinal) : new Dictionary<string, object>(StringComparer.Ordinal) };
                if (last && op.Kind == SemOpKind.Remove)
                {
                    m.map!.Remove(key);
                }
                else
                {
                    m.map![key] = Update(m.map.TryGetValue(key, out var child) ? child : EmptyMarker, op, depth + 1);
                }

                return m;
            }

            int index = (int)seg;
            var q = node is Thawed { seq: not null } tq ? tq : new Thawed { seq = node is SemSeq ss ? [.. ss.Items] : throw new InvalidOperationException($"{op.Path} is not a sequence") };
            if (last && op.Kind == SemOpKind.Remove)
            {
                q.seq!.RemoveAt(index);
            }
            else
            {
                q.seq![index] = Update(q.seq[index], op, depth + 1);
            }

            return q;
        }

        public static Sem Freeze(object node) => node switch
        {
            Thawed { map: { } m } => new SemMap(m.ToDictionary(e => e.Key, e => Freeze(e.Value), StringComparer.Ordinal)),
            Thawed { seq: { } q } => new SemSeq([.. q.Select(Freeze)]),
            Sem sem => sem,
            _ => throw new InvalidOperationException("a change left a missing value"),
        };

        /// <summary>Stands for a key that is not there yet (a Set or nested change creates it).</summary>
        private static readonly object EmptyMarker = new();
    }

    public static Sem? Get(Sem root, SemPath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        Sem? node = root;
        foreach (var seg in path.Segments)
        {
            node = (node, seg) switch
            {
                (SemMap m, string k) => m.Get(k),
                (SemSeq q, int i) when i < q.Items.Count => q.Items[i],
                _ => null,
            };
            if (node is null)
            {
                return null;
            }
        }

        return node;
    }

    /// <summary>The path of the first difference, or null when equal. Keys for which <paramref name="ignoreRootKey"/> is true are skipped at the root.</summary>
    public static string? FirstDifference(Sem a, Sem b, Func<string, bool>? ignoreRootKey = null)
    {
        var work = new Stack<(Sem A, Sem B, string Path, bool Root)>();
        work.Push((a, b, "", true));
        while (work.Count > 0)
        {
            var (x, y, path, root) = work.Pop();
            if (ReferenceEquals(x, y))
            {
                continue;
            }

            switch (x, y)
            {
                case (SemScalar p, SemScalar q):
                    if (p.Tag != q.Tag || p.Value != q.Value)
                    {
                        return $"{Show(path)}: {Sem.Describe(p)} became {Sem.Describe(q)}";
                    }

                    break;
                case (SemSeq p, SemSeq q):
                    if (p.Items.Count != q.Items.Count)
                    {
                        return $"{Show(path)}: {p.Items.Count} items became {q.Items.Count}";
                    }

                    for (int i = 0; i < p.Items.Count; i++)
                    {
                        work.Push((p.Items[i], q.Items[i], $"{path}[{i}]", false));
                    }

                    break;
                case (SemMap p, SemMap q):
                    foreach (var (k, v) in p.Entries)
                    {
                        if (root && ignoreRootKey?.Invoke(k) == true)
                        {
                            continue;
                        }

                        if (!q.Entries.TryGetValue(k, out var w))
                        {
                            return $"{Join(path, k)} was removed";
                        }

                        work.Push((v, w, Join(path, k), false));
                    }

                    foreach (var k in q.Entries.Keys)
                    {
                        if (!p.Entries.ContainsKey(k) && !(root && ignoreRootKey?.Invoke(k) == true))
                        {
                            return $"{Join(path, k)} was added";
                        }
                    }

                    break;
                default:
                    return $"{Show(path)}: {Sem.Describe(x)} became {Sem.Describe(y)}";
            }
        }

        return null;

        static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;
        static string Show(string path) => path.Length == 0 ? "the document" : path;
    }
}

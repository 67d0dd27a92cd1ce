using ComposeFix.Yaml;

namespace ComposeFix.Editing;

public enum Quoting
{
    /// <summary>Plain when the value reads back as the same string, quoted otherwise.</summary>
    Auto,

    /// <summary>Always quoted (port strings: YAML 1.1 reads <c>80:80</c> as a number).</summary>
    Always,
}

/// <summary>A value a recipe wants in the document. The editor renders it in the file's style.</summary>
public abstract record NewNode
{
    public abstract Sem ToSem();

    public static NewScalar Scalar(string value, Quoting quoting = Quoting.Auto) => new(value, ScalarResolver.StrTag, quoting);

    /// <summary>An empty value (<c>key:</c>).</summary>
    public static NewScalar Null() => new("", ScalarResolver.NullTag);

    public static NewScalar Bool(bool value) => new(value ? "true" : "false", ScalarResolver.BoolTag);

    public static NewScalar Number(long value) => new(value.ToString(System.Globalization.CultureInfo.InvariantCulture), ScalarResolver.IntTag);

    /// <summary>A number written as YAML writes it (e.g. <c>0.5</c>); the tag follows from the text.</summary>
    public static NewScalar Number(string value) => new(value, ScalarResolver.ResolvePlain(value).Tag);

    public static NewSeq List(params NewNode[] items) => new(items);

    public static NewSeq List(IEnumerable<string> items, Quoting quoting = Quoting.Auto) => new([.. items.Select(i => Scalar(i, quoting))]);

    public static NewMap Map(params (string Key, NewNode Value)[] pairs) => new([.. pairs.Select(p => new KeyValuePair<string, NewNode>(p.Key, p.Value))]);

    /// <summary>A copy of an existing node (without its anchor), used to override an inherited value.</summary>
    public static NewNode CopyOf(YNode node, string text, Sem meaning)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(text);
        switch (node)
        {
            case YAlias a:
                return new NewRaw("*" + a.Name, meaning);
            case YScalar s when !s.IsBlock:
                {
                    string raw = text[s.ValueStart..s.End];
                    if (s.Tag is not null && s.Start < s.ValueStart)
                    {
                        // keep the tag (it is part of the meaning), drop the anchor
                        var props = text[s.Start..s.ValueStart].Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(p => p.StartsWith('!'));
                        raw = string.Join(' ', props.Append(raw));
                    }

                    return raw.Contains('\n', StringComparison.Ordinal) || raw.Contains('\r', StringComparison.Ordinal)
                        ? new NewScalar(s.Value, ((SemScalar)meaning).Tag, s.Style == YScalarStyle.Plain ? Quoting.Auto : Quoting.Always)
                        : new NewRaw(raw, meaning);
                }

            case YScalar s:
                return new NewScalar(s.Value, ((SemScalar)meaning).Tag, Quoting.Always);
            case YSequence q:
                {
                    var sem = (SemSeq)meaning;
                    return new NewSeq([.. q.Items.Select((item, i) => CopyOf(item, text, sem.Items[i]))], q.IsFlow);
                }

            case YMapping m when m.Pairs.All(p => !p.IsMerge && p.KeyText is not null):
                {
                    var sem = (SemMap)meaning;
                    return new NewMap([.. m.Pairs.Select(p => new KeyValuePair<string, NewNode>(p.KeyText!, CopyOf(p.Value, text, sem.Entries[p.KeyText!])))], m.IsFlow);
                }

            default:
                // A mapping with merge keys or complex keys: copy its meaning, not its text.
                return FromSem(meaning);
        }
    }

    public static NewNode FromSem(Sem meaning) => meaning switch
    {
        SemScalar s => new NewScalar(s.Value, s.Tag),
        SemSeq q => new NewSeq([.. q.Items.Select(FromSem)]),
        SemMap m => new NewMap([.. m.Entries.Select(e => new KeyValuePair<string, NewNode>(e.Key, FromSem(e.Value)))]),
        _ => throw new ArgumentException("unknown value", nameof(meaning)),
    };
}

public sealed record NewScalar(string Value, string Tag, Quoting Quoting = Quoting.Auto) : NewNode
{
    public override Sem ToSem() => new SemScalar(Tag, Tag == ScalarResolver.NullTag ? "" : Tag == ScalarResolver.BoolTag ? Value.ToLowerInvariant() : Value);
}

/// <summary>Source text copied verbatim (a scalar as written, or an alias), with its known meaning.</summary>
public sealed record NewRaw(string Source, Sem Meaning) : NewNode
{
    public override Sem ToSem() => Meaning;
}

public sealed record NewSeq(IReadOnlyList<NewNode> Items, bool? Flow = null) : NewNode
{
    public override Sem ToSem() => new SemSeq([.. Items.Select(i => i.ToSem())]);
}

public sealed record NewMap(IReadOnlyList<KeyValuePair<string, NewNode>> Pairs, bool? Flow = null) : NewNode
{
    public override Sem ToSem() => new SemMap(Pairs.ToDictionary(p => p.Key, p => p.Value.ToSem(), StringComparer.Ordinal));

    public NewNode? Get(string key) => Pairs.FirstOrDefault(p => p.Key == key).Value;
}

/// <summary>Path updates on <see cref="NewNode"/> trees, mirroring <see cref="SemOps"/>.</summary>
public static class NewNodeOps
{
    public static NewNode Set(NewNode? node, IReadOnlyList<object> path, int depth, NewNode value)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (depth == path.Count)
        {
            return value;
        }

        return Update(node, path, depth, child => Set(child, path, depth + 1, value));
    }

    public static NewNode Append(NewNode? node, IReadOnlyList<object> path, int depth, NewNode item)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (depth == path.Count)
        {
            var seq = node as NewSeq;
            return new NewSeq([.. seq?.Items ?? [], item], seq?.Flow);
        }

        return Update(node, path, depth, child => Append(child, path, depth + 1, item));
    }

    public static NewNode Remove(NewNode node, IReadOnlyList<object> path, int depth)
    {
        ArgumentNullException.ThrowIfNull(path);
        bool last = depth == path.Count - 1;
        if (!last)
        {
            return Update(node, path, depth, child => Remove(child!, path, depth + 1));
        }

        return (node, path[depth]) switch
        {
            (NewMap m, string k) => m with { Pairs = [.. m.Pairs.Where(p => p.Key != k)] },
            (NewSeq q, int i) => q with { Items = [.. q.Items.Where((_, j) => j != i)] },
            _ => node,
        };
    }

    private static NewNode Update(NewNode? node, IReadOnlyList<object> path, int depth, Func<NewNode?, NewNode> change)
    {
        switch (path[depth])
        {
            case string key:
                {
                    var map = node as NewMap ?? new NewMap([]);
                    var pairs = map.Pairs.ToList();
                    int i = pairs.FindIndex(p => p.Key == key);
                    if (i >= 0)
                    {
                        pairs[i] = new(key, change(pairs[i].Value));
                    }
                    else
                    {
                        pairs.Add(new(key, change(null)));
                    }

                    return map with { Pairs = pairs };
                }

            case int index:
                {
                    var seq = (NewSeq)node!;
                    var items = seq.Items.ToList();
                    items[index] = change(items[index]);
                    return seq with { Items = items };
                }

            default:
                throw new ArgumentException("bad path segment", nameof(path));
        }
    }
}

using ComposeFix.Yaml;

namespace ComposeFix.Compose;

/// <summary>One step of a path walked through the source tree.</summary>
/// <param name="Container">The (unaliased) mapping or sequence the step starts from.</param>
/// <param name="Segment">The key or index taken.</param>
/// <param name="Pair">For a mapping step, the pair that holds the key (in the container itself, or in a merged mapping).</param>
/// <param name="Child">The node reached, as written (possibly an alias).</param>
/// <param name="ViaMerge">The key was found through a merge key, not in the container's own pairs.</param>
public sealed record PathStep(YNode Container, object Segment, YPair? Pair, YNode Child, bool ViaMerge)
{
    public bool ThroughAlias => Child is YAlias;
}

/// <summary>Finds the nodes behind a <see cref="SemPath"/>, following aliases and merge keys the way Compose reads them.</summary>
public static class NodeLocator
{
    /// <summary>Walks as far as the path exists. Steps.Count == path length when the whole path exists.</summary>
    public static List<PathStep> Walk(YNode root, SemPath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var steps = new List<PathStep>();
        YNode node = root;
        foreach (var seg in path.Segments)
        {
            node = SemanticBuilder.Unalias(node);
            switch (node, seg)
            {
                case (YMapping m, string key):
                    {
                        var (pair, viaMerge) = FindKey(m, key, 0);
                        if (pair is null)
                        {
                            return steps;
                        }

                        steps.Add(new PathStep(m, seg, pair, pair.Value, viaMerge));
                        node = pair.Value;
                        break;
                    }

                case (YSequence q, int index) when index < q.Items.Count:
                    steps.Add(new PathStep(q, seg, null, q.Items[index], false));
                    node = q.Items[index];
                    break;
                default:
                    return steps;
            }
        }

        return steps;
    }

    /// <summary>The node at <paramref name="path"/> (unaliased), or null.</summary>
    public static YNode? Find(YNode root, SemPath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var steps = Walk(root, path);
        return steps.Count == path.Segments.Count ? (steps.Count == 0 ? root : SemanticBuilder.Unalias(steps[^1].Child)) : null;
    }

    /// <summary>The nearest node that exists on the way to <paramref name="path"/>, for messages.</summary>
    public static YNode Nearest(YNode root, SemPath path)
    {
        var steps = Walk(root, path);
        return steps.Count == 0 ? root : steps[^1].Pair?.Key is { } key && steps.Count < path.Segments.Count ? key : steps[^1].Child;
    }

    /// <summary>A key in a mapping, its own pairs first, then its merge keys in order (earlier merges win).</summary>
    public static (YPair? Pair, bool ViaMerge) FindKey(YMapping map, string key, int depth)
    {
        ArgumentNullException.ThrowIfNull(map);
        var own = map.Find(key);
        if (own is not null)
        {
            return (own, false);
        }

        if (depth > 64)
        {
            return (null, false);
        }

        foreach (var pair in map.Pairs)
        {
            if (!pair.IsMerge)
            {
                continue;
            }

            var value = SemanticBuilder.Unalias(pair.Value);
            IEnumerable<YNode> sources = value is YSequence seq ? seq.Items.Select(SemanticBuilder.Unalias) : [value];
            foreach (var source in sources)
            {
                if (source is YMapping merged)
                {
                    var (found, _) = FindKey(merged, key, depth + 1);
                    if (found is not null)
                    {
                        return (found, true);
                    }
                }
            }
        }

        return (null, false);
    }
}

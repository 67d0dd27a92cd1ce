using ComposeFix.Compose;
using ComposeFix.Editing;
using ComposeFix.Yaml;

namespace ComposeFix.Engine;

/// <summary>
/// Turns fixes (semantic intents on resolved paths) into text edits. A value that a service gets
/// through an alias or a merge key lives in a shared anchor. For the anchors the caller lets it edit
/// in place, the anchor is edited once — right only when every user of the anchor asked for the same
/// change, which verification then proves. For the others each service gets its own copy of the
/// value with the change, and the anchor is left alone.
/// </summary>
public sealed class ChangePlanner
{
    private readonly ComposeDocument doc;
    private readonly HashSet<YNode> aliasedAnchors;

    public ChangePlanner(ComposeDocument doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        this.doc = doc;
        aliasedAnchors = [.. doc.Document.Aliases.Select(a => a.Target)];
    }

    /// <param name="SharedAnchors">The aliased anchors that the intents of this plan reach (edited in place or overridden).</param>
    public sealed record Plan(List<TextEdit> Edits, List<Fix> Applied, List<(Fix Fix, string Reason)> Dropped, HashSet<YNode> SharedAnchors);

    /// <param name="inPlace">Which shared anchors may be edited in place; the rest are overridden per service.</param>
    public Plan Make(IReadOnlyList<Fix> fixes, Func<YNode, bool> inPlace)
    {
        ArgumentNullException.ThrowIfNull(fixes);
        var profile = StyleProfile.Measure(doc.Text, doc.Root);
        var all = new List<TextEdit>();
        var applied = new List<Fix>();
        var dropped = new List<(Fix, string)>();
        var sharedAnchors = new HashSet<YNode>();

        // Overrides are grouped per (mapping, key) across the fixes of one service, so that two
        // intents under the same inherited key produce one copy.
        foreach (var fix in fixes)
        {
            var editor = new YamlEditor(doc.File, profile);
            try
            {
                var overrides = new Dictionary<(YMapping Map, string Key), (YPair? Own, NewNode Value)>();
                foreach (var intent in fix.Intents)
                {
                    PlanIntent(editor, intent, inPlace, overrides, sharedAnchors);
                }

                foreach (var ((map, key), (own, value)) in overrides)
                {
                    if (own is not null)
                    {
                        editor.ReplaceValue(own.Value, value);
                    }
                    else
                    {
                        editor.AddPair(map, key, value);
                    }
                }

                var merged = new List<TextEdit>(all);
                foreach (var e in editor.Edits)
                {
                    if (!merged.Contains(e))
                    {
                        merged.Add(e);
                    }
                }

                TextEdit.Sort(merged); // throws on overlap with another fix
                all = merged;
                applied.Add(fix);
            }
            catch (EditConflictException ex)
            {
                dropped.Add((fix, ex.Message));
            }
        }

        return new Plan(all, applied, dropped, sharedAnchors);
    }

    private void PlanIntent(YamlEditor editor, Intent intent, Func<YNode, bool> inPlace, Dictionary<(YMapping, string), (YPair?, NewNode)> overrides, HashSet<YNode> sharedAnchors)
    {
        var path = intent.Path;
        var steps = NodeLocator.Walk(doc.Root, path);
        bool exists = steps.Count == path.Segments.Count;
        YNode target = EditTarget(intent, steps, exists);
        var anchor = SharedAnchor(target);
        if (anchor is not null)
        {
            sharedAnchors.Add(anchor);
            if (!inPlace(anchor))
            {
                Override(intent, steps, overrides);
                return;
            }
        }

        Direct(editor, intent, steps, exists);
    }

    /// <summary>The node whose text the direct edit changes (the parent for removals and insertions).</summary>
    private YNode EditTarget(Intent intent, List<PathStep> steps, bool exists)
    {
        if (!exists)
        {
            return steps.Count == 0 ? doc.Root : SemanticBuilder.Unalias(steps[^1].Child);
        }

        return intent switch
        {
            RemoveIntent or RenameIntent => steps[^1].Container,
            _ => SemanticBuilder.Unalias(steps[^1].Child),
        };
    }

    private void Direct(YamlEditor editor, Intent intent, List<PathStep> steps, bool exists)
    {
        var segs = intent.Path.Segments;
        switch (intent)
        {
            case SetIntent set when exists:
                editor.ReplaceValue(steps[^1].Child, set.Value);
                break;
            case SetIntent set:
                AddMissing(editor, steps, segs, set.Value);
                break;
            case AppendIntent append when exists:
                switch (SemanticBuilder.Unalias(steps[^1].Child))
                {
                    case YSequence seq:
                        editor.AppendItem(seq, append.Item);
                        break;
                    case YScalar { Tag: null } s when s.Value.Length == 0 && s.Style == YScalarStyle.Plain:
                        editor.ReplaceValue(steps[^1].Child, new NewSeq([append.Item]));
                        break;
                    default:
                        throw new EditConflictException($"{intent.Path} is not a list");
                }

                break;
            case AppendIntent append:
                AddMissing(editor, steps, segs, new NewSeq([append.Item]));
                break;
            case RemoveIntent when exists:
                {
                    var last = steps[^1];
                    if (last.Container is YMapping m)
                    {
                        editor.RemovePair(m, last.Pair!);
                    }
                    else
                    {
                        editor.RemoveItem((YSequence)last.Container, (int)last.Segment);
                    }

                    break;
                }

            case RenameIntent rename when exists:
                editor.RenameKey(steps[^1].Pair!, rename.NewKey);
                editor.ReplaceValue(steps[^1].Pair!.Value, rename.Value);
                break;
            case RemoveIntent or RenameIntent:
                break; // nothing to remove
        }
    }

    /// <summary>Adds the missing tail of a path below the deepest mapping that exists.</summary>
    private void AddMissing(YamlEditor editor, List<PathStep> steps, IReadOnlyList<object> segs, NewNode value)
    {
        int have = steps.Count;
        var container = have == 0 ? doc.Root : SemanticBuilder.Unalias(steps[^1].Child);
        var nested = Nest(segs, have + 1, value);
        switch (container, segs[have])
        {
            case (YMapping m, string key):
                editor.AddPair(m, key, nested);
                break;
            case (YScalar { Tag: null, Value: "", Style: YScalarStyle.Plain }, string key):
                editor.ReplaceValue(steps[^1].Child, new NewMap([new(key, nested)]));
                break;
            default:
                throw new EditConflictException($"cannot add {new SemPath(segs)}: its parent is not a mapping");
        }
    }

    private static NewNode Nest(IReadOnlyList<object> segs, int from, NewNode value)
    {
        for (int i = segs.Count - 1; i >= from; i--)
        {
            value = new NewMap([new((string)segs[i], value)]);
        }

        return value;
    }

    /// <summary>
    /// Gives the service its own copy of an inherited or shared value, with the change applied, at the
    /// deepest mapping on the path that the service owns alone (the service mapping or below).
    /// </summary>
    private void Override(Intent intent, List<PathStep> steps, Dictionary<(YMapping, string), (YPair?, NewNode)> overrides)
    {
        var segs = intent.Path.Segments;
        int at = -1;

        // Never above the service mapping (services.<name> is steps[1]'s child): index 2 is the first key inside a service.
        for (int i = Math.Min(steps.Count, segs.Count) - 1; i >= 2; i--)
        {
            var s = steps[i];
            if (s.Container is YMapping && !Crossed(steps, i) && !IsShared(s.Container))
            {
                at = i;
                break;
            }
        }

        if (at < 0 && steps.Count == 2 && segs.Count > 2 && !Crossed(steps, 2) && SemanticBuilder.Unalias(steps[1].Child) is YMapping svc && !IsShared(svc))
        {
            // The key is missing everywhere: add it to the service's own mapping.
            overrides[(svc, (string)segs[2])] = (null, Nest(segs, 3, Leaf(intent, null)));
            return;
        }

        if (at < 0)
        {
            var anchor = steps.Select(s => SemanticBuilder.Unalias(s.Child)).FirstOrDefault(n => n.Anchor is not null)?.Anchor;
            throw new EditConflictException(anchor is null
                ? "the value is shared with other services through an alias"
                : $"the value is shared with other services through anchor &{anchor}");
        }

        var step = steps[at];
        var map = (YMapping)step.Container;
        string key = (string)segs[at];
        var own = step.ViaMerge ? null : step.Pair;
        var prefix = new SemPath([.. segs.Take(at + 1)]);
        if (!overrides.TryGetValue((map, key), out var current))
        {
            var meaning = SemOps.Get(doc.Meaning, prefix) ?? throw new EditConflictException($"{prefix} has no value");
            current = (own, NewNode.CopyOf(SemanticBuilder.Unalias(step.Child), doc.Text, meaning));
        }

        var rest = segs.Skip(at + 1).ToList();
        NewNode updated = intent switch
        {
            SetIntent set => NewNodeOps.Set(current.Item2, rest, 0, set.Value),
            AppendIntent append => NewNodeOps.Append(current.Item2, rest, 0, append.Item),
            RemoveIntent => rest.Count == 0 ? throw new EditConflictException("an inherited key cannot be removed from one service") : NewNodeOps.Remove(current.Item2, rest, 0),
            RenameIntent rename => rest.Count == 0
                ? throw new EditConflictException("an inherited key cannot be renamed in one service")
                : NewNodeOps.Set(NewNodeOps.Remove(current.Item2, rest, 0), [.. rest.Take(rest.Count - 1), rename.NewKey], 0, rename.Value),
            _ => throw new EditConflictException("unknown change"),
        };
        overrides[(map, key)] = (current.Item1, updated);
    }

    private static NewNode Leaf(Intent intent, NewNode? existing) => intent switch
    {
        SetIntent set => set.Value,
        AppendIntent append => new NewSeq([.. (existing as NewSeq)?.Items ?? [], append.Item]),
        _ => throw new EditConflictException("nothing to remove"),
    };

    /// <summary>True when the walk up to step <paramref name="upTo"/> (exclusive) went through an alias or a merge.</summary>
    private static bool Crossed(List<PathStep> steps, int upTo)
    {
        for (int i = 0; i < upTo; i++)
        {
            if (steps[i].ViaMerge || steps[i].ThroughAlias)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The outermost anchor above (or at) the node that some alias refers to: editing the node changes every user of that anchor.</summary>
    private YNode? SharedAnchor(YNode node)
    {
        YNode? found = null;
        for (YNode? n = node; n is not null; n = n.Parent)
        {
            if (aliasedAnchors.Contains(n))
            {
                found = n;
            }
        }

        return found;
    }

    private bool IsShared(YNode node) => SharedAnchor(node) is not null;
}

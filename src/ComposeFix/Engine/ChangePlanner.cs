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
    /// <param name="Owners">Which fixes each edit serves (an edit can serve several: a shared anchor, a merged new key).</param>
    public sealed record Plan(List<TextEdit> Edits, List<Fix> Applied, List<(Fix Fix, string Reason)> Dropped, HashSet<YNode> SharedAnchors, Dictionary<TextEdit, List<Fix>> Owners);

    /// <param name="inPlace">Which shared anchors may be edited in place; the rest are overridden per service.</param>
    public Plan Make(IReadOnlyList<Fix> fixes, Func<YNode, bool> inPlace)
    {
        ArgumentNullException.ThrowIfNull(fixes);
        var profile = StyleProfile.Measure(doc.Text, doc.Root);
        var all = new EditSet();
        var owners = new Dictionary<TextEdit, List<Fix>>();
        var applied = new List<Fix>();
        var dropped = new List<(Fix, string)>();
        var sharedAnchors = new HashSet<YNode>();

        // New keys and per-service overrides are collected for the whole plan, so that several fixes
        // adding under the same missing key (e.g. two networks under a new top-level networks:) or
        // changing the same inherited value produce one key, written once.
        var pending = new PendingValues();
        foreach (var fix in fixes)
        {
            var editor = new YamlEditor(doc.File, profile);
            pending.Checkpoint();
            try
            {
                foreach (var intent in fix.Intents)
                {
                    PlanIntent(editor, intent, inPlace, pending, sharedAnchors, fix);
                }

                all.Add(editor.Edits);
                Own(owners, editor.Edits, [fix]);
                applied.Add(fix);
            }
            catch (EditConflictException ex)
            {
                pending.Rollback();
                dropped.Add((fix, ex.Message));
            }
        }

        // Deeper targets first: a new key at the end of the last service and a new top-level key land on the
        // same offset, and the service's key must come before the top-level one.
        foreach (var ((target, key), p) in pending.InOrder.OrderByDescending(e => e.Key.Target.Depth))
        {
            var editor = new YamlEditor(doc.File, profile);
            try
            {
                if (key is null)
                {
                    editor.ReplaceValue(target, p.Value);
                }
                else if (p.Own is not null)
                {
                    editor.ReplaceValue(p.Own.Value, p.Value);
                }
                else
                {
                    editor.AddPair((YMapping)target, key, p.Value);
                }

                all.Add(editor.Edits);
                Own(owners, editor.Edits, p.Fixes);
            }
            catch (EditConflictException ex)
            {
                foreach (var fix in p.Fixes.Distinct())
                {
                    if (applied.Remove(fix))
                    {
                        dropped.Add((fix, ex.Message));
                    }
                }
            }
        }

        return new Plan(all.InOrder, applied, dropped, sharedAnchors, owners);
    }

    /// <summary>A value to write once at the end of a plan: a new key, or a service's own copy of an inherited value.</summary>
    private sealed record Pending(YPair? Own, NewNode Value, GrowingList<Fix> Fixes);

    /// <summary>
    /// The plan's pending values in the order they were first added, with a checkpoint so that a fix
    /// that fails half-way leaves no trace. Undo is a journal, not a copy: a plan can hold thousands.
    /// </summary>
    private sealed class PendingValues
    {
        private readonly Dictionary<(YNode Target, string? Key), Pending> values = [];
        private readonly List<(YNode Target, string? Key)> order = [];
        private readonly List<((YNode, string?) Key, Pending Old)> journal = [];
        private int orderAtCheckpoint;

        public IEnumerable<KeyValuePair<(YNode Target, string? Key), Pending>> InOrder => order.Select(k => new KeyValuePair<(YNode Target, string? Key), Pending>(k, values[k]));

        public bool TryGetValue((YNode, string?) key, out Pending value) => values.TryGetValue(key, out value!);

        public Pending this[(YNode, string?) key]
        {
            set
            {
                if (values.TryGetValue(key, out var old))
                {
                    journal.Add((key, old));
                }
                else
                {
                    order.Add(key);
                }

                values[key] = value;
            }
        }

        public void Checkpoint()
        {
            journal.Clear();
            orderAtCheckpoint = order.Count;
        }

        public void Rollback()
        {
            for (int i = journal.Count - 1; i >= 0; i--)
            {
                values[journal[i].Key] = journal[i].Old;
            }

            for (int i = orderAtCheckpoint; i < order.Count; i++)
            {
                values.Remove(order[i]);
            }

            order.RemoveRange(orderAtCheckpoint, order.Count - orderAtCheckpoint);
            Checkpoint();
        }
    }

    /// <summary>
    /// The plan's edits in the order they were made, refusing one that overlaps another. Kept sorted
    /// as well, so a new edit is checked against its two neighbours only, not the whole plan.
    /// </summary>
    private sealed class EditSet
    {
        private readonly HashSet<TextEdit> members = [];
        private readonly List<TextEdit> sorted = [];

        public List<TextEdit> InOrder { get; } = [];

        /// <summary>Adds the edits not already present; all or none (throws <see cref="EditConflictException"/>).</summary>
        public void Add(IReadOnlyList<TextEdit> edits)
        {
            var added = new List<TextEdit>();
            try
            {
                foreach (var e in edits)
                {
                    if (!members.Add(e))
                    {
                        continue;
                    }

                    added.Add(e);
                    int at = UpperBound(e);
                    sorted.Insert(at, e);
                    InOrder.Add(e);
                    if ((at > 0 && e.Start < sorted[at - 1].End) || (at + 1 < sorted.Count && sorted[at + 1].Start < e.End))
                    {
                        var other = at > 0 && e.Start < sorted[at - 1].End ? sorted[at - 1] : sorted[at + 1];
                        var (first, second) = other.Start <= e.Start ? (other, e) : (e, other);
                        throw new EditConflictException($"two changes touch the same text (offsets {first.Start}-{first.End} and {second.Start}-{second.End})");
                    }
                }
            }
            catch (EditConflictException)
            {
                foreach (var e in added)
                {
                    members.Remove(e);
                    sorted.Remove(e);
                    InOrder.Remove(e);
                }

                throw;
            }
        }

        /// <summary>Where <see cref="TextEdit.Sort"/> would put a new edit: by start, inserts before replacements, then oldest first.</summary>
        private int UpperBound(TextEdit e)
        {
            int lo = 0, hi = sorted.Count;
            while (lo < hi)
            {
                int mid = (lo + hi) / 2;
                var m = sorted[mid];
                bool before = m.Start < e.Start || (m.Start == e.Start && (m.End > m.Start ? 1 : 0) <= (e.End > e.Start ? 1 : 0));
                if (before)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }

            return lo;
        }
    }

    private static void Own(Dictionary<TextEdit, List<Fix>> owners, IEnumerable<TextEdit> edits, IEnumerable<Fix> fixes)
    {
        foreach (var e in edits)
        {
            if (!owners.TryGetValue(e, out var list))
            {
                owners[e] = list = [];
            }

            var present = new HashSet<Fix>(list); // a new block can serve thousands of fixes: no scan per fix
            list.AddRange(fixes.Where(present.Add));
        }
    }

    private void PlanIntent(YamlEditor editor, Intent intent, Func<YNode, bool> inPlace, PendingValues pending, HashSet<YNode> sharedAnchors, Fix fix)
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
                Override(intent, steps, pending, fix);
                return;
            }
        }

        Direct(editor, intent, steps, exists, pending, fix);
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
            RemoveIntent or RenameIntent => HolderOf(steps[^1]),
            _ => SemanticBuilder.Unalias(steps[^1].Child),
        };
    }

    private void Direct(YamlEditor editor, Intent intent, List<PathStep> steps, bool exists, PendingValues pending, Fix fix)
    {
        var segs = intent.Path.Segments;
        switch (intent)
        {
            case SetIntent set when exists:
                editor.ReplaceValue(steps[^1].Child, set.Value);
                break;
            case SetIntent set:
                AddMissing(steps, segs, set.Value, pending, fix);
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
                AddMissing(steps, segs, new NewSeq([append.Item]), pending, fix);
                break;
            case RemoveIntent when exists:
                {
                    var last = steps[^1];
                    if (last.Container is YMapping)
                    {
                        editor.RemovePair((YMapping)HolderOf(last), last.Pair!);
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

    /// <summary>Adds the missing tail of a path below the deepest mapping that exists (collected, written at the end of the plan).</summary>
    private void AddMissing(List<PathStep> steps, IReadOnlyList<object> segs, NewNode value, PendingValues pending, Fix fix)
    {
        int have = steps.Count;
        var container = have == 0 ? doc.Root : SemanticBuilder.Unalias(steps[^1].Child);
        var nested = Nest(segs, have + 1, value);
        switch (container, segs[have])
        {
            case (YMapping m, string key):
                Add(pending, (m, key), null, nested, fix);
                break;
            case (YScalar { Tag: null, Value: "", Style: YScalarStyle.Plain }, string key):
                Add(pending, (steps[^1].Child, null), null, new NewMap([new(key, nested)]), fix);
                break;
            default:
                throw new EditConflictException($"cannot add {new SemPath(segs)}: its parent is not a mapping");
        }
    }

    private static void Add(PendingValues pending, (YNode, string?) at, YPair? own, NewNode value, Fix fix)
    {
        pending[at] = pending.TryGetValue(at, out var existing)
            ? new Pending(existing.Own ?? own, Combine(existing.Value, value), existing.Fixes.Append(fix))
            : new Pending(own, value, GrowingList<Fix>.From([fix]));
    }

    /// <summary>Two new values for the same key: mappings merge key by key, lists concatenate.</summary>
    private static NewNode Combine(NewNode a, NewNode b) => (a, b) switch
    {
        (NewMap x, NewMap y) => x with { Pairs = CombinePairs(x.Pairs, y.Pairs) },
        (NewSeq x, NewSeq y) => x with { Items = [.. x.Items, .. y.Items] },
        _ when a == b => a,
        _ => throw new EditConflictException("two changes set different values for the same new key"),
    };

    /// <summary>
    /// The pairs of <paramref name="x"/> (combined with <paramref name="y"/>'s value for the same key), then
    /// <paramref name="y"/>'s new keys. Linear with a lookup of <paramref name="y"/>'s few keys: a new top-level
    /// networks: collects one network per service, one fix at a time.
    /// </summary>
    private static IReadOnlyList<KeyValuePair<string, NewNode>> CombinePairs(IReadOnlyList<KeyValuePair<string, NewNode>> x, IReadOnlyList<KeyValuePair<string, NewNode>> y)
    {
        // The common case, one new key per fix: append to x's storage instead of copying it.
        var grown = x is GrowingList<KeyValuePair<string, NewNode>> { IsKeyed: true } g ? g : GrowingList<KeyValuePair<string, NewNode>>.From(x, p => p.Key);
        if (y.All(p => grown.IndexOfKey(p.Key) < 0) && y.Select(p => p.Key).Distinct(StringComparer.Ordinal).Count() == y.Count)
        {
            foreach (var p in y)
            {
                grown = grown.Append(p);
            }

            return grown;
        }

        var extra = new Dictionary<string, NewNode>(y.Count, StringComparer.Ordinal);
        foreach (var p in y)
        {
            extra.TryAdd(p.Key, p.Value);
        }

        var pairs = new List<KeyValuePair<string, NewNode>>(x.Count + y.Count);
        foreach (var p in x)
        {
            pairs.Add(extra.Remove(p.Key, out var other) ? new KeyValuePair<string, NewNode>(p.Key, Combine(p.Value, other)) : p);
        }

        foreach (var p in y)
        {
            if (extra.Remove(p.Key))
            {
                pairs.Add(p);
            }
        }

        return pairs;
    }

    /// <summary>The mapping that really holds a step's pair: the merged anchor's mapping when the key came through a merge key.</summary>
    private static YNode HolderOf(PathStep step) => step.ViaMerge ? step.Pair!.Key.Parent! : step.Container;

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
    private void Override(Intent intent, List<PathStep> steps, PendingValues pending, Fix fix)
    {
        var segs = intent.Path.Segments;
        int at = -1;

        // Never above the service mapping (services.<name> is steps[1]'s child): index 2 is the first key inside a service.
        for (int i = Math.Min(steps.Count, segs.Count) - 1; i >= 2; i--)
        {
            var s = steps[i];
            if (s.Container is YMapping && !Crossed(steps, i) && !IsShared(s.Container) && (s.ViaMerge || !DefinesAliasedAnchor(s.Child)))
            {
                at = i;
                break;
            }
        }

        if (at < 0 && steps.Count == 2 && segs.Count > 2 && !Crossed(steps, 2) && SemanticBuilder.Unalias(steps[1].Child) is YMapping svc && !IsShared(svc))
        {
            // The key is missing everywhere: add it to the service's own mapping.
            Add(pending, (svc, (string)segs[2]), null, Nest(segs, 3, Leaf(intent, null)), fix);
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
        NewNode currentValue;
        if (pending.TryGetValue((map, key), out var current))
        {
            currentValue = current.Value;
        }
        else
        {
            var meaning = SemOps.Get(doc.Meaning, prefix) ?? throw new EditConflictException($"{prefix} has no value");
            currentValue = NewNode.CopyOf(SemanticBuilder.Unalias(step.Child), doc.Text, meaning);
        }

        var rest = segs.Skip(at + 1).ToList();
        NewNode updated = intent switch
        {
            SetIntent set => NewNodeOps.Set(currentValue, rest, 0, set.Value),
            AppendIntent append => NewNodeOps.Append(currentValue, rest, 0, append.Item),
            RemoveIntent => rest.Count == 0 ? throw new EditConflictException("an inherited key cannot be removed from one service") : NewNodeOps.Remove(currentValue, rest, 0),
            RenameIntent rename => rest.Count == 0
                ? throw new EditConflictException("an inherited key cannot be renamed in one service")
                : NewNodeOps.Set(NewNodeOps.Remove(currentValue, rest, 0), [.. rest.Take(rest.Count - 1), rename.NewKey], 0, rename.Value),
            _ => throw new EditConflictException("unknown change"),
        };
        pending[(map, key)] = new Pending(current?.Own ?? own, updated, (current?.Fixes ?? GrowingList<Fix>.From([])).Append(fix));
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

    /// <summary>
    /// True when the node's own text defines an anchor that an alias uses (web: {ports: &amp;p [...]}, db: {ports: *p}):
    /// replacing that text with a copy would take the anchor away from its other users.
    /// </summary>
    private bool DefinesAliasedAnchor(YNode node)
    {
        var work = new Stack<YNode>();
        work.Push(node);
        while (work.Count > 0)
        {
            var n = work.Pop();
            if (aliasedAnchors.Contains(n))
            {
                return true;
            }

            YamlLoader.ForEachChild(n, work, static (w, child) => w.Push(child));
        }

        return false;
    }
}

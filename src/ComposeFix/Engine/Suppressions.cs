using System.Text.RegularExpressions;
using ComposeFix.Compose;
using ComposeFix.Yaml;

namespace ComposeFix.Engine;

/// <summary>
/// An inline <c># composefix: ignore</c> or <c># composefix: ignore[id,id]</c> comment, and the place it
/// covers: the key or list item that starts its line (the leftmost one when several do). On a
/// service's key line it covers the whole service.
/// </summary>
/// <param name="Id">Stable identity across recipe passes: the comment's rank among suppression comments.</param>
public sealed record Suppression(int Id, SemPath Path, string? Service, IReadOnlySet<string>? Recipes, int Line, int Column, string Text)
{
    public bool Covers(string recipeId, string? service, SemPath location, IEnumerable<SemPath> paths)
    {
        ArgumentNullException.ThrowIfNull(location);
        if (Recipes is not null && !Recipes.Contains(recipeId) && !Recipes.Contains("all"))
        {
            return false;
        }

        if (Service is not null && service == Service)
        {
            return true;
        }

        return StartsWith(location, Path) || (paths ?? []).Any(p => StartsWith(p, Path));
    }

    private static bool StartsWith(SemPath path, SemPath prefix) =>
        path.Segments.Count >= prefix.Segments.Count && prefix.Segments.Select((s, i) => Equals(s, path.Segments[i])).All(x => x);
}

public static partial class Suppressions
{
    public static List<Suppression> Find(ComposeDocument doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        var result = new List<Suppression>();
        var comments = doc.File.Comments.Where(c => c.Start < doc.Document.End).ToList();
        if (!comments.Any(c => Pattern().IsMatch(c.Text)))
        {
            return result;
        }

        var starts = LineStarts(doc);
        int rank = 0;
        foreach (var c in comments)
        {
            var m = Pattern().Match(c.Text);
            if (!m.Success)
            {
                continue;
            }

            var (line, col) = doc.Source.LineColumn(c.Start);
            int id = rank++;
            if (!starts.TryGetValue(line, out var path))
            {
                continue; // not on a key or item line: covers nothing, reported as stale
            }

            IReadOnlySet<string>? recipes = m.Groups[1].Success
                ? m.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal)
                : null;
            string? service = path.Segments.Count == 2 && (string)path.Segments[0] == "services" ? (string)path.Segments[1] : null;
            result.Add(new Suppression(id, path, service, recipes, line, col, c.Text));
        }

        return result;
    }

    /// <summary>All suppression comments with their rank, for stale reports (including those that cover nothing).</summary>
    public static List<(int Id, int Line, int Column, string Text)> All(ComposeDocument doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        var all = new List<(int, int, int, string)>();
        int rank = 0;
        foreach (var c in doc.File.Comments.Where(c => c.Start < doc.Document.End))
        {
            if (Pattern().IsMatch(c.Text))
            {
                var (line, col) = doc.Source.LineColumn(c.Start);
                all.Add((rank++, line, col, c.Text));
            }
        }

        return all;
    }

    /// <summary>Line → path of the leftmost key or item that starts on it, for the document's own nodes.</summary>
    private static Dictionary<int, SemPath> LineStarts(ComposeDocument doc)
    {
        var starts = new Dictionary<int, (int Column, SemPath Path)>();
        var work = new Stack<(YNode Node, SemPath Path)>();
        work.Push((doc.Root, SemPath.Of()));
        while (work.Count > 0)
        {
            var (node, path) = work.Pop();
            switch (node)
            {
                case YMapping map:
                    foreach (var pair in map.Pairs)
                    {
                        if (pair.IsMerge || pair.KeyText is null)
                        {
                            continue;
                        }

                        var p = path.Append(pair.KeyText);
                        Record(pair.Key.Start, p);
                        work.Push((pair.Value, p));
                    }

                    break;
                case YSequence seq:
                    for (int i = 0; i < seq.Items.Count; i++)
                    {
                        var p = path.Append(i);
                        Record(seq.Items[i].Start, p);
                        work.Push((seq.Items[i], p));
                    }

                    break;
            }
        }

        return starts.ToDictionary(kv => kv.Key, kv => kv.Value.Path);

        void Record(int index, SemPath path)
        {
            var (line, col) = doc.Source.LineColumn(index);
            if (!starts.TryGetValue(line, out var existing) || col < existing.Column)
            {
                starts[line] = (col, path);
            }
        }
    }

    [GeneratedRegex(@"^composefix:\s*ignore(?:\[([^\]]*)\])?(?:\s|$)")]
    private static partial Regex Pattern();
}

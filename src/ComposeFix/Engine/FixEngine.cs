using ComposeFix.Compose;
using ComposeFix.Editing;
using ComposeFix.Recipes;
using ComposeFix.Text;
using ComposeFix.Yaml;

namespace ComposeFix.Engine;

public sealed class FixOptions
{
    /// <summary>Recipe ids to run (null = all).</summary>
    public IReadOnlySet<string>? Only { get; init; }

    public IReadOnlySet<string> Skip { get; init; } = new HashSet<string>();

    public bool UnsafeFixes { get; init; }

    /// <summary>Full paths of all files in this run (for recipes that edit a whole Compose project at once).</summary>
    public IReadOnlySet<string>? RunFiles { get; init; }

    /// <summary>Hold back fixes that write files beside the compose file (the stdin filter cannot create them).</summary>
    public bool NoSideFiles { get; init; }

    /// <summary>The project's .composefix.yml, if any: below the command line in precedence.</summary>
    public Config.ProjectConfig? Config { get; init; }
}

public enum FileStatus
{
    Unchanged,
    Changed,
    Error,
}

/// <param name="Detail">The exception behind the error, for --verbose (null when the message says it all).</param>
public sealed record FileError(string Message, int Line, int Column, string? Detail = null);

public sealed class FileResult
{
    public required string Path { get; init; }

    public required byte[] OriginalBytes { get; init; }

    public SourceText? Source { get; init; }

    /// <summary>The fixed text (without BOM); equal to the original text when nothing changed.</summary>
    public string? NewText { get; init; }

    public FileStatus Status { get; init; }

    public FileError? Error { get; init; }

    public List<Fix> Applied { get; init; } = [];

    public List<Fix> HeldBack { get; init; } = [];

    public List<Finding> Findings { get; init; } = [];

    /// <summary>The whole change as edits on the ORIGINAL text (what editors, JSON and SARIF apply), with the fixes each serves.</summary>
    public IReadOnlyList<OriginalEdit> Edits { get; init; } = [];

    /// <summary>Files the applied fixes create or append to, relative to the compose file's folder.</summary>
    public IEnumerable<FileChange> Files => Applied.SelectMany(f => f.Files);

    public byte[]? NewBytes => Source is null || NewText is null ? null : Source.Encode(NewText);
}

/// <summary>Raised when an edited file would not mean the old meaning plus the intended change.</summary>
public sealed class VerificationException : Exception
{
    public VerificationException()
    {
    }

    public VerificationException(string message)
        : base(message)
    {
    }

    public VerificationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Runs the recipes of the catalog, in order, over one file. Each recipe sees the document as the
/// previous one left it. After every recipe the edited text is parsed again and its meaning is
/// compared with the old meaning plus the intended changes; any other difference leaves the whole
/// file untouched (fail closed).
/// </summary>
public sealed class FixEngine
{
    /// <summary>Passes over the recipes before giving up on reaching a fixed point.</summary>
    public const int MaxPasses = 4;

    private readonly RecipeCatalog catalog;
    private readonly IReadOnlyList<IRecipe> recipes;

    public FixEngine(RecipeCatalog? catalog = null, IReadOnlyList<IRecipe>? recipes = null)
    {
        this.catalog = catalog ?? RecipeCatalog.Default;
        this.recipes = recipes ?? RecipeRegistry.All;
    }

    public FileResult Run(string path, byte[] bytes, FixOptions options, string? directory = null)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentNullException.ThrowIfNull(options);
        SourceText source;
        ComposeDocument doc;
        try
        {
            source = SourceText.Decode(bytes);
            doc = ComposeDocument.Load(source);
        }
        catch (InputException ex)
        {
            return new FileResult { Path = path, OriginalBytes = bytes, Status = FileStatus.Error, Error = new FileError(ex.Message, ex.Line, ex.Column, ex.InnerException?.ToString()) };
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return new FileResult { Path = path, OriginalBytes = bytes, Status = FileStatus.Error, Error = new FileError($"cannot read the file as YAML ({ex.GetType().Name}: {ex.Message})", 1, 1, ex.ToString()) };
        }

        var applied = new List<Fix>();
        var heldBack = new List<Fix>();
        var findings = new List<Finding>();
        if (doc.IsLegacyLayout)
        {
            findings.Add(new Finding { RecipeId = "composefix", Note = "Compose v1 layout (services at the top level, no services: key): not changed; move the services under services: to harden them", Location = SemPath.Of(), Line = 1, Column = 1 });
            return Result(path, bytes, source, doc.Text, applied, heldBack, findings);
        }

        string original = doc.Text;
        var originalDoc = doc;
        var history = new EditHistory(original.Length);
        var config = options.Config;
        bool unsafeFixes = options.UnsafeFixes || config?.UnsafeFixes == true;
        var ran = new HashSet<string>(StringComparer.Ordinal);
        var usedSuppressions = new HashSet<int>();
        var dropped = new List<Finding>(); // fixes that could not be made, from every pass
        ComposeDocument? suppressionsOf = null;
        List<Suppression> suppressions = [];
        try
        {
            // Like ruff, run the recipes again on their own output until nothing changes (one recipe can
            // enable another: removing network_mode: host makes its ports published). The last pass's
            // findings and held-back fixes describe the result; a file that does not settle is reported.
            for (int pass = 1; ; pass++)
            {
                string before = doc.Text;
                findings.Clear();
                heldBack.Clear();
                usedSuppressions.Clear();
                foreach (var recipe in recipes)
                {
                    if (!Enabled(recipe.Id, options, config))
                    {
                        continue;
                    }

                    ran.Add(recipe.Id);
                    var ctx = new RecipeContext(doc, catalog.ById[recipe.Id], Parameters(recipe.Id, config), directory, null, System.IO.Path.GetFileName(path), options.RunFiles);
                    recipe.Analyze(ctx);

                    // Inline comments and per-service config switch off exactly what they name.
                    if (!ReferenceEquals(suppressionsOf, doc))
                    {
                        (suppressionsOf, suppressions) = (doc, Suppressions.Find(doc)); // once per document, not per recipe
                    }

                    bool Suppressed(string? service, SemPath location, IEnumerable<SemPath> paths)
                    {
                        if (service is not null && config?.ServiceSkips.TryGetValue(service, out var skip) == true && (skip.Contains("all") || skip.Contains(recipe.Id)))
                        {
                            return true;
                        }

                        var hit = suppressions.FirstOrDefault(s => s.Covers(recipe.Id, service, location, paths));
                        if (hit is not null)
                        {
                            usedSuppressions.Add(hit.Id);
                        }

                        return hit is not null;
                    }

                    foreach (var finding in ctx.Findings)
                    {
                        if (!Suppressed(finding.Service, finding.Location, []))
                        {
                            Locate(originalDoc, finding);
                            findings.Add(finding);
                        }
                    }

                    var wanted = new List<Fix>();
                    foreach (var fix in ctx.Fixes)
                    {
                        if (Suppressed(fix.Service, fix.Location, fix.Intents.Select(i => i.Path)))
                        {
                            continue;
                        }

                        (fix.Line, fix.Column) = LocationOf(originalDoc, fix.Location);

                        if (options.NoSideFiles && fix.Files.Count > 0)
                        {
                            findings.Add(new Finding { RecipeId = recipe.Id, Service = fix.Service, Note = $"not changed here: {fix.Note} — it writes files next to the compose file; run 'composefix fix --write' on the file", Location = fix.Location, Line = fix.Line, Column = fix.Column });
                            continue;
                        }

                        if (fix.Applicability == Applicability.Unsafe && !unsafeFixes)
                        {
                            heldBack.Add(fix);
                        }
                        else
                        {
                            wanted.Add(fix);
                        }
                    }

                    if (wanted.Count > 0)
                    {
                        doc = Apply(doc, recipe.Id, wanted, applied, dropped, history);
                    }
                }

                if (doc.Text == before)
                {
                    break;
                }

                if (pass == MaxPasses)
                {
                    findings.Add(new Finding { RecipeId = "composefix", Note = $"the recipes still changed the file after {MaxPasses} passes; run composefix again and review the result", Location = SemPath.Of(), Line = 1, Column = 1 });
                    break;
                }
            }

            foreach (var d in dropped.DistinctBy(d => (d.RecipeId, d.Service, d.Note, d.Line, d.Column)))
            {
                findings.Add(d);
            }

            if (Enabled("stale-suppression", options, config))
            {
                ReportStale(doc, ran, usedSuppressions, findings);
            }
        }
        catch (VerificationException ex)
        {
            return new FileResult { Path = path, OriginalBytes = bytes, Source = source, NewText = original, Status = FileStatus.Error, Error = new FileError(ex.Message, 1, 1, ex.ToString()), Findings = findings };
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Fail closed: an unexpected problem in a recipe or the editor leaves this file untouched, and the run goes on.
            return new FileResult { Path = path, OriginalBytes = bytes, Source = source, NewText = original, Status = FileStatus.Error, Error = new FileError($"internal error, file left untouched ({ex.GetType().Name}: {ex.Message}); please report it", 1, 1, ex.ToString()), Findings = findings };
        }

        return Result(path, bytes, source, doc.Text, applied, heldBack, findings, history.Edits(original.Length));

        FileResult Result(string p, byte[] b, SourceText s, string text, List<Fix> a, List<Fix> h, List<Finding> f, List<OriginalEdit>? edits = null) => new()
        {
            Edits = edits ?? [],
            Path = p,
            OriginalBytes = b,
            Source = s,
            NewText = text,
            Status = text == s.Text ? FileStatus.Unchanged : FileStatus.Changed,
            Applied = a,
            HeldBack = h,
            Findings = f,
        };
    }

    private bool Enabled(string id, FixOptions options, Config.ProjectConfig? config)
    {
        if (options.Only is not null ? !options.Only.Contains(id) : config?.Enable is not null && !config.Enable.Contains(id))
        {
            return false;
        }

        return !options.Skip.Contains(id) && config?.Disable.Contains(id) != true && catalog.ById.ContainsKey(id);
    }

    private static Dictionary<string, Sem>? Parameters(string id, Config.ProjectConfig? config)
    {
        if (config is null)
        {
            return null;
        }

        var values = config.Parameters.TryGetValue(id, out var p) ? new Dictionary<string, Sem>(p, StringComparer.Ordinal) : new Dictionary<string, Sem>(StringComparer.Ordinal);
        if (id == "bind-ports-localhost" && config.KeepPublic.Count > 0)
        {
            var listed = (values.GetValueOrDefault("keep_public") as SemSeq)?.Items ?? [];
            values["keep_public"] = new SemSeq([.. listed, .. config.KeepPublic.Select(SemScalar.Text)]);
        }

        return values;
    }

    /// <summary>A suppression that suppressed nothing is itself reported (like ruff's unused noqa), when every recipe it names ran.</summary>
    private void ReportStale(ComposeDocument doc, HashSet<string> ran, HashSet<int> used, List<Finding> findings)
    {
        var covering = Suppressions.Find(doc).ToDictionary(s => s.Id);
        foreach (var (id, line, column, text) in Suppressions.All(doc))
        {
            if (used.Contains(id))
            {
                continue;
            }

            var recipes = covering.TryGetValue(id, out var s) ? s.Recipes : null;
            var unknown = recipes?.Where(r => r != "all" && !catalog.ById.ContainsKey(r)).ToList() ?? [];
            if (unknown.Count > 0)
            {
                findings.Add(new Finding { RecipeId = "stale-suppression", Note = $"'# {text}' names unknown recipe id {string.Join(", ", unknown)} (see 'composefix recipes')", Location = SemPath.Of(), Line = line, Column = column });
                continue;
            }

            if (recipes is not null && !recipes.All(ran.Contains))
            {
                continue; // a recipe it names did not run: cannot tell
            }

            findings.Add(new Finding
            {
                RecipeId = "stale-suppression",
                Note = covering.ContainsKey(id) ? $"'# {text}' suppresses nothing here; remove it" : $"'# {text}' is not on the line of a key or list item, so it suppresses nothing; move or remove it",
                Location = SemPath.Of(),
                Line = line,
                Column = column,
            });
        }
    }

    private static ComposeDocument Apply(ComposeDocument doc, string recipeId, List<Fix> fixes, List<Fix> applied, List<Finding> findings, EditHistory history)
    {
        var planner = new ChangePlanner(doc);
        var plan = planner.Make(fixes, _ => true);
        var (next, problem) = Verify(doc, plan);
        if (problem is not null && plan.SharedAnchors.Count > 0)
        {
            // Some anchor is not used the same way by all its users. Keep in place only the anchors whose
            // in-place edit verifies on its own; every other service gets its own copy of the value.
            var inPlace = new HashSet<YNode>();
            foreach (var anchor in plan.SharedAnchors.OrderBy(a => a.Start))
            {
                var candidate = planner.Make(fixes, a => a == anchor || inPlace.Contains(a));
                if (Verify(doc, candidate).Problem is null)
                {
                    inPlace.Add(anchor);
                }
            }

            plan = planner.Make(fixes, inPlace.Contains);
            (next, problem) = Verify(doc, plan);
        }

        if (problem is not null)
        {
            var services = string.Join(", ", plan.Applied.Select(f => f.Service).Where(s => s is not null).Distinct());
            throw new VerificationException($"recipe {recipeId} (services: {services}): the edited file would not mean what was intended, so it was left untouched: {problem}");
        }

        foreach (var (fix, reason) in plan.Dropped)
        {
            var f = new Finding { RecipeId = recipeId, Service = fix.Service, Note = $"not changed: {fix.Note} — {reason}", Location = fix.Location, Line = fix.Line, Column = fix.Column };
            findings.Add(f);
        }

        applied.AddRange(plan.Applied);
        history.Apply(plan.Edits, plan.Owners);
        return next!;
    }

    /// <summary>Parses the edited text and checks it means exactly the old meaning plus the intents.</summary>
    private static (ComposeDocument? Doc, string? Problem) Verify(ComposeDocument doc, ChangePlanner.Plan plan)
    {
        if (plan.Edits.Count == 0)
        {
            return plan.Applied.Count == 0 ? (doc, null) : (null, "the changes produced no edit");
        }

        if (plan.Edits.Any(e => e.Start > doc.Document.End || e.End > doc.Document.End))
        {
            return (null, "an edit fell outside the first YAML document");
        }

        string text = TextEdit.Apply(doc.Text, plan.Edits);
        ComposeDocument next;
        try
        {
            next = ComposeDocument.Load(doc.Source.WithText(text));
        }
        catch (InputException ex)
        {
            return (null, $"the result does not parse ({ex.Message} at line {ex.Line}, column {ex.Column})");
        }

        Sem expected = doc.Meaning;
        try
        {
            expected = SemOps.ApplyAll(expected, plan.Applied.SelectMany(f => f.Intents).SelectMany(i => i.Meaning()));
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentOutOfRangeException or InvalidCastException)
        {
            return (null, $"a change does not fit the document ({ex.Message})");
        }

        var difference = SemOps.FirstDifference(expected, next.Meaning, k => k.StartsWith("x-", StringComparison.Ordinal));
        if (difference is not null)
        {
            return (null, difference);
        }

        var lost = LostComments(doc, next, plan.Edits);
        if (lost is not null)
        {
            return (null, $"comment '# {lost}' would be lost");
        }

        if (doc.Document.End < doc.Text.Length && !text.EndsWith(doc.Text[doc.Document.End..], StringComparison.Ordinal))
        {
            return (null, "a later YAML document changed");
        }

        return (next, null);
    }

    /// <summary>Every comment outside the replaced ranges must still be there.</summary>
    private static string? LostComments(ComposeDocument before, ComposeDocument after, List<TextEdit> edits)
    {
        var remaining = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var c in after.File.Comments)
        {
            remaining[c.Text] = remaining.GetValueOrDefault(c.Text) + 1;
        }

        foreach (var c in before.File.Comments)
        {
            if (edits.Any(e => e.End > e.Start && c.Start >= e.Start && c.End <= e.End))
            {
                continue; // removed together with the key it belonged to
            }

            if (remaining.GetValueOrDefault(c.Text) == 0)
            {
                return c.Text;
            }

            remaining[c.Text]--;
        }

        return null;
    }

    private static void Locate(ComposeDocument doc, Finding finding)
    {
        var node = NodeLocator.Nearest(doc.Root, finding.Location);
        (finding.Line, finding.Column) = doc.Source.LineColumn(node.Start);
    }

    /// <summary>Line and column of the place a fix is anchored at, in the original text.</summary>
    public static (int Line, int Column) LocationOf(ComposeDocument doc, SemPath path)
    {
        ArgumentNullException.ThrowIfNull(doc);
        var node = NodeLocator.Nearest(doc.Root, path);
        return doc.Source.LineColumn(node.Start);
    }
}

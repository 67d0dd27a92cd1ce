using ComposeFix.Compose;
using ComposeFix.Engine;
using ComposeFix.Yaml;

namespace ComposeFix.Recipes;

/// <summary>
/// A remediation recipe: it reads the compose document (as Compose sees it, merges resolved) and
/// proposes fixes as semantic intents, or findings. It never edits text; the engine does that.
/// </summary>
public interface IRecipe
{
    string Id { get; }

    void Analyze(RecipeContext context);
}

/// <summary>What a recipe sees and how it answers.</summary>
public sealed class RecipeContext
{
    private readonly Dictionary<string, Sem> parameters;

    public RecipeContext(ComposeDocument document, RecipeInfo info, IReadOnlyDictionary<string, Sem>? parameterOverrides = null, string? directory = null, ImageKnowledge? images = null, string? fileName = null, IReadOnlySet<string>? runFiles = null)
    {
        FilePath = directory is null || fileName is null ? null : Path.Combine(directory, fileName);
        RunFiles = runFiles;
        ArgumentNullException.ThrowIfNull(info);
        Document = document;
        Info = info;
        Directory = directory;
        Images = images ?? ImageKnowledge.Default;
        var values = info.Parameters.ToDictionary(p => p.Name, p => p.Default, StringComparer.Ordinal);
        foreach (var (k, v) in parameterOverrides ?? new Dictionary<string, Sem>())
        {
            values[k] = v;
        }

        parameters = values;
    }

    public ComposeDocument Document { get; }

    /// <summary>The folder of the compose file on disk, or null for text that has none (stdin, tests).</summary>
    public string? Directory { get; }

    public ImageKnowledge Images { get; }

    /// <summary>The compose file's full path, or null for text that has none.</summary>
    public string? FilePath { get; }

    /// <summary>Full paths of every file this run processes, or null when unknown (a project-wide recipe edits a file only when all files of its project are in the run).</summary>
    public IReadOnlySet<string>? RunFiles { get; }

    public RecipeInfo Info { get; }

    public List<Fix> Fixes { get; } = [];

    public List<Finding> Findings { get; } = [];

    public void Fix(ServiceInfo? service, Applicability applicability, string note, SemPath location, params Intent[] intents)
    {
        Fixes.Add(new Fix
        {
            RecipeId = Info.Id,
            Service = service?.Name,
            Applicability = applicability,
            Note = note,
            Location = location,
            Intents = [.. intents],
        });
    }

    /// <summary>Adds a fix built by the recipe (one that also writes files, for example).</summary>
    public void Add(Fix fix) => Fixes.Add(fix);

    public void Report(ServiceInfo? service, string note, SemPath location)
    {
        Findings.Add(new Finding { RecipeId = Info.Id, Service = service?.Name, Note = note, Location = location });
    }

    public Sem Parameter(string name) => parameters.TryGetValue(name, out var v) ? v : throw new InvalidOperationException($"recipe {Info.Id} has no parameter {name}");

    public string StringParameter(string name) => Parameter(name) is SemScalar s ? s.Value : throw new InvalidOperationException($"parameter {name} is not a string");

    public long IntParameter(string name) => long.Parse(StringParameter(name), System.Globalization.CultureInfo.InvariantCulture);

    public IReadOnlyList<string> ListParameter(string name) => Parameter(name) is SemSeq q ? [.. q.Items.OfType<SemScalar>().Select(s => s.Value)] : [];
}

using System.Reflection;
using ComposeFix.Engine;
using ComposeFix.Text;
using ComposeFix.Yaml;

namespace ComposeFix.Recipes;

public sealed record Reference(string Name, string Url);

public sealed record RecipeParameter(string Name, string Type, Sem Default, string Description);

/// <summary>A recipe's documentation: what explain, pull-request bodies and SARIF rules show.</summary>
public sealed record RecipeDocs(string WhatItDoes, string Why, string FixSafety, string? ExampleBefore, string? ExampleAfter, IReadOnlyList<Reference> References);

/// <summary>A recipe's catalog entry (recipes/rules/&lt;id&gt;.yml): the ruff-style documentation and defaults.</summary>
public sealed class RecipeInfo
{
    // The long documentation is read from the catalog when first shown: a fix run never shows it.
    private readonly Lazy<RecipeDocs>? docs;
    private readonly RecipeDocs given = new("", "", "", null, null, []);

    public required string Id { get; init; }

    public required string Title { get; init; }

    public required bool IsReportOnly { get; init; }

    public required Applicability Applicability { get; init; }

    public required string Summary { get; init; }

    public string WhatItDoes { get => Docs.WhatItDoes; init => given = given with { WhatItDoes = value }; }

    public string Why { get => Docs.Why; init => given = given with { Why = value }; }

    public string FixSafety { get => Docs.FixSafety; init => given = given with { FixSafety = value }; }

    public string? ExampleBefore { get => Docs.ExampleBefore; init => given = given with { ExampleBefore = value }; }

    public string? ExampleAfter { get => Docs.ExampleAfter; init => given = given with { ExampleAfter = value }; }

    public IReadOnlyList<Reference> References { get => Docs.References; init => given = given with { References = value }; }

    /// <summary>Where the documentation comes from when it is not given above.</summary>
    public Func<RecipeDocs> ReadDocs { init => docs = new(value); }

    public required IReadOnlyList<RecipeParameter> Parameters { get; init; }

    public int Order { get; init; }

    private RecipeDocs Docs => docs?.Value ?? given;
}

/// <summary>
/// The recipe catalog, read once from the YAML files under recipes/ that are embedded in the
/// assembly. It is parsed with ComposeFix's own YAML layer (no reflection, AOT-clean).
/// </summary>
public sealed class RecipeCatalog
{
    private static readonly Lazy<RecipeCatalog> Embedded = new(LoadFromResources);

    private RecipeCatalog(IReadOnlyList<RecipeInfo> recipes)
    {
        Recipes = recipes;
        ById = recipes.ToDictionary(r => r.Id, StringComparer.Ordinal);
    }

    public static RecipeCatalog Default => Embedded.Value;

    /// <summary>In application order.</summary>
    public IReadOnlyList<RecipeInfo> Recipes { get; }

    public IReadOnlyDictionary<string, RecipeInfo> ById { get; }

    public static string ReadResource(string name)
    {
        var asm = typeof(RecipeCatalog).Assembly;
        using var stream = asm.GetManifestResourceStream(name) ?? throw new InvalidOperationException($"missing embedded resource {name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The meaning of an embedded recipes/ file: compiled at build time when it is, else parsed.</summary>
    public static SemMap DataFile(string name) => CompiledRecipeData.Get(name) ?? ParseData(name, ReadResource(name));

    /// <summary>Parses a YAML data file of the catalog into its meaning.</summary>
    public static SemMap ParseData(string name, string text)
    {
        try
        {
            var source = SourceText.FromString(text);
            var file = YamlLoader.Load(source);
            if (file.Documents.Count == 0 || file.Documents[0].Root is not YMapping root)
            {
                throw new InvalidOperationException($"{name}: not a mapping");
            }

            return (SemMap)new SemanticBuilder(source, file.Documents[0]).Build(root);
        }
        catch (InputException ex)
        {
            throw new InvalidOperationException($"{name}:{ex.Line}:{ex.Column}: {ex.Message}", ex);
        }
    }

    /// <summary>Reads the catalog embedded in this assembly (what <see cref="Default"/> holds; public for the start-up benchmark).</summary>
    public static RecipeCatalog LoadFromResources()
    {
        var order = DataFile("recipes/catalog.yml");
        var ids = Data.List(order, "recipes").Select(Data.Str).ToList();
        var recipes = new List<RecipeInfo>();
        foreach (var id in ids)
        {
            string name = $"recipes/rules/{id}.yml";
            var m = CompiledRecipeData.Json(name) is { } json ? EngineFields(json.Span) : DataFile(name);
            string kind = Data.Str(m, "kind");
            recipes.Add(new RecipeInfo
            {
                Id = Data.Str(m, "id"),
                Title = Data.Str(m, "title"),
                IsReportOnly = kind == "report",
                Applicability = Data.Str(m, "applicability") switch
                {
                    "safe" => Applicability.Safe,
                    "unsafe" => Applicability.Unsafe,
                    _ => Applicability.Report,
                },
                Summary = Data.Str(m, "summary"),
                ReadDocs = () => Docs(DataFile(name)),
                Parameters = [.. Data.List(m, "parameters").Cast<SemMap>().Select(p => new RecipeParameter(Data.Str(p, "name"), Data.Str(p, "type"), p.Get("default") ?? new SemScalar(ScalarResolver.NullTag, ""), Data.OptStr(p, "description") ?? ""))],
                Order = recipes.Count + 1,
            });
            if (recipes[^1].Id != id)
            {
                throw new InvalidOperationException($"{name}: id is {recipes[^1].Id}");
            }
        }

        return new RecipeCatalog(recipes);
    }

    /// <summary>What a run needs of a compiled rule file; the documentation is skipped (read by <see cref="Docs"/> when shown).</summary>
    private static SemMap EngineFields(ReadOnlySpan<byte> json)
    {
        var entries = new Dictionary<string, Sem>(StringComparer.Ordinal);
        foreach (var (key, value) in CompiledRecipeData.Properties(json))
        {
            if (key is "id" or "title" or "kind" or "applicability" or "summary" or "parameters")
            {
                entries[key] = CompiledRecipeData.Parse(json[value]);
            }
        }

        return new SemMap(entries);
    }

    private static RecipeDocs Docs(SemMap m)
    {
        var example = m.Get("example") as SemMap;
        return new RecipeDocs(
            Data.Str(m, "what_it_does"),
            Data.Str(m, "why"),
            Data.Str(m, "fix_safety"),
            example is null ? null : Data.OptStr(example, "before"),
            example is null ? null : Data.OptStr(example, "after"),
            [.. Data.List(m, "references").Cast<SemMap>().Select(r => new Reference(Data.Str(r, "name"), Data.OptStr(r, "url") ?? ""))]);
    }
}

/// <summary>Small readers for catalog data.</summary>
public static class Data
{
    public static string Str(Sem value) => value is SemScalar s ? s.Value : throw new InvalidOperationException("expected a scalar");

    public static string Str(SemMap map, string key) => OptStr(map, key) ?? throw new InvalidOperationException($"missing key '{key}'");

    public static string? OptStr(SemMap map, string key) => map?.Get(key) is SemScalar s && s.Tag != ScalarResolver.NullTag ? s.Value : null;

    public static IReadOnlyList<Sem> List(SemMap map, string key) => map?.Get(key) is SemSeq q ? q.Items : [];

    public static IReadOnlyList<string> Strings(SemMap map, string key) => [.. List(map, key).OfType<SemScalar>().Select(s => s.Value)];
}

using System.Diagnostics;
using System.Globalization;
using System.Text;
using BenchmarkDotNet.Running;
using ComposeFix.Benchmarks;
using ComposeFix.Compose;
using ComposeFix.Engine;
using ComposeFix.Output;
using ComposeFix.Text;

// stages [DIR]     steady-state time per stage over a folder of compose files (default: the dev corpus)
// scale [N...]     engine time per service on generated files (default 1000 8000) and the ratio
// loop [DIR] [N]   the engine alone over a folder, N rounds (for profilers)
// generate N FILE  write a generated file with N services (used by bench/e2e.sh)
// anything else    BenchmarkDotNet (e.g. --filter '*' or --list flat)
string mode = args.Length > 0 ? args[0] : "";
switch (mode)
{
    case "stages":
        Stages(args.Length > 1 ? args[1] : Path.Combine(RepoRoot(), "..", "shared", "corpus", "dev"));
        break;
    case "scale":
        Scale(args.Length > 1 ? [.. args.Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture))] : [1000, 8000]);
        break;
    case "loop":
        // For profilers (dotnet-trace): the engine over a folder, N rounds, nothing else.
        Loop(args.Length > 1 ? args[1] : Path.Combine(RepoRoot(), "..", "shared", "corpus", "dev"), args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 10);
        break;
    case "startup":
        // What start-up reads: the recipe catalog and the image knowledge base (the second parse is the warm cost).
        for (int i = 0; i < (args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3); i++)
        {
            double catalogMs = Time(() => ComposeFix.Recipes.RecipeCatalog.LoadFromResources());
            double imagesMs = Time(() => ComposeFix.Recipes.ImageKnowledge.Load(ComposeFix.Recipes.RecipeCatalog.ReadResource("recipes/images.yml")));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"catalog {catalogMs:F1} ms, image knowledge base {imagesMs:F1} ms"));
        }

        break;
    case "generate":
        File.WriteAllText(args[2], ComposeGenerator.Services(int.Parse(args[1], CultureInfo.InvariantCulture)), new UTF8Encoding(false));
        break;
    default:
        BenchmarkSwitcher.FromAssembly(typeof(PipelineBenchmarks).Assembly).Run(args);
        break;
}

static void Stages(string dir)
{
    var files = Directory.GetFiles(dir, "*.yml").Order(StringComparer.Ordinal).Select(f => (Path: f, Bytes: File.ReadAllBytes(f))).ToList();
    var options = new FixOptions { UnsafeFixes = true };
    var engine = new FixEngine();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{files.Count} files from {dir}"));
    for (int round = 1; round <= 3; round++)
    {
        double load = Time(() =>
        {
            foreach (var (_, bytes) in files)
            {
                try
                {
                    ComposeDocument.Load(SourceText.Decode(bytes));
                }
                catch (InputException)
                {
                }
            }
        });
        double yaml = Time(() =>
        {
            foreach (var (_, bytes) in files)
            {
                try
                {
                    ComposeFix.Yaml.YamlLoader.Load(SourceText.Decode(bytes));
                }
                catch (InputException)
                {
                }
            }
        });
        long yamlKb = LastAllocated.Bytes / 1024;
        var results = new List<FileResult>();
        double fix = Time(() => results = [.. files.Select(f => engine.Run(f.Path, f.Bytes, options))]);
        double diff = Time(() =>
        {
            foreach (var r in results.Where(r => r.Status == FileStatus.Changed))
            {
                UnifiedDiff.Render(r.Path, r.Source!.Text, r.NewText!);
            }
        });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round}: YAML tree {yaml / files.Count:F2} ms/file ({yamlKb / files.Count} KiB), load with meaning {load / files.Count:F2} ms/file, engine (analyse+edit+verify, includes its own load) {fix / files.Count:F2} ms/file, diff {diff / files.Count:F2} ms/file"));
    }

    // Which recipe costs what: the engine with only that recipe, steady state.
    var timings = new List<(string Id, double Ms)>();
    foreach (var id in ComposeFix.Recipes.RecipeRegistry.Ids)
    {
        var only = new FixOptions { UnsafeFixes = true, Only = new HashSet<string> { id } };
        files.ForEach(f => engine.Run(f.Path, f.Bytes, only));
        timings.Add((id, Time(() => files.ForEach(f => engine.Run(f.Path, f.Bytes, only))) / files.Count));
    }

    foreach (var (id, ms) in timings.OrderByDescending(t => t.Ms))
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  only {id,-26} {ms:F2} ms/file"));
    }
}

static void Loop(string dir, int rounds)
{
    var files = Directory.GetFiles(dir, "*.yml").Select(File.ReadAllBytes).ToList();
    var engine = new FixEngine();
    var options = new FixOptions { UnsafeFixes = true };
    for (int i = 0; i < rounds; i++)
    {
        int gen0 = GC.CollectionCount(0), gen2 = GC.CollectionCount(2);
        long allocated = GC.GetTotalAllocatedBytes();
        double ms = Time(() => files.ForEach(b => engine.Run("f.yml", b, options)));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {i + 1}: {ms / files.Count:F2} ms/file, {(GC.GetTotalAllocatedBytes() - allocated) / files.Count / 1024} KiB allocated/file, GCs gen0 {GC.CollectionCount(0) - gen0} gen2 {GC.CollectionCount(2) - gen2}"));
    }
}

static void Scale(int[] sizes)
{
    var engine = new FixEngine();
    var options = new FixOptions { UnsafeFixes = true };
    // Warm up on the smallest size, so the first measurement is not also paying for the JIT.
    engine.Run("warm.yml", Encoding.UTF8.GetBytes(ComposeGenerator.Services(sizes.Min())), options);
    var perService = new List<double>();
    foreach (int n in sizes)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(ComposeGenerator.Services(n));
        FileResult? result = null;
        double load = Time(() => ComposeDocument.Load(SourceText.Decode(bytes)));
        double ms = Time(() => result = engine.Run("generated.yml", bytes, options));
        perService.Add(ms / n);
        long retained = GC.GetTotalMemory(forceFullCollection: true);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  retained with the result: {retained / (1024 * 1024)} MB, {result!.Applied.Count} fixes applied, {result.HeldBack.Count} held back, {result.Findings.Count} findings, {result.Edits.Count} edits; peak working set {Environment.WorkingSet / (1024 * 1024)} MB"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{n} services: {ms:F0} ms, {ms / n:F3} ms/service (one load: {load:F0} ms), status {result!.Status}{(result.Error is null ? "" : " " + result.Error.Message)}"));
    }

    if (perService.Count >= 2)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio (per service, {sizes[^1]} vs {sizes[0]}): {perService[^1] / perService[0]:F2}"));
    }
}

static double Time(Action action)
{
    long allocated = GC.GetTotalAllocatedBytes();
    var watch = Stopwatch.StartNew();
    action();
    double ms = watch.Elapsed.TotalMilliseconds;
    LastAllocated.Bytes = GC.GetTotalAllocatedBytes() - allocated;
    return ms;
}

static string RepoRoot()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ComposeFix.sln")))
    {
        dir = dir.Parent;
    }

    return dir?.FullName ?? Directory.GetCurrentDirectory();
}

/// <summary>Bytes allocated by the last <c>Time</c> call.</summary>
internal static class LastAllocated
{
    public static long Bytes { get; set; }
}

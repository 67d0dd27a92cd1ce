using System.Text;
using ComposeFix.Engine;
using ComposeFix.Output;

namespace ComposeFix.Tests;

/// <summary>
/// Golden files under snapshots/&lt;recipe&gt;/: &lt;case&gt;.before.yml is the input, .after.yml the approved
/// output (byte for byte), .diff the approved dry-run diff and .report.txt the findings. An optional
/// .args file holds options (--unsafe-fixes). Only the folder's recipe runs. A mismatch writes
/// &lt;case&gt;.actual.* beside the approved files; COMPOSEFIX_ACCEPT=1 approves the actual output instead.
/// Adding a case is adding a .before.yml file.
/// </summary>
public sealed class SnapshotTests
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(RepoPaths.Snapshots, "*.before.yml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(RepoPaths.Snapshots, file).Replace('\\', '/')[..^".before.yml".Length]);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Snapshot(string name)
    {
        string basePath = Path.Combine(RepoPaths.Snapshots, name);
        string recipe = name.Split('/')[0];
        Assert.True(ComposeFix.Recipes.RecipeRegistry.Ids.Contains(recipe), $"snapshots/{recipe}: no registered recipe has that id (accepting would approve an unchanged file)");
        string argsFile = basePath + ".args";
        var args = File.Exists(argsFile) ? File.ReadAllText(argsFile).Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries) : [];
        var options = new FixOptions { Only = new HashSet<string> { recipe }, UnsafeFixes = args.Contains("--unsafe-fixes") };
        byte[] before = File.ReadAllBytes(basePath + ".before.yml");

        var result = new FixEngine().Run(name + ".yml", before, options);
        Assert.True(result.Status != FileStatus.Error, $"{name}: {result.Error}");
        byte[] after = result.NewBytes!;
        string diff = UnifiedDiff.Render(Path.GetFileName(name) + ".yml", result.Source!.WithBom(result.Source.Text), result.Source.WithBom(result.NewText!));
        string report = Report(result);

        var mismatches = new List<string>();
        Compare(basePath + ".after.yml", after, mismatches);
        Compare(basePath + ".diff", Encoding.UTF8.GetBytes(diff), mismatches);
        Compare(basePath + ".report.txt", Encoding.UTF8.GetBytes(report), mismatches);
        Assert.True(mismatches.Count == 0, $"{name}: snapshot differs: {string.Join(", ", mismatches)} (compare with the .actual files; COMPOSEFIX_ACCEPT=1 approves)");

        // A fixed file is a fixed point: running the recipe again changes nothing.
        var again = new FixEngine().Run(name + ".yml", after, options);
        Assert.Equal(FileStatus.Unchanged, again.Status);
    }

    private static string Report(FileResult result)
    {
        var sb = new StringBuilder();
        foreach (var fix in result.Applied)
        {
            sb.Append($"applied {fix.Applicability.ToString().ToLowerInvariant()} [{fix.Service}] {fix.Note}\n");
        }

        foreach (var fix in result.HeldBack)
        {
            sb.Append($"held back unsafe [{fix.Service}] {fix.Note}\n");
        }

        foreach (var f in result.Findings)
        {
            sb.Append($"{f.Line}:{f.Column} report [{f.Service}] {f.Note}\n");
        }

        return sb.ToString();
    }

    private static void Compare(string approvedPath, byte[] actual, List<string> mismatches)
    {
        string ext = Path.GetExtension(approvedPath);
        string actualPath = approvedPath[..^ext.Length] + ".actual" + ext;
        bool accept = Environment.GetEnvironmentVariable("COMPOSEFIX_ACCEPT") == "1";
        if (File.Exists(approvedPath) && File.ReadAllBytes(approvedPath).AsSpan().SequenceEqual(actual))
        {
            File.Delete(actualPath);
            return;
        }

        if (accept)
        {
            File.WriteAllBytes(approvedPath, actual);
            File.Delete(actualPath);
            return;
        }

        File.WriteAllBytes(actualPath, actual);
        mismatches.Add(Path.GetFileName(approvedPath));
    }
}

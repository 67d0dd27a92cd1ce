using System.Text.Json;
using System.Text.Json.Serialization;
using ComposeFix.Engine;
using ComposeFix.Text;

namespace ComposeFix.Cli;

/// <summary>
/// `--format json`: one document for the run. Positions are 1-based lines and columns counted in
/// UTF-16 code units (as LSP counts them), on the ORIGINAL file. The top-level `edits` of a file,
/// applied to the original text, give exactly what --write writes. Secret values never appear.
/// </summary>
public static class JsonReport
{
    // Readable output: quotes and non-ASCII stay as they are (the document is UTF-8, never embedded in HTML).
    private static readonly JsonReportContext Context = new(new JsonSerializerOptions(JsonReportContext.Default.Options) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    public static JsonFile File(FileResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var source = result.Source;
        JsonPosition At(int index)
        {
            var (line, col) = source!.LineColumn(index);
            return new JsonPosition(line, col);
        }

        var edits = source is null ? [] : result.Edits.Select(e => new JsonEdit(new JsonRange(At(e.Start), At(e.End)), e.Text, [.. e.Fixes.Select(f => result.Applied.IndexOf(f))])).ToList();
        var changes = result.Applied.Select((f, i) => new JsonChange(
            f.RecipeId, f.Service, Name(f.Applicability), f.Note, new JsonPosition(f.Line, f.Column),
            [.. edits.Select((e, j) => (e, j)).Where(x => x.e.Changes.Contains(i)).Select(x => x.j)])).ToList();
        return new JsonFile(
            result.Path,
            result.Status switch { FileStatus.Changed => "changed", FileStatus.Error => "error", _ => "unchanged" },
            edits,
            changes,
            [.. result.HeldBack.Select(f => new JsonChange(f.RecipeId, f.Service, Name(f.Applicability), f.Note, new JsonPosition(f.Line, f.Column), []))],
            [.. result.Findings.Select(f => new JsonFinding(f.RecipeId, f.Service, f.Note, new JsonPosition(f.Line, f.Column)))],
            result.Error is null ? null : new JsonError(result.Error.Message, new JsonPosition(result.Error.Line, result.Error.Column)),
            [.. result.Files.Select(f => new JsonSideFile(f.RelativePath, f.Mode, f.Append, f.Sensitive ? null : f.Content))]);
    }

    public static string Render(List<JsonFile> files, int heldBack, string version)
    {
        var run = new JsonRun("composefix", version, files, new JsonSummary(
            files.Count, files.Count(f => f.Status == "changed"), files.Count(f => f.Status == "error"),
            files.Sum(f => f.Changes.Count), heldBack, files.Sum(f => f.Findings.Count)));
        return JsonSerializer.Serialize(run, Context.JsonRun) + "\n";
    }

    private static string Name(Applicability a) => a switch
    {
        Applicability.Safe => "safe",
        Applicability.Unsafe => "unsafe",
        _ => "report",
    };
}

public sealed record JsonRun(string Tool, string Version, List<JsonFile> Files, JsonSummary Summary);

public sealed record JsonSummary(int FilesScanned, int FilesChanged, int FilesWithErrors, int Changes, int UnsafeHeldBack, int Findings);

/// <param name="Edits">Non-overlapping edits on the original text, in order; applying all gives the fixed file.</param>
/// <param name="SideFiles">Files created or appended next to the compose file (secret contents are never included).</param>
public sealed record JsonFile(string Path, string Status, List<JsonEdit> Edits, List<JsonChange> Changes, List<JsonChange> HeldBack, List<JsonFinding> Findings, JsonError? Error, List<JsonSideFile> SideFiles);

public sealed record JsonPosition(int Line, int Column);

/// <summary>End is exclusive.</summary>
public sealed record JsonRange(JsonPosition Start, JsonPosition End);

/// <param name="Changes">Indexes into the file's changes that this edit serves.</param>
public sealed record JsonEdit(JsonRange Range, string Replacement, List<int> Changes);

/// <param name="Edits">Indexes into the file's edits that make this change.</param>
public sealed record JsonChange(string Recipe, string? Service, string Applicability, string Note, JsonPosition Location, List<int> Edits);

public sealed record JsonFinding(string Recipe, string? Service, string Note, JsonPosition Location);

public sealed record JsonError(string Message, JsonPosition Location);

public sealed record JsonSideFile(string Path, string Mode, bool Append, string? Content);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(JsonRun))]
internal sealed partial class JsonReportContext : JsonSerializerContext;

using System.Text.Json;
using System.Text.Json.Serialization;
using ComposeFix.Engine;
using ComposeFix.Recipes;

namespace ComposeFix.Cli;

/// <summary>
/// `--format sarif`: SARIF 2.1.0 for code scanning. One rule per recipe (with its rationale and
/// references as help), one result per change, held-back unsafe fix or finding, at its place in the
/// original file; a change carries its replacement in fixes[].artifactChanges. Paths are relative to
/// the repository root (uriBaseId SRCROOT). Secret values never appear: notes never hold them and
/// side files are not included.
/// </summary>
public static class SarifReport
{
    private static readonly SarifContext Context = new(new JsonSerializerOptions(SarifContext.Default.Options) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    public static string Render(IReadOnlyList<(FileResult Result, string RepoPath)> files, string repoRoot, string version)
    {
        ArgumentNullException.ThrowIfNull(files);
        var catalog = RecipeCatalog.Default;
        var ids = RecipeRegistry.Ids.ToList();
        var rules = ids.Select(id => Rule(catalog.ById[id])).ToList();
        var results = new List<SarifResult>();
        var notifications = new List<SarifNotification>();
        foreach (var (result, path) in files)
        {
            var artifact = new SarifArtifactLocation(path, "SRCROOT");
            if (result.Status == FileStatus.Error)
            {
                notifications.Add(new SarifNotification("error", new SarifMessage(result.Error!.Message),
                    [new SarifLocation(new SarifPhysicalLocation(artifact, new SarifRegion(result.Error.Line, result.Error.Column, null, null)))]));
                continue;
            }

            var source = result.Source!;
            foreach (var fix in result.Applied)
            {
                var edits = result.Edits.Where(e => e.Fixes.Contains(fix)).ToList();
                var replacements = edits.Select(e =>
                {
                    var (sl, sc) = source.LineColumn(e.Start);
                    var (el, ec) = source.LineColumn(e.End);
                    return new SarifReplacement(new SarifRegion(sl, sc, el, ec), new SarifContent(e.Text));
                }).ToList();
                results.Add(Result(fix.RecipeId, ids, "warning", $"{fix.Note} ({fix.Applicability.ToString().ToLowerInvariant()} fix{Service(fix.Service)})", artifact, fix.Line, fix.Column,
                    replacements.Count == 0 ? null : [new SarifFix(new SarifMessage(fix.Note), [new SarifArtifactChange(artifact, replacements)])]));
            }

            foreach (var fix in result.HeldBack)
            {
                results.Add(Result(fix.RecipeId, ids, "warning", $"{fix.Note} (unsafe fix held back; run with --unsafe-fixes{Service(fix.Service)})", artifact, fix.Line, fix.Column, null));
            }

            foreach (var f in result.Findings)
            {
                results.Add(Result(f.RecipeId, ids, "note", f.Note + Service(f.Service), artifact, f.Line, f.Column, null));
            }
        }

        var log = new SarifLog(
            "https://json.schemastore.org/sarif-2.1.0.json",
            "2.1.0",
            [new SarifRun(
                new SarifTool(new SarifDriver("ComposeFix", version, "https://github.com/composefix/composefix", rules)),
                new Dictionary<string, SarifArtifactLocation> { ["SRCROOT"] = new SarifArtifactLocation(new Uri(repoRoot.EndsWith('/') ? repoRoot : repoRoot + "/").AbsoluteUri, null) },
                results,
                [new SarifInvocation(notifications.Count == 0, notifications)])]);
        return JsonSerializer.Serialize(log, Context.SarifLog) + "\n";
    }

    private static string Service(string? service) => service is null ? "" : $"; service {service}";

    private static SarifResult Result(string ruleId, List<string> ids, string level, string message, SarifArtifactLocation artifact, int line, int column, List<SarifFix>? fixes)
    {
        int index = ids.IndexOf(ruleId);
        return new SarifResult(ruleId, index >= 0 ? index : null, level, new SarifMessage(message),
            [new SarifLocation(new SarifPhysicalLocation(artifact, new SarifRegion(Math.Max(line, 1), Math.Max(column, 1), null, null)))], fixes);
    }

    private static SarifRule Rule(RecipeInfo info)
    {
        string name = string.Concat(info.Id.Split('-').Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
        string references = string.Join("\n", info.References.Select(r => $"- {r.Name}{(r.Url.Length > 0 ? " " + r.Url : "")}"));
        string text = $"{info.WhatItDoes.Trim()}\n\nWhy: {info.Why.Trim()}\n\nFix safety: {info.FixSafety.Trim()}\n\nReferences:\n{references}";
        string markdown = $"## What it does\n\n{info.WhatItDoes.Trim()}\n\n## Why is this bad?\n\n{info.Why.Trim()}\n\n## Fix safety\n\n{info.FixSafety.Trim()}\n\n## References\n\n{string.Join("\n", info.References.Select(r => r.Url.Length > 0 ? $"- [{r.Name}]({r.Url})" : $"- {r.Name}"))}";
        return new SarifRule(info.Id, name, new SarifMessage(info.Summary), new SarifMessage(info.WhatItDoes.Trim()), new SarifHelp(text, markdown),
            new SarifConfiguration(info.IsReportOnly ? "note" : "warning"), new SarifRuleProperties(["security"], info.Applicability.ToString().ToLowerInvariant()));
    }
}

public sealed record SarifLog([property: JsonPropertyName("$schema")] string Schema, string Version, List<SarifRun> Runs);

public sealed record SarifRun(SarifTool Tool, Dictionary<string, SarifArtifactLocation> OriginalUriBaseIds, List<SarifResult> Results, List<SarifInvocation> Invocations);

public sealed record SarifTool(SarifDriver Driver);

public sealed record SarifDriver(string Name, string Version, string InformationUri, List<SarifRule> Rules);

public sealed record SarifRule(string Id, string Name, SarifMessage ShortDescription, SarifMessage FullDescription, SarifHelp Help, SarifConfiguration DefaultConfiguration, SarifRuleProperties Properties);

public sealed record SarifRuleProperties(List<string> Tags, string Applicability);

public sealed record SarifHelp(string Text, string Markdown);

public sealed record SarifConfiguration(string Level);

public sealed record SarifMessage(string Text);

public sealed record SarifResult(string RuleId, int? RuleIndex, string Level, SarifMessage Message, List<SarifLocation> Locations, List<SarifFix>? Fixes);

public sealed record SarifLocation(SarifPhysicalLocation PhysicalLocation);

public sealed record SarifPhysicalLocation(SarifArtifactLocation ArtifactLocation, SarifRegion Region);

public sealed record SarifArtifactLocation(string Uri, string? UriBaseId);

public sealed record SarifRegion(int StartLine, int StartColumn, int? EndLine, int? EndColumn);

public sealed record SarifFix(SarifMessage Description, List<SarifArtifactChange> ArtifactChanges);

public sealed record SarifArtifactChange(SarifArtifactLocation ArtifactLocation, List<SarifReplacement> Replacements);

public sealed record SarifReplacement(SarifRegion DeletedRegion, SarifContent InsertedContent);

public sealed record SarifContent(string Text);

public sealed record SarifInvocation(bool ExecutionSuccessful, List<SarifNotification> ToolExecutionNotifications);

public sealed record SarifNotification(string Level, SarifMessage Message, List<SarifLocation> Locations);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SarifLog))]
internal sealed partial class SarifContext : JsonSerializerContext;

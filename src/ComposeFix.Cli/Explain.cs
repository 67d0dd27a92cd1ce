using System.Text;
using ComposeFix.Engine;
using ComposeFix.Output;
using ComposeFix.Recipes;
using ComposeFix.Yaml;

namespace ComposeFix.Cli;

/// <summary>`composefix explain ID`: the recipe's documentation in ruff's sections, with its example run for real.</summary>
public static class Explain
{
    public static string Render(RecipeInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var sb = new StringBuilder();
        sb.Append($"# {info.Id}: {info.Title}\n\n");
        sb.Append($"Applicability: {info.Applicability.ToString().ToLowerInvariant()}{(info.IsReportOnly ? " (report only, no automatic change)" : "")}\n\n");
        Section(sb, "What it does", info.WhatItDoes);
        Section(sb, "Why is this bad?", info.Why);
        if (info.ExampleBefore is not null)
        {
            sb.Append("## Example\n\n");
            if (!info.IsReportOnly)
            {
                var result = new FixEngine().Run("example.yml", Encoding.UTF8.GetBytes(info.ExampleBefore), new FixOptions { Only = new HashSet<string> { info.Id }, UnsafeFixes = true });
                string diff = result.NewText is null ? "" : UnifiedDiff.Render("compose.yml", info.ExampleBefore, result.NewText);
                sb.Append(diff.Length > 0 ? diff : Indent(info.ExampleBefore)).Append('\n');
            }
            else
            {
                sb.Append(Indent(info.ExampleBefore)).Append('\n');
            }
        }

        Section(sb, "Fix safety", info.FixSafety);
        if (info.Parameters.Count > 0)
        {
            sb.Append("## Parameters\n\n");
            foreach (var p in info.Parameters)
            {
                sb.Append($"- {p.Name} ({p.Type}, default {Describe(p.Default)}): {p.Description}\n");
            }

            sb.Append('\n');
        }

        if (info.References.Count > 0)
        {
            sb.Append("## References\n\n");
            foreach (var r in info.References)
            {
                sb.Append($"- {r.Name}{(r.Url.Length > 0 ? " <" + r.Url + ">" : "")}\n");
            }
        }

        return sb.ToString();
    }

    private static string Describe(Sem value) => value switch
    {
        SemScalar s => s.Value,
        SemSeq q => "[" + string.Join(", ", q.Items.Select(Describe)) + "]",
        _ => Sem.Describe(value),
    };

    private static void Section(StringBuilder sb, string title, string body) => sb.Append($"## {title}\n\n{body.TrimEnd()}\n\n");

    private static string Indent(string text) => string.Join("\n", text.TrimEnd().Split('\n').Select(l => "    " + l)) + "\n";
}

using ComposeFix.Engine;
using ComposeFix.Lsp.Protocol;

namespace ComposeFix.Lsp;

/// <summary>
/// One diagnostic per pending change and per finding. Severity follows applicability: a safe fix is
/// a Warning (it is what `fix` will do); an unsafe fix is Information (a judgement call, held back
/// unless unsafe-fixes is on); a report-only finding is a Warning (it needs a human), except a stale
/// suppression and ComposeFix's own notes, which are Information (the stale one faded as unnecessary).
/// A document that cannot be read gets exactly one Error diagnostic, at the problem's position.
/// </summary>
public static class DiagnosticBuilder
{
    /// <summary>Each recipe's documentation (its catalog entry) is recipes/rules/&lt;id&gt;.yml in the repository.</summary>
    public const string RuleDocumentationBase = "https://github.com/composefix/composefix/blob/main/recipes/rules/";

    public const string Source = "composefix";

    public const int Error = 1;
    public const int Warning = 2;
    public const int Information = 3;

    private const int Unnecessary = 1;

    public static List<Diagnostic> Build(Analysis analysis)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        if (!analysis.IsCompose)
        {
            return [];
        }

        if (analysis.ConfigError is { } configError)
        {
            return [new Diagnostic(new Protocol.Range(analysis.At(0), analysis.At(0)), Error, null, null, Source, configError)];
        }

        var result = analysis.Result!;
        if (result.Source is null)
        {
            // Not YAML we can read: one diagnostic where the reader stopped, nothing else.
            var error = result.Error!;
            return [new Diagnostic(PointRange(analysis, error.Line, error.Column), Error, null, null, Source, error.Message)];
        }

        var list = new List<Diagnostic>();
        if (result.Error is { } failed)
        {
            list.Add(new Diagnostic(PointRange(analysis, failed.Line, failed.Column), Error, null, null, Source, failed.Message));
        }

        foreach (var fix in result.Applied)
        {
            list.Add(ForChange(analysis, fix));
        }

        foreach (var fix in result.HeldBack)
        {
            list.Add(ForChange(analysis, fix));
        }

        foreach (var finding in result.Findings)
        {
            bool note = finding.RecipeId is "stale-suppression" or "composefix";
            list.Add(new Diagnostic(
                LineRange(analysis, finding.Line, finding.Column),
                note ? Information : Warning,
                finding.RecipeId,
                Documentation(finding.RecipeId),
                Source,
                finding.Note,
                finding.RecipeId == "stale-suppression" ? [Unnecessary] : null));
        }

        return list;
    }

    /// <summary>The diagnostic of a change: the same for the published list and for the code action that fixes it.</summary>
    public static Diagnostic ForChange(Analysis analysis, Fix fix)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        ArgumentNullException.ThrowIfNull(fix);
        return new Diagnostic(
            LineRange(analysis, fix.Line, fix.Column),
            fix.Applicability == Applicability.Safe ? Warning : Information,
            fix.RecipeId,
            Documentation(fix.RecipeId),
            Source,
            fix.Note);
    }

    public static CodeDescription? Documentation(string recipeId) =>
        recipeId == "composefix" ? null : new CodeDescription(RuleDocumentationBase + recipeId + ".yml");

    /// <summary>
    /// From the place the change is anchored (the key or item it is about) to the end of that line.
    /// The change's own edits are often insertions after the whole block (a new key at the end of a
    /// service), which would put the squiggle on the next service's line.
    /// </summary>
    private static Protocol.Range LineRange(Analysis analysis, int line, int column)
    {
        int start = analysis.Lines.OffsetOf(line, column);
        int end = Math.Max(start, analysis.Lines.LineEnd(Math.Max(line - 1, 0)));
        return new Protocol.Range(analysis.At(start), analysis.At(end));
    }

    /// <summary>One character at the position (nothing at the end of a line).</summary>
    private static Protocol.Range PointRange(Analysis analysis, int line, int column)
    {
        int start = analysis.Lines.OffsetOf(line, column);
        int end = Math.Min(start + 1, analysis.Lines.LineEnd(Math.Max(line - 1, 0)));
        return new Protocol.Range(analysis.At(start), analysis.At(Math.Max(start, end)));
    }
}

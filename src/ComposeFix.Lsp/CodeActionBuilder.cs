using ComposeFix.Engine;
using ComposeFix.Lsp.Protocol;

namespace ComposeFix.Lsp;

/// <summary>
/// Code actions from the same edits `composefix fix` makes (FileResult.Edits, composed on the
/// original text by EditHistory): one quick fix per change, and a fix-all. The fix-all applies what
/// `fix --write` applies: safe fixes, and unsafe ones only when .composefix.yml says
/// `unsafe-fixes: true`. A held-back unsafe change is still offered as its own quick fix, taken
/// from a run with unsafe fixes on.
/// </summary>
public static class CodeActionBuilder
{
    public const string QuickFix = "quickfix";
    public const string FixAllKind = "source.fixAll.composefix";
    public const string FixAllCommand = "composefix.fixAll";

    public static List<CodeAction> Build(Analysis analysis, Protocol.Range range, IReadOnlyList<string>? only, bool versionedEdits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        ArgumentNullException.ThrowIfNull(range);
        var actions = new List<CodeAction>();
        if (!analysis.CanFix)
        {
            return actions;
        }

        var result = analysis.Result!;
        if (Wanted(QuickFix, only))
        {
            foreach (var fix in result.Applied)
            {
                var diagnostic = DiagnosticBuilder.ForChange(analysis, fix);
                if (Touches(diagnostic.Range, range))
                {
                    var edits = result.Edits.Where(e => e.Fixes.Contains(fix)).ToList();
                    if (edits.Count > 0)
                    {
                        actions.Add(Action(analysis, fix, diagnostic, edits, versionedEdits));
                    }
                }
            }

            foreach (var fix in result.HeldBack)
            {
                var diagnostic = DiagnosticBuilder.ForChange(analysis, fix);
                if (!Touches(diagnostic.Range, range))
                {
                    continue;
                }

                cancellationToken.ThrowIfCancellationRequested();
                var withUnsafe = analysis.WithUnsafe.Value;
                var same = withUnsafe?.Applied.FirstOrDefault(f => f.RecipeId == fix.RecipeId && f.Service == fix.Service && f.Note == fix.Note && f.Line == fix.Line && f.Column == fix.Column);
                var edits = same is null ? [] : withUnsafe!.Edits.Where(e => e.Fixes.Contains(same)).ToList();
                if (edits.Count > 0)
                {
                    actions.Add(Action(analysis, fix, diagnostic, edits, versionedEdits));
                }
            }
        }

        if (Wanted(FixAllKind, only) && result.Edits.Count > 0)
        {
            bool withUnsafe = result.Applied.Any(f => f.Applicability == Applicability.Unsafe);
            actions.Add(new CodeAction(
                withUnsafe ? "composefix: apply all fixes (unsafe-fixes is on)" : "composefix: apply all safe fixes",
                FixAllKind,
                null,
                null,
                FixAll(analysis, versionedEdits)!));
        }

        return actions;
    }

    /// <summary>Every edit of the run, as one WorkspaceEdit (also what the composefix.fixAll command applies); null when nothing changes.</summary>
    public static WorkspaceEdit? FixAll(Analysis analysis, bool versionedEdits)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        return analysis.CanFix && analysis.Result!.Edits.Count > 0 ? Edit(analysis, analysis.Result.Edits, versionedEdits) : null;
    }

    private static CodeAction Action(Analysis analysis, Fix fix, Diagnostic diagnostic, List<OriginalEdit> edits, bool versionedEdits)
    {
        string title = fix.Applicability == Applicability.Safe ? $"composefix: {fix.Note}" : $"composefix (unsafe): {fix.Note}";
        return new CodeAction(title, QuickFix, [diagnostic], fix.Applicability == Applicability.Safe, Edit(analysis, edits, versionedEdits));
    }

    private static WorkspaceEdit Edit(Analysis analysis, IEnumerable<OriginalEdit> edits, bool versionedEdits)
    {
        var textEdits = edits.Select(e => new Protocol.TextEdit(new Protocol.Range(analysis.At(e.Start), analysis.At(e.End)), e.Text)).ToList();
        return versionedEdits
            ? new WorkspaceEdit(null, [new TextDocumentEdit(new OptionalVersionedTextDocumentIdentifier(analysis.Uri, analysis.Version), textEdits)])
            : new WorkspaceEdit(new Dictionary<string, List<Protocol.TextEdit>>(StringComparer.Ordinal) { [analysis.Uri] = textEdits }, null);
    }

    /// <summary>LSP's `only`: a kind is wanted when it equals or refines one of the listed kinds.</summary>
    private static bool Wanted(string kind, IReadOnlyList<string>? only) =>
        only is null || only.Count == 0 || only.Any(o => kind == o || kind.StartsWith(o + ".", StringComparison.Ordinal));

    /// <summary>By lines: editors ask with the cursor position, which is often before the diagnostic's start on its line.</summary>
    private static bool Touches(Protocol.Range a, Protocol.Range b) => a.Start.Line <= b.End.Line && b.Start.Line <= a.End.Line;
}

using ComposeFix.Lsp.Protocol;

namespace ComposeFix.Lsp;

/// <summary>Applies didChange content changes: a change with a range replaces that range, one without replaces the whole text.</summary>
public static class DocumentText
{
    public static string Apply(string text, IEnumerable<TextDocumentContentChangeEvent> changes)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(changes);
        foreach (var change in changes)
        {
            if (change.Range is null)
            {
                text = change.Text ?? "";
                continue;
            }

            // Each change is relative to the text the previous one left, so the index is rebuilt per change.
            var lines = new LineIndex(text);
            int start = lines.OffsetOf(change.Range.Start);
            int end = Math.Max(start, lines.OffsetOf(change.Range.End));
            text = string.Concat(text.AsSpan(0, start), change.Text ?? "", text.AsSpan(end));
        }

        return text;
    }
}

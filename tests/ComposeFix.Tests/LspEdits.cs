using System.Text.Json.Nodes;

namespace ComposeFix.Tests;

/// <summary>
/// Applies a WorkspaceEdit to a text the way an editor does, written independently of the server:
/// LSP positions are 0-based lines (LF, CRLF or CR end a line) and UTF-16 code units, i.e. .NET chars.
/// </summary>
internal static class LspEdits
{
    public static string Apply(string text, JsonNode workspaceEdit, string uri)
    {
        var edits = workspaceEdit["documentChanges"] is JsonArray changes
            ? changes.Where(c => c!["textDocument"]!["uri"]!.GetValue<string>() == uri).SelectMany(c => c!["edits"]!.AsArray()).ToList()
            : workspaceEdit["changes"]![uri]!.AsArray().ToList();
        var lineStarts = new List<int> { 0 };
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.Length || text[i + 1] != '\n')))
            {
                lineStarts.Add(i + 1);
            }
        }

        int Offset(JsonNode p) => lineStarts[p["line"]!.GetValue<int>()] + p["character"]!.GetValue<int>();
        var spans = edits.Select(e => (Start: Offset(e!["range"]!["start"]!), End: Offset(e!["range"]!["end"]!), Text: e!["newText"]!.GetValue<string>())).OrderByDescending(s => s.Start).ToList();
        for (int i = 1; i < spans.Count; i++)
        {
            Assert.True(spans[i].End <= spans[i - 1].Start, "edits overlap");
        }

        foreach (var (start, end, newText) in spans)
        {
            text = string.Concat(text.AsSpan(0, start), newText, text.AsSpan(end));
        }

        return text;
    }
}

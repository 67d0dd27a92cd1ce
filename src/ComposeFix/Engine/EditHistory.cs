using ComposeFix.Editing;

namespace ComposeFix.Engine;

/// <summary>An edit on the ORIGINAL text (the sum of every pass's edits there), with the fixes it serves.</summary>
public sealed record OriginalEdit(int Start, int End, string Text, IReadOnlyList<Fix> Fixes);

/// <summary>
/// Composes the edits of successive recipe passes (each made on the text the previous pass left)
/// into edits on the original text, so that editors, JSON and SARIF consumers can apply them to the
/// file they have. The current text is kept as pieces: spans of the original and inserted strings.
/// Each pass is applied in one sweep, so the cost is linear in pieces plus edits.
/// </summary>
public sealed class EditHistory
{
    private List<Piece> pieces;

    public EditHistory(int originalLength)
    {
        pieces = originalLength == 0 ? [] : [new Piece(0, originalLength, null, [])];
    }

    /// <summary>Applies one pass's edits (sorted, non-overlapping, on the current text).</summary>
    public void Apply(IReadOnlyList<TextEdit> edits, IReadOnlyDictionary<TextEdit, List<Fix>> owners)
    {
        ArgumentNullException.ThrowIfNull(edits);
        ArgumentNullException.ThrowIfNull(owners);
        var ordered = TextEdit.Sort(edits);
        var result = new List<Piece>(pieces.Count + ordered.Count * 2);
        int pos = 0; // current-text offset at the start of pieces[i]
        int i = 0;
        int offsetInPiece = 0;
        foreach (var edit in ordered)
        {
            var fixes = owners.TryGetValue(edit, out var o) ? o : [];

            // Copy pieces up to edit.Start.
            CopyUntil(edit.Start);

            // Drop the replaced range [edit.Start, edit.End), remembering the fixes of what is removed.
            var removedFixes = new List<Fix>(fixes);
            SkipUntil(edit.End, removedFixes);
            result.Add(new Piece(-1, -1, edit.Text, removedFixes));
        }

        CopyUntil(int.MaxValue);
        pieces = result;

        void CopyUntil(int target)
        {
            while (i < pieces.Count)
            {
                var p = pieces[i];
                int len = p.Length - offsetInPiece;
                if (pos + len <= target)
                {
                    result.Add(p.Slice(offsetInPiece, p.Length));
                    pos += len;
                    i++;
                    offsetInPiece = 0;
                }
                else
                {
                    int take = target - pos;
                    if (take > 0)
                    {
                        result.Add(p.Slice(offsetInPiece, offsetInPiece + take));
                        offsetInPiece += take;
                        pos += take;
                    }

                    return;
                }
            }
        }

        void SkipUntil(int target, List<Fix> removed)
        {
            while (i < pieces.Count && pos < target)
            {
                var p = pieces[i];
                int len = p.Length - offsetInPiece;
                if (p.Fixes.Count > 0)
                {
                    var present = new HashSet<Fix>(removed);
                    removed.AddRange(p.Fixes.Where(present.Add));
                }
                if (pos + len <= target)
                {
                    pos += len;
                    i++;
                    offsetInPiece = 0;
                }
                else
                {
                    int skip = target - pos;
                    offsetInPiece += skip;
                    pos += skip;
                }
            }
        }
    }

    /// <summary>The composed edits on the original text: each maximal run between two kept spans of the original.</summary>
    public List<OriginalEdit> Edits(int originalLength)
    {
        var edits = new List<OriginalEdit>();
        int originalPos = 0;
        var text = new System.Text.StringBuilder();
        var fixes = new List<Fix>();
        var seen = new HashSet<Fix>(); // one new block can serve thousands of fixes
        bool open = false;
        foreach (var p in pieces)
        {
            if (p.Inserted is null)
            {
                if (open || p.Start != originalPos)
                {
                    edits.Add(new OriginalEdit(originalPos, p.Start, text.ToString(), [.. fixes]));
                }

                text.Clear();
                fixes.Clear();
                seen.Clear();
                open = false;
                originalPos = p.End;
            }
            else
            {
                text.Append(p.Inserted);
                fixes.AddRange(p.Fixes.Where(seen.Add));
                open = true;
            }
        }

        if (open || originalPos != originalLength)
        {
            edits.Add(new OriginalEdit(originalPos, originalLength, text.ToString(), [.. fixes]));
        }

        return edits;
    }

    /// <summary>A span of the original text [Start, End), or an inserted string.</summary>
    private sealed record Piece(int Start, int End, string? Inserted, List<Fix> Fixes)
    {
        public int Length => Inserted?.Length ?? End - Start;

        public Piece Slice(int from, int to) => Inserted is null
            ? this with { Start = Start + from, End = Start + to }
            : this with { Inserted = Inserted[from..to] };
    }
}

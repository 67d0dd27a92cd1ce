namespace ComposeFix.Editing;

/// <summary>Replace the characters in [Start, End) of the original text with <see cref="Text"/>.</summary>
public sealed record TextEdit(int Start, int End, string Text)
{
    /// <summary>Applies non-overlapping edits; inserts at the same point keep the order they were made in.</summary>
    public static string Apply(string text, IReadOnlyList<TextEdit> edits)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(edits);
        var ordered = Sort(edits);
        var sb = new System.Text.StringBuilder(text.Length + edits.Sum(e => e.Text.Length));
        int pos = 0;
        foreach (var e in ordered)
        {
            sb.Append(text, pos, e.Start - pos).Append(e.Text);
            pos = e.End;
        }

        return sb.Append(text, pos, text.Length - pos).ToString();
    }

    /// <summary>Sorted by position (stable); throws <see cref="EditConflictException"/> when two edits overlap.</summary>
    public static List<TextEdit> Sort(IReadOnlyList<TextEdit> edits)
    {
        ArgumentNullException.ThrowIfNull(edits);
        var ordered = edits.Select((e, i) => (e, i)).OrderBy(x => x.e.Start).ThenBy(x => x.e.End > x.e.Start ? 1 : 0).ThenBy(x => x.i).Select(x => x.e).ToList();
        for (int i = 1; i < ordered.Count; i++)
        {
            if (ordered[i].Start < ordered[i - 1].End)
            {
                throw new EditConflictException($"two changes touch the same text (offsets {ordered[i - 1].Start}-{ordered[i - 1].End} and {ordered[i].Start}-{ordered[i].End})");
            }
        }

        return ordered;
    }
}

/// <summary>An edit the editor cannot make in this place (the recipe reports it instead).</summary>
public sealed class EditConflictException : Exception
{
    public EditConflictException()
    {
    }

    public EditConflictException(string message)
        : base(message)
    {
    }

    public EditConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

namespace ComposeFix.Lsp;

/// <summary>A document the client has open: its latest text and version, and the analysis of that version (pending or done).</summary>
public sealed class OpenDocument(string uri, int version, string text)
{
    public string Uri { get; } = uri;

    /// <summary>Guards Text, Version, Current and Superseded: the reader thread writes them, workers read them.</summary>
    internal Lock Gate { get; } = new();

    /// <summary>One analysis at a time per document, so results are published in version order.</summary>
    internal SemaphoreSlim Running { get; } = new(1, 1);

    public string Text { get; internal set; } = text;

    public int Version { get; internal set; } = version;

    /// <summary>The analysis of <see cref="Version"/>; cancelled when a newer version replaces it.</summary>
    internal Task<Analysis> Current { get; set; } = Task.FromCanceled<Analysis>(new CancellationToken(true));

    /// <summary>Cancelled when the text changes again: drops the debounce wait and the stale result.</summary>
    internal CancellationTokenSource? Superseded { get; set; }
}

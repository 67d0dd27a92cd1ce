using System.Collections.Concurrent;
using ComposeFix.Lsp.JsonRpc;
using ComposeFix.Lsp.Protocol;

namespace ComposeFix.Lsp;

/// <summary>
/// The open documents and their analyses. Text updates happen on the reader thread (cheap, in
/// order); analysis runs on the thread pool after a debounce, one at a time per document. A result
/// whose version was replaced meanwhile is dropped, never published.
/// </summary>
public sealed class Workspace(DocumentAnalyzer analyzer, Action<Analysis> publish, TextWriter log)
{
    /// <summary>Typing produces a change per key: wait this long for the next one before analysing.</summary>
    public static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(50);

    private readonly ConcurrentDictionary<string, OpenDocument> documents = new(StringComparer.Ordinal);

    public void Open(string uri, int version, string text)
    {
        var document = new OpenDocument(uri, version, text);
        documents[uri] = document;
        lock (document.Gate)
        {
            Schedule(document, TimeSpan.Zero);
        }
    }

    public void Change(string uri, int version, IReadOnlyList<TextDocumentContentChangeEvent> changes)
    {
        if (!documents.TryGetValue(uri, out var document))
        {
            return;
        }

        lock (document.Gate)
        {
            document.Text = DocumentText.Apply(document.Text, changes);
            document.Version = version;
            Schedule(document, Debounce);
        }
    }

    /// <summary>Analyse again now (saved, or its configuration changed).</summary>
    public void Refresh(string uri)
    {
        if (documents.TryGetValue(uri, out var document))
        {
            lock (document.Gate)
            {
                Schedule(document, TimeSpan.Zero);
            }
        }
    }

    public void RefreshAll()
    {
        foreach (var uri in documents.Keys)
        {
            Refresh(uri);
        }
    }

    /// <summary>Forgets the document; false when it was not open.</summary>
    public bool Close(string uri)
    {
        if (!documents.TryRemove(uri, out var document))
        {
            return false;
        }

        lock (document.Gate)
        {
            document.Superseded?.Cancel();
        }

        return true;
    }

    /// <summary>The analysis of the document's latest version, waiting for a pending one rather than running it twice.</summary>
    public async Task<Analysis> AnalysisAsync(string uri, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (!documents.TryGetValue(uri, out var document))
            {
                throw new JsonRpcException(ErrorCodes.InvalidParams, $"document is not open: {uri}");
            }

            Task<Analysis> current;
            lock (document.Gate)
            {
                current = document.Current;
            }

            try
            {
                return await current.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // A newer version replaced that analysis: wait for the newer one.
            }
        }
    }

    /// <summary>Called with the document's gate held.</summary>
    private void Schedule(OpenDocument document, TimeSpan delay)
    {
        document.Superseded?.Cancel();
        var superseded = new CancellationTokenSource();
        document.Superseded = superseded;
        string text = document.Text;
        int version = document.Version;
        document.Current = Task.Run(() => RunAsync(document, text, version, delay, superseded.Token), CancellationToken.None);
    }

    private async Task<Analysis> RunAsync(OpenDocument document, string text, int version, TimeSpan delay, CancellationToken superseded)
    {
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, superseded).ConfigureAwait(false);
        }

        await document.Running.WaitAsync(superseded).ConfigureAwait(false);
        try
        {
            superseded.ThrowIfCancellationRequested();
            Analysis analysis;
            try
            {
                analysis = analyzer.Analyze(document.Uri, version, text);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                log.WriteLine($"composefix lsp: analysing {document.Uri}: {ex}");
                throw;
            }

            superseded.ThrowIfCancellationRequested(); // stale: a newer version is on its way
            publish(analysis);
            return analysis;
        }
        finally
        {
            document.Running.Release();
        }
    }
}

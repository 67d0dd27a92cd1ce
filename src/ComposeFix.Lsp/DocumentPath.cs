namespace ComposeFix.Lsp;

/// <summary>The file behind a document URI: file:// URIs map to a local path; others (untitled:) have none.</summary>
public static class DocumentPath
{
    public static string? LocalPath(string uri)
    {
        if (Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && parsed.IsFile)
        {
            return Path.GetFullPath(parsed.LocalPath);
        }

        return null;
    }

    /// <summary>The last path segment of the URI, for name-based detection when there is no local path.</summary>
    public static string FileName(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        string trimmed = uri.TrimEnd('/');
        int slash = Math.Max(trimmed.LastIndexOf('/'), trimmed.LastIndexOf(':'));
        return Uri.UnescapeDataString(trimmed[(slash + 1)..]);
    }
}

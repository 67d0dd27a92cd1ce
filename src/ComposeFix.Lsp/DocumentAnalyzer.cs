using System.Collections.Concurrent;
using System.Text;
using ComposeFix.Config;
using ComposeFix.Engine;
using ComposeFix.Recipes;

namespace ComposeFix.Lsp;

/// <summary>
/// Runs the fix engine on a document's text the way `composefix fix --write PATH` runs it on the
/// file: the nearest .composefix.yml, the file's folder for recipes that look around it, the file
/// alone as the run. One difference: fixes that create files beside the compose file (moved
/// secrets) are held back, as in the stdin filter: an editor edit cannot give a secret file mode
/// 0600, and the secret value would pass through the editor's buffers and undo history. The engine
/// turns each into a finding saying so, which becomes a diagnostic.
/// </summary>
public sealed class DocumentAnalyzer
{
    private readonly FixEngine engine = new();
    private readonly ConcurrentDictionary<string, (DateTime Stamp, ProjectConfig? Config, string? Error)> configs = new(StringComparer.Ordinal);

    public Analysis Analyze(string uri, int version, string text)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(text);
        int bomShift = text.StartsWith('\uFEFF') ? 1 : 0;
        text = text[bomShift..];
        string? path = DocumentPath.LocalPath(uri);
        string name = path is null ? DocumentPath.FileName(uri) : Path.GetFileName(path);
        var lines = new LineIndex(text);
        if (!ComposeFileDetector.IsCompose(name, text))
        {
            return new Analysis { Uri = uri, Version = version, Text = text, BomShift = bomShift, Lines = lines };
        }

        string? directory = path is null ? null : Path.GetDirectoryName(path);
        var (config, configError) = directory is null ? (null, null) : ConfigFor(directory);
        if (configError is not null)
        {
            return new Analysis { Uri = uri, Version = version, Text = text, BomShift = bomShift, Lines = lines, IsCompose = true, ConfigError = configError };
        }

        byte[] bytes = Encoding.UTF8.GetBytes(text);
        var runFiles = path is null ? null : new HashSet<string>([path], StringComparer.Ordinal);
        FileResult Run(bool unsafeFixes) => engine.Run(path ?? name, bytes, new FixOptions { UnsafeFixes = unsafeFixes, RunFiles = runFiles, Config = config, NoSideFiles = true }, directory);
        var result = Run(unsafeFixes: false);
        return new Analysis
        {
            Uri = uri,
            Version = version,
            Text = text,
            BomShift = bomShift,
            Lines = lines,
            IsCompose = true,
            Result = result,
            WithUnsafe = new Lazy<FileResult?>(() => result.HeldBack.Count > 0 ? Run(unsafeFixes: true) : null, LazyThreadSafetyMode.ExecutionAndPublication),
        };
    }

    /// <summary>The configuration for a folder, re-read when the file changes on disk.</summary>
    private (ProjectConfig? Config, string? Error) ConfigFor(string directory)
    {
        string? path = ProjectConfig.Find(directory);
        if (path is null)
        {
            return (null, null);
        }

        DateTime stamp = File.GetLastWriteTimeUtc(path);
        if (configs.TryGetValue(path, out var cached) && cached.Stamp == stamp)
        {
            return (cached.Config, cached.Error);
        }

        (ProjectConfig?, string?) loaded;
        try
        {
            loaded = (ProjectConfig.Load(path, RecipeCatalog.Default), null);
        }
        catch (ConfigException ex)
        {
            loaded = (null, $"invalid configuration: {ex.Message}");
        }

        configs[path] = (stamp, loaded.Item1, loaded.Item2);
        return loaded;
    }
}

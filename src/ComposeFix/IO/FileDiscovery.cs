using Microsoft.Extensions.FileSystemGlobbing;

namespace ComposeFix.IO;

public sealed record DiscoveredFile(string FullPath, string DisplayPath);

public sealed record DiscoveryError(string Path, string Message);

/// <summary>
/// Finds compose files: a file named on the command line is always taken; a directory is searched
/// recursively for the names Compose itself looks for, plus --include globs, minus --exclude globs.
/// </summary>
public static class FileDiscovery
{
    public static readonly IReadOnlyList<string> DefaultPatterns =
    [
        "**/compose.yml", "**/compose.yaml", "**/compose.*.yml", "**/compose.*.yaml",
        "**/docker-compose.yml", "**/docker-compose.yaml", "**/docker-compose.*.yml", "**/docker-compose.*.yaml",
    ];

    private static readonly string[] DefaultExcludes = ["**/.git/**", "**/node_modules/**"];

    public static (List<DiscoveredFile> Files, List<DiscoveryError> Errors) Find(IReadOnlyList<string> paths, IReadOnlyList<string> include, IReadOnlyList<string> exclude, string currentDirectory)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var files = new List<DiscoveredFile>();
        var errors = new List<DiscoveryError>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in paths.Count == 0 ? ["."] : paths)
        {
            string full = Path.GetFullPath(path, currentDirectory);
            if (File.Exists(full))
            {
                if (seen.Add(full))
                {
                    files.Add(new DiscoveredFile(full, Display(full, currentDirectory)));
                }

                continue;
            }

            if (!Directory.Exists(full))
            {
                errors.Add(new DiscoveryError(path, "no such file or directory"));
                continue;
            }

            if (Path.GetExtension(Path.TrimEndingDirectorySeparator(full)) is ".yml" or ".yaml")
            {
                // Named like a compose file: searching it silently would hide the mistake.
                errors.Add(new DiscoveryError(path, "is a directory, not a compose file"));
                continue;
            }

            var matcher = new Matcher(StringComparison.Ordinal);
            matcher.AddIncludePatterns(DefaultPatterns);
            matcher.AddIncludePatterns(include.Select(p => p.StartsWith("**/", StringComparison.Ordinal) || p.Contains('/', StringComparison.Ordinal) ? p : "**/" + p));
            matcher.AddExcludePatterns(DefaultExcludes);
            matcher.AddExcludePatterns(exclude.Select(p => p.StartsWith("**/", StringComparison.Ordinal) || p.Contains('/', StringComparison.Ordinal) ? p : "**/" + p));
            var found = matcher.GetResultsInFullPath(full).Select(Path.GetFullPath).OrderBy(p => p, StringComparer.Ordinal);
            foreach (var f in found)
            {
                if (seen.Add(f))
                {
                    files.Add(new DiscoveredFile(f, Display(f, currentDirectory)));
                }
            }
        }

        return (files, errors);
    }

    /// <summary>Relative to the current directory with forward slashes, as git paths are.</summary>
    public static string Display(string fullPath, string currentDirectory)
    {
        string rel = Path.GetRelativePath(currentDirectory, fullPath);
        return rel.Replace('\\', '/');
    }
}

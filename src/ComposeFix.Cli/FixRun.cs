using ComposeFix.Engine;
using ComposeFix.IO;
using ComposeFix.Output;

namespace ComposeFix.Cli;

public enum FixMode
{
    DryRun,
    Write,
    Check,
}

/// <summary>One `composefix fix` invocation over many files: every file is processed even when others fail.</summary>
public sealed class FixRun(TextWriter stdout, TextWriter stderr)
{
    private static readonly System.Text.UTF8Encoding Utf8 = new(false);

    private readonly Dictionary<string, string?> nearestConfig = new(StringComparer.Ordinal);

    public FixMode Mode { get; init; }

    public required FixOptions Options { get; init; }

    public bool Color { get; init; }

    /// <summary>diff (default) or json.</summary>
    public string Format { get; init; } = "diff";

    /// <summary>--verbose: errors also print the exception behind them.</summary>
    public bool Verbose { get; init; }

    /// <summary>--config: one configuration for every file, instead of the nearest .composefix.yml.</summary>
    public string? ConfigPath { get; init; }

    /// <summary>Every file the last <see cref="Execute"/> processed without error, with what it wrote.</summary>
    public List<FixedFile> Results { get; } = [];

    /// <summary>Keep every file's result in <see cref="Results"/> (the pull-request bot needs them; a plain run would only hold memory).</summary>
    public bool KeepResults { get; init; }

    public int Execute(IReadOnlyList<string> paths, IReadOnlyList<string> include, IReadOnlyList<string> exclude)
    {
        string cwd = Directory.GetCurrentDirectory();
        var (files, errors) = FileDiscovery.Find(paths, include, exclude, cwd);
        bool failed = errors.Count > 0;
        foreach (var e in errors)
        {
            stderr.WriteLine($"{e.Path}:1:1: error: {e.Message}"); // no content to point into: 1:1 keeps every error line in one format
        }

        var engine = new FixEngine();
        var report = new List<JsonFile>();
        var sarif = new List<(FileResult, string)>();
        string repoRoot = RepositoryRoot(Directory.GetCurrentDirectory());
        var runFiles = files.Select(f => f.FullPath).ToHashSet(StringComparer.Ordinal);
        var configs = new Dictionary<string, Config.ProjectConfig?>(StringComparer.Ordinal);
        int changed = 0, heldBack = 0;
        var perRecipe = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            byte[] bytes;
            try
            {
                var info = new FileInfo(file.FullPath);
                if (info.Length > Text.SourceText.MaxBytes)
                {
                    stderr.WriteLine($"{file.DisplayPath}:1:1: error: file is larger than the {Text.SourceText.MaxBytes / (1024 * 1024)} MiB limit");
                    failed = true;
                    continue;
                }

                bytes = File.ReadAllBytes(file.FullPath);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"{file.DisplayPath}:1:1: error: cannot read the file: {ex.Message}");
                WriteDetail(ex.ToString());
                failed = true;
                continue;
            }

            Config.ProjectConfig? config;
            try
            {
                config = ConfigFor(file.FullPath, configs);
            }
            catch (Config.ConfigException ex)
            {
                stderr.WriteLine($"{file.DisplayPath}:1:1: error: invalid configuration: {ex.Message}");
                failed = true;
                continue;
            }

            var options = new FixOptions { Only = Options.Only, Skip = Options.Skip, UnsafeFixes = Options.UnsafeFixes, RunFiles = runFiles, Config = config };
            var result = engine.Run(file.DisplayPath, bytes, options, Path.GetDirectoryName(file.FullPath));
            if (Format == "json")
            {
                report.Add(JsonReport.File(result));
            }
            else if (Format == "sarif")
            {
                sarif.Add((result, Path.GetRelativePath(repoRoot, file.FullPath).Replace('\\', '/')));
            }
            foreach (var finding in result.Findings)
            {
                string service = finding.Service is null ? "" : $" [{finding.Service}]";
                stderr.WriteLine($"{file.DisplayPath}:{finding.Line}:{finding.Column}: {finding.RecipeId}{service}: {finding.Note}");
            }

            if (result.Status == FileStatus.Error)
            {
                stderr.WriteLine($"{file.DisplayPath}:{result.Error!.Line}:{result.Error.Column}: error: {result.Error.Message}");
                WriteDetail(result.Error.Detail);
                failed = true;
                continue;
            }

            heldBack += result.HeldBack.Count;
            if (result.Status != FileStatus.Changed)
            {
                Keep(new FixedFile(file, result, [], Written: false));
                continue;
            }

            List<SideFile> sideFiles;
            try
            {
                sideFiles = SideFiles(file, result);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"{file.DisplayPath}:1:1: error: cannot read a file the fixes add to ({ex.Message}); the file is unchanged");
                WriteDetail(ex.ToString());
                failed = true;
                continue;
            }

            if (Mode == FixMode.Write)
            {
                var written = new List<SideFile>();
                try
                {
                    // Side files first (secret values, .gitignore): the compose file refers to them.
                    foreach (var side in sideFiles)
                    {
                        Directory.CreateDirectory(Path.GetDirectoryName(side.FullPath)!);
                        AtomicFileWriter.Replace(side.FullPath, side.Before, side.After, side.Mode);
                        written.Add(side);
                    }

                    AtomicFileWriter.Replace(file.FullPath, bytes, result.NewBytes!);
                    Keep(new FixedFile(file, result, written, Written: true));
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    stderr.WriteLine($"{file.DisplayPath}:1:1: error: {WriteFailure.Describe(ex)}; the file is unchanged");
                    WriteDetail(ex.ToString());
                    Keep(new FixedFile(file, result, written, Written: false));
                    failed = true;
                    continue; // not counted as changed
                }
            }
            else
            {
                Keep(new FixedFile(file, result, sideFiles, Written: false));
                if (Format == "diff")
                {
                    // One write per file diff: appending thousands of secret files to one string is quadratic.
                    WriteDiff(UnifiedDiff.Render(file.DisplayPath, result.Source!.WithBom(result.Source.Text), result.Source.WithBom(result.NewText!)));
                    foreach (var side in sideFiles)
                    {
                        WriteDiff(side.Before is null
                            ? UnifiedDiff.RenderNewFile(side.DisplayPath, Utf8.GetString(side.After), ModeString(side.Mode))
                            : UnifiedDiff.Render(side.DisplayPath, Utf8.GetString(side.Before), Utf8.GetString(side.After)));
                    }
                }
            }

            changed++;
            foreach (var fix in result.Applied)
            {
                perRecipe[fix.RecipeId] = perRecipe.GetValueOrDefault(fix.RecipeId) + 1;
            }
        }

        if (Format == "json")
        {
            stdout.Write(JsonReport.Render(report, heldBack, Commands.Version));
        }
        else if (Format == "sarif")
        {
            stdout.Write(SarifReport.Render(sarif, repoRoot, Commands.Version));
        }

        string verb = Mode == FixMode.Write ? "changed" : "would change";
        var summary = $"composefix: {files.Count} file{(files.Count == 1 ? "" : "s")} scanned, {changed} {verb}";
        if (perRecipe.Count > 0)
        {
            summary += " (" + string.Join(", ", perRecipe.Select(p => $"{p.Key}: {p.Value}")) + ")";
        }

        stderr.WriteLine(summary);
        if (heldBack > 0)
        {
            stderr.WriteLine($"composefix: {heldBack} unsafe fix{(heldBack == 1 ? " was" : "es were")} held back; enable with --unsafe-fixes (see 'composefix explain <id>')");
        }

        if (failed)
        {
            return Commands.Failure;
        }

        return Mode == FixMode.Check && changed > 0 ? Commands.ChangesFound : Commands.Ok;
    }

    /// <summary>With --verbose, the exception behind an error, indented under its message.</summary>
    private void WriteDetail(string? detail)
    {
        if (Verbose && detail is not null)
        {
            foreach (var line in detail.Split('\n'))
            {
                stderr.WriteLine("    " + line.TrimEnd('\r'));
            }
        }
    }

    /// <summary>The files next to the compose file that the fixes create or append to.</summary>
    private void WriteDiff(string diff) => stdout.Write(Color ? UnifiedDiff.Colorize(diff) : diff);

    private void Keep(FixedFile file)
    {
        if (KeepResults)
        {
            Results.Add(file);
        }
    }

    private static List<SideFile> SideFiles(DiscoveredFile file, FileResult result)
    {
        // Per file, in the order first touched: what is on disk, and the pieces of its new content.
        // Appends are collected as pieces (one .gitignore line per moved secret: joining each time is quadratic).
        var building = new Dictionary<string, (byte[]? OnDisk, List<byte[]> Pieces, UnixFileMode Mode, bool Sensitive)>(StringComparer.Ordinal);
        var order = new List<string>();
        string dir = Path.GetDirectoryName(file.FullPath)!;
        foreach (var change in result.Files)
        {
            string full = Path.GetFullPath(Path.Combine(dir, change.RelativePath));
            if (!building.TryGetValue(full, out var state))
            {
                byte[]? onDisk = File.Exists(full) ? File.ReadAllBytes(full) : null;
                state = (onDisk, onDisk is null ? [] : [onDisk], default, false);
                order.Add(full);
            }

            var pieces = change.Append && (state.Pieces.Count > 0 || state.OnDisk is not null) ? state.Pieces : [];
            pieces.Add(Utf8.GetBytes(change.Content));
            var mode = change.Mode == "600" ? UnixFileMode.UserRead | UnixFileMode.UserWrite : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
            building[full] = (state.OnDisk, pieces, mode, state.Sensitive || change.Sensitive);
        }

        return [.. order.Select(full =>
        {
            var (onDisk, pieces, mode, sensitive) = building[full];
            string display = Path.GetRelativePath(Directory.GetCurrentDirectory(), full).Replace('\\', '/');
            return new SideFile(full, display, onDisk, [.. pieces.SelectMany(p => p)], mode, sensitive);
        })];
    }

    private static string ModeString(UnixFileMode mode) => mode.HasFlag(UnixFileMode.OtherRead) ? "100644" : "100600";

    /// <summary>The nearest .composefix.yml for a folder, looked up once per folder in a run (a folder walk is file-system calls per level).</summary>
    private string? NearestConfig(string directory)
    {
        if (!nearestConfig.TryGetValue(directory, out var path))
        {
            path = Config.ProjectConfig.Find(directory);
            nearestConfig[directory] = path;
        }

        return path;
    }

    private Config.ProjectConfig? ConfigFor(string composeFile, Dictionary<string, Config.ProjectConfig?> cache)
    {
        string? path = ConfigPath is not null ? Path.GetFullPath(ConfigPath) : NearestConfig(Path.GetDirectoryName(composeFile)!);
        if (path is null)
        {
            return null;
        }

        if (!cache.TryGetValue(path, out var config))
        {
            config = Config.ProjectConfig.Load(path, Recipes.RecipeCatalog.Default);
            cache[path] = config;
        }

        return config;
    }

    /// <summary>
    /// The editor filter: stdin to stdout. The fixed document (or, with --dry-run, a diff; with --format
    /// json, the report) goes to stdout; on any error stdout gets the input back unchanged, so a buffer
    /// piped through the command is never lost. Fixes that would write files beside the compose file
    /// (secrets) are held back: a filter cannot create them.
    /// </summary>
    public int ExecuteStdin(byte[] input, string? filename, bool explicitDryRun)
    {
        string display = filename is null ? "stdin" : FileDiscovery.Display(Path.GetFullPath(filename), Directory.GetCurrentDirectory());
        string? dir = filename is null ? null : Path.GetDirectoryName(Path.GetFullPath(filename));
        Config.ProjectConfig? config = null;
        try
        {
            if (ConfigPath is not null || dir is not null)
            {
                config = ConfigFor(Path.Combine(dir ?? Directory.GetCurrentDirectory(), "stdin.yml"), []);
            }
        }
        catch (Config.ConfigException ex)
        {
            return Fail($"{display}:1:1: error: invalid configuration: {ex.Message}");
        }

        FileResult result;
        try
        {
            var options = new FixOptions { Only = Options.Only, Skip = Options.Skip, UnsafeFixes = Options.UnsafeFixes, Config = config, NoSideFiles = true };
            result = new FixEngine().Run(display, input, options, null);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            int code = Fail($"{display}:1:1: error: internal error ({ex.Message})");
            WriteDetail(ex.ToString());
            return code;
        }

        foreach (var finding in result.Findings)
        {
            string service = finding.Service is null ? "" : $" [{finding.Service}]";
            stderr.WriteLine($"{display}:{finding.Line}:{finding.Column}: {finding.RecipeId}{service}: {finding.Note}");
        }

        if (result.Status == FileStatus.Error)
        {
            int code = Fail($"{display}:{result.Error!.Line}:{result.Error.Column}: error: {result.Error.Message}");
            WriteDetail(result.Error.Detail);
            return code;
        }

        if (Format == "json")
        {
            stdout.Write(JsonReport.Render([JsonReport.File(result)], result.HeldBack.Count, Commands.Version));
        }
        else if (explicitDryRun || Mode == FixMode.Check)
        {
            stdout.Write(UnifiedDiff.Render(display, result.Source!.WithBom(result.Source.Text), result.Source.WithBom(result.NewText!)));
        }
        else
        {
            stdout.Flush();
            using var raw = Console.OpenStandardOutput();
            raw.Write(result.NewBytes!);
        }

        return Mode == FixMode.Check && result.Status == FileStatus.Changed ? Commands.ChangesFound : Commands.Ok;

        int Fail(string message)
        {
            stdout.Flush();
            using (var raw = Console.OpenStandardOutput())
            {
                raw.Write(input);
            }

            stderr.WriteLine(message);
            return Commands.Failure;
        }
    }

    /// <summary>The git work tree's root above <paramref name="dir"/>, else <paramref name="dir"/> itself.</summary>
    private static string RepositoryRoot(string dir)
    {
        for (var d = new DirectoryInfo(dir); d is not null; d = d.Parent)
        {
            if (Directory.Exists(Path.Combine(d.FullName, ".git")) || File.Exists(Path.Combine(d.FullName, ".git")))
            {
                return d.FullName;
            }
        }

        return dir;
    }
}

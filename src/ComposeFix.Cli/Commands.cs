using System.CommandLine;
using ComposeFix.Engine;
using ComposeFix.Recipes;

namespace ComposeFix.Cli;

/// <summary>
/// The command line: fix, pr, recipes, explain, lsp. Exit codes: 0 done, 1 --check found changes, 2 usage
/// or file errors, 3 `pr --open` made the branch but could not open the pull request.
/// </summary>
public static class Commands
{
    public const int Ok = 0;
    public const int ChangesFound = 1;
    public const int Failure = 2;
    public const int PullRequestNotOpened = 3;

    public static string Version => typeof(Commands).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("ComposeFix hardens Docker Compose files with minimal, reviewable edits.");
        var help = new CommandHelp();
        root.Add(FixCommand(stdout, stderr, help));
        root.Add(PullRequestCommand.Create(stdout, stderr, help));
        root.Add(RecipesCommand(stdout, help));
        root.Add(ExplainCommand(stdout, stderr, help));
        root.Add(LspCommand(stderr, help));
        help.Add(root, """
            Exit codes: 0 done, 1 'fix --check' found changes, 2 usage error or a file that could not be
            processed, 3 'pr --open' made the branch but could not open the pull request.

            Examples:
              composefix fix --dry-run examples/docker-compose.yml   # print the diff, write nothing
              composefix fix --write                                 # fix every compose file below .
              composefix pr --push --open                            # the same as a pull request
              composefix recipes                                     # what ComposeFix can change
              composefix explain bind-ports-localhost                # why, and an example
              composefix lsp                                         # language server for editors (docs/editors.md)
              composefix fix --help                                  # every option of a command
            """);
        help.Attach(root, stdout);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && !CommandHelp.IsRequested(parse))
        {
            foreach (var error in parse.Errors)
            {
                stderr.WriteLine($"composefix: {error.Message}");
            }

            stderr.WriteLine("Run 'composefix --help' for usage.");
            return Failure;
        }

        return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
    }

    private static Command FixCommand(TextWriter stdout, TextWriter stderr, CommandHelp help)
    {
        var paths = new Argument<string[]>("PATH") { Description = "Files or directories (default: the current directory). Directories are searched for compose.y?ml, compose.*.y?ml, docker-compose.y?ml and docker-compose.*.y?ml.", Arity = ArgumentArity.ZeroOrMore };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print a unified diff of the changes and write nothing (the default)." };
        var write = new Option<bool>("--write") { Description = "Write the changes in place (atomically, keeping permissions)." };
        var check = new Option<bool>("--check") { Description = "Like --dry-run, but exit 1 when any file would change." };
        var only = new Option<string[]>("--only") { Description = "Run only these recipes (comma-separated ids, repeatable).", AllowMultipleArgumentsPerToken = false };
        var skip = new Option<string[]>("--skip") { Description = "Skip these recipes (comma-separated ids, repeatable)." };
        var unsafeFixes = new Option<bool>("--unsafe-fixes") { Description = "Also apply fixes that can change how a working service behaves." };
        var include = new Option<string[]>("--include") { Description = "Extra glob of files to take when searching directories (repeatable)." };
        var exclude = new Option<string[]>("--exclude") { Description = "Glob of files to leave out when searching directories (repeatable)." };
        var config = new Option<string>("--config") { Description = "Use this configuration file instead of the nearest .composefix.yml (searched from each compose file's folder up to the repository root)." };
        var stdin = new Option<bool>("--stdin") { Description = "Editor filter: read one compose document from stdin and write the whole fixed document to stdout (with --dry-run a diff, with --format json the edits). On any error the input is written back unchanged and the exit code is 2." };
        var stdinFilename = new Option<string>("--stdin-filename") { Description = "With --stdin: the file the text belongs to (drives .composefix.yml lookup, messages and paths in the output)." };
        var format = new Option<string>("--format") { Description = "Output: diff (a unified diff, the default), json (one document: edits, changes, findings, errors) or sarif (SARIF 2.1.0 for code scanning).", DefaultValueFactory = _ => "diff" };
        format.AcceptOnlyFromAmong("diff", "json", "sarif");
        var verbose = new Option<bool>("--verbose") { Description = "With an error, also print the exception behind it (for a bug report)." };
        var color = new Option<string>("--color") { Description = "Colour the diff: auto (on a terminal, unless NO_COLOR is set), always, never.", DefaultValueFactory = _ => "auto" };
        color.AcceptOnlyFromAmong("auto", "always", "never");
        var command = new Command("fix", "Apply the hardening recipes to compose files: print a diff (default), write them, or check them.")
        {
            paths, dryRun, write, check, only, skip, unsafeFixes, include, exclude, config, format, stdin, stdinFilename, color, verbose,
        };
        help.Add(command, """
            Reads each compose file, applies the recipes in catalog order ('composefix recipes') and
            verifies that the result means the old file plus the intended changes. Safe fixes are applied
            by default; unsafe ones only with --unsafe-fixes (otherwise counted as held back). Findings
            that need a human go to stderr as file:line:column: recipe [service]: message.
            Configuration: the nearest .composefix.yml (or --config); inline '# composefix: ignore[...]'.

            Exit codes: 0 done (a dry run exits 0 with or without changes), 1 --check found changes,
            2 usage error or a file that could not be processed (the other files are still processed).

            Examples:
              composefix fix                                   # dry run: diff for every compose file below .
              composefix fix docker-compose.yml --write        # fix one file in place
              composefix fix --check --only bind-ports-localhost deploy/   # CI gate for one recipe
              composefix fix --write --unsafe-fixes --skip split-networks
              composefix fix --dry-run | git apply             # same bytes as --write
              composefix fix --format sarif > composefix.sarif # for GitHub code scanning
              composefix fix --stdin --stdin-filename compose.yaml < compose.yaml   # editor filter
            """);
        command.SetAction(result =>
        {
            int modes = (result.GetValue(dryRun) ? 1 : 0) + (result.GetValue(write) ? 1 : 0) + (result.GetValue(check) ? 1 : 0);
            if (modes > 1)
            {
                stderr.WriteLine("composefix: --dry-run, --write and --check exclude each other");
                return Failure;
            }

            var fixOptions = RecipeOptions(result.GetValue(only), result.GetValue(skip), result.GetValue(unsafeFixes), stderr);
            if (fixOptions is null)
            {
                return Failure;
            }

            string colorMode = result.GetValue(color) ?? "auto";
            bool useColor = colorMode == "always" || (colorMode == "auto" && !Console.IsOutputRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")) && ReferenceEquals(stdout, Console.Out));
            var run = new FixRun(stdout, stderr)
            {
                Mode = result.GetValue(write) ? FixMode.Write : result.GetValue(check) ? FixMode.Check : FixMode.DryRun,
                Options = fixOptions,
                Color = useColor,
                ConfigPath = result.GetValue(config),
                Verbose = result.GetValue(verbose),
                Format = result.GetValue(format) ?? "diff",
            };
            if (run.ConfigPath is not null && !File.Exists(run.ConfigPath))
            {
                stderr.WriteLine($"composefix: --config {run.ConfigPath}: no such file");
                return Failure;
            }

            if (result.GetValue(stdin))
            {
                if (result.GetValue(write) || (result.GetValue(paths) ?? []).Length > 0)
                {
                    stderr.WriteLine("composefix: --stdin takes no PATH and no --write (the fixed document goes to stdout)");
                    return Failure;
                }

                using var input = Console.OpenStandardInput();
                using var buffer = new MemoryStream();
                input.CopyTo(buffer);
                return run.ExecuteStdin(buffer.ToArray(), result.GetValue(stdinFilename), explicitDryRun: result.GetValue(dryRun));
            }

            if (result.GetValue(stdinFilename) is not null)
            {
                stderr.WriteLine("composefix: --stdin-filename goes with --stdin");
                return Failure;
            }

            return run.Execute(result.GetValue(paths) ?? [], result.GetValue(include) ?? [], result.GetValue(exclude) ?? []);
        });
        return command;
    }

    private static Command RecipesCommand(TextWriter stdout, CommandHelp help)
    {
        var command = new Command("recipes", "List the recipes in the order they are applied: id<TAB>title.");
        help.Add(command, """
            One line per recipe, in the order 'fix' applies them: its id (for --only, --skip,
            .composefix.yml and '# composefix: ignore[id]') and its title. 'composefix explain ID'
            tells what a recipe does, why, and when its fix is unsafe.

            Examples:
              composefix recipes
              composefix recipes | cut -f1                   # just the ids
            """);
        command.SetAction(_ =>
        {
            var catalog = RecipeCatalog.Default;
            foreach (var id in RecipeRegistry.Ids)
            {
                stdout.WriteLine($"{id}\t{catalog.ById[id].Title}");
            }

            return Ok;
        });
        return command;
    }

    private static Command ExplainCommand(TextWriter stdout, TextWriter stderr, CommandHelp help)
    {
        var id = new Argument<string>("ID") { Description = "A recipe id (see 'composefix recipes')." };
        var command = new Command("explain", "Explain a recipe: what it does, why, when its fix is unsafe, its parameters, references and an example.") { id };
        help.Add(command, """
            Prints the recipe's documentation as Markdown: what it does, why it matters, an example
            (the diff the recipe really makes on it), fix safety, parameters (settable in
            .composefix.yml) and references (CIS Docker Benchmark, OWASP, Compose specification).
            Exit code 2 for an unknown id.

            Examples:
              composefix explain bind-ports-localhost
              composefix explain secrets-from-env | less
            """);
        command.SetAction(result =>
        {
            string name = result.GetValue(id) ?? "";
            if (!RecipeRegistry.Ids.Contains(name))
            {
                stderr.WriteLine($"composefix: unknown recipe id '{name}' (see 'composefix recipes')");
                return Failure;
            }

            stdout.Write(Explain.Render(RecipeCatalog.Default.ById[name]));
            return Ok;
        });
        return command;
    }

    /// <summary>--only, --skip and --unsafe-fixes as engine options, or null (after saying why) when an id is unknown.</summary>
    internal static FixOptions? RecipeOptions(string[]? only, string[]? skip, bool unsafeFixes, TextWriter stderr)
    {
        var known = RecipeRegistry.Ids.ToHashSet(StringComparer.Ordinal);
        var onlyIds = SplitIds(only);
        var skipIds = SplitIds(skip);
        foreach (var id in onlyIds.Concat(skipIds))
        {
            if (!known.Contains(id))
            {
                stderr.WriteLine($"composefix: unknown recipe id '{id}' (see 'composefix recipes')");
                return null;
            }
        }

        return new FixOptions
        {
            Only = onlyIds.Count > 0 ? onlyIds.ToHashSet(StringComparer.Ordinal) : null,
            Skip = skipIds.ToHashSet(StringComparer.Ordinal),
            UnsafeFixes = unsafeFixes,
        };
    }

    private static Command LspCommand(TextWriter stderr, CommandHelp help)
    {
        // Editors' clients often pass --stdio; stdio is the only transport, so it is accepted and changes nothing.
        var stdio = new Option<bool>("--stdio") { Description = "Talk LSP on stdin/stdout (the only transport; accepted for clients that pass it)." };
        var command = new Command("lsp", "Run the language server on stdin/stdout: diagnostics for every pending change and finding, quick fixes, fix-all (see docs/editors.md).") { stdio };
        command.SetAction(_ =>
        {
            using var input = Console.OpenStandardInput();
            using var output = Console.OpenStandardOutput();
            return Lsp.LanguageServer.Run(input, output, stderr, Version);
        });
        help.Add(command, """
            Examples:
              composefix lsp            # started by the editor's LSP client, not by hand
              nvim: vim.lsp.start({ name = "composefix", cmd = { "composefix", "lsp" } })
            """);
        return command;
    }

    private static List<string> SplitIds(string[]? values) =>
        [.. (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];
}

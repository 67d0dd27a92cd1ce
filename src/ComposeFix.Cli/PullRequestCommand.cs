using System.CommandLine;

namespace ComposeFix.Cli;

/// <summary>The `composefix pr` command line: options, help text and checks; the work is in <see cref="PullRequestRun"/>.</summary>
public static class PullRequestCommand
{
    public const string DefaultBranch = "composefix/hardening";

    public static Command Create(TextWriter stdout, TextWriter stderr, CommandHelp help)
    {
        var paths = new Argument<string[]>("PATH") { Description = "Files or directories (default: the current directory), searched like 'composefix fix' does; files git ignores are skipped.", Arity = ArgumentArity.ZeroOrMore };
        var only = new Option<string[]>("--only") { Description = "Run only these recipes (comma-separated ids, repeatable)." };
        var skip = new Option<string[]>("--skip") { Description = "Skip these recipes (comma-separated ids, repeatable)." };
        var unsafeFixes = new Option<bool>("--unsafe-fixes") { Description = "Also apply fixes that can change how a working service behaves (otherwise listed in the body as held back)." };
        var include = new Option<string[]>("--include") { Description = "Extra glob of files to take when searching directories (repeatable)." };
        var exclude = new Option<string[]>("--exclude") { Description = "Glob of files to leave out when searching directories (repeatable)." };
        var config = new Option<string>("--config") { Description = "Use this configuration file instead of the nearest .composefix.yml." };
        var branch = new Option<string>("--branch") { Description = "The branch to commit to. An existing branch is only added to when composefix made all its own commits.", DefaultValueFactory = _ => DefaultBranch };
        var remote = new Option<string>("--remote") { Description = "The remote for --push.", DefaultValueFactory = _ => "origin" };
        var push = new Option<bool>("--push") { Description = "Push the branch to --remote (never forced)." };
        var open = new Option<bool>("--open") { Description = "Open the pull request with the GitHub CLI (gh pr create); needs --push. Exit code 3 when gh is missing or fails: the branch is made, only the pull request is not." };
        var author = new Option<string>("--author") { Description = "Commit as \"Name <email>\" (default: git's configured user.name and user.email, else ComposeFix <composefix@users.noreply.github.com>)." };
        var bodyFile = new Option<string>("--body-file") { Description = "Write the Markdown body here (default: stdout, after the title). Keep it outside the working tree, e.g. in $RUNNER_TEMP." };
        var titleFile = new Option<string>("--title-file") { Description = "Write the pull request title here (default: stdout)." };
        ArgumentNullException.ThrowIfNull(help);
        var command = new Command("pr", "Fix the compose files of a git repository and commit the result on a branch for a pull request.")
        {
            paths, only, skip, unsafeFixes, include, exclude, config, branch, remote, push, open, author, bodyFile, titleFile,
        };
        help.Add(command, """
            The working tree must be clean. The fixes are those of 'composefix fix --write' (safe ones by
            default; --unsafe-fixes, --only, --skip and .composefix.yml apply). They are committed on --branch
            (made from HEAD) with the trailer 'Generated-by: composefix'; the current branch stays checked out
            and the working tree is left as it was. Nothing to change: exit 0, no branch.

            Secrets moved by secrets-from-env are never committed: their files stay in the working tree,
            git-ignored (the branch commits the .gitignore line; .git/info/exclude keeps them ignored here
            meanwhile), and the body names them and says to rotate the old values. No secret value appears
            in the title, the body or the commit message.

            An existing branch is never rewritten or force-pushed: if it already holds exactly these changes,
            nothing happens; if composefix made its commits, a new commit goes on top; otherwise pr refuses.

            Exit codes: 0 done (or nothing to do), 2 usage error, dirty working tree, refused branch or a file
            that could not be fixed (nothing is committed then), 3 --open could not open the pull request.

            Examples:
              composefix pr                                  # commit on composefix/hardening, body on stdout
              composefix pr --push --open                    # push to origin and open the pull request with gh
              composefix pr deploy/ --unsafe-fixes --branch composefix/deploy --push
              composefix pr --body-file "$RUNNER_TEMP/body.md" --title-file "$RUNNER_TEMP/title.txt"
              composefix pr --author "Compose Bot <bot@example.com>" --skip secrets-from-env
            """);
        command.SetAction(result =>
        {
            var fix = Commands.RecipeOptions(result.GetValue(only), result.GetValue(skip), result.GetValue(unsafeFixes), stderr);
            if (fix is null)
            {
                return Commands.Failure;
            }

            if (result.GetValue(open) && !result.GetValue(push))
            {
                stderr.WriteLine("composefix: --open needs --push (gh opens a pull request for a pushed branch)");
                return Commands.Failure;
            }

            CommitIdentity? identity = null;
            if (result.GetValue(author) is { } text && (identity = CommitIdentity.Parse(text)) is null)
            {
                stderr.WriteLine($"composefix: --author '{text}': expected \"Name <email>\"");
                return Commands.Failure;
            }

            string? configPath = result.GetValue(config);
            if (configPath is not null && !File.Exists(configPath))
            {
                stderr.WriteLine($"composefix: --config {configPath}: no such file");
                return Commands.Failure;
            }

            return new PullRequestRun(stdout, stderr).Execute(new PullRequestOptions
            {
                Paths = result.GetValue(paths) ?? [],
                Include = result.GetValue(include) ?? [],
                Exclude = result.GetValue(exclude) ?? [],
                Fix = fix,
                ConfigPath = configPath,
                Branch = result.GetValue(branch) ?? DefaultBranch,
                Remote = result.GetValue(remote) ?? "origin",
                Push = result.GetValue(push),
                Open = result.GetValue(open),
                Author = identity,
                BodyFile = result.GetValue(bodyFile),
                TitleFile = result.GetValue(titleFile),
            });
        });
        return command;
    }
}

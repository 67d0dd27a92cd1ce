using System.Text;

namespace ComposeFix.Tests;

/// <summary>
/// `composefix pr` end to end: a real git repository in a temporary folder with a local bare repository
/// as origin, the built program run as a process, and no git identity or global configuration.
/// </summary>
public sealed class PullRequestTests : IDisposable
{
    private const string Branch = "composefix/hardening";
    private const string Secret = "Sup3r-S3cret-Value-4711";
    private const string Compose = "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: " + Secret + "\n    ports:\n      - \"5432:5432\"\n    restart: always\n";

    private readonly string root = Directory.CreateTempSubdirectory("composefix-pr-").FullName;
    private readonly string work;
    private readonly string origin;

    public PullRequestTests()
    {
        origin = Path.Combine(root, "origin.git");
        work = Path.Combine(root, "work");
        GitProcess.Run(root, "init", "-q", "--bare", origin);
        GitProcess.Run(root, "init", "-q", "-b", "main", work);
        GitProcess.Run(work, "remote", "add", "origin", origin);
        Write("compose.yaml", Compose);
        Write("vendor/compose.yaml", "services:\n  x:\n    image: nginx:1.27\n    ports: [\"80:80\"]\n");
        Write(".gitignore", "vendor/\n");
        Commit("initial");
        GitProcess.Run(work, "push", "-q", "origin", "main");
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void MakesOneCommitOnTheBranchPushesItAndLeavesTheWorkingTreeAsItWas()
    {
        string head = Git("rev-parse", "HEAD");
        string body = Path.Combine(root, "body.md");
        string title = Path.Combine(root, "title.txt");

        var r = Pr("--push", "--body-file", body, "--title-file", title);

        Assert.Equal(0, r.Code);
        Assert.Equal("1", Git("rev-list", "--count", $"main..{Branch}"));
        Assert.Equal(head, Git("rev-parse", $"{Branch}~1"));
        Assert.Equal(Git("rev-parse", Branch), GitProcess.Output(origin, "rev-parse", $"refs/heads/{Branch}"));

        // Still on main, with the original bytes and nothing to commit.
        Assert.Equal("main", Git("symbolic-ref", "--short", "HEAD"));
        Assert.Equal(head, Git("rev-parse", "HEAD"));
        Assert.Equal(Compose, File.ReadAllText(Path.Combine(work, "compose.yaml")));
        Assert.Equal("", Git("status", "--porcelain", "--untracked-files=all"));

        // The secret stays on disk for the user, git-ignored, and nowhere in git or in the texts.
        string secretFile = Path.Combine(work, "secrets", "db_postgres_password");
        Assert.Equal(Secret, File.ReadAllText(secretFile));
        Assert.Equal("secrets/db_postgres_password", Git("check-ignore", "secrets/db_postgres_password"));
        Assert.DoesNotContain("secrets/", Git("ls-tree", "-r", "--name-only", Branch), StringComparison.Ordinal);
        Assert.DoesNotContain("vendor/", Git("ls-tree", "-r", "--name-only", Branch), StringComparison.Ordinal);
        string message = Git("log", "-1", "--format=%B", Branch);
        string markdown = File.ReadAllText(body);
        foreach (var text in new[] { message, markdown, File.ReadAllText(title), r.Out, r.Err })
        {
            Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
        }

        Assert.Equal(1, GitProcess.TryRun(work, "grep", "-q", Secret, Branch).Code); // in no file of the commit

        Assert.Contains("Generated-by: composefix", message, StringComparison.Ordinal);
        Assert.Contains("secrets/db_postgres_password", markdown, StringComparison.Ordinal);
        Assert.Contains("rotate", markdown, StringComparison.Ordinal);
        Assert.Contains("| `compose.yaml` | db | `bind-ports-localhost` |", markdown, StringComparison.Ordinal);
        Assert.Contains("### Unsafe fixes held back", markdown, StringComparison.Ordinal);
        Assert.Contains("`restart-on-failure`", markdown, StringComparison.Ordinal);
        Assert.Contains("### Findings that need a human", markdown, StringComparison.Ordinal);
        Assert.Contains("cheatsheetseries.owasp.org", markdown, StringComparison.Ordinal);

        // No identity configured anywhere: the ComposeFix bot identity.
        Assert.Equal("ComposeFix <composefix@users.noreply.github.com>", Git("log", "-1", "--format=%an <%ae>", Branch));
    }

    [Fact]
    public void TheCommittedTreeIsWhatFixWriteMakesOfACopy()
    {
        string copy = Path.Combine(root, "copy");
        GitProcess.Run(root, "clone", "-q", work, copy);
        Assert.Equal(0, CliProcess.RunWithEnvironment(copy, null, Isolated(), "fix", "--write").Code);
        Assert.True(File.Exists(Path.Combine(copy, "secrets", "db_postgres_password")));
        GitProcess.Run(copy, "add", "-A"); // the copy's new .gitignore keeps the secret out
        string expected = GitProcess.Output(copy, "write-tree");

        Assert.Equal(0, Pr().Code);

        Assert.Equal(expected, Git("rev-parse", $"{Branch}^{{tree}}"));
    }

    [Fact]
    public void ARunWithNothingNewChangesNothing()
    {
        Assert.Equal(0, Pr("--push").Code);
        string tip = Git("rev-parse", Branch);

        var again = Pr("--push");

        Assert.Equal(0, again.Code);
        Assert.Contains("already holds these changes", again.Err, StringComparison.Ordinal);
        Assert.Equal(tip, Git("rev-parse", Branch));
        Assert.Equal(tip, GitProcess.Output(origin, "rev-parse", $"refs/heads/{Branch}"));
        Assert.Equal("", Git("status", "--porcelain", "--untracked-files=all"));
    }

    [Fact]
    public void AFreshCloneBuildsOnTheRemoteBranchInsteadOfForcePushing()
    {
        Assert.Equal(0, Pr("--push", "--only", "bind-ports-localhost").Code);
        string first = GitProcess.Output(origin, "rev-parse", $"refs/heads/{Branch}");
        string clone = Path.Combine(root, "clone");
        GitProcess.Run(root, "clone", "-q", "--branch", "main", origin, clone);

        var r = CliProcess.RunWithEnvironment(clone, null, Isolated(), "pr", "--push");

        Assert.Equal(0, r.Code);
        string second = GitProcess.Output(origin, "rev-parse", $"refs/heads/{Branch}");
        Assert.NotEqual(first, second);
        Assert.Equal(first, GitProcess.Output(origin, "rev-parse", $"{second}~1"));
        Assert.Contains("POSTGRES_PASSWORD_FILE", GitProcess.Output(origin, "show", $"{second}:compose.yaml"), StringComparison.Ordinal);
    }

    [Fact]
    public void ADirtyWorkingTreeIsRefusedBeforeAnythingChanges()
    {
        Write("compose.yaml", Compose + "# work in progress\n");

        var r = Pr("--push");

        Assert.Equal(2, r.Code);
        Assert.Contains("uncommitted changes", r.Err, StringComparison.Ordinal);
        Assert.Equal(Compose + "# work in progress\n", File.ReadAllText(Path.Combine(work, "compose.yaml")));
        Assert.False(Directory.Exists(Path.Combine(work, "secrets")));
        Assert.NotEqual(0, GitProcess.TryRun(work, "rev-parse", "--verify", "--quiet", $"refs/heads/{Branch}").Code);
        Assert.Equal("", GitProcess.Output(origin, "branch", "--list", Branch));
    }

    [Fact]
    public void ABranchWithSomeoneElsesCommitsIsRefused()
    {
        GitProcess.Run(work, "branch", Branch);
        GitProcess.Run(work, "switch", "-q", Branch);
        Write("notes.txt", "mine\n");
        Commit("my own work");
        GitProcess.Run(work, "switch", "-q", "main");
        string tip = Git("rev-parse", Branch);

        var r = Pr();

        Assert.Equal(2, r.Code);
        Assert.Contains("commits composefix did not make", r.Err, StringComparison.Ordinal);
        Assert.Equal(tip, Git("rev-parse", Branch));
        Assert.Equal(Compose, File.ReadAllText(Path.Combine(work, "compose.yaml")));
        Assert.False(Directory.Exists(Path.Combine(work, "secrets")));
        Assert.Equal("", Git("status", "--porcelain", "--untracked-files=all"));
    }

    [Fact]
    public void NothingToChangeMakesNoBranch()
    {
        var r = Pr("--only", "no-privileged");

        Assert.Equal(0, r.Code);
        Assert.Contains("nothing to change", r.Err, StringComparison.Ordinal);
        Assert.Equal("", r.Out);
        Assert.NotEqual(0, GitProcess.TryRun(work, "rev-parse", "--verify", "--quiet", $"refs/heads/{Branch}").Code);
    }

    [Fact]
    public void ASecretFileGitWouldNotIgnoreIsNeverCommitted()
    {
        Write("secrets/.gitignore", "!db_postgres_password\n");
        Commit("a rule that un-ignores the secret");

        var r = Pr();

        Assert.Equal(2, r.Code);
        Assert.Contains("would not ignore the secret file", r.Err, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, r.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(work, "secrets", "db_postgres_password")));
        Assert.Equal(Compose, File.ReadAllText(Path.Combine(work, "compose.yaml")));
        Assert.Equal("", Git("status", "--porcelain", "--untracked-files=all"));
        Assert.NotEqual(0, GitProcess.TryRun(work, "rev-parse", "--verify", "--quiet", $"refs/heads/{Branch}").Code);
    }

    [Fact]
    public void AuthorOptionAndTheBodyOnStdout()
    {
        var r = Pr("--author", "Compose Bot <bot@example.com>", "--branch", "hardening/test");

        Assert.Equal(0, r.Code);
        Assert.Equal("Compose Bot <bot@example.com>|Compose Bot <bot@example.com>", Git("log", "-1", "--format=%an <%ae>|%cn <%ce>", "hardening/test"));
        Assert.StartsWith("# Harden Docker Compose files", r.Out, StringComparison.Ordinal);
        Assert.Contains("## ComposeFix hardening", r.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, r.Out, StringComparison.Ordinal);
        Assert.Equal(2, Pr("--author", "no email here").Code);
        Assert.Equal(2, Pr("--open").Code); // --open needs --push
    }

    [Fact]
    public void OpenRunsGhWithTheBranchAndTheBodyAndExitsThreeWhenGhFails()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        // A stand-in for the GitHub CLI that records its arguments and the body it was given.
        string bin = Directory.CreateDirectory(Path.Combine(root, "bin")).FullName;
        string log = Path.Combine(root, "gh.log");
        string gh = Path.Combine(bin, "gh");
        File.WriteAllText(gh, $"#!/bin/sh\necho \"$@\" >> '{log}'\nif [ \"$2\" = create ]; then cat \"$6\" >> '{log}'; echo https://example.test/pull/1; fi\nexit ${{GH_EXIT:-0}}\n");
        File.SetUnixFileMode(gh, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var env = Isolated();
        env["PATH"] = bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");

        var r = CliProcess.RunWithEnvironment(work, null, env, "pr", "--push", "--open");

        Assert.Equal(0, r.Code);
        string calls = File.ReadAllText(log);
        Assert.Contains($"pr create --title Harden Docker Compose files", calls, StringComparison.Ordinal);
        Assert.Contains($"--head {Branch} --base main", calls, StringComparison.Ordinal);
        Assert.Contains("## ComposeFix hardening", calls, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, calls, StringComparison.Ordinal);

        // gh failing (not logged in, say) is exit code 3: the branch is pushed, only the pull request is missing.
        Write("compose.yaml", Compose.Replace("5432:5432", "6543:5432", StringComparison.Ordinal));
        Commit("another port");
        env["GH_EXIT"] = "1";
        var failed = CliProcess.RunWithEnvironment(work, null, env, "pr", "--push", "--open");
        Assert.Equal(3, failed.Code);
        Assert.Contains("open the pull request by hand", failed.Err, StringComparison.Ordinal);
        Assert.Equal(Git("rev-parse", Branch), GitProcess.Output(origin, "rev-parse", $"refs/heads/{Branch}"));
    }

    private (int Code, string Out, string Err) Pr(params string[] args) => CliProcess.RunWithEnvironment(work, null, Isolated(), ["pr", .. args]);

    /// <summary>No global or system git configuration and no identity: the tests pass on a machine without one.</summary>
    private static Dictionary<string, string?> Isolated() => new()
    {
        ["GIT_CONFIG_GLOBAL"] = "/dev/null",
        ["GIT_CONFIG_NOSYSTEM"] = "1",
        ["GIT_AUTHOR_NAME"] = null,
        ["GIT_AUTHOR_EMAIL"] = null,
        ["GIT_COMMITTER_NAME"] = null,
        ["GIT_COMMITTER_EMAIL"] = null,
        ["EMAIL"] = null,
    };

    private string Git(params string[] args) => GitProcess.Output(work, args);

    private void Commit(string message)
    {
        GitProcess.Run(work, "add", "-A");
        GitProcess.Run(work, "-c", "user.name=Test User", "-c", "user.email=test@example.com", "commit", "-q", "-m", message);
    }

    private void Write(string relative, string content)
    {
        string path = Path.Combine(work, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content, new UTF8Encoding(false));
    }
}

using System.ComponentModel;
using System.Text;
using ComposeFix.Engine;
using ComposeFix.IO;
using ComposeFix.Recipes;

namespace ComposeFix.Cli;

/// <summary>
/// `composefix pr`: fix the compose files of a clean git working tree and commit the result on a branch,
/// without ever switching branches. The fixes are written in place (the same <see cref="FixRun"/> as
/// `fix --write`), the changed files are staged into a temporary index on top of HEAD, that tree is
/// committed with `git commit-tree`, and the working tree is put back as it was. Secret values moved out
/// by secrets-from-env stay on disk, git-ignored (also through .git/info/exclude, because the branch's
/// .gitignore line is not on the current branch yet), and never enter a commit, the title or the body.
/// </summary>
public sealed class PullRequestRun(TextWriter stdout, TextWriter stderr)
{
    private static readonly UTF8Encoding Utf8 = new(false);

    public int Execute(PullRequestOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            return Run(new Git(Directory.GetCurrentDirectory()), options);
        }
        catch (GitException ex)
        {
            return Fail(ex.Message);
        }
        catch (Win32Exception ex)
        {
            return Fail($"cannot run git ({ex.Message}); is git installed and on PATH?");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Fail($"{ex.Message}; check the working tree with git status");
        }
    }

    private int Run(Git git, PullRequestOptions o)
    {
        var top = git.Run("rev-parse", "--show-toplevel");
        if (!top.Ok)
        {
            return Fail("not inside a git working tree (composefix pr commits its changes on a branch)");
        }

        string root = Path.GetFullPath(top.Out.Trim());
        if (!git.Run("check-ref-format", "--branch", o.Branch).Ok)
        {
            return Fail($"--branch {o.Branch}: not a valid branch name");
        }

        string branchRef = "refs/heads/" + o.Branch;
        string? head = git.Commit("HEAD");
        if (head is null)
        {
            return Fail("the repository has no commit yet; commit the compose files first");
        }

        var symbolic = git.Run("symbolic-ref", "--quiet", "--short", "HEAD");
        string? original = symbolic.Ok ? symbolic.Out.Trim() : null;
        if (original == o.Branch)
        {
            return Fail($"HEAD is the branch {o.Branch} itself; check out the branch to fix (e.g. main) and run again");
        }

        string dirty = git.Output("status", "--porcelain", "--untracked-files=all");
        if (dirty.Length > 0)
        {
            var lines = dirty.Split('\n');
            stderr.WriteLine("composefix: the working tree has uncommitted changes; commit or stash them first (git stash --include-untracked). Nothing was changed.");
            foreach (var line in lines.Take(10))
            {
                stderr.WriteLine("  " + line);
            }

            if (lines.Length > 10)
            {
                stderr.WriteLine($"  … and {lines.Length - 10} more");
            }

            return Commands.Failure;
        }

        // The branch as it stands: local, or (with --push) on the remote, whichever is ahead.
        string? local = git.Commit(branchRef);
        string? remoteTip = null;
        if (o.Push)
        {
            var ls = git.Run("ls-remote", "--heads", o.Remote, branchRef);
            if (!ls.Ok)
            {
                return Fail($"cannot read the remote '{o.Remote}': {Git.FirstLine(ls.Err)}");
            }

            remoteTip = ls.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')[0]).FirstOrDefault();
            if (remoteTip is not null && git.Commit(remoteTip) is null)
            {
                var fetch = git.Run("fetch", "--no-tags", "--quiet", o.Remote, branchRef);
                if (!fetch.Ok)
                {
                    return Fail($"cannot fetch {o.Branch} from '{o.Remote}': {Git.FirstLine(fetch.Err)}");
                }
            }
        }

        string? existing = local;
        if (remoteTip is not null && remoteTip != local)
        {
            if (local is null || git.IsAncestor(local, remoteTip))
            {
                existing = remoteTip;
            }
            else if (!git.IsAncestor(remoteTip, local))
            {
                return Fail($"the branch {o.Branch} and {o.Remote}/{o.Branch} have diverged; composefix never force-pushes. Reconcile them or choose another --branch.");
            }
        }

        if (existing is not null && !MadeByComposeFix(git, existing, head))
        {
            return Fail($"the branch {o.Branch} already exists with commits composefix did not make; composefix never rewrites such a branch. Delete it or choose another --branch.");
        }

        // Which compose files: the same discovery as `fix`, minus what git ignores.
        string cwd = git.WorkingDirectory;
        var (found, errors) = FileDiscovery.Find(o.Paths, o.Include, o.Exclude, cwd);
        foreach (var e in errors)
        {
            stderr.WriteLine($"{e.Path}: error: {e.Message}");
        }

        if (errors.Count > 0)
        {
            return Commands.Failure;
        }

        var outside = found.FirstOrDefault(f => !IsUnder(f.FullPath, root));
        if (outside is not null)
        {
            return Fail($"{outside.DisplayPath}: outside the git working tree {root}");
        }

        var ignored = Ignored(git, found.Select(f => f.FullPath));
        foreach (var f in found.Where(f => ignored.Contains(f.FullPath)))
        {
            stderr.WriteLine($"composefix: {f.DisplayPath}: skipped, git ignores it");
        }

        var files = found.Where(f => !ignored.Contains(f.FullPath)).Select(f => f.FullPath).ToList();
        if (files.Count == 0)
        {
            stderr.WriteLine("composefix: no compose files found; nothing to change, no branch made");
            return Commands.Ok;
        }

        var fix = new FixRun(stdout, stderr) { Mode = FixMode.Write, Options = o.Fix, ConfigPath = o.ConfigPath, KeepResults = true };
        int fixCode = fix.Execute(files, [], []);
        var written = fix.Results.Where(r => r.Written || r.SideFiles.Count > 0).ToList();
        if (fixCode != Commands.Ok)
        {
            Restore(written, keepSecrets: false);
            return Fail("no branch made: fix the errors above first (or leave the file out with --exclude); the working tree is unchanged");
        }

        if (written.Count == 0)
        {
            stderr.WriteLine("composefix: nothing to change; no branch made");
            return Commands.Ok;
        }

        var secrets = written.SelectMany(r => r.SideFiles).Where(s => s.Sensitive).Select(s => s.FullPath).Distinct(StringComparer.Ordinal).ToList();
        string tree;
        try
        {
            var exposed = secrets.Except(Ignored(git, secrets), StringComparer.Ordinal).ToList();
            if (exposed.Count > 0)
            {
                Restore(written, keepSecrets: false);
                return Fail($"refusing to continue: git would not ignore the secret file {Relative(root, exposed[0])} (a '!' rule in a .gitignore?); secret values are never committed. The working tree is unchanged.");
            }

            var paths = written.Where(r => r.Written).Select(r => r.File.FullPath)
                .Concat(written.SelectMany(r => r.SideFiles).Where(s => !s.Sensitive).Select(s => s.FullPath))
                .Distinct(StringComparer.Ordinal).ToList();
            tree = WriteTree(git, head, paths);
        }
        catch
        {
            Restore(written, keepSecrets: false);
            throw;
        }

        Restore(written, keepSecrets: true);
        KeepIgnored(git, root, secrets);
        if (git.Output("status", "--porcelain", "--untracked-files=all").Length > 0)
        {
            stderr.WriteLine("composefix: warning: the working tree is not clean after restoring it; see git status");
        }

        var body = new PullRequestBody(
            [.. fix.Results.Select(r => new PullRequestFile(Relative(root, r.File.FullPath), r.Result))],
            [.. secrets.Select(s => Relative(root, s))],
            RecipeCatalog.Default);

        // Commit, unless the branch already holds exactly this tree.
        string tip;
        bool committed = false;
        if (existing is not null && git.Output("rev-parse", existing + "^{tree}") == tree)
        {
            tip = existing;
            stderr.WriteLine($"composefix: the branch {o.Branch} already holds these changes; no new commit");
        }
        else
        {
            var args = new List<string> { "commit-tree", tree };
            foreach (var parent in Parents(git, existing, head))
            {
                args.Add("-p");
                args.Add(parent);
            }

            args.Add("-F");
            args.Add("-");
            var identity = o.Author ?? CommitIdentity.Resolve(git);
            var commit = git.Run(args, identity.GitEnvironment(), body.CommitMessage());
            if (!commit.Ok)
            {
                return Fail($"git commit-tree failed: {Git.FirstLine(commit.Err)}");
            }

            tip = commit.Out.Trim();
            committed = true;
        }

        if (local != tip)
        {
            // Compare-and-swap on the old value: a branch that moved meanwhile is not overwritten.
            string zero = new('0', head.Length);
            git.Output("update-ref", "-m", "composefix pr", branchRef, tip, local ?? zero);
        }

        if (committed)
        {
            int count = written.Count(r => r.Written);
            stderr.WriteLine($"composefix: committed {tip[..12]} on the branch {o.Branch} ({count} file{(count == 1 ? "" : "s")}); the working tree is as it was");
        }

        bool pushed = false;
        if (o.Push && remoteTip != tip)
        {
            var push = git.Run("push", "--quiet", o.Remote, $"{branchRef}:{branchRef}");
            if (!push.Ok)
            {
                return Fail($"git push {o.Remote} {o.Branch} failed (the commit is on the local branch): {Git.FirstLine(push.Err)}");
            }

            pushed = true;
            stderr.WriteLine($"composefix: pushed {o.Branch} to {o.Remote}");
        }

        foreach (var s in secrets)
        {
            stderr.WriteLine($"composefix: secret value kept out of git in {Relative(cwd, s)} (git-ignored); the old value is still in the git history: rotate it");
        }

        string title = body.Title();
        string markdown = body.Markdown();
        WriteTexts(o, title, markdown);
        if (!o.Open)
        {
            return Commands.Ok;
        }

        if (!committed && !pushed)
        {
            stderr.WriteLine("composefix: nothing new to push, so no pull request opened");
            return Commands.Ok;
        }

        return OpenPullRequest(o, original, title, markdown);
    }

    /// <summary>True when the tip and every commit of the branch that HEAD lacks carry the composefix trailer.</summary>
    private static bool MadeByComposeFix(Git git, string tip, string head)
    {
        string messages = git.Output("log", "--format=%B%x00", tip, "--not", head);
        string tipMessage = git.Output("log", "-1", "--format=%B", tip);
        return messages.Split('\0').Select(m => m.Trim()).Where(m => m.Length > 0).Append(tipMessage).All(HasTrailer);

        static bool HasTrailer(string message) =>
            message.Split('\n').Any(l => l.Trim().Equals(PullRequestBody.Trailer, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// The new commit's parents: on top of the branch when it exists, and also HEAD when the branch does
    /// not contain it yet (a merge, so the pull request shows only the fixes, and nothing is force-pushed).
    /// </summary>
    private static List<string> Parents(Git git, string? existing, string head)
    {
        if (existing is null || git.IsAncestor(existing, head))
        {
            return [head];
        }

        return git.IsAncestor(head, existing) ? [existing] : [existing, head];
    }

    /// <summary>HEAD's tree plus the given files as they are on disk, through a temporary index: the user's index is never touched.</summary>
    private static string WriteTree(Git git, string head, List<string> paths)
    {
        var temp = Directory.CreateTempSubdirectory("composefix-pr-");
        try
        {
            var env = new Dictionary<string, string>(StringComparer.Ordinal) { ["GIT_INDEX_FILE"] = Path.Combine(temp.FullName, "index") };
            Must(git.Run(["read-tree", head], env, null), "read-tree");

            // Without --force: git refuses an ignored path, a second lock against committing a secret.
            Must(git.Run(["add", "--", .. paths], env, null), "add");
            return Must(git.Run(["write-tree"], env, null), "write-tree").Out.Trim();
        }
        finally
        {
            temp.Delete(recursive: true);
        }

        static ProcessResult Must(ProcessResult r, string what) => r.Ok ? r : throw new GitException($"git {what} failed: {Git.FirstLine(r.Err)}");
    }

    /// <summary>Puts the working tree back as it was before the fixes, last write first; secret files stay when asked.</summary>
    private static void Restore(List<FixedFile> written, bool keepSecrets)
    {
        for (int i = written.Count - 1; i >= 0; i--)
        {
            var r = written[i];
            if (r.Written)
            {
                AtomicFileWriter.Replace(r.File.FullPath, r.Result.NewBytes, r.Result.OriginalBytes);
            }

            for (int j = r.SideFiles.Count - 1; j >= 0; j--)
            {
                var side = r.SideFiles[j];
                if (side.Sensitive && keepSecrets)
                {
                    continue;
                }

                if (side.Before is null)
                {
                    File.Delete(side.FullPath);
                }
                else
                {
                    AtomicFileWriter.Replace(side.FullPath, side.After, side.Before);
                }
            }
        }
    }

    /// <summary>
    /// The current branch's .gitignore does not have the branch's new lines yet: list the secret files in
    /// .git/info/exclude too, so `git add .` cannot pick them up before the pull request is merged.
    /// </summary>
    private static void KeepIgnored(Git git, string root, List<string> secrets)
    {
        var ignoredNow = Ignored(git, secrets);
        var missing = secrets.Where(s => !ignoredNow.Contains(s)).ToList();
        if (missing.Count == 0)
        {
            return;
        }

        string exclude = Path.GetFullPath(git.Output("rev-parse", "--git-path", "info/exclude"), git.WorkingDirectory);
        Directory.CreateDirectory(Path.GetDirectoryName(exclude)!);
        string current = File.Exists(exclude) ? File.ReadAllText(exclude) : "";
        var text = new StringBuilder(current.Length == 0 || current.EndsWith('\n') ? "" : "\n");
        text.Append("# composefix pr: secret values kept out of git (the .gitignore lines are on its branch)\n");
        foreach (var s in missing)
        {
            text.Append('/').Append(Relative(root, s)).Append('\n');
        }

        File.AppendAllText(exclude, text.ToString(), Utf8);
        var stillExposed = secrets.Except(Ignored(git, secrets), StringComparer.Ordinal).ToList();
        if (stillExposed.Count > 0)
        {
            throw new GitException($"the secret file {Relative(root, stillExposed[0])} is not git-ignored; do not commit it");
        }
    }

    /// <summary>The given full paths that git ignores (tracked files never count as ignored).</summary>
    private static HashSet<string> Ignored(Git git, IEnumerable<string> fullPaths)
    {
        var list = fullPaths.ToList();
        var set = new HashSet<string>(StringComparer.Ordinal);
        if (list.Count == 0)
        {
            return set;
        }

        var r = git.Run(["check-ignore", "-z", "--stdin"], null, string.Concat(list.Select(p => p + "\0")));
        if (r.Code is not (0 or 1))
        {
            throw new GitException($"git check-ignore failed: {Git.FirstLine(r.Err)}");
        }

        foreach (var p in r.Out.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            set.Add(Path.GetFullPath(p, git.WorkingDirectory));
        }

        return set;
    }

    private void WriteTexts(PullRequestOptions o, string title, string markdown)
    {
        if (o.TitleFile is not null)
        {
            File.WriteAllText(o.TitleFile, title + "\n", Utf8);
        }

        if (o.BodyFile is not null)
        {
            File.WriteAllText(o.BodyFile, markdown, Utf8);
            if (o.TitleFile is null)
            {
                stdout.WriteLine(title);
            }
        }
        else
        {
            if (o.TitleFile is null)
            {
                stdout.Write($"# {title}\n\n");
            }

            stdout.Write(markdown);
        }
    }

    private int OpenPullRequest(PullRequestOptions o, string? original, string title, string markdown)
    {
        string? temp = null;
        string bodyFile = o.BodyFile ?? (temp = Path.Combine(Directory.CreateTempSubdirectory("composefix-pr-").FullName, "body.md"));
        try
        {
            if (temp is not null)
            {
                File.WriteAllText(temp, markdown, Utf8);
            }

            var cwd = Directory.GetCurrentDirectory();
            var open = Git.Start("gh", ["pr", "list", "--head", o.Branch, "--state", "open", "--limit", "1"], cwd, null, null);
            if (open.Ok && open.Out.Trim().Length > 0)
            {
                stderr.WriteLine($"composefix: a pull request for {o.Branch} is already open; it now shows the new commit");
                return Commands.Ok;
            }

            var args = new List<string> { "pr", "create", "--title", title, "--body-file", bodyFile, "--head", o.Branch };
            if (original is not null)
            {
                args.Add("--base");
                args.Add(original);
            }

            var create = Git.Start("gh", args, cwd, null, null);
            if (!create.Ok)
            {
                stderr.WriteLine($"composefix: gh pr create failed: {Git.FirstLine(create.Err)}; the branch {o.Branch} is ready, open the pull request by hand");
                return Commands.PullRequestNotOpened;
            }

            stdout.Flush();
            stderr.WriteLine($"composefix: opened {create.Out.Trim()}");
            return Commands.Ok;
        }
        catch (Win32Exception)
        {
            stderr.WriteLine($"composefix: --open needs the GitHub CLI (gh), which is not on PATH; the branch {o.Branch} is ready, open the pull request by hand");
            return Commands.PullRequestNotOpened;
        }
        finally
        {
            if (temp is not null)
            {
                Directory.Delete(Path.GetDirectoryName(temp)!, recursive: true);
            }
        }
    }

    private int Fail(string message)
    {
        stderr.WriteLine("composefix: " + message);
        return Commands.Failure;
    }

    private static bool IsUnder(string path, string root) =>
        path.StartsWith(root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');
}

using System.Diagnostics;
using System.Globalization;
using System.Text;
using ComposeFix.Output;

namespace ComposeFix.Tests;

/// <summary>
/// Checks that <see cref="UnifiedDiff"/> output is reproduced byte for byte by <c>git apply</c>
/// (and GNU <c>patch -p1</c> where available), and matches <c>git diff</c> for unambiguous cases.
/// </summary>
public sealed class UnifiedDiffTests
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // ------------------------------------------------------------------ exact text

    [Theory]
    [InlineData("")]
    [InlineData("a\n")]
    [InlineData("a\r\nb")]
    [InlineData("\uFEFFservices:\n")]
    public void Render_IdenticalText_ReturnsEmptyString(string text)
    {
        Assert.Equal(string.Empty, UnifiedDiff.Render("docker-compose.yml", text, text));
    }

    [Fact]
    public void Render_LfReplacement_ExactText()
    {
        string diff = UnifiedDiff.Render("deploy/docker-compose.yml", "a\nb\nc\n", "a\nB\nc\n");
        Assert.Equal(
            "diff --git a/deploy/docker-compose.yml b/deploy/docker-compose.yml\n" +
            "--- a/deploy/docker-compose.yml\n" +
            "+++ b/deploy/docker-compose.yml\n" +
            "@@ -1,3 +1,3 @@\n" +
            " a\n" +
            "-b\n" +
            "+B\n" +
            " c\n",
            diff);
    }

    [Fact]
    public void Render_CrlfAndAddedFinalNewline_ExactText()
    {
        string diff = UnifiedDiff.Render("c.yml", "x\r\ny", "x\r\ny\r\n");
        Assert.Equal(
            "diff --git a/c.yml b/c.yml\n" +
            "--- a/c.yml\n" +
            "+++ b/c.yml\n" +
            "@@ -1,2 +1,2 @@\n" +
            " x\r\n" +
            "-y\n" +
            "\\ No newline at end of file\n" +
            "+y\r\n",
            diff);
    }

    [Fact]
    public void Render_NoFinalNewlineOnBothSides_MarkerAfterContextLine()
    {
        string diff = UnifiedDiff.Render("f", "a\nb\nc", "A\nb\nc");
        Assert.Equal(
            "diff --git a/f b/f\n" +
            "--- a/f\n" +
            "+++ b/f\n" +
            "@@ -1,3 +1,3 @@\n" +
            "-a\n" +
            "+A\n" +
            " b\n" +
            " c\n" +
            "\\ No newline at end of file\n",
            diff);
    }

    [Fact]
    public void Render_BomIsPartOfFirstLine_ExactText()
    {
        string diff = UnifiedDiff.Render("f", "\uFEFFa\nb\n", "\uFEFFa\nc\n");
        Assert.Equal(
            "diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n \uFEFFa\n-b\n+c\n",
            diff);
    }

    [Fact]
    public void Render_EmptyOld_UsesZeroZeroRange()
    {
        string diff = UnifiedDiff.Render("f", string.Empty, "a\nb\n");
        Assert.Equal("diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -0,0 +1,2 @@\n+a\n+b\n", diff);
    }

    [Fact]
    public void Render_EmptyNew_UsesZeroZeroRange()
    {
        string diff = UnifiedDiff.Render("f", "a", string.Empty);
        Assert.Equal("diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1 +0,0 @@\n-a\n\\ No newline at end of file\n", diff);
    }

    [Fact]
    public void Render_ContextZero_PureInsertionNamesLineBefore()
    {
        string diff = UnifiedDiff.Render("f", "a\nb\nc\n", "a\nb\nX\nc\n", context: 0);
        Assert.Equal("diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -2,0 +3 @@\n+X\n", diff);
    }

    [Fact]
    public void Render_HugeContext_IsWholeFileHunk()
    {
        Assert.Equal(
            UnifiedDiff.Render("f", "a\nb\nc\n", "a\nB\nc\n"),
            UnifiedDiff.Render("f", "a\nb\nc\n", "a\nB\nc\n", int.MaxValue));
    }

    [Fact]
    public void RenderNewFile_ExactText()
    {
        string diff = UnifiedDiff.RenderNewFile("deploy/.env", "A=1\nB=2", "100600");
        Assert.Equal(
            "diff --git a/deploy/.env b/deploy/.env\n" +
            "new file mode 100600\n" +
            "--- /dev/null\n" +
            "+++ b/deploy/.env\n" +
            "@@ -0,0 +1,2 @@\n" +
            "+A=1\n" +
            "+B=2\n" +
            "\\ No newline at end of file\n",
            diff);
    }

    [Fact]
    public void RenderNewFile_EmptyText_HasNoHunk()
    {
        Assert.Equal("diff --git a/e b/e\nnew file mode 100644\n", UnifiedDiff.RenderNewFile("e", string.Empty));
    }

    [Theory]
    [InlineData(1, 1)] // changes 3 lines apart: contexts overlap
    [InlineData(6, 1)] // gap of exactly 2 * context unchanged lines: contexts touch, one hunk
    [InlineData(7, 2)] // one more line: separate hunks
    public void Render_HunksMergeOnlyWhenContextsOverlapOrTouch(int gap, int expectedHunks)
    {
        var oldLines = Enumerable.Range(0, gap + 20).Select(i => "line" + i.ToString(CultureInfo.InvariantCulture)).ToList();
        var newLines = oldLines.ToList();
        newLines[8] = "changed-a";
        newLines[8 + gap + 1] = "changed-b";
        string diff = UnifiedDiff.Render("f", Join(oldLines), Join(newLines));
        int hunks = diff.Split('\n').Count(l => l.StartsWith("@@ ", StringComparison.Ordinal));
        Assert.Equal(expectedHunks, hunks);
    }

    [Fact]
    public void Render_PathNeedingQuotes_IsQuotedLikeGit()
    {
        string diff = UnifiedDiff.Render("d\u00e9/my \"f\".yml", "a\n", "b\n");
        Assert.StartsWith(
            "diff --git \"a/d\\303\\251/my \\\"f\\\".yml\" \"b/d\\303\\251/my \\\"f\\\".yml\"\n" +
            "--- \"a/d\\303\\251/my \\\"f\\\".yml\"\t\n" +
            "+++ \"b/d\\303\\251/my \\\"f\\\".yml\"\t\n",
            diff);
    }

    [Fact]
    public void Colorize_ExactText()
    {
        string diff = UnifiedDiff.Render("f", "a\r\nb\r\n--c\r\n", "a\r\nB\r\n--c\r\n+d");
        string colored = UnifiedDiff.Colorize(diff);
        const string Bold = "\u001b[1m", Red = "\u001b[31m", Green = "\u001b[32m", Cyan = "\u001b[36m", Reset = "\u001b[0m";
        Assert.Equal(
            Bold + "diff --git a/f b/f" + Reset + "\n" +
            Bold + "--- a/f" + Reset + "\n" +
            Bold + "+++ b/f" + Reset + "\n" +
            Cyan + "@@ -1,3 +1,4 @@" + Reset + "\n" +
            " a\r\n" +
            Red + "-b" + Reset + "\r\n" +
            Green + "+B" + Reset + "\r\n" +
            " --c\r\n" +
            Green + "++d" + Reset + "\n" +
            "\\ No newline at end of file\n",
            colored);
        Assert.Equal(diff, StripAnsi(colored));
    }

    [Fact]
    public void Colorize_NewFileAndEmptyInput()
    {
        Assert.Equal(string.Empty, UnifiedDiff.Colorize(string.Empty));
        string diff = UnifiedDiff.RenderNewFile("n", "--- x\n") + UnifiedDiff.Render("m", "a\n", "b\n");
        string colored = UnifiedDiff.Colorize(diff);
        Assert.Contains("\u001b[1mnew file mode 100644\u001b[0m\n", colored, StringComparison.Ordinal);
        Assert.Contains("\u001b[32m+--- x\u001b[0m\n", colored, StringComparison.Ordinal);
        Assert.Contains("\u001b[1m--- a/m\u001b[0m\n", colored, StringComparison.Ordinal);
        Assert.Equal(diff, StripAnsi(colored));
    }

    [Fact]
    public void InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => UnifiedDiff.Render("f", null!, "a"));
        Assert.Throws<ArgumentNullException>(() => UnifiedDiff.Render("f", "a", null!));
        Assert.Throws<ArgumentException>(() => UnifiedDiff.Render(string.Empty, "a", "b"));
        Assert.Throws<ArgumentOutOfRangeException>(() => UnifiedDiff.Render("f", "a", "b", -1));
        Assert.Throws<ArgumentException>(() => UnifiedDiff.RenderNewFile("f", "a", "644"));
        Assert.Throws<ArgumentException>(() => UnifiedDiff.RenderNewFile("f", "a", "10064x"));
        Assert.Throws<ArgumentNullException>(() => UnifiedDiff.Colorize(null!));
    }

    // ------------------------------------------------------------------ git apply round trips

    public static TheoryData<string, string, string> ApplyCases
    {
        get
        {
            string lf10 = Join(Enumerable.Range(1, 10).Select(i => "l" + i.ToString(CultureInfo.InvariantCulture)));
            string crlf10 = lf10.Replace("\n", "\r\n", StringComparison.Ordinal);
            string lf40 = Join(Enumerable.Range(1, 40).Select(i => "  key" + i.ToString(CultureInfo.InvariantCulture) + ": v"));
            return new TheoryData<string, string, string>
            {
                { "lf-replace", "services:\n  web:\n    image: nginx:1.0\n", "services:\n  web:\n    image: nginx:1.25\n" },
                { "crlf-replace", "services:\r\n  web:\r\n    image: a\r\n  db:\r\n", "services:\r\n  web:\r\n    image: b\r\n  db:\r\n" },
                { "crlf-insert", crlf10, crlf10.Replace("l5\r\n", "l5\r\nnew\r\n", StringComparison.Ordinal) },
                { "mixed-endings", "a\r\nb\nc\r\nd\n", "a\r\nb\nC\r\nd\n" },
                { "mixed-change-ending-only", "a\r\nb\nc\r\nd\n", "a\r\nb\r\nc\r\nd\n" },
                { "lone-cr-is-not-a-break", "a\rb\nc\n", "a\rB\nc\n" },
                { "bom-context", "\uFEFFservices:\n  web:\n    image: a\n", "\uFEFFservices:\n  web:\n    image: b\n" },
                { "bom-first-line-changed", "\uFEFFversion: '3'\nservices:\n", "\uFEFFservices:\n" },
                { "bom-removed", "\uFEFFa\nb\n", "a\nb\n" },
                { "bom-added", "a\nb\n", "\uFEFFa\nb\n" },
                { "bom-crlf-no-final-newline", "\uFEFFa\r\nb\r\nc", "\uFEFFa\r\nB\r\nc" },
                { "old-missing-final-newline", "a\nb\nc", "a\nB\nc\n" },
                { "new-missing-final-newline", "a\nb\nc\n", "a\nB\nc" },
                { "both-missing-final-newline", "a\nb\nc", "a\nB\nc" },
                { "add-final-newline-only", "a\nb\nc", "a\nb\nc\n" },
                { "remove-final-newline-only", "a\nb\nc\n", "a\nb\nc" },
                { "add-final-crlf-only", "a\r\nb", "a\r\nb\r\n" },
                { "remove-final-crlf-only", "a\r\nb\r\n", "a\r\nb" },
                { "append-after-missing-newline", "a\nb", "a\nb\nc\n" },
                { "insert-at-start", lf10, "first\n" + lf10 },
                { "insert-in-middle", lf10, lf10.Replace("l6\n", "l6\nx\ny\n", StringComparison.Ordinal) },
                { "insert-at-end", lf10, lf10 + "last\n" },
                { "delete-first", lf10, lf10["l1\n".Length..] },
                { "delete-middle", lf10, lf10.Replace("l4\nl5\n", string.Empty, StringComparison.Ordinal) },
                { "delete-last", lf10, lf10.Replace("l10\n", string.Empty, StringComparison.Ordinal) },
                { "multiple-hunks", lf40, lf40.Replace("key3:", "KEY3:", StringComparison.Ordinal).Replace("key20:", "KEY20:", StringComparison.Ordinal).Replace("key38:", "KEY38:", StringComparison.Ordinal) },
                { "merged-hunks", lf40, lf40.Replace("key10:", "KEY10:", StringComparison.Ordinal).Replace("key17:", "KEY17:", StringComparison.Ordinal) },
                { "empty-old", string.Empty, "a\r\nb\n" },
                { "empty-old-no-newline", string.Empty, "a" },
                { "empty-new", "a\nb\n", string.Empty },
                { "empty-new-from-no-newline", "a", string.Empty },
                { "only-newline", "\n", "\n\n" },
                { "non-ascii", "name: caf\u00e9\nemoji: \U0001F600\n", "name: caf\u00e9s\nemoji: \U0001F600\n\u65e5\u672c: x\n" },
                { "whitespace-and-tabs", "a \n\tb\nc\t\n", "a\n\tb \nc\t\n" },
                { "repeated-lines", "-\n-\n-\nx\n-\n-\n-\n", "-\n-\nx\n-\n-\n-\n-\n" },
            };
        }
    }

    [Theory]
    [MemberData(nameof(ApplyCases))]
    public void Render_GitApply_ReproducesNewText(string name, string oldText, string newText)
    {
        using var sandbox = GitSandbox.Create();
        string path = "deploy/" + name + "/docker-compose.yml";
        string diff = UnifiedDiff.Render(path, oldText, newText);
        Assert.NotEqual(string.Empty, diff);
        sandbox.AssertGitApplyRoundTrip(path, oldText, newText, diff, name);
    }

    [Theory]
    [InlineData("plain.yml", "a\nb\n", "100644")]
    [InlineData("secrets/.env", "TOKEN=x\r\nB=2", "100600")]
    [InlineData("bin/run.sh", "\uFEFF#!/bin/sh\necho hi", "100755")]
    [InlineData("empty.txt", "", "100644")]
    [InlineData("dir with space/f.yml", "x\n", "100644")]
    public void RenderNewFile_GitApply_CreatesFile(string path, string text, string mode)
    {
        using var sandbox = GitSandbox.Create();
        string diff = UnifiedDiff.RenderNewFile(path, text, mode);
        sandbox.ApplyAndAssert(diff, path, text, reverse: false, label: path);
        string full = sandbox.FullPath(path);
        if (!OperatingSystem.IsWindows())
        {
            bool executable = (File.GetUnixFileMode(full) & UnixFileMode.UserExecute) != 0;
            Assert.Equal(mode == "100755", executable);
        }

        // Reverse-applying a creation patch deletes the file again. git only tracks 100644/100755 in the
        // working tree, so for other modes (e.g. 100600) it rightly warns about the type mismatch.
        if (mode is "100644" or "100755")
        {
            sandbox.GitApply(diff, reverse: true, label: path);
            Assert.False(File.Exists(full), "file should be deleted by git apply -R");
        }
    }

    [Theory]
    [InlineData("quoted \"name\".yml")]
    [InlineData("d\u00e9ploiement/compose file.yml")]
    public void Render_GitApply_HandlesPathsNeedingQuotesOrTabs(string path)
    {
        using var sandbox = GitSandbox.Create();
        string diff = UnifiedDiff.Render(path, "a\nb\n", "a\nc\n");
        sandbox.AssertGitApplyRoundTrip(path, "a\nb\n", "a\nc\n", diff, path);
    }

    [Theory]
    [InlineData("a\nb\nc\nd\ne\nf\n", "a\nX\nc\nd\ne\nf\nY\n")]
    [InlineData("a\r\nb\r\nc", "Z\r\na\r\nb\r\nc\r\n")]
    [InlineData("", "a\nb\n")]
    public void Render_ContextZero_GitApplyUnidiffZero(string oldText, string newText)
    {
        using var sandbox = GitSandbox.Create();
        string diff = UnifiedDiff.Render("f.yml", oldText, newText, context: 0);
        sandbox.WriteFile("f.yml", oldText);
        sandbox.GitApply(diff, reverse: false, label: "context0", "--unidiff-zero");
        Assert.Equal(Utf8NoBom.GetBytes(newText), File.ReadAllBytes(sandbox.FullPath("f.yml")));
    }

    [Fact]
    public void Render_LargeFile_FewEdits_IsFastAndApplies()
    {
        var lines = Enumerable.Range(0, 20_000).Select(i => "  key" + (i % 500).ToString(CultureInfo.InvariantCulture) + ": value\r").ToList();
        string oldText = Join(lines);
        lines[10] = "  changed: 1\r";
        lines.Insert(9_000, "  inserted: 2\r");
        lines.RemoveAt(15_000);
        lines[^1] = "  last: 3";
        string newText = Join(lines)[..^1]; // drop the final newline as well

        UnifiedDiff.Render("warmup", "a\n", "b\n");
        var watch = Stopwatch.StartNew();
        string diff = UnifiedDiff.Render("big.yml", oldText, newText);
        watch.Stop();
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"Render took {watch.Elapsed}");
        Assert.Equal(4, diff.Split('\n').Count(l => l.StartsWith("@@ ", StringComparison.Ordinal)));

        using var sandbox = GitSandbox.Create();
        sandbox.AssertGitApplyRoundTrip("big.yml", oldText, newText, diff, "large");
    }

    [Fact]
    public void Render_LargeFile_LineEndingRewrite_IsFastAndApplies()
    {
        string oldText = Join(Enumerable.Range(0, 20_000).Select(i => "    - \"" + (i % 700).ToString(CultureInfo.InvariantCulture) + ":80\""));
        string newText = oldText.Replace("\n", "\r\n", StringComparison.Ordinal);

        UnifiedDiff.Render("warmup", "a\n", "b\n");
        var watch = Stopwatch.StartNew();
        string diff = UnifiedDiff.Render("big.yml", oldText, newText);
        watch.Stop();
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"Render took {watch.Elapsed}");

        using var sandbox = GitSandbox.Create();
        sandbox.AssertGitApplyRoundTrip("big.yml", oldText, newText, diff, "line-ending rewrite");
    }

    // ------------------------------------------------------------------ agreement with git diff

    public static TheoryData<string, string, string> GitDiffCases => new()
    {
        { "f.yml", "a\nb\nc\nd\ne\n", "a\nb\nC\nd\ne\n" },
        { "crlf.yml", "a\r\nb\r\nc\r\n", "a\r\nB\r\nc\r\n" },
        { "nl-added.yml", "a\nb", "a\nb\n" },
        { "nl-removed.yml", "a\nb\n", "a\nb" },
        { "both-no-nl.yml", "a\nb\nc\nd\ne", "A\nb\nc\nd\ne" },
        { "bom.yml", "\uFEFFa\nb\n", "a\nb\n" },
        { "empty-old.yml", string.Empty, "a\nb\n" },
        { "empty-new.yml", "a\nb\n", string.Empty },
        { "two-hunks.yml", Join(Enumerable.Range(1, 30).Select(i => "n" + i.ToString(CultureInfo.InvariantCulture))), Join(Enumerable.Range(1, 30).Select(i => i is 2 or 25 ? "X" + i.ToString(CultureInfo.InvariantCulture) : "n" + i.ToString(CultureInfo.InvariantCulture))) },
        { "merged.yml", Join(Enumerable.Range(1, 30).Select(i => "n" + i.ToString(CultureInfo.InvariantCulture))), Join(Enumerable.Range(1, 30).Select(i => i is 5 or 12 ? "X" + i.ToString(CultureInfo.InvariantCulture) : "n" + i.ToString(CultureInfo.InvariantCulture))) },
        { "sub dir/space name.yml", "x\n", "y\n" },
        { "\u00e9t\u00e9.yml", "caf\u00e9\n", "th\u00e9\n" },
    };

    [Theory]
    [MemberData(nameof(GitDiffCases))]
    public void Render_MatchesGitDiffOutput(string path, string oldText, string newText)
    {
        using var sandbox = GitSandbox.Create();
        sandbox.WriteFile(path, oldText);
        sandbox.Git(["add", "--", path], path);
        sandbox.WriteFile(path, newText);
        string expected = sandbox.GitDiff(path);
        Assert.Equal(expected, UnifiedDiff.Render(path, oldText, newText));
    }

    [Theory]
    [InlineData("new.yml", "a\r\nb")]
    [InlineData("d/new.yml", "\uFEFFa\nb\n")]
    public void RenderNewFile_MatchesGitDiffOutput(string path, string text)
    {
        using var sandbox = GitSandbox.Create();
        sandbox.WriteFile(path, text);
        sandbox.Git(["add", "--intent-to-add", "--", path], path);
        string expected = sandbox.GitDiff(path);
        Assert.Equal(expected, UnifiedDiff.RenderNewFile(path, text));
    }

    // ------------------------------------------------------------------ GNU patch

    [Theory]
    [InlineData("a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n", "a\nB\nc\nd\ne\nf\ng\nh\ni\nJ\nk")]
    [InlineData("services:\n  web:\n    image: a", "services:\n  web:\n    image: b\n")]
    public void Render_PatchP1_ReproducesNewText(string oldText, string newText)
    {
        string? patch = FindOnPath("patch");
        if (patch is null)
        {
            return; // GNU patch not installed: git apply coverage above still applies.
        }

        using var sandbox = GitSandbox.Create();
        const string Path = "deploy/docker-compose.yml";
        sandbox.WriteFile(Path, oldText);
        string diffFile = sandbox.WritePatch(UnifiedDiff.Render(Path, oldText, newText));
        ProcessResult result = RunProcess(patch, sandbox.RepoDir, sandbox.Environment, ["-p1", "--batch", "--fuzz=0", "--no-backup-if-mismatch", "-i", diffFile]);
        Assert.True(result.ExitCode == 0, $"patch failed ({result.ExitCode}):\n{result.StdOut}\n{result.StdErr}");
        Assert.DoesNotContain("offset", result.StdOut, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("fuzz", result.StdOut, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(Utf8NoBom.GetBytes(newText), File.ReadAllBytes(sandbox.FullPath(Path)));
    }

    // ------------------------------------------------------------------ property test

    [Fact]
    public void Render_RandomEdits_GitApplyRoundTrips()
    {
        const int Cases = 200;
        var rng = new Random(20240611);
        using var sandbox = GitSandbox.Create();
        int applied = 0;
        for (int n = 0; n < Cases; n++)
        {
            var oldDoc = RandomDocument.Create(rng);
            var newDoc = oldDoc.Clone();
            int edits = rng.Next(1, 5);
            for (int e = 0; e < edits; e++)
            {
                newDoc.ApplyRandomEdit(rng);
            }

            string oldText = oldDoc.ToText();
            string newText = newDoc.ToText();
            int context = rng.Next(4) switch { 0 => 1, 1 => 2, _ => 3 };
            string path = "case" + n.ToString("D3", CultureInfo.InvariantCulture) + "/docker-compose.yml";
            string diff = UnifiedDiff.Render(path, oldText, newText, context);
            if (oldText == newText)
            {
                Assert.Equal(string.Empty, diff);
                continue;
            }

            string label = $"case {n} (context {context})\nold: {Escape(oldText)}\nnew: {Escape(newText)}\ndiff:\n{Escape(diff)}";
            sandbox.AssertGitApplyRoundTrip(path, oldText, newText, diff, label);
            applied++;
        }

        Assert.True(applied > Cases * 9 / 10, $"only {applied} of {Cases} random cases produced a diff");
    }

    // ------------------------------------------------------------------ helpers

    private static string Join(IEnumerable<string> lines) => string.Concat(lines.Select(l => l + "\n"));

    private static string StripAnsi(string text)
    {
        var sb = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\u001b')
            {
                i = text.IndexOf('m', i);
                continue;
            }

            sb.Append(text[i]);
        }

        return sb.ToString();
    }

    private static string Escape(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("\r", "\\r", StringComparison.Ordinal)
            .Replace("\n", "\\n\n", StringComparison.Ordinal)
            .Replace("\uFEFF", "<BOM>", StringComparison.Ordinal);

    private static string? FindOnPath(string program)
    {
        string[] names = OperatingSystem.IsWindows() ? [program + ".exe", program + ".cmd"] : [program];
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (string name in names)
            {
                string candidate = Path.Combine(dir, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private sealed record ProcessResult(int ExitCode, string StdOut, string StdErr);

    private static ProcessResult RunProcess(string fileName, string workingDirectory, IReadOnlyDictionary<string, string> environment, IEnumerable<string> arguments)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (string argument in arguments)
        {
            psi.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            psi.Environment[key] = value;
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {fileName}");
        process.StandardInput.Close();
        using var stdout = new MemoryStream();
        Task stdoutTask = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        Task<string> stderrTask = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', psi.ArgumentList)} timed out");
        }

        Task.WaitAll(stdoutTask, stderrTask);
        return new ProcessResult(process.ExitCode, Utf8NoBom.GetString(stdout.ToArray()), stderrTask.Result);
    }

    /// <summary>A fresh temporary git repository, isolated from user/system git configuration.</summary>
    private sealed class GitSandbox : IDisposable
    {
        private int _patchCounter;

        private GitSandbox(string root)
        {
            Root = root;
            RepoDir = Path.Combine(root, "repo");
            PatchDir = Path.Combine(root, "patches");
            Directory.CreateDirectory(RepoDir);
            Directory.CreateDirectory(PatchDir);
            string emptyConfig = Path.Combine(root, "empty.gitconfig");
            File.WriteAllBytes(emptyConfig, []);
            Environment = new Dictionary<string, string>
            {
                ["GIT_CONFIG_NOSYSTEM"] = "1",
                ["GIT_CONFIG_GLOBAL"] = emptyConfig,
                ["GIT_CEILING_DIRECTORIES"] = root,
                ["LC_ALL"] = "C",
                ["LANG"] = "C",
                ["LANGUAGE"] = "C",
            };
        }

        public string Root { get; }

        public string RepoDir { get; }

        public string PatchDir { get; }

        public IReadOnlyDictionary<string, string> Environment { get; }

        public static GitSandbox Create()
        {
            string root = Path.Combine(Path.GetTempPath(), "composefix-diff-" + Guid.NewGuid().ToString("N"));
            var sandbox = new GitSandbox(root);
            try
            {
                sandbox.Git(["init", "-q", "."], "git init");
            }
            catch
            {
                sandbox.Dispose();
                throw;
            }

            return sandbox;
        }

        public string FullPath(string relativePath) => Path.Combine(RepoDir, relativePath.Replace('/', Path.DirectorySeparatorChar));

        public void WriteFile(string relativePath, string text)
        {
            string full = FullPath(relativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllBytes(full, Utf8NoBom.GetBytes(text));
        }

        public string WritePatch(string diff)
        {
            string file = Path.Combine(PatchDir, (++_patchCounter).ToString(CultureInfo.InvariantCulture) + ".diff");
            File.WriteAllBytes(file, Utf8NoBom.GetBytes(diff));
            return file;
        }

        public ProcessResult Git(IEnumerable<string> arguments, string label)
        {
            string[] args = ["-c", "core.autocrlf=false", "-c", "core.safecrlf=false", "-c", "core.quotepath=true", .. arguments];
            ProcessResult result = RunProcess("git", RepoDir, Environment, args);
            Assert.True(result.ExitCode == 0, $"git {string.Join(' ', args)} failed ({result.ExitCode}) for {label}:\n{result.StdErr}\n{result.StdOut}");
            return result;
        }

        /// <summary>Runs <c>git apply -v</c> and insists it applied cleanly at the stated line numbers.</summary>
        public void GitApply(string diff, bool reverse, string label, params string[] extraArgs)
        {
            string patchFile = WritePatch(diff);
            List<string> args = ["apply", "-v", "--whitespace=nowarn", .. extraArgs];
            if (reverse)
            {
                args.Add("-R");
            }

            args.Add(patchFile);
            ProcessResult result = Git(args, label);
            Assert.True(
                result.StdErr.Contains("cleanly", StringComparison.Ordinal)
                && !result.StdErr.Contains("offset", StringComparison.Ordinal)
                && !result.StdErr.Contains("warning", StringComparison.OrdinalIgnoreCase)
                && !result.StdErr.Contains("error", StringComparison.OrdinalIgnoreCase),
                $"git apply{(reverse ? " -R" : string.Empty)} was not clean for {label}:\n{result.StdErr}");
        }

        public void ApplyAndAssert(string diff, string path, string expectedText, bool reverse, string label)
        {
            GitApply(diff, reverse, label);
            byte[] actual = File.ReadAllBytes(FullPath(path));
            byte[] expected = Utf8NoBom.GetBytes(expectedText);
            Assert.True(expected.AsSpan().SequenceEqual(actual), $"bytes differ after git apply{(reverse ? " -R" : string.Empty)} for {label}\nexpected: {Escape(expectedText)}\nactual:   {Escape(Utf8NoBom.GetString(actual))}");
        }

        /// <summary>old --apply--&gt; new --apply -R--&gt; old, byte for byte.</summary>
        public void AssertGitApplyRoundTrip(string path, string oldText, string newText, string diff, string label)
        {
            WriteFile(path, oldText);
            ApplyAndAssert(diff, path, newText, reverse: false, label);
            ApplyAndAssert(diff, path, oldText, reverse: true, label);
        }

        /// <summary><c>git diff</c> of the working tree against the index, without the "index" line and hunk-header function context.</summary>
        public string GitDiff(string path)
        {
            string output = Git(["diff", "--no-color", "--no-ext-diff", "--no-renames", "--diff-algorithm=myers", "-U3", "--src-prefix=a/", "--dst-prefix=b/", "--", path], path).StdOut;
            var sb = new StringBuilder(output.Length);
            bool inHeader = true;
            int start = 0;
            while (start < output.Length)
            {
                int newline = output.IndexOf('\n', start);
                int next = newline < 0 ? output.Length : newline + 1;
                string line = output[start..next];
                if (line.StartsWith("@@", StringComparison.Ordinal))
                {
                    inHeader = false;
                }

                if (!inHeader && line.StartsWith("@@ ", StringComparison.Ordinal))
                {
                    // Drop git's "function context" after the range, which UnifiedDiff does not emit.
                    sb.Append(line.AsSpan(0, line.IndexOf(" @@", 2, StringComparison.Ordinal) + 3)).Append('\n');
                }
                else if (!(inHeader && line.StartsWith("index ", StringComparison.Ordinal)))
                {
                    sb.Append(line);
                }

                start = next;
            }

            return sb.ToString();
        }

        public void Dispose()
        {
            if (!Directory.Exists(Root))
            {
                return;
            }

            try
            {
                foreach (string file in Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories))
                {
                    File.SetAttributes(file, FileAttributes.Normal); // git object files are read-only on Windows
                }

                Directory.Delete(Root, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a leftover temp directory must not fail the test.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    /// <summary>A small random text: lines with individual endings, optional BOM and final newline.</summary>
    private sealed class RandomDocument
    {
        private static readonly string[] Vocabulary =
        [
            "services:", "  web:", "    image: nginx:1.25", "    ports:", "      - \"80:80\"", string.Empty,
            "# comment", "x", "y", "x", "caf\u00e9 \u00fc", "\u65e5\u672c\u8a9e", "emoji \U0001F600", "tab\there",
            "trailing ", "cr\rinside", "\\ backslash", "-dash", "+plus", "@@ at", " space",
        ];

        private List<(string Text, string Ending)> _lines = [];
        private bool _finalNewline;
        private bool _bom;

        public static RandomDocument Create(Random rng)
        {
            var doc = new RandomDocument { _finalNewline = rng.Next(4) != 0, _bom = rng.Next(4) == 0 };
            int style = rng.Next(3); // 0 = LF, 1 = CRLF, 2 = mixed
            int count = rng.Next(0, 14);
            for (int i = 0; i < count; i++)
            {
                doc._lines.Add((Word(rng), style switch { 0 => "\n", 1 => "\r\n", _ => rng.Next(2) == 0 ? "\n" : "\r\n" }));
            }

            return doc;
        }

        public RandomDocument Clone() => new() { _lines = [.. _lines], _finalNewline = _finalNewline, _bom = _bom };

        public void ApplyRandomEdit(Random rng)
        {
            int op = rng.Next(8);
            if (_lines.Count == 0)
            {
                op = op == 6 ? 6 : 0;
            }

            switch (op)
            {
                case 0:
                case 1:
                    int at = rng.Next(_lines.Count + 1);
                    int n = rng.Next(1, 4);
                    for (int k = 0; k < n; k++)
                    {
                        _lines.Insert(at, (Word(rng), RandomEnding(rng)));
                    }

                    break;
                case 2:
                    int from = rng.Next(_lines.Count);
                    _lines.RemoveRange(from, Math.Min(rng.Next(1, 4), _lines.Count - from));
                    break;
                case 3:
                case 4:
                    int r = rng.Next(_lines.Count);
                    _lines[r] = (Word(rng), _lines[r].Ending);
                    break;
                case 5:
                    int e = rng.Next(_lines.Count);
                    _lines[e] = (_lines[e].Text, _lines[e].Ending == "\n" ? "\r\n" : "\n");
                    break;
                case 6:
                    _bom = !_bom;
                    break;
                default:
                    _finalNewline = !_finalNewline;
                    break;
            }
        }

        public string ToText()
        {
            var sb = new StringBuilder();
            if (_bom)
            {
                sb.Append('\uFEFF');
            }

            for (int i = 0; i < _lines.Count; i++)
            {
                sb.Append(_lines[i].Text);
                if (i < _lines.Count - 1 || _finalNewline)
                {
                    sb.Append(_lines[i].Ending);
                }
            }

            return sb.ToString();
        }

        private string RandomEnding(Random rng) =>
            _lines.Count > 0 && rng.Next(3) != 0 ? _lines[rng.Next(_lines.Count)].Ending : (rng.Next(2) == 0 ? "\n" : "\r\n");

        private static string Word(Random rng) => Vocabulary[rng.Next(Vocabulary.Length)];
    }
}

using System.Text;
using ComposeFix.Recipes;

namespace ComposeFix.Tests;

/// <summary>The built program, run as a process the way a user or a bot runs it.</summary>
public sealed class CliTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("composefix-cli-").FullName;

    private const string Vulnerable = "services:\n  web:\n    image: nginx:1.27\n    ports:\n      - \"8080:80\"\n    restart: always\n";

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void DryRunPrintsDiffAndWritesNothing()
    {
        Write("docker-compose.yml", Vulnerable);
        var r = Run("fix");
        Assert.Equal(0, r.Code);
        Assert.Contains("+      - \"127.0.0.1:8080:80\"", r.Out, StringComparison.Ordinal);
        Assert.StartsWith("diff --git a/docker-compose.yml b/docker-compose.yml\n", r.Out, StringComparison.Ordinal);
        Assert.Contains("1 unsafe fix was held back", r.Err, StringComparison.Ordinal);
        Assert.Equal(Vulnerable, File.ReadAllText(Path.Combine(dir, "docker-compose.yml")));
    }

    [Fact]
    public void CheckExitsOneWhenSomethingWouldChange()
    {
        Write("compose.yaml", Vulnerable);
        Assert.Equal(1, Run("fix", "--check").Code);
        Assert.Equal(0, Run("fix", "--check", "--skip", "bind-ports-localhost,read-only-rootfs,drop-capabilities,resource-limits,restart-on-failure,no-new-privileges").Code);
    }

    [Fact]
    public void UsageErrorsExitTwo()
    {
        Write("compose.yaml", Vulnerable);
        Assert.Equal(2, Run("fix", "--only", "no-such-recipe").Code);
        Assert.Equal(2, Run("fix", "--write", "--check").Code);
        Assert.Equal(2, Run("fix", "--bogus-option").Code);
        Assert.Equal(2, Run("explain", "no-such-recipe").Code);
    }

    [Fact]
    public void BadFileAmongGoodOnesIsReportedAndTheOthersAreStillFixed()
    {
        Write("a/compose.yaml", Vulnerable);
        Write("b/compose.yaml", "services:\n  web: [unclosed\n");
        Write("c/compose.yaml", Vulnerable);
        var r = Run("fix", "--write", "a/compose.yaml", "b/compose.yaml", "c/compose.yaml", "missing.yml");
        Assert.Equal(2, r.Code);
        Assert.Matches(@"b/compose\.yaml:\d+:\d+: error: ", r.Err);
        Assert.Contains("missing.yml:1:1: error: no such file or directory", r.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.Err, StringComparison.Ordinal); // no stack trace
        Assert.Equal("services:\n  web: [unclosed\n", File.ReadAllText(Path.Combine(dir, "b/compose.yaml")));
        Assert.Contains("127.0.0.1:8080:80", File.ReadAllText(Path.Combine(dir, "a/compose.yaml")), StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:8080:80", File.ReadAllText(Path.Combine(dir, "c/compose.yaml")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("lf")]
    [InlineData("crlf-bom-no-final-newline")]
    public void DiffAppliedWithGitApplyGivesTheWriteBytes(string variant)
    {
        string text = variant == "lf" ? Vulnerable : "\uFEFF" + Vulnerable.Replace("\n", "\r\n", StringComparison.Ordinal).TrimEnd('\r', '\n');
        byte[] original = Encoding.UTF8.GetBytes(text);
        File.WriteAllBytes(Path.Combine(dir, "docker-compose.yml"), original);
        var diff = Run("fix", "--dry-run", "--unsafe-fixes");
        Assert.Equal(0, diff.Code);
        File.WriteAllText(Path.Combine(dir, "fix.patch"), diff.Out, new UTF8Encoding(false));

        Assert.Equal(0, Run("fix", "--write", "--unsafe-fixes").Code);
        byte[] written = File.ReadAllBytes(Path.Combine(dir, "docker-compose.yml"));
        Assert.NotEqual(original, written);

        File.WriteAllBytes(Path.Combine(dir, "docker-compose.yml"), original);
        GitProcess.Run(dir, "init", "-q");
        GitProcess.Run(dir, "apply", "fix.patch");
        Assert.Equal(written, File.ReadAllBytes(Path.Combine(dir, "docker-compose.yml")));
    }

    [Fact]
    public void JsonEditsAppliedToTheOriginalGiveTheWriteBytes()
    {
        string text = "# c\r\nservices:\r\n  web: {image: nginx:1.27, ports: [\"80:80\"]}\r\n  db:\r\n    image: postgres:16  # é\r\n    restart: always";
        string path = Write("compose.yaml", text);
        var json = Run("fix", "--format", "json", "--unsafe-fixes");
        Assert.Equal(0, json.Code);
        using var doc = System.Text.Json.JsonDocument.Parse(json.Out);
        var file = doc.RootElement.GetProperty("files")[0];
        Assert.Equal("changed", file.GetProperty("status").GetString());
        var lines = new List<int> { 0 };
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                lines.Add(i + 1);
            }
        }

        int Offset(System.Text.Json.JsonElement p) => lines[p.GetProperty("line").GetInt32() - 1] + p.GetProperty("column").GetInt32() - 1;
        var edits = file.GetProperty("edits").EnumerateArray()
            .Select(e => new Editing.TextEdit(Offset(e.GetProperty("range").GetProperty("start")), Offset(e.GetProperty("range").GetProperty("end")), e.GetProperty("replacement").GetString()!))
            .ToList();
        string applied = Editing.TextEdit.Apply(text, edits);
        Assert.Equal(0, Run("fix", "--write", "--unsafe-fixes").Code);
        Assert.Equal(File.ReadAllText(path), applied);
        Assert.All(file.GetProperty("changes").EnumerateArray(), c => Assert.NotEqual(0, c.GetProperty("edits").GetArrayLength()));
    }

    [Fact]
    public void StdinFilterReturnsTheWriteResultAndTheInputOnErrors()
    {
        string text = "\uFEFFservices:\r\n  web:\r\n    image: nginx:1.27\r\n    ports: [\"80:80\"]";
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        var filtered = CliProcess.RunWithInput(dir, bytes, "fix", "--stdin", "--stdin-filename", "compose.yaml");
        Assert.Equal(0, filtered.Code);
        string path = Write("compose.yaml", "");
        File.WriteAllBytes(path, bytes);
        Assert.Equal(0, Run("fix", "--write").Code);
        Assert.Equal(File.ReadAllText(path), filtered.Out);

        string broken = "services:\n  web: {image: [unclosed\n";
        var failed = CliProcess.RunWithInput(dir, Encoding.UTF8.GetBytes(broken), "fix", "--stdin");
        Assert.Equal(2, failed.Code);
        Assert.Equal(broken, failed.Out);
        Assert.Matches(@"^stdin:\d+:\d+: error: ", failed.Err);
    }

    [Fact]
    public void WriteKeepsPermissionsAndIsIdempotent()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        string path = Write("docker-compose.yml", Vulnerable);
        var mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
        File.SetUnixFileMode(path, mode);
        Assert.Equal(0, Run("fix", "--write").Code);
        Assert.Equal(mode, File.GetUnixFileMode(path));
        byte[] once = File.ReadAllBytes(path);
        var again = Run("fix", "--write");
        Assert.Equal(0, again.Code);
        Assert.Equal(once, File.ReadAllBytes(path));
        Assert.Equal(0, Run("fix", "--check").Code);
        Assert.Empty(Directory.GetFiles(dir, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void WithEveryRecipeSkippedNothingChanges()
    {
        string path = Write("compose.yml", Vulnerable);
        string all = string.Join(",", RecipeRegistry.All.Select(r => r.Id));
        var r = Run("fix", "--write", "--unsafe-fixes", "--skip", all);
        Assert.Equal(0, r.Code);
        Assert.Equal("", r.Out);
        Assert.Equal(Vulnerable, File.ReadAllText(path));
    }

    [Fact]
    public void DirectoriesAreSearchedForComposeFileNames()
    {
        Write("compose.yaml", Vulnerable);
        Write("deploy/docker-compose.prod.yml", Vulnerable);
        Write("deploy/values.yml", Vulnerable);
        Write("node_modules/x/compose.yml", Vulnerable);
        Write("other/compose.override.yaml", Vulnerable);
        var r = Run("fix", ".", "--exclude", "other/**");
        Assert.Contains("a/compose.yaml", r.Out, StringComparison.Ordinal);
        Assert.Contains("a/deploy/docker-compose.prod.yml", r.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("values.yml", r.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("node_modules", r.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("override", r.Out, StringComparison.Ordinal);

        // A file named explicitly is always taken, whatever its name.
        Assert.Contains("a/deploy/values.yml", Run("fix", "deploy/values.yml").Out, StringComparison.Ordinal);
    }

    [Fact]
    public void RecipesListsImplementedRecipesInOrder()
    {
        var r = Run("recipes");
        Assert.Equal(0, r.Code);
        var ids = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')[0]).ToList();
        Assert.Equal(RecipeRegistry.Ids, ids);
        Assert.All(r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => Assert.Contains('\t', l));
    }

    [Fact]
    public void ExplainPrintsEverySection()
    {
        var r = Run("explain", "bind-ports-localhost");
        Assert.Equal(0, r.Code);
        foreach (var section in new[] { "## What it does", "## Why is this bad?", "## Example", "## Fix safety", "## Parameters", "## References" })
        {
            Assert.Contains(section, r.Out, StringComparison.Ordinal);
        }

        Assert.Contains("+      - \"127.0.0.1:8080:80\"", r.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData]
    [InlineData("fix")]
    [InlineData("pr")]
    [InlineData("recipes")]
    [InlineData("explain")]
    [InlineData("lsp")]
    public void HelpDescribesEveryCommandWithExamples(params string[] command)
    {
        var r = Run([.. command, "--help"]);
        Assert.Equal(0, r.Code);
        Assert.Contains("Usage:", r.Out, StringComparison.Ordinal);
        int examples = r.Out.IndexOf("\nExamples:\n", StringComparison.Ordinal);
        Assert.True(examples > 0, r.Out);
        string name = command.Length == 0 ? "composefix " : $"composefix {command[0]}";
        Assert.Contains("  " + name, r.Out[examples..], StringComparison.Ordinal);
    }

    [Fact]
    public void TheRootHelpListsEachCommandOnOneLine()
    {
        var r = Run("--help");
        string commands = r.Out[r.Out.IndexOf("Commands:", StringComparison.Ordinal)..r.Out.IndexOf("\nExit codes:", StringComparison.Ordinal)];
        Assert.Equal(["fix", "pr", "recipes", "explain", "lsp"], commands.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Trim().Split(' ')[0]));
    }

    private string Write(string relative, string content)
    {
        string path = Path.Combine(dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content, new UTF8Encoding(false));
        return path;
    }

    private (int Code, string Out, string Err) Run(params string[] args) => CliProcess.Run(dir, args);
}

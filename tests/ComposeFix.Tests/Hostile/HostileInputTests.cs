using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace ComposeFix.Tests.Hostile;

/// <summary>
/// Hostile and broken input through the real CLI, all in one `fix --write` run with a good file:
/// every bad file gets exactly one plain, positioned error line and stays byte-identical, the good
/// file is still fixed, and the whole run ends with exit code 2 in bounded time and memory.
/// </summary>
public sealed class HostileInputTests(HostileRun run) : IClassFixture<HostileRun>
{
    public static TheoryData<string> Kinds => [.. HostileInputs.All.Select(k => k.Name)];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EachHostileFileGetsOnePositionedErrorAndIsLeftAlone(string name)
    {
        var kind = HostileInputs.All.Single(k => k.Name == name);
        var lines = run.ErrLines.Where(l => l.StartsWith(kind.FileName + ":", StringComparison.Ordinal)).ToList();
        var line = Assert.Single(lines);
        string position = char.IsAsciiDigit(kind.Expected[0]) ? "" : @"\d+:\d+: ";
        Assert.Matches(new Regex("^" + Regex.Escape(kind.FileName) + ":" + position + "(?:" + kind.Expected + ")"), line);
        Assert.Matches(@"^[^:]+:\d+:\d+: error: \S", line);

        string path = Path.Combine(run.Folder, kind.FileName);
        if (run.HashesBefore.TryGetValue(name, out var before))
        {
            using var stream = File.OpenRead(path);
            Assert.Equal(Convert.ToHexString(before), Convert.ToHexString(SHA256.HashData(stream)));
        }
        else
        {
            Assert.False(File.Exists(path));
        }
    }

    [Fact]
    public void TheGoodFileIsFixedInTheSameRun()
    {
        string fixedText = File.ReadAllText(Path.Combine(run.Folder, "good.yml"));
        Assert.Contains("\"127.0.0.1:8080:80\"", fixedText, StringComparison.Ordinal);
        Assert.Contains($"composefix: {1 + run.HashesBefore.Count} files scanned, 1 changed", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void TheRunFailsCleanlyInBoundedTime()
    {
        Assert.Equal(2, run.Code);
        Assert.True(run.Elapsed < TimeSpan.FromSeconds(60), $"the run took {run.Elapsed}");
        Assert.DoesNotContain("   at ", run.Err, StringComparison.Ordinal); // no stack trace
        Assert.DoesNotContain("Exception", run.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("OutOfMemory", run.Err, StringComparison.Ordinal);
        Assert.Equal("", run.Out);
        Assert.Empty(Directory.GetFiles(run.Folder, "*.tmp", SearchOption.AllDirectories));
    }
}

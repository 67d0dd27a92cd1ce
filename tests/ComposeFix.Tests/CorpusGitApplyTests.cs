using System.Diagnostics;
using System.Text;
using ComposeFix.Engine;
using ComposeFix.Output;
using Xunit.Abstractions;

namespace ComposeFix.Tests;

/// <summary>
/// Over the whole dev corpus: the dry-run diff of every changed file, applied with `git apply`,
/// gives exactly the bytes `--write` would write; unchanged and failing files get no diff.
/// </summary>
public sealed class CorpusGitApplyTests(ITestOutputHelper output)
{
    [Fact]
    public void DiffsApplyToTheWriteBytes()
    {
        string? corpus = CorpusLocator.Dev();
        if (corpus is null)
        {
            output.WriteLine("../shared/corpus/dev not found: corpus git-apply test skipped");
            return;
        }

        string repo = Directory.CreateTempSubdirectory("composefix-apply-").FullName;
        try
        {
            var patch = new StringBuilder();
            var expected = new Dictionary<string, byte[]>();
            var engine = new FixEngine();
            foreach (var file in Directory.GetFiles(corpus, "*.yml").Order(StringComparer.Ordinal))
            {
                string name = Path.GetFileName(file);
                byte[] bytes = File.ReadAllBytes(file);
                File.WriteAllBytes(Path.Combine(repo, name), bytes);
                var result = engine.Run(name, bytes, new FixOptions { UnsafeFixes = true });
                Assert.True(result.Status != FileStatus.Error || result.Error!.Message.Length > 0, name);
                if (result.Status == FileStatus.Changed)
                {
                    // The composed edits on the original text give the same result as the passes did.
                    var edits = result.Edits.Select(e => new Editing.TextEdit(e.Start, e.End, e.Text)).ToList();
                    Assert.Equal(result.NewText, Editing.TextEdit.Apply(result.Source!.Text, edits));
                    Assert.All(result.Edits, e => Assert.NotEmpty(e.Fixes));

                    patch.Append(UnifiedDiff.Render(name, result.Source!.WithBom(result.Source.Text), result.Source.WithBom(result.NewText!)));
                    expected[name] = result.NewBytes!;
                }
                else
                {
                    expected[name] = bytes;
                }
            }

            File.WriteAllText(Path.Combine(repo, "all.patch"), patch.ToString(), new UTF8Encoding(false));
            GitProcess.Run(repo, "init", "-q");
            GitProcess.Run(repo, "-c", "core.autocrlf=false", "apply", "--whitespace=nowarn", "all.patch");
            foreach (var (name, bytes) in expected)
            {
                Assert.True(bytes.AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(repo, name))), $"{name}: git apply result differs from --write");
            }

            output.WriteLine($"{expected.Count} files, patch of {patch.Length} characters applied");
        }
        finally
        {
            Directory.Delete(repo, recursive: true);
        }
    }
}

/// <summary>Where ../shared is (see <see cref="SharedData"/>).</summary>
internal static class CorpusLocator
{
    public static string? Shared() => SharedData.Folder;

    public static string? Dev() => SharedData.CorpusFolder;
}

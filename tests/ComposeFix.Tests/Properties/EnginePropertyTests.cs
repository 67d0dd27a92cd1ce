using System.Text;
using ComposeFix.Compose;
using ComposeFix.Engine;
using ComposeFix.Text;
using CsCheck;

namespace ComposeFix.Tests.Properties;

/// <summary>
/// Properties of the whole engine over generated compose documents in random styles. CsCheck prints
/// the seed and the shrunk document on failure; rerun one with Sample(..., seed: "...").
/// </summary>
public sealed class EnginePropertyTests
{
    private const int Iterations = 250;

    private static readonly FixOptions Everything = new() { UnsafeFixes = true, NoSideFiles = true };

    private static readonly FixOptions Nothing = new() { Only = new HashSet<string>() };

    [Fact]
    public void LoadingWithoutEditsGivesTheSameBytes()
    {
        ComposeGenerators.Document.Sample(spec =>
        {
            byte[] bytes = Encoding.UTF8.GetBytes(ComposeRenderer.Render(spec));
            var source = SourceText.Decode(bytes);
            ComposeDocument.Load(source);
            Assert.Equal(bytes, source.Encode(source.Text));

            var result = new FixEngine().Run("compose.yaml", bytes, Nothing);
            Assert.Equal(FileStatus.Unchanged, result.Status);
            Assert.Equal(bytes, result.NewBytes);
        }, iter: Iterations, threads: 1);
    }

    [Fact]
    public void EveryRecipeGivesAVerifiedResultThatKeepsEveryComment()
    {
        ComposeGenerators.Document.Sample(spec =>
        {
            byte[] bytes = Encoding.UTF8.GetBytes(ComposeRenderer.Render(spec));
            var result = new FixEngine().Run("compose.yaml", bytes, Everything);
            Assert.True(result.Status != FileStatus.Error, $"{result.Error?.Message} at {result.Error?.Line}:{result.Error?.Column}");
            Assert.DoesNotContain(result.Findings, f => f.RecipeId == "composefix"); // e.g. did not settle within the pass limit

            var original = ComposeDocument.Load(SourceText.Decode(bytes));
            var fixedDoc = ComposeDocument.Load(SourceText.Decode(result.NewBytes!));
            var after = fixedDoc.File.Comments.Select(c => c.Text).ToList();
            var newLines = result.NewText!.Split('\n').Select(l => l.TrimEnd('\r')).ToHashSet(StringComparer.Ordinal);
            foreach (var comment in original.File.Comments)
            {
                // The one designed exception: a comment beside a key that a fix removed goes with its line
                // (`network_mode: host  # why` when host-namespaces removes the key). Its line must then be gone.
                bool lineRemoved = comment.IsInline && !newLines.Contains(LineOf(original.Text, comment.Start));
                Assert.True(lineRemoved || after.Remove(comment.Text), $"comment lost: {comment.Text}");
            }

            // The file's own facts survive: BOM, line endings, final newline.
            var source = SourceText.Decode(bytes);
            Assert.Equal(source.HasBom, result.NewBytes!.AsSpan().StartsWith(Encoding.UTF8.Preamble));
            Assert.Equal(source.EndsWithNewline, result.NewText!.EndsWith('\n'));
            bool crlf = source.NewLine == "\r\n";
            Assert.Equal(crlf, result.NewText.Contains("\r\n", StringComparison.Ordinal));
            Assert.Equal(crlf, !result.NewText.Replace("\r\n", "", StringComparison.Ordinal).Contains('\n', StringComparison.Ordinal));
        }, iter: Iterations, threads: 1);
    }

    private static string LineOf(string text, int index)
    {
        int start = text.LastIndexOf('\n', Math.Max(index - 1, 0)) + 1;
        int end = text.IndexOfAny(['\r', '\n'], index);
        return text[start..(end < 0 ? text.Length : end)];
    }

    [Fact]
    public void ASecondRunChangesNothing()
    {
        ComposeGenerators.Document.Sample(spec =>
        {
            byte[] bytes = Encoding.UTF8.GetBytes(ComposeRenderer.Render(spec));
            var engine = new FixEngine();
            var first = engine.Run("compose.yaml", bytes, Everything);
            Assert.True(first.Status != FileStatus.Error, first.Error?.Message);
            var second = engine.Run("compose.yaml", first.NewBytes!, Everything);
            Assert.True(second.Status == FileStatus.Unchanged, $"second run: {second.Status} {second.Error?.Message}\n{second.NewText}");
        }, iter: Iterations, threads: 1);
    }
}

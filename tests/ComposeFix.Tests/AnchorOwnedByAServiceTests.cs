using System.Text;
using ComposeFix.Engine;

namespace ComposeFix.Tests;

/// <summary>
/// Found by the property tests: a service that defines an anchor its neighbour aliases
/// (web: {ports: &amp;ports [...]}, db: {ports: *ports}) cannot get a private copy of that value
/// without taking the anchor away from the neighbour. The fix for it alone is held back with a
/// reason; before, the whole file failed verification.
/// </summary>
public sealed class AnchorOwnedByAServiceTests
{
    private const string Text = """
        services:
          web:
            image: nginx:1.27
            ports: &ports
              - "8080:80"
          db:
            image: example/app:1.0
            ports: *ports
            network_mode: host

        """;

    [Fact]
    public void TheOwnersFixIsHeldBackWithAReasonInsteadOfFailingTheFile()
    {
        var result = new FixEngine().Run("compose.yaml", Encoding.UTF8.GetBytes(Text), new FixOptions { Only = new HashSet<string> { "bind-ports-localhost" } });

        Assert.Null(result.Error);
        Assert.Equal(FileStatus.Unchanged, result.Status);
        Assert.Contains(result.Findings, f => f.RecipeId == "bind-ports-localhost" && f.Service == "web" && f.Note.Contains("anchor &ports", StringComparison.Ordinal));
    }

    [Fact]
    public void WhenEveryUserGetsTheSameChangeTheAnchorIsEditedInPlace()
    {
        string text = Text.Replace("    network_mode: host\n", "", StringComparison.Ordinal);
        var result = new FixEngine().Run("compose.yaml", Encoding.UTF8.GetBytes(text), new FixOptions { Only = new HashSet<string> { "bind-ports-localhost" } });

        Assert.Equal(FileStatus.Changed, result.Status);
        Assert.Equal(text.Replace("\"8080:80\"", "\"127.0.0.1:8080:80\"", StringComparison.Ordinal), result.NewText);
    }
}

using System.Text;
using ComposeFix.Config;
using ComposeFix.Engine;
using ComposeFix.Recipes;

namespace ComposeFix.Tests;

public sealed class ConfigAndSuppressionTests
{
    private const string Compose = """
        services:
          web:
            image: nginx:1.27
            ports:
              - "8080:80"
              - "8443:443"
          proxy:
            image: traefik:v3.4
            ports:
              - "443:443"
        """;

    private static FileResult Run(string compose, ProjectConfig? config = null, FixOptions? options = null) =>
        new FixEngine().Run("compose.yml", Encoding.UTF8.GetBytes(compose.ReplaceLineEndings("\n") + "\n"), new FixOptions
        {
            Only = options?.Only ?? new HashSet<string> { "bind-ports-localhost", "restart-on-failure", "stale-suppression" },
            Skip = options?.Skip ?? new HashSet<string>(),
            UnsafeFixes = options?.UnsafeFixes ?? false,
            Config = config,
        });

    private static ProjectConfig Parse(string yaml) => ProjectConfig.Parse(".composefix.yml", Encoding.UTF8.GetBytes(yaml.ReplaceLineEndings("\n")), RecipeCatalog.Default);

    [Fact]
    public void ServiceLineSuppressionSkipsTheWholeService()
    {
        var r = Run(Compose.Replace("  web:\n", "  web:  # composefix: ignore\n", StringComparison.Ordinal));
        Assert.DoesNotContain(r.Applied, f => f.Service == "web");
        Assert.Contains(r.Applied, f => f.Service == "proxy");
        Assert.Contains("web:  # composefix: ignore", r.NewText, StringComparison.Ordinal);
        Assert.DoesNotContain(r.Findings, f => f.RecipeId == "stale-suppression");
    }

    [Fact]
    public void RecipeListSuppressionSkipsOnlyThoseRecipes()
    {
        var r = Run(Compose.Replace("  web:\n", "  web:  # composefix: ignore[bind-ports-localhost]\n", StringComparison.Ordinal));
        Assert.DoesNotContain(r.Applied, f => f.Service == "web" && f.RecipeId == "bind-ports-localhost");
        Assert.Contains(r.Applied, f => f.Service == "web" && f.RecipeId == "restart-on-failure");
    }

    [Fact]
    public void ItemSuppressionSkipsOnlyThatItem()
    {
        var r = Run(Compose.Replace("- \"8443:443\"", "- \"8443:443\"  # composefix: ignore[bind-ports-localhost]", StringComparison.Ordinal));
        Assert.Contains("\"127.0.0.1:8080:80\"", r.NewText, StringComparison.Ordinal);
        Assert.Contains("- \"8443:443\"  # composefix: ignore[bind-ports-localhost]", r.NewText, StringComparison.Ordinal);
    }

    [Fact]
    public void KeySuppressionSkipsEverythingBelowTheKey()
    {
        var r = Run(Compose.Replace("    ports:\n      - \"8080:80\"", "    ports:  # composefix: ignore\n      - \"8080:80\"", StringComparison.Ordinal));
        Assert.Contains("- \"8080:80\"", r.NewText, StringComparison.Ordinal);
        Assert.Contains("- \"8443:443\"", r.NewText, StringComparison.Ordinal);
        Assert.Contains(r.Applied, f => f.Service == "web" && f.RecipeId == "restart-on-failure");
    }

    [Fact]
    public void StaleSuppressionsAreReported()
    {
        var r = Run(Compose.Replace("    image: nginx:1.27\n", "    image: nginx:1.27  # composefix: ignore[bind-ports-localhost]\n", StringComparison.Ordinal) + "\n# composefix: ignore\n");
        var stale = r.Findings.Where(f => f.RecipeId == "stale-suppression").ToList();
        Assert.Equal(2, stale.Count);
        Assert.Contains(stale, f => f.Line == 3 && f.Note.Contains("suppresses nothing", StringComparison.Ordinal));
    }

    [Fact]
    public void SuppressionNamingARecipeThatDidNotRunIsNotCalledStale()
    {
        var r = Run(Compose.Replace("  web:\n", "  web:  # composefix: ignore[split-networks]\n", StringComparison.Ordinal));
        Assert.DoesNotContain(r.Findings, f => f.RecipeId == "stale-suppression");
    }

    [Fact]
    public void ConfigDisablesRecipesSkipsServicesAndKeepsPortsPublic()
    {
        var config = Parse("""
            disable: [restart-on-failure]
            services:
              proxy:
                skip: [all]
            keep-public: ["web:8443"]
            """);
        var r = Run(Compose, config);
        Assert.DoesNotContain(r.Applied, f => f.RecipeId == "restart-on-failure");
        Assert.DoesNotContain(r.Applied, f => f.Service == "proxy");
        Assert.Contains("\"127.0.0.1:8080:80\"", r.NewText, StringComparison.Ordinal);
        Assert.Contains("- \"8443:443\"", r.NewText, StringComparison.Ordinal);
    }

    [Fact]
    public void CommandLineWinsOverConfig()
    {
        var config = Parse("enable: [restart-on-failure]\nunsafe-fixes: false\n");
        var r = Run(Compose, config, new FixOptions { Only = new HashSet<string> { "bind-ports-localhost" } });
        Assert.All(r.Applied, f => Assert.Equal("bind-ports-localhost", f.RecipeId));
        Assert.NotEmpty(r.Applied);
    }

    [Fact]
    public void ConfigUnsafeFixesAndParameters()
    {
        var config = Parse("unsafe-fixes: true\nparameters:\n  restart-on-failure:\n    max_retries: 3\n");
        var r = Run(Compose.Replace("    image: nginx:1.27\n", "    image: nginx:1.27\n    restart: always\n", StringComparison.Ordinal), config);
        Assert.Contains("restart: on-failure:3", r.NewText, StringComparison.Ordinal);
        Assert.Empty(r.HeldBack);
    }

    [Theory]
    [InlineData("bogus: 1\n", 1, 1, "unknown key 'bogus'")]
    [InlineData("disable: [no-such-recipe]\n", 1, 11, "unknown recipe id 'no-such-recipe'")]
    [InlineData("parameters:\n  resource-limits:\n    memroy: 1g\n", 3, 5, "has no parameter 'memroy'")]
    [InlineData("parameters:\n  restart-on-failure:\n    max_retries: many\n", 3, 18, "must be a whole number")]
    [InlineData("unsafe-fixes: maybe\n", 1, 15, "must be true or false")]
    [InlineData("services:\n  web:\n    skipp: [all]\n", 3, 5, "unknown key 'skipp'")]
    [InlineData("enable: [a\n", 1, 9, "unclosed '['")]
    public void InvalidConfigNamesTheKeyAndPosition(string yaml, int line, int column, string message)
    {
        var ex = Assert.Throws<ConfigException>(() => Parse(yaml));
        Assert.StartsWith($".composefix.yml:{line}:{column}: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CliFindsConfigUpToTheRepositoryRootAndRejectsInvalidOnes()
    {
        string dir = Directory.CreateTempSubdirectory("composefix-config-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(dir, ".git"));
            Directory.CreateDirectory(Path.Combine(dir, "deploy"));
            File.WriteAllText(Path.Combine(dir, "deploy", "compose.yaml"), Compose.ReplaceLineEndings("\n") + "\n");
            File.WriteAllText(Path.Combine(dir, ".composefix.yml"), "disable: [bind-ports-localhost]\n");
            var r = CliProcess.Run(dir, "fix", "deploy");
            Assert.Equal(0, r.Code);
            Assert.DoesNotContain("127.0.0.1", r.Out, StringComparison.Ordinal);
            Assert.Contains("restart: on-failure:5", r.Out, StringComparison.Ordinal);

            File.WriteAllText(Path.Combine(dir, ".composefix.yml"), "disable: [nope]\n");
            r = CliProcess.Run(dir, "fix", "deploy");
            Assert.Equal(2, r.Code);
            Assert.Contains("unknown recipe id 'nope'", r.Err, StringComparison.Ordinal);
            Assert.Contains(".composefix.yml:1:11", r.Err, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}

using System.Diagnostics;
using System.Text;
using ComposeFix.Engine;
using ComposeFix.Recipes;

namespace ComposeFix.Tests;

/// <summary>
/// secrets-from-env beyond the compose text (which the snapshots cover): the files it writes next to
/// the compose file — the secret values and the .gitignore — with a real folder as the context.
/// </summary>
public sealed class SecretsFromEnvTests : IDisposable
{
    private const string Id = "secrets-from-env";

    private const string Postgres = "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: s3cret\n";

    private readonly string dir = Directory.CreateTempSubdirectory("composefix-secrets-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void OneSecretWritesItsValueWithMode600AndOneGitIgnoreLine()
    {
        var result = Run(Postgres);

        Assert.Equal(FileStatus.Changed, result.Status);
        Assert.Equal(
            [
                new FileChange("secrets/db_postgres_password", "s3cret", Append: false, Mode: "600", Sensitive: true),
                new FileChange(".gitignore", "secrets/db_postgres_password\n", Append: true, Mode: "644", Sensitive: false),
            ],
            result.Files);
        Assert.Contains("POSTGRES_PASSWORD_FILE: /run/secrets/db_postgres_password", result.NewText, StringComparison.Ordinal);
    }

    [Fact]
    public void TheValueIsWhatTheContainerSaw()
    {
        string compose = "services:\n  app:\n    image: example/app:1\n    environment:\n"
            + "      - DB_PASSWORD=pa$$word\n"
            + "      - SINGLE_SECRET='quoted'\n"
            + "    command: [\"run\"]\n"
            + "  key:\n    image: example/app:1\n    environment:\n"
            + "      SSH_PRIVATE_KEY: |\n        -----BEGIN KEY-----\n        abc\n        -----END KEY-----\n"
            + "      QUOTED_TOKEN: 'it''s'\n";

        var files = Run(compose, unsafeFixes: true).Files.Where(f => f.Sensitive).ToDictionary(f => f.RelativePath, f => f.Content);

        Assert.Equal("pa$word", files["secrets/app_db_password"]); // $$ is Compose's escape for $
        Assert.Equal("'quoted'", files["secrets/app_single_secret"]); // list form: the quotes are part of the value
        Assert.Equal("-----BEGIN KEY-----\nabc\n-----END KEY-----\n", files["secrets/key_ssh_private_key"]); // a literal block keeps its newline, no other is added
        Assert.Equal("it's", files["secrets/key_quoted_token"]);
    }

    [Fact]
    public void EachSecretIsOneFixThatAppendsItsOwnGitIgnoreLine()
    {
        string compose = "services:\n  db:\n    image: mysql:8\n    environment:\n      MYSQL_ROOT_PASSWORD: a1\n      MYSQL_PASSWORD: b2\n"
            + "  app:\n    image: example/app:1\n    environment:\n      API_TOKEN: c3\n      PORT: \"80\"\n";

        var result = Run(compose, unsafeFixes: true);

        // One fix per secret, so that a held-back fix writes nothing; the CLI joins the appends into one change.
        Assert.Equal(3, result.Applied.Count);
        Assert.All(result.Applied, f => Assert.Single(f.Files, c => c.RelativePath == ".gitignore"));
        Assert.All(result.Files.Where(f => f.RelativePath == ".gitignore"), f => Assert.True(f.Append));
        Assert.Equal(
            ["secrets/app_api_token", "secrets/db_mysql_password", "secrets/db_mysql_root_password"],
            string.Concat(result.Files.Where(f => f.RelativePath == ".gitignore").Select(f => f.Content)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
        Assert.Equal(3, result.Files.Count(f => f.Sensitive && f.Mode == "600"));

        var safeOnly = Run(compose);
        Assert.Equal(["secrets/db_mysql_root_password\n", "secrets/db_mysql_password\n"], safeOnly.Files.Where(f => f.RelativePath == ".gitignore").Select(f => f.Content));
        Assert.DoesNotContain(safeOnly.Files, f => f.RelativePath == "secrets/app_api_token");
    }

    [Fact]
    public void AGitIgnoreWithoutFinalNewlineGetsOneFirst()
    {
        File.WriteAllText(Path.Combine(dir, ".gitignore"), "node_modules");

        var ignore = Assert.Single(Run(Postgres).Files, f => f.RelativePath == ".gitignore");

        Assert.Equal("\nsecrets/db_postgres_password\n", ignore.Content);
    }

    [Fact]
    public void AGitIgnoreWithCrlfLinesGetsCrlfLines()
    {
        File.WriteAllText(Path.Combine(dir, ".gitignore"), "node_modules\r\n*.log");

        var ignore = Assert.Single(Run(Postgres).Files, f => f.RelativePath == ".gitignore");

        Assert.Equal("\r\nsecrets/db_postgres_password\r\n", ignore.Content);
    }

    [Theory]
    [InlineData("node_modules\nsecrets/db_postgres_password\n")]
    [InlineData("/secrets/db_postgres_password\n")]
    [InlineData("secrets/\n")]
    [InlineData("/secrets\r\n")]
    public void AnIgnoredSecretFileIsNotAddedAgain(string gitignore)
    {
        File.WriteAllText(Path.Combine(dir, ".gitignore"), gitignore);

        var result = Run(Postgres);

        Assert.Equal(FileStatus.Changed, result.Status);
        Assert.DoesNotContain(result.Files, f => f.RelativePath == ".gitignore");
    }

    [Fact]
    public void AnExistingSecretFileWithTheSameValueIsReused()
    {
        Directory.CreateDirectory(Path.Combine(dir, "secrets"));
        File.WriteAllText(Path.Combine(dir, "secrets", "db_postgres_password"), "s3cret");

        var result = Run(Postgres);

        Assert.Contains("/run/secrets/db_postgres_password\n", result.NewText, StringComparison.Ordinal);
        Assert.Equal([new FileChange(".gitignore", "secrets/db_postgres_password\n", true, "644", false)], result.Files);
        Assert.Contains("already holds the same value", Assert.Single(result.Applied).Note, StringComparison.Ordinal);
    }

    [Fact]
    public void AnExistingSecretFileWithAnotherValueIsNeverOverwritten()
    {
        Directory.CreateDirectory(Path.Combine(dir, "secrets"));
        File.WriteAllText(Path.Combine(dir, "secrets", "db_postgres_password"), "other");
        File.WriteAllText(Path.Combine(dir, "secrets", "db_postgres_password_2"), "also other\n");

        var result = Run(Postgres);

        Assert.Contains("POSTGRES_PASSWORD_FILE: /run/secrets/db_postgres_password_3\n", result.NewText, StringComparison.Ordinal);
        Assert.Contains("  db_postgres_password_3:\n    file: ./secrets/db_postgres_password_3\n", result.NewText, StringComparison.Ordinal);
        Assert.Equal(
            [
                new FileChange("secrets/db_postgres_password_3", "s3cret", false, "600", true),
                new FileChange(".gitignore", "secrets/db_postgres_password_3\n", true, "644", false),
            ],
            result.Files);
    }

    [Fact]
    public void WithoutADirectoryTheFilesAreStillProposed()
    {
        var result = Engine().Run("stdin.yml", Encoding.UTF8.GetBytes(Postgres), Options(false), directory: null);

        Assert.Equal(2, result.Files.Count());
        Assert.Equal("secrets/db_postgres_password\n", result.Files.Single(f => f.RelativePath == ".gitignore").Content);
    }

    [Fact]
    public void SafeFixesComeFirstAndCarryTheGitIgnoreNewline()
    {
        // An existing top-level secrets: block lets each service get its own fix.
        File.WriteAllText(Path.Combine(dir, ".gitignore"), "*.log");
        string compose = "services:\n  app:\n    image: example/app:1\n    environment:\n      API_TOKEN: t0k\n"
            + "  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: s3cret\n"
            + "secrets:\n  ca:\n    file: ./ca.pem\n";

        var safeOnly = Run(compose);
        Assert.Equal(["db"], safeOnly.Applied.Select(f => f.Service));
        Assert.Equal(["app"], safeOnly.HeldBack.Select(f => f.Service));
        Assert.Equal("\nsecrets/db_postgres_password\n", safeOnly.Files.Single(f => f.RelativePath == ".gitignore").Content);

        var all = Run(compose, unsafeFixes: true);
        Assert.Equal(["db", "app"], all.Applied.Select(f => f.Service));
        Assert.Equal(["\nsecrets/db_postgres_password\n", "secrets/app_api_token\n"], all.Files.Where(f => f.RelativePath == ".gitignore").Select(f => f.Content));
    }

    [Fact]
    public void ValuesNeverAppearInNotesOrFindings()
    {
        string compose = "x-old: &old\n  OLD_PASSWORD: leftover-value-1\n"
            + "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: value-pg-2\n"
            + "  app:\n    build: .\n    environment:\n      - DATABASE_URL=postgres://u:value-url-3@db/app\n"
            + "  rabbit:\n    image: rabbitmq:3.13\n    environment:\n      RABBITMQ_DEFAULT_PASS: value-rabbit-4\n"
            + "  check:\n    image: mysql:8\n    environment:\n      MYSQL_ROOT_PASSWORD: value-mysql-5\n"
            + "    healthcheck:\n      test: mysqladmin ping -p$$MYSQL_ROOT_PASSWORD\n";

        var result = Run(compose, unsafeFixes: true);

        var texts = result.Applied.Concat(result.HeldBack).Select(f => f.Note).Concat(result.Findings.Select(f => f.Note)).ToList();
        Assert.Equal(3, result.Findings.Count);
        Assert.NotEmpty(result.Applied);
        foreach (var value in new[] { "leftover-value-1", "value-pg-2", "value-url-3", "value-rabbit-4", "value-mysql-5" })
        {
            Assert.All(texts, t => Assert.DoesNotContain(value, t, StringComparison.Ordinal));
        }

        Assert.All(result.Applied, f => Assert.Contains("rotate", f.Note, StringComparison.Ordinal));
        Assert.All(result.Findings, f => Assert.Contains("rotate", f.Note, StringComparison.Ordinal));
    }

    private FileResult Run(string compose, bool unsafeFixes = false)
    {
        string path = Path.Combine(dir, "compose.yml");
        File.WriteAllText(path, compose);
        return Engine().Run("compose.yml", Encoding.UTF8.GetBytes(compose), Options(unsafeFixes), dir);
    }

    // The recipe alone, whatever the registry holds.
    private static FixEngine Engine() => new(null, [new SecretsFromEnv()]);

    private static FixOptions Options(bool unsafeFixes) => new() { Only = new HashSet<string> { Id }, UnsafeFixes = unsafeFixes };
}

/// <summary>secrets-from-env through the built program: --write and the dry-run diff with its side files.</summary>
public sealed class SecretsFromEnvCliTests : IDisposable
{
    private const string Compose = "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: pa$$word\n"
        + "  app:\n    image: example/app:1\n    environment:\n      - API_TOKEN=t0k3n\n      - LOG_LEVEL=info\n";

    private readonly string root = Directory.CreateTempSubdirectory("composefix-secrets-cli-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void WriteCreatesTheSecretFileWithMode600AndTheGitIgnoreLine()
    {
        string dir = Folder("write", Compose, gitignore: null);

        var r = CliProcess.Run(dir, "fix", "--write", "--only", "secrets-from-env", "--unsafe-fixes");

        Assert.Equal(0, r.Code);
        string secret = Path.Combine(dir, "secrets", "db_postgres_password");
        Assert.Equal("pa$word", File.ReadAllText(secret));
        Assert.Equal("t0k3n", File.ReadAllText(Path.Combine(dir, "secrets", "app_api_token")));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(secret));
        }

        Assert.Equal(["secrets/app_api_token", "secrets/db_postgres_password"], File.ReadAllLines(Path.Combine(dir, ".gitignore")).Order(StringComparer.Ordinal));
        string written = File.ReadAllText(Path.Combine(dir, "compose.yml"));
        Assert.Contains("POSTGRES_PASSWORD_FILE: /run/secrets/db_postgres_password", written, StringComparison.Ordinal);
        Assert.DoesNotContain("pa$$word", written, StringComparison.Ordinal);
        Assert.DoesNotContain("t0k3n", r.Err, StringComparison.Ordinal);

        // A second run finds nothing to do and leaves the files alone.
        Assert.Equal(0, CliProcess.Run(dir, "fix", "--check", "--only", "secrets-from-env", "--unsafe-fixes").Code);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("node_modules")]
    [InlineData("node_modules\nsecrets/app_api_token\n")]
    public void TheDryRunDiffAppliedWithGitApplyGivesWhatWriteWrites(string? gitignore)
    {
        string written = Folder("write", Compose, gitignore);
        string patched = Folder("patch", Compose, gitignore);

        Assert.Equal(0, CliProcess.Run(written, "fix", "--write", "--only", "secrets-from-env", "--unsafe-fixes").Code);
        var diff = CliProcess.Run(patched, "fix", "--dry-run", "--only", "secrets-from-env", "--unsafe-fixes");
        Assert.Equal(0, diff.Code);
        Assert.Contains("new file mode 100600", diff.Out, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(root, "fix.patch"), diff.Out, new UTF8Encoding(false));
        GitProcess.Run(patched, "init", "-q");
        GitProcess.Run(patched, "apply", Path.Combine(root, "fix.patch"));

        foreach (var file in new[] { "compose.yml", ".gitignore", "secrets/db_postgres_password", "secrets/app_api_token" })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(written, file)), File.ReadAllBytes(Path.Combine(patched, file)));
        }
    }

    private string Folder(string name, string compose, string? gitignore)
    {
        string dir = Path.Combine(root, name);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "compose.yml"), compose, new UTF8Encoding(false));
        if (gitignore is not null)
        {
            File.WriteAllText(Path.Combine(dir, ".gitignore"), gitignore, new UTF8Encoding(false));
        }

        return dir;
    }
}

/// <summary>The name patterns of secrets-from-env: shell-style globs, case-insensitive, whole names.</summary>
public class SecretNameGlobTests
{
    [Theory]
    [InlineData("*PASSWORD*", "DB_PASSWORD", true)]
    [InlineData("*PASSWORD*", "db_password_file", true)]
    [InlineData("*PASSWORD*", "PASSWD", false)]
    [InlineData("*_KEY", "API_KEY", true)]
    [InlineData("*_KEY", "API_KEY_ID", false)]
    [InlineData("TOKEN", "token", true)]
    [InlineData("TOKEN", "TOKENS", false)]
    [InlineData("?_SECRET", "A_SECRET", true)]
    [InlineData("?_SECRET", "AB_SECRET", false)]
    [InlineData("*", "", true)]
    [InlineData("", "", true)]
    [InlineData("", "A", false)]
    [InlineData("a*b*c", "aXXbYYc", true)]
    [InlineData("a*b*c", "aXXbYY", false)]
    [InlineData("*.*", "a.b", true)]
    [InlineData("[x]", "[x]", true)]
    public void Matches_like_a_shell_glob(string pattern, string name, bool expected) =>
        Assert.Equal(expected, ComposeFix.Recipes.SecretsFromEnv.Glob(pattern, name));
}

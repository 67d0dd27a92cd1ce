using Xunit.Abstractions;

namespace ComposeFix.Tests;

/// <summary>
/// Locates the shared data folder (<c>&lt;repo&gt;/../shared</c>, or the <c>COMPOSEFIX_SHARED</c>
/// environment variable) that holds the Compose corpus, the YAML test suite and the Compose schema.
/// The folder is not part of the repository: when it is missing, every data-driven test built on it
/// yields the single case <see cref="Missing"/>, which passes after writing <see cref="SkipMessage"/>
/// (xunit 2.9.3 has no dynamic skip). The project's own fixtures never depend on it.
/// </summary>
internal static class SharedData
{
    /// <summary>The one theory case produced when the shared folder cannot be found.</summary>
    public const string Missing = "(shared data missing)";

    public const string SkipMessage = "../shared not found: corpus tests skipped";

    private static readonly Lazy<string?> Root = new(Locate);

    /// <summary>The shared folder, or null when it cannot be found.</summary>
    public static string? Folder => Root.Value;

    public static string? CorpusFolder => Sub("corpus", "dev");

    public static string? YamlTestSuiteFolder => Sub("yaml-test-suite");

    public static string? ComposeSchemaPath => Folder is { } f && File.Exists(Path.Combine(f, "schema", "compose-spec.json")) ? Path.Combine(f, "schema", "compose-spec.json") : null;

    /// <summary>
    /// True (after writing the skip message) when a theory received the <see cref="Missing"/> case;
    /// the test then returns and passes.
    /// </summary>
    public static bool SkipIfMissing(string caseName, ITestOutputHelper output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (caseName != Missing)
        {
            return false;
        }

        output.WriteLine(SkipMessage);
        return true;
    }

    /// <summary>Theory data: one row per name, or the single <see cref="Missing"/> row when there are none.</summary>
    public static TheoryData<string> Rows(IEnumerable<string>? names)
    {
        var data = new TheoryData<string>();
        foreach (var name in names ?? [])
        {
            data.Add(name);
        }

        if (data.Count == 0)
        {
            data.Add(Missing);
        }

        return data;
    }

    private static string? Sub(params string[] parts)
    {
        if (Folder is not { } f)
        {
            return null;
        }

        string path = Path.Combine([f, .. parts]);
        return Directory.Exists(path) ? path : null;
    }

    private static string? Locate()
    {
        string? fromEnv = Environment.GetEnvironmentVariable("COMPOSEFIX_SHARED");
        if (!string.IsNullOrWhiteSpace(fromEnv))
        {
            return Directory.Exists(fromEnv) ? Path.GetFullPath(fromEnv) : null;
        }

        // Walk up from the test binaries to the repository root (the folder with ComposeFix.sln or .git),
        // then look for its sibling "shared".
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            bool isRepoRoot = File.Exists(Path.Combine(dir.FullName, "ComposeFix.sln")) || Directory.Exists(Path.Combine(dir.FullName, ".git"));
            if (!isRepoRoot)
            {
                continue;
            }

            if (dir.Parent is { } parent && Directory.Exists(Path.Combine(parent.FullName, "shared")))
            {
                return Path.Combine(parent.FullName, "shared");
            }

            return null;
        }

        return null;
    }
}

using System.Text;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace ComposeFix.Tests;

/// <summary>
/// The editor's fix-all, applied to the document by the test, gives exactly what `composefix fix
/// --write` writes: every snapshot case and a sample of the shared corpus, each as compose.yml in
/// its own folder (with `.composefix.yml: unsafe-fixes: true` where the case runs with
/// --unsafe-fixes). Where `fix --write` also writes side files (moved secrets), which the server
/// leaves out by design, the reference is the stdin filter, which holds the same fixes back.
/// </summary>
public sealed class LspFixAllTests(LspFixAllTests.Fixture fixture, ITestOutputHelper output) : IClassFixture<LspFixAllTests.Fixture>
{
    public static TheoryData<string> SnapshotCases() => SharedDataRows(Fixture.SnapshotCases().Select(c => c.Name));

    public static TheoryData<string> CorpusCases() => SharedData.Rows(Fixture.CorpusCases().Select(c => c.Name));

    [Theory]
    [MemberData(nameof(SnapshotCases))]
    public void SnapshotFixAllEqualsFixWrite(string name) => Check(name);

    [Theory]
    [MemberData(nameof(CorpusCases))]
    public void CorpusFixAllEqualsFixWrite(string name)
    {
        if (SharedData.SkipIfMissing(name, output))
        {
            return;
        }

        Check(name);
    }

    private void Check(string name)
    {
        var (path, expected) = fixture.Expected(name);
        string original = Fixture.ReadAsEditor(path);
        string uri = new Uri(path).AbsoluteUri;
        var client = fixture.Client;
        client.Open(uri, original);
        try
        {
            var diagnostics = client.Diagnostics(uri, 1);
            var actions = client.CodeActions(uri, 0, 0, 0, 0, "source.fixAll");
            string actual = actions.Count == 0 ? original : LspEdits.Apply(original, Assert.Single(actions)!["edit"]!, uri);
            Assert.Equal(expected, actual);
            if (actual != original)
            {
                Assert.NotEmpty(diagnostics);
            }
        }
        finally
        {
            client.Notify("textDocument/didClose", new JsonObject { ["textDocument"] = new JsonObject { ["uri"] = uri } });
        }
    }

    private static TheoryData<string> SharedDataRows(IEnumerable<string> names)
    {
        var data = new TheoryData<string>();
        foreach (var n in names)
        {
            data.Add(n);
        }

        return data;
    }

    /// <summary>The cases laid out on disk, the `fix --write` reference computed in one run, and one server for all.</summary>
    public sealed class Fixture : IDisposable
    {
        private readonly string root = Directory.CreateTempSubdirectory("composefix-lsp-fixall-").FullName;
        private readonly Dictionary<string, (string Path, string Expected)> cases = new(StringComparer.Ordinal);

        public Fixture()
        {
            string work = Path.Combine(root, "work");
            string reference = Path.Combine(root, "reference");
            foreach (var (name, source, unsafeFixes) in SnapshotCases().Concat(CorpusCases()))
            {
                foreach (var top in new[] { work, reference })
                {
                    string folder = Path.Combine(top, name);
                    Directory.CreateDirectory(folder);
                    File.Copy(source, Path.Combine(folder, "compose.yml"));
                    if (unsafeFixes)
                    {
                        File.WriteAllText(Path.Combine(folder, ".composefix.yml"), "unsafe-fixes: true\n");
                    }
                }
            }

            CliProcess.Run(reference, "fix", "--write", ".");
            foreach (var (name, _, _) in SnapshotCases().Concat(CorpusCases()))
            {
                string path = Path.Combine(work, name, "compose.yml");
                string folder = Path.Combine(reference, name);
                bool sideFiles = Directory.EnumerateFileSystemEntries(folder).Any(f => Path.GetFileName(f) is not "compose.yml" and not ".composefix.yml");
                string expected = sideFiles
                    ? StripBom(CliProcess.RunWithInput(Path.Combine(work, name), File.ReadAllBytes(path), "fix", "--stdin", "--stdin-filename", "compose.yml").Out)
                    : ReadAsEditor(Path.Combine(folder, "compose.yml"));
                cases[name] = (path, expected);
            }

            Client = LspClient.Started();
        }

        public LspClient Client { get; }

        public static IEnumerable<(string Name, string Source, bool UnsafeFixes)> SnapshotCases() =>
            Directory.EnumerateFiles(RepoPaths.Snapshots, "*.before.yml", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(f =>
            {
                string caseName = Path.GetFileName(f)[..^".before.yml".Length];
                string args = Path.Combine(Path.GetDirectoryName(f)!, caseName + ".args");
                bool unsafeFixes = File.Exists(args) && File.ReadAllText(args).Contains("--unsafe-fixes", StringComparison.Ordinal);
                return ($"snapshot-{Path.GetFileName(Path.GetDirectoryName(f))}-{caseName}", f, unsafeFixes);
            });

        /// <summary>Every 20th corpus file: enough variety, a bounded run time.</summary>
        public static IEnumerable<(string Name, string Source, bool UnsafeFixes)> CorpusCases() =>
            SharedData.CorpusFolder is { } corpus
                ? Directory.EnumerateFiles(corpus).Order(StringComparer.Ordinal).Where((_, i) => i % 20 == 0).Select(f => ($"corpus-{Path.GetFileNameWithoutExtension(f)}", f, false))
                : [];

        /// <summary>A file's text as an editor holds it: decoded UTF-8, without the BOM.</summary>
        public static string ReadAsEditor(string path) => StripBom(new UTF8Encoding(false).GetString(File.ReadAllBytes(path)));

        public (string Path, string Expected) Expected(string name) => cases[name];

        public void Dispose()
        {
            Client.Dispose();
            Directory.Delete(root, recursive: true);
        }

        private static string StripBom(string text) => text.StartsWith('\uFEFF') ? text[1..] : text;
    }
}

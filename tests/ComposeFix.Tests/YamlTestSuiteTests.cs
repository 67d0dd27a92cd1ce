using ComposeFix.Text;
using ComposeFix.Yaml;
using Xunit.Abstractions;

namespace ComposeFix.Tests;

/// <summary>
/// Runs the YAML layer over every case of the yaml-test-suite (<c>../shared/yaml-test-suite</c>),
/// one test per case folder or numbered sub-case: valid cases must load, round-trip byte for byte
/// and give sane spans on every node; invalid cases (an <c>error</c> file) must either be refused
/// with a positioned <see cref="InputException"/> or be accepted (YamlDotNet is lenient on some),
/// never fail with another exception type.
/// </summary>
public sealed class YamlTestSuiteTests(ITestOutputHelper output)
{
    /// <summary>
    /// Valid cases the YAML layer does not handle yet, with the reason. Each one was reported; the tests
    /// check that the gap is still there, so a fix makes them fail with "remove it from KnownLoaderGaps".
    /// </summary>
    private static readonly Dictionary<string, string> KnownLoaderGaps = new(StringComparer.Ordinal)
    {
        // YamlDotNet 18.1.0's own Parser throws on these valid inputs (checked with a bare Parser, comments on and off),
        // so YamlLoader cannot load them without another parser.
        ["4MUZ/02"] = "YamlDotNet: flow mapping with the ':' on the line after the key ({foo\n: bar})",
        ["VJP3/01"] = "YamlDotNet: flow mapping key and ':' on separate lines inside a block mapping",
        ["UKK6/00"] = "YamlDotNet: '- :' (a sequence entry holding a mapping with an empty key)",
        ["JEF9/01"] = "YamlDotNet: '|+' literal whose only line is spaces",
        ["DK95/04"] = "YamlDotNet: a line holding only a tab between two block mapping entries",
    };

    private static readonly Lazy<IReadOnlyList<string>> AllCases = new(FindCases);

    public static TheoryData<string> ValidCases => SharedData.Rows(AllCases.Value.Where(c => !IsInvalid(c)));

    public static TheoryData<string> InvalidCases => SharedData.Rows(AllCases.Value.Where(IsInvalid));

    [Theory]
    [MemberData(nameof(ValidCases))]
    public void ValidCase_LoadsAndRoundTrips(string id)
    {
        if (SharedData.SkipIfMissing(id, output))
        {
            return;
        }

        byte[] bytes = ReadInput(id);
        var source = SourceText.Decode(bytes);
        Assert.Equal(bytes, source.Encode(source.Text));
        YFile file;
        try
        {
            file = YamlLoader.Load(source);
        }
        catch (InputException ex) when (KnownLoaderGaps.TryGetValue(id, out var gap))
        {
            output.WriteLine($"known loader gap: {gap}: {ex.Message} (line {ex.Line}, column {ex.Column})");
            Assert.True(ex.Line >= 1 && ex.Column >= 1 && ex.Message.Length > 0, "even a known gap must be refused with a positioned message");
            return;
        }

        Assert.False(KnownLoaderGaps.ContainsKey(id) && KnownLoaderGaps[id].StartsWith("YamlDotNet", StringComparison.Ordinal), $"{id} loads now: remove it from KnownLoaderGaps");
        output.WriteLine($"{file.Documents.Count} documents, {file.Comments.Count} comments");
        foreach (var comment in file.Comments)
        {
            Assert.True(comment.Start >= 0 && comment.Start <= comment.End && comment.End <= source.Text.Length, $"comment '{comment.Text}' has span [{comment.Start},{comment.End})");
        }
    }

    [Theory]
    [MemberData(nameof(ValidCases))]
    public void ValidCase_SpansAreSane(string id)
    {
        if (SharedData.SkipIfMissing(id, output))
        {
            return;
        }

        var problems = SpanProblems(id);
        if (KnownLoaderGaps.TryGetValue(id, out var gap))
        {
            output.WriteLine($"known loader gap: {gap}");
            foreach (var problem in problems)
            {
                output.WriteLine("  " + problem);
            }

            Assert.True(problems.Count > 0, $"{id} has sane spans now: remove it from KnownLoaderGaps");
            return;
        }

        Assert.True(problems.Count == 0, $"{id}:\n  {string.Join("\n  ", problems.Take(20))}");
    }

    /// <summary>Span problems of every node of every document; a load failure is one problem.</summary>
    private static List<string> SpanProblems(string id)
    {
        var problems = new List<string>();
        YFile file;
        try
        {
            file = YamlLoader.Load(SourceText.Decode(ReadInput(id)));
        }
        catch (InputException ex) when (KnownLoaderGaps.ContainsKey(id))
        {
            problems.Add($"does not load: {ex.Message}");
            return problems;
        }

        foreach (var doc in file.Documents)
        {
            if (doc.Root is null)
            {
                continue;
            }

            foreach (var node in Walk(doc.Root))
            {
                CheckSpan(file.Text, node, problems);
            }
        }

        return problems;
    }

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void InvalidCase_IsRefusedWithPositionOrAccepted(string id)
    {
        if (SharedData.SkipIfMissing(id, output))
        {
            return;
        }

        var outcome = LoadInvalid(id);
        if (outcome is null)
        {
            output.WriteLine("accepted (YamlDotNet is lenient here)");
            return;
        }

        output.WriteLine($"refused: {outcome.Message} (line {outcome.Line}, column {outcome.Column})");
        Assert.True(outcome.Line >= 1 && outcome.Column >= 1, $"unpositioned error: line {outcome.Line}, column {outcome.Column}");
        Assert.False(string.IsNullOrWhiteSpace(outcome.Message), "empty error message");
    }

    [Fact]
    public void InvalidCases_ReportHowManyAreAccepted()
    {
        var invalid = AllCases.Value.Where(IsInvalid).ToList();
        if (invalid.Count == 0)
        {
            output.WriteLine(SharedData.SkipMessage);
            return;
        }

        var accepted = invalid.Where(id => LoadInvalid(id) is null).ToList();
        output.WriteLine($"{accepted.Count} of {invalid.Count} invalid yaml-test-suite cases are accepted by the loader:");
        output.WriteLine("  " + string.Join(" ", accepted));
        Assert.True(accepted.Count < invalid.Count, "every invalid case is accepted: the loader reports no YAML errors at all");
    }

    /// <summary>Null when the case loads; otherwise the <see cref="InputException"/> (any other exception fails the test).</summary>
    private static InputException? LoadInvalid(string id)
    {
        try
        {
            YamlLoader.Load(SourceText.Decode(ReadInput(id)));
            return null;
        }
        catch (InputException ex)
        {
            return ex;
        }
    }

    private static void CheckSpan(string text, YNode node, List<string> problems)
    {
        string at = $"{node.GetType().Name} at line {node.Line}, column {node.Column} [{node.Start},{node.ValueStart},{node.End})";
        if (!(node.Start >= 0 && node.Start <= node.ValueStart && node.ValueStart <= node.End && node.End <= text.Length))
        {
            problems.Add($"{at}: not 0 <= Start <= ValueStart <= End <= {text.Length}");
            return;
        }

        switch (node)
        {
            case YMapping { IsFlow: true, Pairs.Count: 1 } pairMap when IsImplicitPair(text, pairMap):
                // `[a: b]`: a single-pair mapping without braces spans from its key to its value.
                var pair = pairMap.Pairs[0];
                int pairEnd = Math.Max(pair.Key.End, pair.Value.End);
                if (pairMap.Start != pair.Key.Start || pairMap.ValueStart != pair.Key.Start || pairMap.End != pairEnd)
                {
                    problems.Add($"{at}: a single-pair flow mapping without braces must span [{pair.Key.Start},{pair.Key.Start},{pairEnd}) from its key to its value");
                }

                break;
            case YMapping { IsFlow: true } or YSequence { IsFlow: true }:
                if (node.End <= node.ValueStart || text[node.ValueStart] is not ('[' or '{') || text[node.End - 1] is not (']' or '}'))
                {
                    problems.Add($"{at}: a flow collection must span its brackets, got '{Excerpt(text, node.ValueStart, node.End)}'");
                }

                break;
            case YMapping { Pairs.Count: > 0 } map:
                var lastPair = map.Pairs[^1];

                // An explicit key with no value (`? key`) has a zero-width value that may sit before the key's end.
                int mapEnd = lastPair.Value is YScalar { IsEmpty: true } ? Math.Max(lastPair.Key.End, lastPair.Value.End) : lastPair.Value.End;
                if (map.End != mapEnd)
                {
                    problems.Add($"{at}: a block mapping must end where its last value ends ({mapEnd})");
                }

                break;
            case YSequence { Items.Count: > 0 } seq:
                if (seq.End != seq.Items[^1].End)
                {
                    problems.Add($"{at}: a block sequence must end where its last item ends ({seq.Items[^1].End})");
                }

                break;
        }
    }

    /// <summary>A flow mapping inside a flow sequence whose key (or its '?') is preceded by ',' or '[', not by '{'.</summary>
    private static bool IsImplicitPair(string text, YMapping map)
    {
        if (map.Parent is not YSequence { IsFlow: true })
        {
            return false;
        }

        int i = SkipBlanksBackwards(text, map.Pairs[0].Key.Start - 1);
        if (i >= 0 && text[i] == '?')
        {
            i = SkipBlanksBackwards(text, i - 1); // an explicit key: [ ? foo : bar ]
        }

        return i >= 0 && text[i] is ',' or '[';

        static int SkipBlanksBackwards(string text, int i)
        {
            while (i >= 0 && YamlLoader.IsBlankOrBreak(text[i]))
            {
                i--;
            }

            return i;
        }
    }

    private static string Excerpt(string text, int start, int end)
    {
        string s = text[start..Math.Min(end, start + 40)];
        return s.Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal);
    }

    private static IEnumerable<YNode> Walk(YNode root)
    {
        var work = new Stack<YNode>();
        work.Push(root);
        while (work.Count > 0)
        {
            var node = work.Pop();
            yield return node;
            switch (node)
            {
                case YMapping m:
                    foreach (var p in m.Pairs)
                    {
                        work.Push(p.Key);
                        work.Push(p.Value);
                    }

                    break;
                case YSequence s:
                    foreach (var item in s.Items)
                    {
                        work.Push(item);
                    }

                    break;
            }
        }
    }

    private static bool IsInvalid(string id) => File.Exists(Path.Combine(CaseFolder(id), "error"));

    private static byte[] ReadInput(string id) => File.ReadAllBytes(Path.Combine(CaseFolder(id), "in.yaml"));

    private static string CaseFolder(string id) => Path.Combine([SharedData.YamlTestSuiteFolder!, .. id.Split('/')]);

    /// <summary>Case ids: <c>229Q</c> for a case folder, <c>SM9W/01</c> for a numbered sub-case.</summary>
    private static List<string> FindCases()
    {
        if (SharedData.YamlTestSuiteFolder is not { } root)
        {
            return [];
        }

        var cases = new List<string>();
        foreach (var dir in Directory.EnumerateDirectories(root))
        {
            string id = Path.GetFileName(dir);
            if (File.Exists(Path.Combine(dir, "in.yaml")))
            {
                cases.Add(id);
            }

            foreach (var sub in Directory.EnumerateDirectories(dir))
            {
                if (File.Exists(Path.Combine(sub, "in.yaml")))
                {
                    cases.Add(id + "/" + Path.GetFileName(sub));
                }
            }
        }

        cases.Sort(StringComparer.Ordinal);
        return cases;
    }
}

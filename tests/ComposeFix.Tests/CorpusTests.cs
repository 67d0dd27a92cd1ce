using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ComposeFix.Compose;
using ComposeFix.Engine;
using ComposeFix.Text;
using ComposeFix.Yaml;
using Json.Schema;
using Xunit.Abstractions;

namespace ComposeFix.Tests;

/// <summary>
/// Data-driven checks over every file of the shared Compose corpus (<c>../shared/corpus/dev</c>), one
/// test case per file: byte-exact round trips, the no-recipe identity, and for all recipes (safe
/// fixes, then with unsafe fixes) that the output parses, keeps every comment, is stable under a
/// second run, changes only the keys a hardening recipe may change, and stays valid against the
/// Compose schema. Engine runs are cached, so each file is fixed once per mode.
/// </summary>
public sealed partial class CorpusTests(ITestOutputHelper output)
{
    /// <summary>The most corpus files that may be refused as input (empty, not a mapping, duplicate keys).</summary>
    private const int MaxRefusedInputs = 10;

    /// <summary>Service keys a hardening recipe may change; <c>x-*</c> keys may change too.</summary>
    private static readonly HashSet<string> AllowedServiceKeys = new(StringComparer.Ordinal)
    {
        "ports", "restart", "host_ip", "read_only", "tmpfs", "cap_drop", "cap_add", "pids_limit", "mem_limit", "cpus",
        "deploy", "networks", "secrets", "environment", "security_opt", "privileged", "volumes",
        "network_mode", "pid", "ipc", "uts", "userns_mode",
    };

    /// <summary>Top-level keys a recipe may change (besides <c>x-*</c>).</summary>
    private static readonly HashSet<string> AllowedTopLevelKeys = new(StringComparer.Ordinal) { "services", "networks", "secrets" };

    /// <summary>Service keys whose meaning must be exactly the same after any fix.</summary>
    private static readonly string[] FrozenServiceKeys = ["image", "command", "entrypoint", "build"];

    /// <summary>The kinds of refusal a valid YAML corpus file may get: what Compose itself refuses.</summary>
    private static readonly string[] AllowedInputErrors =
    [
        "no compose content: the file is empty or holds only comments",
        "the top level of a compose file must be a mapping",
        "duplicate key '",
    ];

    private static readonly HashSet<string> NoRecipe = new(StringComparer.Ordinal);

    /// <summary>Corpus file names (not contents), sorted, so theory cases read as file names.</summary>
    private static readonly Lazy<IReadOnlyList<string>> CorpusFiles = new(() =>
        SharedData.CorpusFolder is { } folder
            ? [.. Directory.EnumerateFiles(folder, "*.yml").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)]
            : []);

    private static readonly ConcurrentDictionary<(string File, Mode Mode), Lazy<FileResult>> Runs = new();

    private static readonly ConcurrentDictionary<string, Lazy<string?>> InputSchemaProblems = new(StringComparer.Ordinal);

    private static readonly Lazy<JsonSchema?> Schema = new(() => SharedData.ComposeSchemaPath is { } path ? JsonSchema.FromText(File.ReadAllText(path)) : null);

    private enum Mode
    {
        None,
        Safe,
        Unsafe,
    }

    public static TheoryData<string> Files => SharedData.Rows(CorpusFileNames());

    public static TheoryData<string, bool> FilesAndModes
    {
        get
        {
            var data = new TheoryData<string, bool>();
            foreach (var file in CorpusFileNames())
            {
                data.Add(file, false);
                data.Add(file, true);
            }

            if (data.Count == 0)
            {
                data.Add(SharedData.Missing, false);
            }

            return data;
        }
    }

    // ------------------------------------------------------------------ identity

    [Theory]
    [MemberData(nameof(Files))]
    public void DecodeEncode_IsByteIdentical(string file)
    {
        if (SharedData.SkipIfMissing(file, output))
        {
            return;
        }

        byte[] bytes = ReadBytes(file);
        var source = SourceText.Decode(bytes);
        Assert.Equal(bytes, source.Encode(source.Text));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void YamlLoader_LoadsEveryCorpusFile(string file)
    {
        if (SharedData.SkipIfMissing(file, output))
        {
            return;
        }

        var source = SourceText.Decode(ReadBytes(file));
        var yaml = YamlLoader.Load(source);
        Assert.Same(source, yaml.Source);
        output.WriteLine($"{yaml.Documents.Count} documents, {yaml.Comments.Count} comments");
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void NoRecipe_LeavesBytesUnchangedOrRefusesWithPositionedError(string file)
    {
        if (SharedData.SkipIfMissing(file, output))
        {
            return;
        }

        var result = Run(file, Mode.None);
        if (result.Status == FileStatus.Error)
        {
            Assert.NotNull(result.Error);
            output.WriteLine($"refused: {result.Error.Message} (line {result.Error.Line}, column {result.Error.Column})");
            Assert.True(result.Error.Line >= 1 && result.Error.Column >= 1, $"unpositioned error: {result.Error}");
            Assert.True(IsAllowedInputError(result.Error.Message), $"{file}: unexpected kind of error: {result.Error.Message}");
            return;
        }

        Assert.Equal(FileStatus.Unchanged, result.Status);
        Assert.Empty(result.Applied);
        Assert.Equal(ReadBytes(file), result.NewBytes);
    }

    [Fact]
    public void NoRecipe_RefusedCorpusFilesAreFewAndOfAllowedKinds()
    {
        if (CorpusFileNames().Count == 0)
        {
            output.WriteLine(SharedData.SkipMessage);
            return;
        }

        var refused = new List<string>();
        foreach (var file in CorpusFileNames())
        {
            var result = Run(file, Mode.None);
            if (result.Status == FileStatus.Error)
            {
                refused.Add($"{file}: {result.Error?.Message} (line {result.Error?.Line}, column {result.Error?.Column})");
                Assert.True(result.Error is not null && IsAllowedInputError(result.Error.Message), $"{file}: unexpected kind of error: {result.Error?.Message}");
            }
        }

        output.WriteLine($"{refused.Count} of {CorpusFileNames().Count} corpus files are refused as input:");
        foreach (var line in refused)
        {
            output.WriteLine("  " + line);
        }

        Assert.True(refused.Count <= MaxRefusedInputs, $"{refused.Count} corpus files refused (at most {MaxRefusedInputs} expected):\n{string.Join('\n', refused)}");
    }

    // ------------------------------------------------------------------ recipes

    [Theory]
    [MemberData(nameof(FilesAndModes))]
    public void AllRecipes_ChangeOnlyWhatHardeningMayChange(string file, bool unsafeFixes)
    {
        if (SharedData.SkipIfMissing(file, output))
        {
            return;
        }

        if (Run(file, Mode.None) is { Status: FileStatus.Error } refused)
        {
            output.WriteLine($"input refused, nothing to check: {refused.Error?.Message}");
            return;
        }

        var mode = unsafeFixes ? Mode.Unsafe : Mode.Safe;
        var result = Run(file, mode);
        byte[] input = ReadBytes(file);
        Assert.True(result.Status != FileStatus.Error, $"{file}: the engine failed: {result.Error?.Message} (line {result.Error?.Line}, column {result.Error?.Column})");
        output.WriteLine($"{result.Status}: {result.Applied.Count} fixes applied, {result.HeldBack.Count} held back, {result.Findings.Count} findings");
        if (result.Status == FileStatus.Unchanged)
        {
            Assert.Equal(input, result.NewBytes);
            return;
        }

        byte[] fixedBytes = result.NewBytes!;
        var beforeSource = SourceText.Decode(input);
        var before = ComposeDocument.Load(beforeSource);
        var afterSource = SourceText.Decode(fixedBytes);
        Assert.Equal(beforeSource.HasBom, afterSource.HasBom);
        ComposeDocument after;
        try
        {
            after = ComposeDocument.Load(afterSource);
        }
        catch (InputException ex)
        {
            Assert.Fail($"{file}: the fixed file does not load: {ex.Message} (line {ex.Line}, column {ex.Column})");
            return;
        }

        var problems = new List<string>();
        CheckComments(before, after, problems);
        CheckTopLevel(before.Meaning, after.Meaning, problems);
        CheckServices(before, after, problems);

        var again = new FixEngine().Run(FullPath(file), fixedBytes, Options(mode));
        if (again.Status != FileStatus.Unchanged)
        {
            problems.Add($"not idempotent: a second run gives {again.Status} {again.Error?.Message} ({string.Join("; ", again.Applied.Select(f => $"{f.RecipeId}: {f.Note}"))})");
        }

        Assert.True(problems.Count == 0, $"{file} ({mode}):\n  {string.Join("\n  ", problems)}");
    }

    // ------------------------------------------------------------------ schema

    [Fact]
    public void Schema_CountsValidInputs()
    {
        if (Schema.Value is null || CorpusFileNames().Count == 0)
        {
            output.WriteLine(SharedData.SkipMessage);
            return;
        }

        int loaded = 0, valid = 0;
        foreach (var file in CorpusFileNames())
        {
            if (Run(file, Mode.None).Status == FileStatus.Error)
            {
                continue;
            }

            loaded++;
            if (InputSchemaProblem(file) is null)
            {
                valid++;
            }
        }

        output.WriteLine($"{valid} of {loaded} loadable corpus inputs ({CorpusFileNames().Count} files) are valid against compose-spec.json");
        Assert.True(valid > 0, "no corpus input is schema-valid: the Sem to JSON conversion is probably wrong");
    }

    [Theory]
    [MemberData(nameof(FilesAndModes))]
    public void Schema_ValidInputStaysValid(string file, bool unsafeFixes)
    {
        if (SharedData.SkipIfMissing(file, output))
        {
            return;
        }

        if (Schema.Value is null)
        {
            output.WriteLine(SharedData.SkipMessage);
            return;
        }

        if (Run(file, Mode.None).Status == FileStatus.Error)
        {
            output.WriteLine("input refused: not checked");
            return;
        }

        if (InputSchemaProblem(file) is { } inputProblem)
        {
            output.WriteLine($"input is not schema-valid, not checked: {inputProblem}");
            return;
        }

        var result = Run(file, unsafeFixes ? Mode.Unsafe : Mode.Safe);
        if (result.Status != FileStatus.Changed)
        {
            output.WriteLine($"{result.Status}: nothing to check");
            return;
        }

        var after = ComposeDocument.Load(SourceText.Decode(result.NewBytes!));
        var problem = SchemaProblem(after.Meaning);
        Assert.True(problem is null, $"{file}: the fixed file is not valid against compose-spec.json: {problem}");
    }

    // ------------------------------------------------------------------ checks

    private static void CheckComments(ComposeDocument before, ComposeDocument after, List<string> problems)
    {
        var remaining = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var c in after.File.Comments)
        {
            remaining[c.Text] = remaining.GetValueOrDefault(c.Text) + 1;
        }

        foreach (var c in before.File.Comments)
        {
            if (remaining.GetValueOrDefault(c.Text) == 0)
            {
                if (!OnRemovedEnvironmentEntry(before, after, c))
                {
                    var (line, _) = before.Source.LineColumn(c.Start);
                    problems.Add($"comment lost: '# {c.Text}' (line {line})");
                }

                continue;
            }

            remaining[c.Text]--;
        }
    }

    /// <summary>
    /// A comment on the line of an environment entry that a fix removed (moved to a secret), or in the
    /// comment lines right above it, goes with the entry.
    /// </summary>
    private static bool OnRemovedEnvironmentEntry(ComposeDocument before, ComposeDocument after, YComment comment)
    {
        string[] lines = before.Text.Split('\n');
        int line = before.Source.LineColumn(comment.Start).Line - 1;
        while (line < lines.Length && !comment.IsInline && lines[line].TrimStart().StartsWith('#'))
        {
            line++;
        }

        var key = line < lines.Length ? EnvironmentKey().Match(lines[line]) : null;
        if (key is null || !key.Success)
        {
            return false;
        }

        string name = key.Groups[1].Value;
        return before.Services.Any(s => EnvironmentOf(s.Get("environment"))?.ContainsKey(name) == true
            && after.Service(s.Name) is { } now && EnvironmentOf(now.Get("environment")) is { } env && !env.ContainsKey(name));
    }

    [GeneratedRegex(@"^\s*(?:-\s*)?[""']?([A-Za-z_][A-Za-z0-9_.-]*)[""']?\s*[:=]")]
    private static partial Regex EnvironmentKey();

    private static void CheckTopLevel(SemMap before, SemMap after, List<string> problems)
    {
        foreach (var key in ChangedKeys(before, after))
        {
            if (!AllowedTopLevelKeys.Contains(key) && !key.StartsWith("x-", StringComparison.Ordinal))
            {
                problems.Add($"top-level key '{key}' changed");
            }
        }

        foreach (var key in before.Entries.Keys)
        {
            if (!after.Entries.ContainsKey(key))
            {
                problems.Add($"top-level key '{key}' was removed");
            }
        }
    }

    private static void CheckServices(ComposeDocument before, ComposeDocument after, List<string> problems)
    {
        var beforeNames = before.Services.Select(s => s.Name).Order(StringComparer.Ordinal).ToList();
        var afterNames = after.Services.Select(s => s.Name).Order(StringComparer.Ordinal).ToList();
        if (!beforeNames.SequenceEqual(afterNames))
        {
            problems.Add($"services added or removed: [{string.Join(", ", beforeNames)}] became [{string.Join(", ", afterNames)}]");
        }

        foreach (var old in before.Services)
        {
            if (after.Service(old.Name) is not { } now)
            {
                continue;
            }

            var disallowed = ChangedServiceKeys(old.Meaning, now.Meaning).Where(k => !IsAllowedServiceKey(k)).ToList();
            if (disallowed.Count > 0)
            {
                problems.Add($"service {old.Name}: keys changed that no recipe may change: {string.Join(", ", disallowed)}");
            }

            foreach (var key in FrozenServiceKeys)
            {
                if (Difference(old.Get(key), now.Get(key)) is { } d)
                {
                    problems.Add($"service {old.Name}: {key} changed: {d}");
                }
            }

            CheckPorts(old, now, problems);
            CheckVolumes(old, now, problems);
            CheckEnvironment(old, now, problems);
            CheckDeploy(old, now, problems);
        }
    }

    /// <summary>The top-level keys of a service that were added, removed or changed.</summary>
    internal static SortedSet<string> ChangedServiceKeys(SemMap before, SemMap after) => ChangedKeys(before, after);

    internal static bool IsAllowedServiceKey(string key) => AllowedServiceKeys.Contains(key) || key.StartsWith("x-", StringComparison.Ordinal);

    private static SortedSet<string> ChangedKeys(SemMap before, SemMap after)
    {
        var changed = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var key in before.Entries.Keys.Union(after.Entries.Keys))
        {
            if (Difference(before.Get(key), after.Get(key)) is not null)
            {
                changed.Add(key);
            }
        }

        return changed;
    }

    /// <summary>Only the host address of a published port may change: count, host port, container port and protocol stay.</summary>
    private static void CheckPorts(ServiceInfo old, ServiceInfo now, List<string> problems)
    {
        var (a, b) = (old.Get("ports"), now.Get("ports"));
        if (a is not SemSeq p || b is not SemSeq q || p.Items.Count != q.Items.Count)
        {
            if (Difference(a, b) is { } d)
            {
                problems.Add($"service {old.Name}: ports changed beyond the host address: {d}");
            }

            return;
        }

        for (int i = 0; i < p.Items.Count; i++)
        {
            string where = $"service {old.Name}: ports[{i}]";
            switch (p.Items[i], q.Items[i])
            {
                case (SemScalar x, SemScalar y) when x.Value != y.Value:
                    var (sx, sy) = (PortSpec.Parse(x.Value), PortSpec.Parse(y.Value));
                    if (sx is null || sy is null
                        || (sx.HostPort ?? "") != (sy.HostPort ?? "")
                        || sx.ContainerPort != sy.ContainerPort
                        || sx.Protocol != sy.Protocol)
                    {
                        problems.Add($"{where}: '{x.Value}' became '{y.Value}' (more than the host address changed)");
                    }

                    break;
                case (SemMap x, SemScalar y):
                    // A long-syntax port rewritten in the short syntax (files written for Compose v1): same ports.
                    var (lx, ly) = (Normalise(x), PortSpec.Parse(y.Value));
                    if (ly is null || lx != ((ly.HostPort ?? "").Length == 0 ? "" : ly.HostPort, ly.ContainerPort, ly.Protocol ?? "tcp"))
                    {
                        problems.Add($"{where}: long syntax became '{y.Value}' with other ports");
                    }

                    break;
                case (SemMap x, SemMap y):
                    foreach (var key in ChangedKeys(x, y).Where(k => k != "host_ip"))
                    {
                        problems.Add($"{where}.{key} changed: {Difference(x.Get(key), y.Get(key))}");
                    }

                    break;
                default:
                    if (Difference(p.Items[i], q.Items[i]) is { } d)
                    {
                        problems.Add($"{where} changed: {d}");
                    }

                    break;
            }
        }
    }

    private static (string Published, string Target, string Protocol) Normalise(SemMap port) =>
        ((port.Get("published") as SemScalar)?.Value ?? "", (port.Get("target") as SemScalar)?.Value ?? "", (port.Get("protocol") as SemScalar)?.Value ?? "tcp");

    /// <summary>Only read-only flags of mounts may change: same mounts, same sources and targets.</summary>
    private static void CheckVolumes(ServiceInfo old, ServiceInfo now, List<string> problems)
    {
        var (a, b) = (old.Get("volumes"), now.Get("volumes"));
        if (a is not SemSeq p || b is not SemSeq q || p.Items.Count != q.Items.Count)
        {
            if (Difference(a, b) is { } d)
            {
                problems.Add($"service {old.Name}: volumes changed beyond read-only flags: {d}");
            }

            return;
        }

        for (int i = 0; i < p.Items.Count; i++)
        {
            string where = $"service {old.Name}: volumes[{i}]";
            switch (p.Items[i], q.Items[i])
            {
                case (SemScalar x, SemScalar y) when x.Value != y.Value:
                    if (WithoutMountOptions(x.Value) != WithoutMountOptions(y.Value))
                    {
                        problems.Add($"{where}: '{x.Value}' became '{y.Value}' (source or target changed)");
                    }

                    break;
                case (SemMap x, SemMap y):
                    foreach (var key in ChangedKeys(x, y).Where(k => k != "read_only" && !(k == "bind" && OnlyPropagationRemoved(x.Get(k), y.Get(k)))))
                    {
                        problems.Add($"{where}.{key} changed: {Difference(x.Get(key), y.Get(key))}");
                    }

                    break;
                default:
                    if (Difference(p.Items[i], q.Items[i]) is { } d)
                    {
                        problems.Add($"{where} changed: {d}");
                    }

                    break;
            }
        }
    }

    /// <summary>A long-syntax <c>bind</c> lost only its <c>propagation</c> (or went, when that was all it held).</summary>
    private static bool OnlyPropagationRemoved(Sem? before, Sem? after)
    {
        if (before is not SemMap b || b.Get("propagation") is null)
        {
            return false;
        }

        var rest = new SemMap(b.Entries.Where(e => e.Key != "propagation").ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal));
        return after is null ? rest.Entries.Count == 0 : Difference(rest, after) is null;
    }

    /// <summary>Environment entries may only move to a <c>NAME_FILE</c> secret reference.</summary>
    private static void CheckEnvironment(ServiceInfo old, ServiceInfo now, List<string> problems)
    {
        var (a, b) = (old.Get("environment"), now.Get("environment"));
        if (Difference(a, b) is null)
        {
            return;
        }

        var (x, y) = (EnvironmentOf(a), EnvironmentOf(b));
        if (x is null || y is null)
        {
            problems.Add($"service {old.Name}: environment changed shape: {Difference(a, b)}");
            return;
        }

        // An entry may also leave for a secret the application reads itself (secrets-from-env, unsafe):
        // then the service lists at least one new secret per entry gone.
        int newSecrets = SecretNames(now).Except(SecretNames(old)).Count();
        int vanished = 0;
        foreach (var (name, value) in x)
        {
            bool same = y.TryGetValue(name, out var v) && v == value;
            if (!same && !y.ContainsKey(name + "_FILE"))
            {
                if (!y.ContainsKey(name) && ++vanished <= newSecrets)
                {
                    continue;
                }

                problems.Add($"service {old.Name}: environment {name} changed or vanished without a {name}_FILE replacement or a new secret");
            }
        }

        foreach (var name in y.Keys.Where(n => !x.ContainsKey(n)))
        {
            if (!name.EndsWith("_FILE", StringComparison.Ordinal) || !x.ContainsKey(name[..^"_FILE".Length]))
            {
                problems.Add($"service {old.Name}: environment {name} was added and is not a secret move");
            }
        }
    }

    private static IEnumerable<string> SecretNames(ServiceInfo service) => service.Get("secrets") is SemSeq q
        ? q.Items.Select(i => i is SemScalar s ? s.Value : (i as SemMap)?.Get("source") is SemScalar src ? src.Value : "").Where(n => n.Length > 0)
        : [];

    /// <summary>Within deploy only resources.limits may change.</summary>
    private static void CheckDeploy(ServiceInfo old, ServiceInfo now, List<string> problems)
    {
        var (a, b) = (old.Get("deploy"), now.Get("deploy"));
        if (Difference(a, b) is null)
        {
            return;
        }

        var empty = new SemMap(new Dictionary<string, Sem>());
        if ((a ?? empty) is not SemMap x || (b ?? empty) is not SemMap y)
        {
            problems.Add($"service {old.Name}: deploy changed shape: {Difference(a, b)}");
            return;
        }

        foreach (var key in ChangedKeys(x, y))
        {
            if (key != "resources")
            {
                problems.Add($"service {old.Name}: deploy.{key} changed: {Difference(x.Get(key), y.Get(key))}");
                continue;
            }

            if ((x.Get(key) ?? empty) is not SemMap rx || (y.Get(key) ?? empty) is not SemMap ry)
            {
                problems.Add($"service {old.Name}: deploy.resources changed shape");
                continue;
            }

            foreach (var sub in ChangedKeys(rx, ry).Where(k => k != "limits"))
            {
                problems.Add($"service {old.Name}: deploy.resources.{sub} changed: {Difference(rx.Get(sub), ry.Get(sub))}");
            }
        }
    }

    private static Dictionary<string, string?>? EnvironmentOf(Sem? env)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        switch (env)
        {
            case null:
                return result;
            case SemMap m:
                foreach (var (k, v) in m.Entries)
                {
                    result[k] = v is SemScalar s ? (s.Tag == ScalarResolver.NullTag ? null : s.Value) : Sem.Describe(v);
                }

                return result;
            case SemSeq q:
                foreach (var item in q.Items)
                {
                    string text = item is SemScalar s ? s.Value : Sem.Describe(item);
                    int eq = text.IndexOf('=', StringComparison.Ordinal);
                    result[eq < 0 ? text : text[..eq]] = eq < 0 ? null : text[(eq + 1)..];
                }

                return result;
            default:
                return null;
        }
    }

    /// <summary>A short volume spec without its trailing options (<c>:ro</c>, <c>:rw,z</c>, …).</summary>
    private static string WithoutMountOptions(string spec)
    {
        int colon = spec.LastIndexOf(':');
        if (colon < 0)
        {
            return spec;
        }

        string last = spec[(colon + 1)..];
        return MountOptions().IsMatch(last) ? spec[..colon] : spec;
    }

    [GeneratedRegex("^(?:ro|rw|z|Z|nocopy|consistent|cached|delegated|shared|slave|private|rshared|rslave|rprivate)(?:,(?:ro|rw|z|Z|nocopy|consistent|cached|delegated|shared|slave|private|rshared|rslave|rprivate))*$")]
    private static partial Regex MountOptions();

    private static string? Difference(Sem? a, Sem? b) => (a, b) switch
    {
        (null, null) => null,
        (null, _) => $"added ({Sem.Describe(b!)})",
        (_, null) => $"removed (was {Sem.Describe(a)})",
        _ => SemOps.FirstDifference(a, b)?.Replace("the document: ", "", StringComparison.Ordinal),
    };

    private static bool IsAllowedInputError(string message) => AllowedInputErrors.Any(kind => message.StartsWith(kind, StringComparison.Ordinal));

    // ------------------------------------------------------------------ schema helpers

    private static string? InputSchemaProblem(string file) =>
        InputSchemaProblems.GetOrAdd(file, f => new Lazy<string?>(() => SchemaProblem(ComposeDocument.Load(SourceText.Decode(ReadBytes(f))).Meaning))).Value;

    /// <summary>Null when the meaning is valid against compose-spec.json, else the first few errors.</summary>
    private static string? SchemaProblem(SemMap meaning)
    {
        var schema = Schema.Value ?? throw new InvalidOperationException("no schema");
        using var json = JsonDocument.Parse(SemJson.ToJson(meaning)?.ToJsonString() ?? "null");
        if (schema.Evaluate(json.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.Flag }).IsValid)
        {
            return null;
        }

        // Evaluate again, only for invalid documents, to say why.
        var results = schema.Evaluate(json.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });

        var errors = (results.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))
            .Distinct(StringComparer.Ordinal)
            .Take(3)
            .ToList();
        return errors.Count == 0 ? "invalid" : string.Join("; ", errors);
    }

    // ------------------------------------------------------------------ corpus access

    private static FileResult Run(string file, Mode mode) =>
        Runs.GetOrAdd((file, mode), key => new Lazy<FileResult>(() => new FixEngine().Run(FullPath(key.File), ReadBytes(key.File), Options(key.Mode)))).Value;

    private static FixOptions Options(Mode mode) => mode switch
    {
        Mode.None => new FixOptions { Only = NoRecipe },
        Mode.Safe => new FixOptions(),
        _ => new FixOptions { UnsafeFixes = true },
    };

    /// <summary>The engine gets the real path: project-wide recipes look at the file's folder.</summary>
    private static string FullPath(string file) => Path.Combine(SharedData.CorpusFolder!, file);

    private static byte[] ReadBytes(string file) => File.ReadAllBytes(FullPath(file));

    private static IReadOnlyList<string> CorpusFileNames() => CorpusFiles.Value;
}

/// <summary>
/// Converts a resolved YAML meaning to JSON the way a YAML 1.2 core-schema loader types it:
/// int → integer (or a double when it does not fit a long), float → double (.inf/.nan stay strings,
/// JSON has no such numbers), bool, null; strings and custom tags such as <c>!reset</c> → string.
/// </summary>
internal static class SemJson
{
    public static JsonNode? ToJson(Sem value)
    {
        switch (value)
        {
            case SemMap m:
                var obj = new JsonObject();
                foreach (var (k, v) in m.Entries)
                {
                    obj[k] = ToJson(v);
                }

                return obj;
            case SemSeq q:
                var arr = new JsonArray();
                foreach (var item in q.Items)
                {
                    arr.Add(ToJson(item));
                }

                return arr;
            case SemScalar s:
                return Scalar(s);
            default:
                throw new InvalidOperationException("unknown Sem node");
        }
    }

    private static JsonValue? Scalar(SemScalar s)
    {
        switch (s.Tag)
        {
            case ScalarResolver.NullTag:
                return null;
            case ScalarResolver.BoolTag:
                return s.Value switch
                {
                    "true" or "True" or "TRUE" => JsonValue.Create(true),
                    "false" or "False" or "FALSE" => JsonValue.Create(false),
                    _ => JsonValue.Create(s.Value),
                };
            case ScalarResolver.IntTag:
                return Integer(s.Value);
            case ScalarResolver.FloatTag:
                return Float(s.Value);
            default:
                return JsonValue.Create(s.Value);
        }
    }

    private static JsonValue Integer(string text)
    {
        string t = text.Replace("_", "", StringComparison.Ordinal);
        bool negative = t.StartsWith('-');
        string digits = t.TrimStart('-', '+');
        try
        {
            if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            {
                ulong u = ulong.Parse(digits[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
                return Signed(u, negative, text);
            }

            if (digits.StartsWith("0o", StringComparison.OrdinalIgnoreCase))
            {
                ulong u = Convert.ToUInt64(digits[2..], 8);
                return Signed(u, negative, text);
            }
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
        {
            return JsonValue.Create(text);
        }

        if (long.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l))
        {
            return JsonValue.Create(l);
        }

        return double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d)
            ? JsonValue.Create(d)
            : JsonValue.Create(text);
    }

    private static JsonValue Signed(ulong magnitude, bool negative, string text)
    {
        if (magnitude <= long.MaxValue)
        {
            long v = (long)magnitude;
            return JsonValue.Create(negative ? -v : v);
        }

        double d = magnitude;
        return double.IsFinite(d) ? JsonValue.Create(negative ? -d : d) : JsonValue.Create(text);
    }

    private static JsonValue Float(string text)
    {
        string t = text.Replace("_", "", StringComparison.Ordinal);
        return double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d)
            ? JsonValue.Create(d)
            : JsonValue.Create(text);
    }
}

using ComposeFix.Text;
using ComposeFix.Yaml;

namespace ComposeFix.Compose;

/// <summary>
/// A loaded compose file: the source tree of its first YAML document (later documents are kept
/// as text and never touched), its meaning with aliases and merge keys resolved, and the services.
/// Loading refuses what Compose refuses: an empty document, a root that is not a mapping,
/// duplicate keys, alias bombs.
/// </summary>
public sealed class ComposeDocument
{
    private ComposeDocument(YFile file, YDocument document, YMapping root, SemMap meaning)
    {
        File = file;
        Document = document;
        Root = root;
        Meaning = meaning;
        var services = new List<ServiceInfo>();
        if (meaning.Get("services") is SemMap map && FindOwnOrMerged(root, "services") is { } servicesNode && SemanticBuilder.Unalias(servicesNode) is YMapping servicesMap)
        {
            foreach (var (name, value) in map.Entries)
            {
                if (value is SemMap svc)
                {
                    services.Add(new ServiceInfo(name, svc, servicesMap.Find(name)?.Key));
                }
            }
        }

        Services = services;
        IsLegacyLayout = meaning.Get("services") is null && LooksLikeV1(meaning);
    }

    public YFile File { get; }

    public SourceText Source => File.Source;

    public string Text => File.Text;

    public YDocument Document { get; }

    public YMapping Root { get; }

    public SemMap Meaning { get; }

    public IReadOnlyList<ServiceInfo> Services { get; }

    /// <summary>The Compose v1 layout: services at the top level, no <c>services:</c> key.</summary>
    public bool IsLegacyLayout { get; }

    public ServiceInfo? Service(string name) => Services.FirstOrDefault(s => s.Name == name);

    public static ComposeDocument Load(SourceText source)
    {
        var file = YamlLoader.Load(source);
        if (file.Documents.Count == 0 || file.Documents[0].Root is null || file.Documents[0].Root is YScalar { IsEmpty: true, Tag: null })
        {
            throw new InputException("no compose content: the file is empty or holds only comments", 1, 1);
        }

        var document = file.Documents[0];
        if (document.Root is not YMapping root)
        {
            var (line, col) = source.LineColumn(document.Root!.Start);
            string kind = document.Root is YSequence ? "a list" : "a single value";
            throw new InputException($"the top level of a compose file must be a mapping (services:, networks:, …), not {kind}", line, col);
        }

        CheckDuplicateKeys(source, root);
        var meaning = (SemMap)new SemanticBuilder(source, document).Build(root);
        CheckServicesShape(source, root, meaning);
        return new ComposeDocument(file, document, root, meaning);
    }

    /// <summary>Compose refuses <c>services</c> that is not a mapping, and a service that is a list or a single value.</summary>
    private static void CheckServicesShape(SourceText source, YMapping root, SemMap meaning)
    {
        var services = meaning.Get("services");
        if (services is null)
        {
            return;
        }

        var servicesNode = FindOwnOrMerged(root, "services");
        if (IsWrongShape(services))
        {
            var (line, col) = servicesNode is null ? (1, 1) : source.LineColumn(servicesNode.Start);
            throw new InputException($"services must be a mapping of service names to their settings, not {Kind(services)}", line, col);
        }

        if (services is not SemMap map)
        {
            return;
        }

        foreach (var (name, value) in map.Entries)
        {
            if (IsWrongShape(value))
            {
                var at = servicesNode is not null && SemanticBuilder.Unalias(servicesNode) is YMapping m ? NodeLocator.FindKey(m, name, 0).Pair?.Value : null;
                var (line, col) = at is null ? (1, 1) : source.LineColumn(at.Start);
                throw new InputException($"service '{name}' must be a mapping of settings (image:, ports:, …), not {Kind(value)}", line, col);
            }
        }
    }

    /// <summary>A list or a plain value; an empty value and override tags (<c>web: !reset</c>) are fine.</summary>
    private static bool IsWrongShape(Sem value) =>
        value is SemSeq or SemScalar { Tag: ScalarResolver.StrTag or ScalarResolver.IntTag or ScalarResolver.FloatTag or ScalarResolver.BoolTag };

    private static string Kind(Sem value) => value is SemSeq ? "a list" : "a single value";

    /// <summary>Compose rejects a mapping that repeats a key (including a repeated <c>&lt;&lt;</c>).</summary>
    private static void CheckDuplicateKeys(SourceText source, YNode root)
    {
        var work = new Stack<YNode>();
        work.Push(root);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (work.Count > 0)
        {
            var node = work.Pop();
            if (node is YMapping map)
            {
                seen.Clear();
                foreach (var pair in map.Pairs)
                {
                    if (pair.Key is YScalar key && !seen.Add(key.Value))
                    {
                        var (line, col) = source.LineColumn(key.Start);
                        throw new InputException($"duplicate key '{key.Value}' in the same mapping (Compose rejects this)", line, col);
                    }

                    work.Push(pair.Value);
                }
            }
            else if (node is YSequence seq)
            {
                foreach (var item in seq.Items)
                {
                    work.Push(item);
                }
            }
        }
    }

    private static YNode? FindOwnOrMerged(YMapping map, string key) => NodeLocator.FindKey(map, key, 0).Pair?.Value;

    private static bool LooksLikeV1(SemMap meaning)
    {
        if (meaning.Get("version") is not null)
        {
            return false;
        }

        return meaning.Entries.Any(e => !e.Key.StartsWith("x-", StringComparison.Ordinal) && e.Value is SemMap m && (m.Get("image") is not null || m.Get("build") is not null));
    }
}

/// <summary>A service as Compose sees it (merges resolved), and where its key is in the file.</summary>
public sealed class ServiceInfo
{
    public ServiceInfo(string name, SemMap meaning, YNode? keyNode)
    {
        Name = name;
        Meaning = meaning;
        KeyNode = keyNode;
        Path = SemPath.Of("services", name);
    }

    public string Name { get; }

    public SemMap Meaning { get; }

    public YNode? KeyNode { get; }

    public SemPath Path { get; }

    public Sem? Get(string key) => Meaning.Get(key);

    public string? GetString(string key) => Meaning.Get(key) is SemScalar s && s.Tag != ScalarResolver.NullTag ? s.Value : null;

    public SemPath At(params object[] segments) => Path.Concat(segments);
}

using System.Text.RegularExpressions;
using ComposeFix.Yaml;

namespace ComposeFix.Recipes;

/// <summary>A sourced fact about an image: a capability, a path or a variable.</summary>
public sealed record ImageFact(string Value, string Why, string Source, bool Unconfirmed, string? Options = null);

/// <summary>What an image needs to run hardened (one entry of recipes/images.yml).</summary>
public sealed class ImageProfile
{
    public required string Id { get; init; }

    public required string Title { get; init; }

    public required IReadOnlyList<string> Match { get; init; }

    /// <summary>The tags this entry is for (a regular expression), or null for every tag.</summary>
    public string? TagPattern { get; init; }

    public required string User { get; init; }

    public required IReadOnlyList<ImageFact> Capabilities { get; init; }

    public required IReadOnlyList<ImageFact> CapabilitiesNonRoot { get; init; }

    public bool NetBindService { get; init; }

    public required IReadOnlyList<int> ListenPorts { get; init; }

    public required IReadOnlyList<ImageFact> Tmpfs { get; init; }

    public required IReadOnlyList<ImageFact> DataDirs { get; init; }

    public required IReadOnlyList<ImageFact> SecretFileVars { get; init; }

    public string? MemoryFloor { get; init; }

    public long? PidsFloor { get; init; }

    public string? CpusFloor { get; init; }

    public string? LimitsWhy { get; init; }

    public string? Notes { get; init; }
}

/// <summary>An image reference split the way the knowledge base matches it.</summary>
public sealed record ImageReference(string Repository, string Tag)
{
    /// <summary>
    /// Normalises <c>docker.io/library/postgres:16-alpine@sha256:…</c> to repository <c>postgres</c>, tag
    /// <c>16-alpine</c>: registry host dropped (a first part with '.' or ':' or 'localhost'), a leading
    /// 'library/' dropped, lower-cased; a missing tag is 'latest'. <c>${VAR:-image:tag}</c> uses its default.
    /// </summary>
    public static ImageReference? Parse(string? image)
    {
        if (string.IsNullOrWhiteSpace(image))
        {
            return null;
        }

        string s = image.Trim();
        var interpolated = Regex.Match(s, @"^\$\{[A-Za-z_][A-Za-z0-9_]*:?-([^}]*)\}$");
        if (interpolated.Success)
        {
            s = interpolated.Groups[1].Value;
        }

        if (s.Contains('$', StringComparison.Ordinal) || s.Length == 0)
        {
            return null;
        }

        int at = s.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            s = s[..at];
        }

        string tag = "latest";
        int slash = s.LastIndexOf('/');
        int colon = s.LastIndexOf(':');
        if (colon > slash)
        {
            tag = s[(colon + 1)..];
            s = s[..colon];
        }

        var parts = s.Split('/').ToList();
        if (parts.Count > 1 && (parts[0].Contains('.', StringComparison.Ordinal) || parts[0].Contains(':', StringComparison.Ordinal) || parts[0] == "localhost"))
        {
            parts.RemoveAt(0);
        }

        if (parts.Count > 1 && parts[0] == "library")
        {
            parts.RemoveAt(0);
        }

        return new ImageReference(string.Join('/', parts).ToLowerInvariant(), tag);
    }
}

/// <summary>
/// The image knowledge base (recipes/images.yml), loaded once from the embedded copy. An entry is
/// matched by its names and tag pattern alone; the rest of it (facts, sources, notes: most of the
/// file) is read the first time a compose file uses that image, so start-up does not pay for images
/// a run never meets.
/// </summary>
public sealed class ImageKnowledge
{
    private const string Name = "recipes/images.yml";

    private static readonly Lazy<ImageKnowledge> Embedded = new(() => CompiledRecipeData.Json(Name) is { } json ? FromJson(json) : FromMeaning(RecipeCatalog.DataFile(Name)));

    private readonly IReadOnlyList<Entry> entries;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ImageProfile?> found = new(StringComparer.Ordinal);

    private ImageKnowledge(IReadOnlyList<Entry> entries, IReadOnlyList<ImageFact> genericTmpfs, string genericNote)
    {
        this.entries = entries;
        GenericTmpfs = genericTmpfs;
        GenericNote = genericNote;
    }

    public static ImageKnowledge Default => Embedded.Value;

    /// <summary>Every entry, in file order (reads all of them).</summary>
    public IReadOnlyList<ImageProfile> Images => [.. entries.Select(e => e.Profile)];

    /// <summary>Paths every read-only container gets (an image entry with the same path replaces them).</summary>
    public IReadOnlyList<ImageFact> GenericTmpfs { get; }

    public string GenericNote { get; }

    /// <summary>The profile for an image reference, or null when the image is unknown.</summary>
    public ImageProfile? Find(string? image)
    {
        if (image is null)
        {
            return null;
        }

        // Every recipe asks about every service's image on every pass: parse each reference once. Shared by
        // concurrent callers (tests, the language server); bounded so that a long-lived server cannot grow it.
        if (found.TryGetValue(image, out var known))
        {
            return known;
        }

        if (found.Count >= 4096)
        {
            found.Clear();
        }

        return found[image] = Lookup(image);
    }

    private ImageProfile? Lookup(string image)
    {
        var reference = ImageReference.Parse(image);
        if (reference is null)
        {
            return null;
        }

        var candidates = entries.Where(e => e.Match.Contains(reference.Repository)).ToList();
        var entry = candidates.FirstOrDefault(c => c.TagPattern is not null && c.TagPattern.IsMatch(reference.Tag))
            ?? candidates.FirstOrDefault(c => c.TagPattern is null);
        return entry?.Profile;
    }

    public static ImageKnowledge Load(string yaml) => FromMeaning(RecipeCatalog.ParseData(Name, yaml));

    private static ImageKnowledge FromMeaning(SemMap root)
    {
        var generic = (SemMap)root.Get("generic")!;
        var images = Data.List(root, "images").Cast<SemMap>().Select(m => new Entry(Data.Strings(m, "match"), Data.OptStr(m, "tag_pattern"), () => Profile(m))).ToList();
        return new ImageKnowledge(images, Facts(generic, "tmpfs", "path"), Data.OptStr(generic, "note") ?? "");
    }

    /// <summary>From the compiled JSON: <c>generic</c> in full, and of each image only what matching needs.</summary>
    private static ImageKnowledge FromJson(ReadOnlyMemory<byte> json)
    {
        SemMap generic = new(new Dictionary<string, Sem>());
        var images = new List<Entry>();
        foreach (var (name, value) in CompiledRecipeData.Properties(json.Span))
        {
            if (name == "generic" && CompiledRecipeData.Parse(json.Span[value]) is SemMap g)
            {
                generic = g;
            }
            else if (name == "images")
            {
                var array = json[value];
                images = [.. CompiledRecipeData.Items(array.Span).Select(item => Entry.Read(array[item]))];
            }
        }

        return new ImageKnowledge(images, Facts(generic, "tmpfs", "path"), Data.OptStr(generic, "note") ?? "");
    }

    private static ImageProfile Profile(SemMap m)
    {
        var limits = m.Get("limits") as SemMap;
        return new ImageProfile
        {
            Id = Data.Str(m, "id"),
            Title = Data.Str(m, "title"),
            Match = Data.Strings(m, "match"),
            TagPattern = Data.OptStr(m, "tag_pattern"),
            User = Data.OptStr(m, "user") ?? "",
            Capabilities = Facts(m, "capabilities", "name"),
            CapabilitiesNonRoot = Facts(m, "capabilities_non_root", "name"),
            NetBindService = Data.OptStr(m, "net_bind_service") == "true",
            ListenPorts = [.. Data.Strings(m, "listen_ports").Select(p => int.Parse(p, System.Globalization.CultureInfo.InvariantCulture))],
            Tmpfs = Facts(m, "tmpfs", "path"),
            DataDirs = Facts(m, "data_dirs", "path"),
            SecretFileVars = Facts(m, "secret_file_vars", "name"),
            MemoryFloor = limits is null ? null : Data.OptStr(limits, "memory"),
            PidsFloor = limits is not null && Data.OptStr(limits, "pids") is { } pids ? long.Parse(pids, System.Globalization.CultureInfo.InvariantCulture) : null,
            CpusFloor = limits is null ? null : Data.OptStr(limits, "cpus"),
            LimitsWhy = limits is null ? null : Data.OptStr(limits, "why"),
            Notes = Data.OptStr(m, "notes"),
        };
    }

    /// <summary>One image entry: what matching needs now, the whole profile when first used.</summary>
    private sealed class Entry(IReadOnlyList<string> match, string? tagPattern, Func<ImageProfile> read)
    {
        /// <summary>An entry of the compiled JSON: its names and tag pattern are read now, read the way Profile reads them.</summary>
        public static Entry Read(ReadOnlyMemory<byte> json)
        {
            IReadOnlyList<string> match = [];
            string? tagPattern = null;
            foreach (var (name, value) in CompiledRecipeData.Properties(json.Span))
            {
                if (name == "match")
                {
                    match = CompiledRecipeData.Parse(json.Span[value]) is SemSeq q ? [.. q.Items.OfType<SemScalar>().Select(i => i.Value)] : [];
                }
                else if (name == "tag_pattern")
                {
                    tagPattern = CompiledRecipeData.Parse(json.Span[value]) is SemScalar t && t.Tag != ScalarResolver.NullTag ? t.Value : null;
                }
            }

            return new Entry(match, tagPattern, () => Profile((SemMap)CompiledRecipeData.Parse(json.Span)));
        }

        private readonly Lazy<ImageProfile> profile = new(read);
        private Regex? regex;

        public IReadOnlyList<string> Match { get; } = match;

        /// <summary>Compiled on first use: start-up should not compile a pattern for every image in the knowledge base.</summary>
        public Regex? TagPattern => tagPattern is null ? null : regex ??= new Regex(tagPattern, RegexOptions.CultureInvariant);

        public ImageProfile Profile => profile.Value;
    }

    private static List<ImageFact> Facts(SemMap map, string key, string valueKey) =>
        [.. Data.List(map, key).Cast<SemMap>().Select(f => new ImageFact(
            Data.Str(f, valueKey),
            Data.OptStr(f, "why") ?? "",
            Data.OptStr(f, "source") ?? "",
            Data.OptStr(f, "confidence") == "unconfirmed",
            Data.OptStr(f, "options")))];
}

using System.Text.RegularExpressions;
using ComposeFix.Yaml;

namespace ComposeFix.Recipes;

/// <summary>A sourced fact about an image: a capability, a path or a variable.</summary>
public sealed record ImageFact(string Value, string Why, string Source, bool Unconfirmed, string? Options = null);

/// <summary>What an image needs to run hardened (one entry of recipes/images.yml).</summary>
public sealed class ImageProfile
{
    private Regex? tagPattern;

    public required string Id { get; init; }

    public required string Title { get; init; }

    public required IReadOnlyList<string> Match { get; init; }

    /// <summary>The tags this entry is for (a regular expression), or null for every tag.</summary>
    public string? TagPatternText { get; init; }

    /// <summary>Built on first use: start-up should not compile a pattern for every image in the knowledge base.</summary>
    public Regex? TagPattern => TagPatternText is null ? null : tagPattern ??= new Regex(TagPatternText, RegexOptions.CultureInvariant);

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

/// <summary>The image knowledge base (recipes/images.yml), loaded once from the embedded copy.</summary>
public sealed class ImageKnowledge
{
    private static readonly Lazy<ImageKnowledge> Embedded = new(() => FromMeaning(RecipeCatalog.DataFile("recipes/images.yml")));

    private ImageKnowledge(IReadOnlyList<ImageProfile> images, IReadOnlyList<ImageFact> genericTmpfs, string genericNote)
    {
        Images = images;
        GenericTmpfs = genericTmpfs;
        GenericNote = genericNote;
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ImageProfile?> found = new(StringComparer.Ordinal);

    public static ImageKnowledge Default => Embedded.Value;

    public IReadOnlyList<ImageProfile> Images { get; }

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

        var candidates = Images.Where(i => i.Match.Contains(reference.Repository)).ToList();
        return candidates.FirstOrDefault(c => c.TagPattern is not null && c.TagPattern.IsMatch(reference.Tag))
            ?? candidates.FirstOrDefault(c => c.TagPattern is null);
    }

    public static ImageKnowledge Load(string yaml) => FromMeaning(RecipeCatalog.ParseData("recipes/images.yml", yaml));

    private static ImageKnowledge FromMeaning(SemMap root)
    {
        var generic = (SemMap)root.Get("generic")!;
        var images = Data.List(root, "images").Cast<SemMap>().Select(m =>
        {
            var limits = m.Get("limits") as SemMap;
            string? pattern = Data.OptStr(m, "tag_pattern");
            return new ImageProfile
            {
                Id = Data.Str(m, "id"),
                Title = Data.Str(m, "title"),
                Match = Data.Strings(m, "match"),
                TagPatternText = pattern,
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
        }).ToList();
        return new ImageKnowledge(images, Facts(generic, "tmpfs", "path"), Data.OptStr(generic, "note") ?? "");
    }

    private static List<ImageFact> Facts(SemMap map, string key, string valueKey) =>
        [.. Data.List(map, key).Cast<SemMap>().Select(f => new ImageFact(
            Data.Str(f, valueKey),
            Data.OptStr(f, "why") ?? "",
            Data.OptStr(f, "source") ?? "",
            Data.OptStr(f, "confidence") == "unconfirmed",
            Data.OptStr(f, "options")))];
}

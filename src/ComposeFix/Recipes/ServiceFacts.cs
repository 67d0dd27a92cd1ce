using ComposeFix.Compose;
using ComposeFix.Yaml;

namespace ComposeFix.Recipes;

/// <summary>
/// A service value as Compose builds it with <c>extends</c>: found in the service itself (merge keys
/// resolved) or in a service of the same file that it extends (<see cref="From"/>). When the chain
/// reaches another file, which ComposeFix does not read, <see cref="UnreadFile"/> names it.
/// </summary>
public sealed record InheritedValue(Sem? Value, ServiceInfo? From, string? UnreadFile, string? UnreadService)
{
    public bool IsSet => Value is not null;

    public string? Text => Value is SemScalar { Tag: not ScalarResolver.NullTag } s ? s.Value : null;
}

/// <summary>Facts about a service that several recipes read the same way.</summary>
public static class ServiceFacts
{
    /// <summary>
    /// The value of <paramref name="key"/> for <paramref name="service"/>: its own (a null value counts as
    /// unset), else that of the service it extends in the same file, followed to the end of the chain.
    /// </summary>
    public static InheritedValue Lookup(ComposeDocument document, ServiceInfo service, string key)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(service);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var current = service;
        while (seen.Add(current.Name))
        {
            var value = current.Get(key);
            if (value is not null && value is not SemScalar { Tag: ScalarResolver.NullTag })
            {
                return new InheritedValue(value, current, null, null);
            }

            string? baseName = null, file = null;
            switch (current.Get("extends"))
            {
                case SemScalar { Tag: not ScalarResolver.NullTag } s:
                    baseName = s.Value;
                    break;
                case SemMap m:
                    baseName = (m.Get("service") as SemScalar)?.Value;
                    file = m.Get("file") is SemScalar { Tag: not ScalarResolver.NullTag } f && f.Value.Length > 0 ? f.Value : null;
                    break;
            }

            if (baseName is null)
            {
                break;
            }

            if (file is not null)
            {
                return new InheritedValue(null, null, file, baseName);
            }

            var next = document.Service(baseName);
            if (next is null)
            {
                break;
            }

            current = next;
        }

        return new InheritedValue(null, null, null, null);
    }

    /// <summary>
    /// The knowledge-base profile of the image the service runs, or null when the image is unknown: not
    /// in the knowledge base, built by the service itself (<c>build:</c>, whatever <c>image:</c> says, since
    /// the Dockerfile decides), not named, or named by a variable without a default.
    /// </summary>
    public static ImageProfile? Image(RecipeContext context, ServiceInfo service)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (Lookup(context.Document, service, "build").IsSet)
        {
            return null;
        }

        string? image = Lookup(context.Document, service, "image").Text;
        string? resolved = image is null ? null : Interpolation.Resolve(image);
        return resolved is null ? null : context.Images.Find(resolved);
    }

    /// <summary>
    /// What the service inherits through <c>extends</c> from a service of the same file (its chain merged, nearest
    /// first), or the reference when the base is in another file (then nothing about it is known here).
    /// </summary>
    internal static (SemMap? Inherited, string? BaseName, string? External) Extends(ComposeDocument document, ServiceInfo service)
    {
        var entries = new Dictionary<string, Sem>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal) { service.Name };
        string? first = null;
        for (var current = service.Meaning; current.Get("extends") is { } ext;)
        {
            string? name = ext switch
            {
                SemScalar s => s.Value,
                SemMap m => (m.Get("service") as SemScalar)?.Value,
                _ => null,
            };
            if ((ext as SemMap)?.Get("file") is SemScalar { Value.Length: > 0 } file)
            {
                return (null, null, $"'{name}' in {file.Value}");
            }

            first ??= name;
            if (name is null || !seen.Add(name) || document.Service(name) is not { } parent)
            {
                return (null, null, $"'{name}'");
            }

            foreach (var (k, v) in parent.Meaning.Entries)
            {
                entries.TryAdd(k, v);
            }

            current = parent.Meaning;
        }

        entries.Remove("extends");
        return first is null ? (null, null, null) : (new SemMap(entries), first, null);
    }

    /// <summary>The service as Compose runs it: its own keys over the inherited ones, lists of mounts joined.</summary>
    internal static SemMap View(ServiceInfo service, SemMap? inherited)
    {
        if (inherited is null)
        {
            return service.Meaning;
        }

        var entries = new Dictionary<string, Sem>(inherited.Entries, StringComparer.Ordinal);
        foreach (var (k, v) in service.Meaning.Entries)
        {
            entries[k] = k is "volumes" or "tmpfs" && inherited.Get(k) is SemSeq a && v is SemSeq b ? new SemSeq([.. a.Items, .. b.Items]) : v;
        }

        return new SemMap(entries);
    }

    /// <summary>The title without its parenthesised qualifier: "nginx (Docker Official Image)" → "nginx".</summary>
    internal static string ShortTitle(ImageProfile profile)
    {
        int paren = profile.Title.IndexOf(" (", StringComparison.Ordinal);
        return paren > 0 ? profile.Title[..paren] : profile.Title;
    }
}

using ComposeFix.Compose;
using ComposeFix.Editing;
using ComposeFix.Engine;
using ComposeFix.Text;
using ComposeFix.Yaml;

namespace ComposeFix.Recipes;

/// <summary>
/// <b>split-networks</b> — for a project whose services all share the implicit default network,
/// every provider (a service others depend on) leaves the default network and gets a network named
/// after it, shared only with the services that use it.
/// <para>Why: on one flat network every container can reach every other one, so one compromised
/// service reaches the database. CIS Docker Benchmark 5.30 (default bridge), OWASP rule #5.</para>
/// <para>Fix safety: unsafe — the graph is read from depends_on, links and host names in environment,
/// command, entrypoint and healthcheck; a connection the file does not show (a host name built at run
/// time) would break. A project without any edge is left alone and reported. One network per
/// provider keeps the count small (Docker's default address pools hold about 30 networks).
/// The project is the file, its override file (or base file) and the sources of its extends; every
/// file of it must be in the same run, and each gets the edits for the services it defines.</para>
/// </summary>
public sealed class SplitNetworks : IRecipe
{
    public string Id => "split-networks";

    public void Analyze(RecipeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var doc = context.Document;
        if (doc.Services.Count == 0)
        {
            return;
        }

        ComposeProject project;
        try
        {
            project = ComposeProject.Load(context.FilePath, doc);
        }
        catch (InputException ex)
        {
            context.Report(null, $"project file could not be read ({ex.Message}); networks not split", SemPath.Of("services"));
            return;
        }

        var services = project.Services();

        // Only projects on the implicit default network: any explicit network setting is a decision we keep.
        foreach (var (_, defs) in services)
        {
            if (defs.Any(d => d.Service.Get("networks") is not null || d.Service.Get("network_mode") is not null))
            {
                return;
            }
        }

        if (project.HasIncludes)
        {
            context.Report(null, "the project uses include:, whose services this recipe does not follow yet; networks not split", SemPath.Of("include"));
            return;
        }

        if (context.RunFiles is not null)
        {
            var missing = project.Files.Where(f => f.Path is not null && !context.RunFiles.Contains(f.Path)).Select(f => Path.GetFileName(f.Path!)).ToList();
            if (missing.Count > 0)
            {
                context.Report(null, $"the project also loads {string.Join(", ", missing)}; run composefix on all of its files together to split its networks", SemPath.Of("services"));
                return;
            }
        }
        else if (project.Files.Count > 1)
        {
            context.Report(null, "the project has more than one file; run composefix on its folder to split its networks", SemPath.Of("services"));
            return;
        }

        var edges = Edges(services, context.FilePath);
        if (edges.Count == 0)
        {
            context.Report(null, "no dependency between services found (depends_on, links, host names); splitting the default network without knowing who talks to whom would break the project", SemPath.Of("services"));
            return;
        }

        string pattern = context.StringParameter("network_name");
        var existing = project.Files.SelectMany(f => (f.Document.Meaning.Get("networks") as SemMap)?.Entries.Keys ?? []).ToHashSet(StringComparer.Ordinal);
        var providers = edges.Select(e => e.To).Distinct().Order(StringComparer.Ordinal).ToList();
        var networkOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in providers)
        {
            string name = pattern.Replace("{provider}", p, StringComparison.Ordinal);
            while (existing.Contains(name) || networkOf.ContainsValue(name))
            {
                name += "_";
            }

            networkOf[p] = name;
        }

        var thisFile = project.Files.First(f => ReferenceEquals(f.Document, doc));
        bool isBase = ReferenceEquals(project.Files[0], thisFile);
        bool anyOnDefault = false;
        var usedHere = new List<string>();

        // Each service's edges (either end), in the edges' order: looked up, not scanned, per service.
        var edgesOf = edges.SelectMany(e => new[] { (Name: e.From, Edge: e), (Name: e.To, Edge: e) }).Distinct().ToLookup(x => x.Name, x => x.Edge, StringComparer.Ordinal);
        foreach (var (name, defs) in services.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            var nets = new List<string>();
            bool provider = networkOf.ContainsKey(name);
            if (provider)
            {
                nets.Add(networkOf[name]);
            }
            else
            {
                nets.Add("default");
                anyOnDefault = true;
            }

            var deps = edgesOf[name].Where(e => e.From == name).Select(e => e.To).Distinct().Order(StringComparer.Ordinal).ToList();
            nets.AddRange(deps.Select(d => networkOf[d]).Where(n => !nets.Contains(n)));

            // The networks go where the service is first defined; later files inherit them through the merge.
            if (!ReferenceEquals(defs[0].File, thisFile) || (!provider && deps.Count == 0))
            {
                continue;
            }

            var service = defs[0].Service;
            var used = edgesOf[name].Select(e => e.ToString()).ToList();
            context.Fix(service, Applicability.Unsafe, $"networks {string.Join(", ", nets)} (edges: {string.Join("; ", used)})", service.At("networks"),
                new SetIntent(service.At("networks"), NewNode.List(nets)));
        }

        if (isBase)
        {
            usedHere.AddRange(networkOf.Values);
        }
        else
        {
            // Networks of providers defined only in this override file are declared here.
            usedHere.AddRange(providers.Where(p => ReferenceEquals(services[p][0].File, thisFile)).Select(p => networkOf[p]));
        }

        if (isBase && anyOnDefault && !existing.Contains("default"))
        {
            usedHere.Insert(0, "default");
        }

        foreach (var net in usedHere)
        {
            context.Fix(null, Applicability.Unsafe, $"declare network {net}", SemPath.Of("networks", net),
                new SetIntent(SemPath.Of("networks", net), NewNode.Null()));
        }
    }

    public sealed record Edge(string From, string To, string Why)
    {
        public override string ToString() => $"{From} -> {To} ({Why})";
    }

    /// <summary>Who talks to whom: depends_on, links, extends sources, and host names in strings.</summary>
    public static List<Edge> Edges(Dictionary<string, List<(ProjectFile File, ServiceInfo Service)>> services, string? filePath)
    {
        ArgumentNullException.ThrowIfNull(services);
        var edges = new List<Edge>();
        var names = services.Keys.ToHashSet(StringComparer.Ordinal);

        // container_name and hostname are host names of their service too.
        var hostNames = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, defs) in services)
        {
            hostNames[name] = name;
            foreach (var (_, s) in defs)
            {
                foreach (var key in new[] { "container_name", "hostname" })
                {
                    if (s.GetString(key) is { } h && !hostNames.ContainsKey(h))
                    {
                        hostNames[h] = name;
                    }
                }
            }
        }

        var hosts = new HostIndex(hostNames);
        foreach (var (name, defs) in services)
        {
            foreach (var (file, s) in defs)
            {
                foreach (var meaning in Definitions(s, file, filePath))
                {
                    Collect(name, meaning, names, hosts, edges);
                }
            }
        }

        return [.. edges.DistinctBy(e => (e.From, e.To))];
    }

    /// <summary>A service's own meaning plus what it extends (same file or another file), which Compose copies in.</summary>
    private static IEnumerable<SemMap> Definitions(ServiceInfo service, ProjectFile file, string? filePath)
    {
        yield return service.Meaning;
        var ext = service.Get("extends");
        string? baseName = ComposeProject.StringOf(ext) ?? ComposeProject.StringOf((ext as SemMap)?.Get("service"));
        string? baseFile = ComposeProject.StringOf((ext as SemMap)?.Get("file"));
        if (baseName is null)
        {
            yield break;
        }

        ComposeDocument? source = file.Document;
        if (baseFile is not null)
        {
            string? dir = file.Path is null ? (filePath is null ? null : Path.GetDirectoryName(filePath)) : Path.GetDirectoryName(file.Path);
            try
            {
                source = dir is null ? null : ComposeProject.Read(Path.Combine(dir, baseFile));
            }
            catch (InputException)
            {
                source = null;
            }
        }

        if (source?.Service(baseName) is { } b)
        {
            yield return b.Meaning;
        }
    }

    private static void Collect(string from, SemMap s, HashSet<string> names, HostIndex hosts, List<Edge> edges)
    {
        switch (s.Get("depends_on"))
        {
            case SemSeq list:
                foreach (var d in list.Items.OfType<SemScalar>())
                {
                    Add(d.Value, "depends_on");
                }

                break;
            case SemMap map:
                foreach (var d in map.Entries.Keys)
                {
                    Add(d, "depends_on");
                }

                break;
        }

        if (s.Get("links") is SemSeq links)
        {
            foreach (var l in links.Items.OfType<SemScalar>())
            {
                Add(l.Value.Split(':')[0], "links");
            }
        }

        foreach (var key in new[] { "environment", "command", "entrypoint", "healthcheck" })
        {
            foreach (var text in Strings(s.Get(key)))
            {
                foreach (var (host, target) in hosts.MentionedIn(text))
                {
                    if (target != from)
                    {
                        Add(target, $"{key} mentions {host}");
                    }
                }
            }
        }

        void Add(string to, string why)
        {
            if (to != from && names.Contains(to))
            {
                edges.Add(new Edge(from, to, why));
            }
        }
    }

    /// <summary>Every string inside a value, including mapping keys=values as NAME=value.</summary>
    private static IEnumerable<string> Strings(Sem? value)
    {
        switch (value)
        {
            case SemScalar s:
                yield return s.Value;
                break;
            case SemSeq q:
                foreach (var i in q.Items)
                {
                    foreach (var x in Strings(i))
                    {
                        yield return x;
                    }
                }

                break;
            case SemMap m:
                foreach (var (k, v) in m.Entries)
                {
                    foreach (var x in Strings(v))
                    {
                        yield return x;
                    }
                }

                break;
        }
    }

    /// <summary>
    /// True when the text names the host as a host: the whole value, NAME=host, host:port, scheme://host,
    /// user@host, host/path. Generous on purpose: a spurious edge only keeps a connection, a missed one breaks it.
    /// </summary>
    public static bool MentionsHost(string text, string host)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(host);
        int i = 0;
        while ((i = text.IndexOf(host, i, StringComparison.OrdinalIgnoreCase)) >= 0)
        {
            int end = i + host.Length;
            bool startOk = i == 0 || !IsHostChar(text[i - 1]);
            bool endOk = end == text.Length || !IsHostChar(text[end]) || text[end] == '.';
            if (startOk && endOk && (end == text.Length || text[end] != '.' || !char.IsLetter(text.ElementAtOrDefault(end + 1))))
            {
                return true;
            }

            i = end;
        }

        return false;
    }

    private static bool IsHostChar(char c) => char.IsLetterOrDigit(c) || c is '-' or '_' or '.';

    /// <summary>
    /// The host names of a project, looked up by the words of a text instead of searching the text for
    /// each name (which made the dependency graph quadratic in the number of services). Finds what
    /// <see cref="MentionsHost"/> finds, in the order of the names.
    /// </summary>
    private sealed class HostIndex
    {
        private readonly Dictionary<string, List<(int Order, string Host, string Target)>> byName = new(StringComparer.OrdinalIgnoreCase);
        private readonly List<(int Order, string Host, string Target)> unusual = []; // names with characters a word cannot hold

        public HostIndex(Dictionary<string, string> hostNames)
        {
            int order = 0;
            foreach (var (host, target) in hostNames)
            {
                var entry = (order++, host, target);
                if (host.Length == 0)
                {
                    continue; // an empty name names nothing
                }

                if (host.All(IsHostChar))
                {
                    if (!byName.TryGetValue(host, out var list))
                    {
                        byName[host] = list = [];
                    }

                    list.Add(entry);
                }
                else
                {
                    unusual.Add(entry);
                }
            }
        }

        public IEnumerable<(string Host, string Target)> MentionedIn(string text)
        {
            var found = new List<(int Order, string Host, string Target)>();
            var lookup = byName.GetAlternateLookup<ReadOnlySpan<char>>();

            // A mention starts a word (a run of host characters) and ends the word, or ends before a dot
            // that no letter follows ("db.5" or "db." but not "db.internal").
            int i = 0;
            while (i < text.Length)
            {
                if (!IsHostChar(text[i]))
                {
                    i++;
                    continue;
                }

                int start = i;
                while (i < text.Length && IsHostChar(text[i]))
                {
                    i++;
                }

                if (lookup.TryGetValue(text.AsSpan(start, i - start), out var whole))
                {
                    found.AddRange(whole);
                }

                for (int dot = start + 1; dot < i; dot++)
                {
                    if (text[dot] == '.' && !(dot + 1 < text.Length && char.IsLetter(text[dot + 1])) && lookup.TryGetValue(text.AsSpan(start, dot - start), out var prefix))
                    {
                        found.AddRange(prefix);
                    }
                }
            }

            found.AddRange(unusual.Where(u => MentionsHost(text, u.Host)));
            return found.DistinctBy(f => f.Order).OrderBy(f => f.Order).Select(f => (f.Host, f.Target));
        }
    }
}

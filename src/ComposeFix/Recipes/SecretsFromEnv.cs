using System.Text;
using System.Text.RegularExpressions;
using ComposeFix.Compose;
using ComposeFix.Editing;
using ComposeFix.Engine;
using ComposeFix.Yaml;

namespace ComposeFix.Recipes;

/// <summary>
/// <b>secrets-from-env</b> — literal secrets in <c>environment</c> move to file-based Compose secrets.
/// <para>What it does: a variable whose name matches <c>name_patterns</c> (<c>*PASSWORD*</c>,
/// <c>*SECRET*</c>, <c>*TOKEN*</c>, …, without case) or whose value is a URL with a password
/// (<c>postgres://app:pw@db/app</c>) holds a literal secret, unless the value is interpolated
/// (<c>${X}</c>, <c>$X</c>), empty, a boolean or a number, or the name ends in <c>_FILE</c>. The
/// value is written to <c>secrets/&lt;service&gt;_&lt;variable&gt;</c> next to the compose file (mode
/// 600, no trailing newline, <c>$$</c> unescaped to <c>$</c>), that path is added to the
/// <c>.gitignore</c> beside it, the top-level <c>secrets</c> gets <c>file: ./secrets/&lt;name&gt;</c>
/// (the only attribute Compose v1 also accepts) and the service lists the secret, which Compose
/// mounts at <c>/run/secrets/&lt;name&gt;</c>. When the image knowledge base says the image reads
/// <c>VAR_FILE</c>, VAR is replaced in place by <c>VAR_FILE=/run/secrets/&lt;name&gt;</c> (those
/// entrypoints refuse both); otherwise VAR is removed.</para>
/// <para>Why: a literal in the compose file is in every clone, in the history, in <c>docker
/// inspect</c> and in the environment of every process of the container. OWASP Docker rule #12.</para>
/// <para>Fix safety: safe for an image that reads <c>VAR_FILE</c> as root with DAC_OVERRIDE or
/// DAC_READ_SEARCH (postgres, mysql, mariadb, traefik). Unsafe when the image reads the file as a
/// non-root user or ignores an unreadable file (the file is 0600 and owned by whoever ran the fix),
/// when the service sets a non-root <c>user:</c> or drops both capabilities, and when the image
/// does not read <c>VAR_FILE</c> or is unknown (the variable is removed and the application must read
/// the file itself). Not moved, and reported: images whose knowledge-base notes say <c>_FILE</c>
/// breaks them (rabbitmq, keycloak), variables the service's command, entrypoint or healthcheck
/// reads at run time (<c>$$VAR</c>), variables whose <c>VAR_FILE</c> is already set or that an
/// <c>env_file</c> or a merge key of the same mapping also sets, and values inherited through a
/// merge key (<c>&lt;&lt;:</c>) from an anchor that another service keeps using unchanged.
/// Values never appear in notes or reports. The old value stays in the repository history: every
/// note says to rotate it.</para>
/// <para>Anchors: services that inherit one entry share one secret named after the anchor, so that
/// the engine can change the anchor itself (it does when they all change the same way; otherwise each
/// service gets its own copy and a later run reports the literal left in an <c>x-</c> field). Fixes:
/// one per secret, so that safe moves are applied when others are held back; see <see cref="Group"/>.</para>
/// </summary>
public sealed partial class SecretsFromEnv : IRecipe
{
    /// <summary>
    /// Images of the knowledge base that read <c>VAR_FILE</c> but where a 0600 file owned by the user
    /// who ran the fix does not reliably work. The knowledge base has no structured field for who
    /// reads the file; these reasons restate its notes (recipes/images.yml, by entry id).
    /// </summary>
    private static readonly Dictionary<string, string> FileReaderCaveats = new(StringComparer.Ordinal)
    {
        ["mongo"] = "mongo reads the file as uid 999 after dropping root, and a mode-600 file owned by you is unreadable to it",
        ["elasticsearch"] = "Elasticsearch reads the file as uid 1000, so the file must be owned by uid 1000",
        ["nextcloud"] = "nextcloud needs the file readable by www-data (uid 33)",
        ["nextcloud-fpm"] = "nextcloud needs the file readable by www-data (uid 33)",
        ["wordpress"] = "WordPress reads the file from PHP as www-data (uid 33), which cannot read a mode-600 file owned by you",
        ["wordpress-fpm"] = "WordPress reads the file from PHP as www-data (uid 33), which cannot read a mode-600 file owned by you",
        ["phpmyadmin"] = "phpMyAdmin reads the file from PHP as www-data, which cannot read a mode-600 file owned by you",
        ["phpmyadmin-fpm"] = "phpMyAdmin reads the file from PHP as www-data, which cannot read a mode-600 file owned by you",
        ["bitnami-postgresql"] = "the Bitnami image reads the file as uid 1001 and only logs a warning when it cannot",
        ["minio"] = "MinIO silently ignores a missing or unreadable file",
    };

    public string Id => "secrets-from-env";

    public void Analyze(RecipeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var patterns = new Patterns(context.ListParameter("name_patterns"), context.ListParameter("exclude_patterns"));
        string dir = NormalizeDir(context.StringParameter("secrets_dir"));
        var doc = context.Document;
        var topLevel = doc.Meaning.Get("secrets");
        if (topLevel is not null and not SemMap && !IsNull(topLevel))
        {
            context.Report(null, "the top-level secrets: is not a mapping; literal secrets in environment were not moved", SemPath.Of("secrets"));
            return;
        }

        var aliased = doc.Document.Aliases.Select(a => a.Target).ToHashSet();
        var reached = new HashSet<YNode>();
        var staying = new Dictionary<YNode, List<string>>();
        var moves = new List<Move>();
        foreach (var service in doc.Services)
        {
            foreach (var candidate in Candidates(service))
            {
                if (!IsSecret(candidate.Name, candidate.Raw, patterns))
                {
                    continue;
                }

                var (source, viaMerge) = SourceOf(doc, candidate.Path);
                if (source is not null)
                {
                    reached.Add(source);
                }

                var move = Decide(context, service, candidate, source, viaMerge);
                var serviceSecrets = service.Get("secrets");
                if (move is not null && serviceSecrets is not null and not SemSeq && !IsNull(serviceSecrets))
                {
                    context.Report(service, $"literal secret in {candidate.Name} not moved: the service's secrets: is not a list; move it by hand and rotate the value (it is in the repository history)", service.At("secrets"));
                    move = null;
                }

                if (move is not null)
                {
                    moves.Add(move);
                }
                else if (source is not null)
                {
                    (staying.TryGetValue(source, out var list) ? list : staying[source] = []).Add(service.Name);
                }
            }
        }

        ReportUnusedExtensionLiterals(context, doc, patterns, reached);
        moves = Name(context, moves, topLevel as SemMap, dir, aliased, staying, out var names);
        if (moves.Count == 0)
        {
            return;
        }

        // The first .gitignore change starts with a newline when the file lacks a final one: the first fix
        // and the first safe fix carry it (one of them is the first fix applied, in either mode).
        var gitignore = new GitIgnore(context.Directory);
        var groups = Group(moves, doc);
        var firstSafe = groups.FirstOrDefault(g => g.All(m => m.Applicability == Applicability.Safe));
        foreach (var group in groups)
        {
            context.Add(Build(doc, group, dir, names, gitignore, group == groups[0] || group == firstSafe));
        }
    }

    /// <summary>
    /// Gives every moved value its secret name. Services that inherit the same entry through an
    /// anchor share one secret, named after the anchor, so that the anchor itself can be edited once
    /// (and loses its literal) when they all change the same way.
    /// </summary>
    private static List<Move> Name(RecipeContext context, List<Move> moves, SemMap? topLevel, string dir, HashSet<YNode> aliased, Dictionary<YNode, List<string>> staying, out SecretNames names)
    {
        names = new SecretNames(context, context.Document, topLevel, dir);
        var kept = new List<Move>();
        foreach (var bySource in moves.GroupBy(m => (object?)m.Source ?? m))
        {
            var users = bySource.ToList();
            var first = users[0];
            if (users.Any(m => m.ViaMerge) && first.Source is not null && staying.TryGetValue(first.Source, out var others))
            {
                // A key that a service's environment gets through a merge key (<<:) can only be changed in the
                // anchor itself, so every service that reads it there must change the same way.
                foreach (var m in users)
                {
                    context.Report(m.Service, $"literal secret in {m.Candidate.Name} not moved: it is inherited through a merge key (<<:) from an anchor that {string.Join(", ", others)} keep{(others.Count == 1 ? "s" : "")} using unchanged; move it by hand in the anchor and rotate the value (it is in the repository history)", m.Candidate.Path);
                }

                continue;
            }

            if (users.Count > 1 && users.Any(m => m.Rename != first.Rename))
            {
                string readers = string.Join(", ", users.Where(m => m.Rename).Select(m => m.Service.Name));
                foreach (var m in users)
                {
                    context.Report(m.Service, $"literal secret in {m.Candidate.Name} not moved: it is inherited from an anchor by services that need different changes ({readers} can read {m.Candidate.Name}_FILE, the others cannot); move it by hand and rotate the value (it is in the repository history)", m.Candidate.Path);
                }

                continue;
            }

            string owner = users.Count > 1 && AnchorOf(first.Source!, aliased) is { } anchor ? anchor : first.Service.Name;
            string name = names.Choose(SecretName(owner, first.Candidate.Name), first.Candidate.Value);
            foreach (var m in users)
            {
                m.Name = name;
                kept.Add(m);
            }
        }

        // Keep the file's order (services, then variables) for the fixes and notes.
        return [.. moves.Where(kept.Contains)];
    }

    /// <summary>The node a service's variable is written in (its value, or its list item): shared by services that inherit it.</summary>
    private static (YNode? Source, bool ViaMerge) SourceOf(ComposeDocument doc, SemPath path)
    {
        var steps = NodeLocator.Walk(doc.Root, path);
        return steps.Count == path.Segments.Count ? (steps[^1].Child, steps[^1].ViaMerge) : (null, false);
    }

    /// <summary>The name of the nearest aliased anchor that holds the node.</summary>
    private static string? AnchorOf(YNode node, HashSet<YNode> aliased)
    {
        for (YNode? n = node; n is not null; n = n.Parent)
        {
            if (n.Anchor is not null && aliased.Contains(n))
            {
                return n.Anchor;
            }
        }

        return null;
    }

    /// <summary>
    /// Literal secrets in top-level <c>x-</c> fields that no service takes into its environment:
    /// Compose ignores them, but they are in the file (for example in an anchor whose users were
    /// given their own copy by an earlier run). Reported, never removed.
    /// </summary>
    private static void ReportUnusedExtensionLiterals(RecipeContext context, ComposeDocument doc, Patterns patterns, HashSet<YNode> reached)
    {
        foreach (var pair in doc.Root.Pairs)
        {
            if (pair.KeyText is { } key && key.StartsWith("x-", StringComparison.Ordinal))
            {
                Scan(pair.Value, SemPath.Of(key));
            }
        }

        void Scan(YNode node, SemPath path)
        {
            switch (node)
            {
                case YMapping map:
                    foreach (var p in map.Pairs)
                    {
                        if (p.IsMerge || p.KeyText is not { } k)
                        {
                            continue;
                        }

                        if (p.Value is YScalar s && !reached.Contains(p.Value) && ScalarResolver.Resolve(s).Tag == ScalarResolver.StrTag && IsSecret(k, s.Value, patterns))
                        {
                            Leftover(k, path.Append(k));
                        }
                        else
                        {
                            Scan(p.Value, path.Append(k));
                        }
                    }

                    break;
                case YSequence seq:
                    for (int i = 0; i < seq.Items.Count; i++)
                    {
                        if (seq.Items[i] is YScalar s && !reached.Contains(s) && ScalarResolver.Resolve(s).Tag == ScalarResolver.StrTag
                            && s.Value.IndexOf('=', StringComparison.Ordinal) is int eq and > 0 && IsSecret(s.Value[..eq], s.Value[(eq + 1)..], patterns))
                        {
                            Leftover(s.Value[..eq], path.Append(i));
                        }
                        else
                        {
                            Scan(seq.Items[i], path.Append(i));
                        }
                    }

                    break;
            }
        }

        void Leftover(string var, SemPath path) =>
            context.Report(null, $"literal secret in {path}: no service takes {var} from here (Compose ignores x- fields), but the value is in the file; delete it if nothing else uses it, and rotate it (it is in the repository history)", path);
    }

    // ---- finding the literals ------------------------------------------------------------------

    private sealed record Candidate(string Name, string Raw, string Value, SemPath Path, bool ListForm, int Index);

    private static IEnumerable<Candidate> Candidates(ServiceInfo service)
    {
        switch (service.Get("environment"))
        {
            case SemMap map:
                foreach (var (name, value) in map.Entries)
                {
                    // Booleans, numbers and nulls (ALLOW_EMPTY_PASSWORD: yes is a string, handled below) are not secrets.
                    if (value is SemScalar { Tag: ScalarResolver.StrTag } s && s.Value.Length > 0)
                    {
                        yield return new Candidate(name, s.Value, "", service.At("environment", name), false, -1);
                    }
                }

                break;
            case SemSeq seq:
                for (int i = 0; i < seq.Items.Count; i++)
                {
                    if (seq.Items[i] is SemScalar { Tag: ScalarResolver.StrTag } s && s.Value.IndexOf('=', StringComparison.Ordinal) is int eq and > 0)
                    {
                        yield return new Candidate(s.Value[..eq], s.Value[(eq + 1)..], "", service.At("environment", i), true, i);
                    }
                }

                break;
        }
    }

    private static bool IsSecret(string name, string raw, Patterns patterns)
    {
        if (raw.Length == 0 || name.EndsWith("_FILE", StringComparison.OrdinalIgnoreCase) || Unescape(raw) is not { } value || value.Trim().Length == 0)
        {
            return false;
        }

        if (UrlWithPassword().IsMatch(value))
        {
            return true;
        }

        return patterns.Matches(name) && !NotASecret().IsMatch(value.Trim()) && !UrlWithoutPassword().IsMatch(value);
    }

    /// <summary>The value as the container sees it (<c>$$</c> → <c>$</c>), or null when Compose interpolates it.</summary>
    private static string? Unescape(string raw)
    {
        var sb = new StringBuilder(raw.Length);
        for (int i = 0; i < raw.Length; i++)
        {
            if (raw[i] != '$')
            {
                sb.Append(raw[i]);
            }
            else if (i + 1 < raw.Length && raw[i + 1] == '$')
            {
                sb.Append('$');
                i++;
            }
            else
            {
                // ${VAR}, $VAR, and a lone $ (which Compose rejects as an invalid template).
                return null;
            }
        }

        return sb.ToString();
    }

    private static Move? Decide(RecipeContext context, ServiceInfo service, Candidate candidate, YNode? source, bool viaMerge)
    {
        string var = candidate.Name;
        var profile = context.Images.Find(service.GetString("image"));
        if (profile?.Notes is { } notes && notes.Contains("Do NOT convert", StringComparison.Ordinal))
        {
            context.Report(service, $"literal secret in {var} not moved: the image knowledge base says {profile.Title} must not get _FILE variables and reads only the plain one; take it from an untracked .env file as ${{{var}}} instead, and rotate it (it is in the repository history)", candidate.Path);
            return null;
        }

        if (RunTimeReference(service, var) is { } where)
        {
            context.Report(service, $"literal secret in {var} not moved: the service's {where} reads ${var} at run time and would lose it; make it read the secret file first (or take the value from an untracked .env file as ${{{var}}}), and rotate it (it is in the repository history)", candidate.Path);
            return null;
        }

        if (HasVariable(service, var + "_FILE"))
        {
            context.Report(service, $"literal secret in {var} not moved: {var}_FILE is also set, and images that read both refuse to start; remove one by hand and rotate the value (it is in the repository history)", candidate.Path);
            return null;
        }

        if (!candidate.ListForm && ShadowsMergedKey(context.Document, candidate.Path))
        {
            context.Report(service, $"literal secret in {var} not moved: the environment also inherits {var} through a merge key (<<:), which would take effect once this one leaves; move both by hand and rotate the value (it is in the repository history)", candidate.Path);
            return null;
        }

        if (EnvFileSetting(context.Directory, service, var) is { } envFile)
        {
            context.Report(service, $"literal secret in {var} not moved: env_file {envFile} also sets {var}, which would take effect once it leaves environment; move both by hand and rotate the value (it is in the repository history)", candidate.Path);
            return null;
        }

        var move = new Move(service, candidate with { Value = Unescape(candidate.Raw)! }, source, profile) { ViaMerge = viaMerge };
        if (profile is null || !profile.SecretFileVars.Any(f => f.Value == var))
        {
            move.Applicability = Applicability.Unsafe;
            return move;
        }

        move.Rename = true;
        if (FileReaderCaveats.TryGetValue(profile.Id, out var caveat))
        {
            move.Caveats.Add(caveat);
        }

        if (service.GetString("user") is { } user && !IsRootUser(user))
        {
            move.Caveats.Add($"the service runs as user {user}, which cannot read a mode-600 file owned by you unless it is your uid");
        }

        if (!CanReadOthersFiles(service))
        {
            move.Caveats.Add("root in the container reads a file owned by you only with DAC_OVERRIDE or DAC_READ_SEARCH, and cap_drop removes both");
        }

        move.Applicability = move.Caveats.Count == 0 ? Applicability.Safe : Applicability.Unsafe;
        return move;
    }

    /// <summary>Where the container's own shell reads the variable (<c>$$VAR</c> / <c>$${VAR}</c> in the file).</summary>
    private static string? RunTimeReference(ServiceInfo service, string var)
    {
        var pattern = new Regex(@"\$\$\{?" + Regex.Escape(var) + "(?![A-Za-z0-9_])", RegexOptions.CultureInvariant);
        foreach (var (key, label) in new[] { ("healthcheck", "healthcheck"), ("command", "command"), ("entrypoint", "entrypoint") })
        {
            if (service.Get(key) is { } value && Strings(value).Any(s => pattern.IsMatch(s)))
            {
                return label;
            }
        }

        return null;
    }

    private static IEnumerable<string> Strings(Sem value) => value switch
    {
        SemScalar s => [s.Value],
        SemSeq q => q.Items.SelectMany(Strings),
        SemMap m => m.Entries.Values.SelectMany(Strings),
        _ => [],
    };

    private static bool HasVariable(ServiceInfo service, string name) => service.Get("environment") switch
    {
        SemMap m => m.Get(name) is { } v && !IsNull(v),
        SemSeq q => q.Items.OfType<SemScalar>().Any(s => s.Value.StartsWith(name + "=", StringComparison.Ordinal) || s.Value == name),
        _ => false,
    };

    /// <summary>The service's own key hides a key of the same name that a merge key (<c>&lt;&lt;:</c>) of the same mapping brings in.</summary>
    private static bool ShadowsMergedKey(ComposeDocument doc, SemPath path)
    {
        var steps = NodeLocator.Walk(doc.Root, path);
        if (steps.Count != path.Segments.Count || steps[^1].ViaMerge || steps[^1].Container is not YMapping map)
        {
            return false;
        }

        string key = (string)path.Segments[^1];
        foreach (var merge in map.Pairs.Where(p => p.IsMerge))
        {
            var value = SemanticBuilder.Unalias(merge.Value);
            IEnumerable<YNode> sources = value is YSequence seq ? seq.Items.Select(SemanticBuilder.Unalias) : [value];
            if (sources.OfType<YMapping>().Any(m => NodeLocator.FindKey(m, key, 0).Pair is not null))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>An env_file of the service (read when the compose file is on disk) that also sets the variable.</summary>
    private static string? EnvFileSetting(string? directory, ServiceInfo service, string var)
    {
        if (directory is null)
        {
            return null;
        }

        var files = service.Get("env_file") switch
        {
            SemScalar s => [s.Value],
            SemSeq q => q.Items.Select(i => i switch
            {
                SemScalar s => s.Value,
                SemMap m => (m.Get("path") as SemScalar)?.Value,
                _ => null,
            }).OfType<string>().ToList(),
            _ => new List<string>(),
        };
        var setting = new Regex(@"^\s*(?:export\s+)?" + Regex.Escape(var) + @"\s*=", RegexOptions.CultureInvariant | RegexOptions.Multiline);
        foreach (var file in files)
        {
            try
            {
                string path = Path.Combine(directory, file);
                if (File.Exists(path) && setting.IsMatch(File.ReadAllText(path)))
                {
                    return file;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
            {
                // unreadable: nothing to compare with
            }
        }

        return null;
    }

    private static bool IsRootUser(string user)
    {
        string who = user.Split(':')[0].Trim();
        return who is "root" or "0" or "";
    }

    /// <summary>Whether root in the container keeps DAC_OVERRIDE or DAC_READ_SEARCH (Docker's default set has the first).</summary>
    private static bool CanReadOthersFiles(ServiceInfo service)
    {
        if (service.Get("privileged") is SemScalar { Tag: ScalarResolver.BoolTag, Value: "true" })
        {
            return true;
        }

        var drop = Capabilities(service.Get("cap_drop"));
        var add = Capabilities(service.Get("cap_add"));
        bool overrideKept = add.Contains("ALL") || add.Contains("DAC_OVERRIDE") || !(drop.Contains("ALL") || drop.Contains("DAC_OVERRIDE"));
        bool readSearch = add.Contains("ALL") || add.Contains("DAC_READ_SEARCH");
        return overrideKept || readSearch;
    }

    private static HashSet<string> Capabilities(Sem? value)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        if (value is SemSeq q)
        {
            foreach (var s in q.Items.OfType<SemScalar>())
            {
                string cap = s.Value.Trim().ToUpperInvariant();
                set.Add(cap.StartsWith("CAP_", StringComparison.Ordinal) ? cap[4..] : cap);
            }
        }

        return set;
    }

    // ---- names and files -----------------------------------------------------------------------

    private static string SecretName(string service, string var)
    {
        var sb = new StringBuilder();
        foreach (char c in $"{service}_{var}".ToLowerInvariant())
        {
            sb.Append(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' ? c : '_');
        }

        return sb.ToString();
    }

    private static string NormalizeDir(string dir)
    {
        string d = dir.Replace('\\', '/').TrimEnd('/');
        while (d.StartsWith("./", StringComparison.Ordinal))
        {
            d = d[2..];
        }

        return d.Length == 0 || d == "." ? "secrets" : d;
    }

    /// <summary>Picks unique secret names: not used in the file for anything else, and never overwriting a secret file with another value.</summary>
    private sealed class SecretNames(RecipeContext context, ComposeDocument doc, SemMap? topLevel, string dir)
    {
        private readonly HashSet<string> chosen = new(StringComparer.Ordinal);
        private readonly HashSet<string> referenced = ReferencedNames(doc);

        /// <summary>Names whose top-level definition already exists with the right file.</summary>
        public HashSet<string> Defined { get; } = new(StringComparer.Ordinal);

        /// <summary>Names whose secret file already exists with the same value.</summary>
        public HashSet<string> OnDisk { get; } = new(StringComparer.Ordinal);

        public string Choose(string baseName, string value)
        {
            for (int n = 1; ; n++)
            {
                string name = n == 1 ? baseName : $"{baseName}_{n}";
                if (chosen.Contains(name))
                {
                    continue;
                }

                bool defined = false;
                if (topLevel?.Get(name) is { } existing)
                {
                    if (!IsOurDefinition(existing, name))
                    {
                        continue;
                    }

                    defined = true;
                }
                else if (referenced.Contains(name))
                {
                    continue; // a service refers to it (defined in another file?): not ours to reuse
                }

                var file = Disk(name, value);
                if (file == DiskState.Different)
                {
                    continue;
                }

                chosen.Add(name);
                if (defined)
                {
                    Defined.Add(name);
                }

                if (file == DiskState.Same)
                {
                    OnDisk.Add(name);
                }

                return name;
            }
        }

        private bool IsOurDefinition(Sem existing, string name) =>
            existing is SemMap m && m.Entries.Count == 1 && m.Get("file") is SemScalar { Tag: ScalarResolver.StrTag } f
            && NormalizeDir(f.Value) == $"{dir}/{name}";

        private enum DiskState
        {
            Missing,
            Same,
            Different,
        }

        private DiskState Disk(string name, string value)
        {
            if (context.Directory is null)
            {
                return DiskState.Missing;
            }

            string path = Path.Combine(context.Directory, dir, name);
            try
            {
                if (Directory.Exists(path))
                {
                    return DiskState.Different;
                }

                if (!File.Exists(path))
                {
                    return DiskState.Missing;
                }

                return File.ReadAllBytes(path).AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(value)) ? DiskState.Same : DiskState.Different;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return DiskState.Different;
            }
        }

        private static HashSet<string> ReferencedNames(ComposeDocument doc)
        {
            var set = new HashSet<string>(StringComparer.Ordinal);
            foreach (var service in doc.Services)
            {
                if (service.Get("secrets") is SemSeq q)
                {
                    foreach (var item in q.Items)
                    {
                        if (item is SemScalar s)
                        {
                            set.Add(s.Value);
                        }
                        else if (item is SemMap m && m.Get("source") is SemScalar src)
                        {
                            set.Add(src.Value);
                        }
                    }
                }
            }

            return set;
        }
    }

    /// <summary>The .gitignore next to the compose file: which lines it has, and whether it ends with a newline.</summary>
    private sealed class GitIgnore
    {
        private readonly HashSet<string> lines = new(StringComparer.Ordinal);

        public GitIgnore(string? directory)
        {
            if (directory is null)
            {
                return;
            }

            string path = Path.Combine(directory, ".gitignore");
            try
            {
                if (File.Exists(path))
                {
                    string text = File.ReadAllText(path);
                    NewLine = text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
                    NeedsNewLine = text.Length > 0 && !text.EndsWith('\n');
                    foreach (var line in text.Split('\n'))
                    {
                        lines.Add(line.TrimEnd('\r', ' ', '\t'));
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // treated as empty: at worst a line is added twice
            }
        }

        /// <summary>The line ending the file already uses.</summary>
        public string NewLine { get; } = "\n";

        /// <summary>The file does not end with a newline: the first append starts with one.</summary>
        public bool NeedsNewLine { get; }

        /// <summary>True when a line already ignores <paramref name="path"/> (the path itself or its whole folder).</summary>
        public bool Covers(string path)
        {
            string folder = path[..path.LastIndexOf('/')];
            string[] forms = [path, "/" + path, folder, folder + "/", "/" + folder, "/" + folder + "/", folder + "/*", "/" + folder + "/*", folder + "/**", "/" + folder + "/**"];
            return forms.Any(lines.Contains);
        }
    }

    // ---- fixes ---------------------------------------------------------------------------------

    private sealed class Move(ServiceInfo service, Candidate candidate, YNode? source, ImageProfile? profile)
    {
        public ServiceInfo Service { get; } = service;

        public Candidate Candidate { get; } = candidate;

        /// <summary>Where the value is written; services that inherit it through an anchor share it.</summary>
        public YNode? Source { get; } = source;

        public ImageProfile? Profile { get; } = profile;

        /// <summary>The environment gets the variable through a merge key (<c>&lt;&lt;:</c>) of its own mapping.</summary>
        public bool ViaMerge { get; init; }

        public string Name { get; set; } = "";

        /// <summary>VAR becomes VAR_FILE (the image reads it); otherwise VAR is removed.</summary>
        public bool Rename { get; set; }

        public Applicability Applicability { get; set; }

        /// <summary>Why a rename is unsafe.</summary>
        public List<string> Caveats { get; } = [];
    }

    /// <summary>
    /// One fix per secret, so that a safe move is applied even when another move of the file is
    /// unsafe (the planner writes a new top-level secrets: or service list once for all the fixes
    /// that add to it). Moves share a fix when they share a secret (services inheriting one anchor
    /// entry), and all moves of a service whose environment they empty share one (it loses the key).
    /// Order: safe fixes first, then renames, then list removals from the highest index down, so
    /// that every path still points at its item whichever fixes are applied.
    /// </summary>
    private static List<List<Move>> Group(List<Move> moves, ComposeDocument doc)
    {
        // Moves that must share one fix: the editor cannot add two items to an empty existing list (or
        // two keys to an empty mapping) from two fixes, and an emptied environment loses its key.
        var together = moves.GroupBy(m => m.Service)
            .Where(g => (g.All(m => !m.Rename) && g.Count() == EnvironmentSize(g.Key)) || IsEmptyCollection(g.Key.Get("secrets")))
            .Select(g => g.Key).ToHashSet();
        bool all = IsEmptyCollection(doc.Meaning.Get("secrets"));

        // Connected moves (same secret name, or the same service when its moves go together), found with
        // union-find so that thousands of moves are not compared pairwise; groups keep the moves' order.
        var parent = Enumerable.Range(0, moves.Count).ToArray();
        int Root(int i)
        {
            while (parent[i] != i)
            {
                i = parent[i] = parent[parent[i]];
            }

            return i;
        }

        var firstByName = new Dictionary<string, int>(StringComparer.Ordinal);
        var firstByService = new Dictionary<ServiceInfo, int>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < moves.Count; i++)
        {
            if (all && i > 0)
            {
                parent[Root(i)] = Root(0);
            }

            if (!firstByName.TryAdd(moves[i].Name, i))
            {
                parent[Root(i)] = Root(firstByName[moves[i].Name]);
            }

            if (together.Contains(moves[i].Service) && !firstByService.TryAdd(moves[i].Service, i))
            {
                parent[Root(i)] = Root(firstByService[moves[i].Service]);
            }
        }

        var byRoot = new Dictionary<int, List<Move>>();
        var groups = new List<List<Move>>();
        for (int i = 0; i < moves.Count; i++)
        {
            if (!byRoot.TryGetValue(Root(i), out var group))
            {
                byRoot[Root(i)] = group = [];
                groups.Add(group);
            }

            group.Add(moves[i]);
        }

        // The planner writes new keys in the order the fixes first ask for them, and a new secrets: list
        // at the end of the last service lands where a new top-level secrets: does: the service's must
        // be asked for first, or it would be written after (and inside) the top-level block.
        var last = doc.Meaning.Get("secrets") is null && doc.Root.Pairs.LastOrDefault()?.KeyText == "services"
            ? doc.Services.MaxBy(s => s.KeyNode?.Start ?? -1) is { } l && l.Get("secrets") is null ? l : null
            : null;
        return [.. groups
            .OrderBy(g => g.Any(m => m.Service == last) ? 0 : 1)
            .ThenBy(g => g.Any(m => m.Applicability == Applicability.Unsafe) ? 1 : 0)
            .ThenBy(g => g.Any(m => !m.Rename && m.Candidate.ListForm) ? 1 : 0)
            .ThenByDescending(g => g.Where(m => !m.Rename && m.Candidate.ListForm).Select(m => m.Candidate.Index).DefaultIfEmpty(-1).Max())];
    }

    private static Fix Build(ComposeDocument doc, List<Move> group, string dir, SecretNames names, GitIgnore gitignore, bool first)
    {
        var intents = new List<Intent>();

        // A service whose every variable leaves loses its environment: key (an emptied block mapping
        // would read as null). An inherited one is overridden with an empty mapping.
        var emptied = group.GroupBy(m => m.Service)
            .Where(g => g.All(m => !m.Rename) && g.Count() == EnvironmentSize(g.Key))
            .Select(g => g.Key).ToHashSet();
        foreach (var service in emptied)
        {
            var path = service.At("environment");
            var steps = NodeLocator.Walk(doc.Root, path);
            bool own = steps.Count == path.Segments.Count && !steps.Any(s => s.ViaMerge || s.ThroughAlias);
            intents.Add(own ? new RemoveIntent(path) : new SetIntent(path, new NewMap([])));
        }

        // Environment: replacements and map removals first, then list removals from the highest index down,
        // so that every intent's path still points at its item when the changes are applied in order.
        var envMoves = group.Where(m => !emptied.Contains(m.Service)).ToList();
        foreach (var m in envMoves.Where(m => m.Rename || !m.Candidate.ListForm))
        {
            var c = m.Candidate;
            string target = $"/run/secrets/{m.Name}";
            intents.Add(m.Rename
                ? c.ListForm
                    ? new SetIntent(c.Path, NewNode.Scalar($"{c.Name}_FILE={target}"))
                    : new RenameIntent(c.Path, c.Name + "_FILE", NewNode.Scalar(target))
                : new RemoveIntent(c.Path));
        }

        foreach (var m in envMoves.Where(m => !m.Rename && m.Candidate.ListForm).OrderBy(m => m.Service.Name, StringComparer.Ordinal).ThenByDescending(m => m.Candidate.Index))
        {
            intents.Add(new RemoveIntent(m.Candidate.Path));
        }

        // The service lists the secret (short syntax: mounted at /run/secrets/<name>). A missing list or
        // top-level secrets: is created once by the planner for all the fixes that add to it.
        foreach (var byService in group.GroupBy(m => m.Service))
        {
            var service = byService.Key;
            var existing = service.Get("secrets") as SemSeq;
            var listed = existing?.Items.Select(i => i is SemScalar s ? s.Value : (i as SemMap)?.Get("source") is SemScalar src ? src.Value : null).OfType<string>().ToHashSet(StringComparer.Ordinal);
            var add = byService.Select(m => m.Name).Distinct(StringComparer.Ordinal).Where(n => listed is null || !listed.Contains(n)).ToList();
            if (add.Count > 1 && IsEmptyCollection(service.Get("secrets")))
            {
                intents.Add(new SetIntent(service.At("secrets"), NewNode.List(add)));
            }
            else
            {
                intents.AddRange(add.Select(n => new AppendIntent(service.At("secrets"), NewNode.Scalar(n))));
            }
        }

        // Top-level definitions: only file: (Compose v1 rejects environment: and most other attributes).
        var secrets = group.GroupBy(m => m.Name, StringComparer.Ordinal).Select(g => g.First()).ToList();
        var define = secrets.Where(m => !names.Defined.Contains(m.Name)).Select(m => m.Name).ToList();
        NewNode Definition(string name) => NewNode.Map(("file", NewNode.Scalar($"./{dir}/{name}")));
        if (define.Count > 1 && IsEmptyCollection(doc.Meaning.Get("secrets")))
        {
            intents.Add(new SetIntent(SemPath.Of("secrets"), new NewMap([.. define.Select(n => new KeyValuePair<string, NewNode>(n, Definition(n)))])));
        }
        else
        {
            intents.AddRange(define.Select(n => new SetIntent(SemPath.Of("secrets", n), Definition(n))));
        }

        // Files: the values (mode 600), and one .gitignore change with every new line.
        var files = new List<FileChange>();
        foreach (var m in secrets.Where(m => !names.OnDisk.Contains(m.Name)))
        {
            files.Add(new FileChange($"{dir}/{m.Name}", m.Candidate.Value, Append: false, Mode: "600", Sensitive: true));
        }

        var ignore = secrets.Select(m => $"{dir}/{m.Name}").Where(p => !gitignore.Covers(p)).ToList();
        if (ignore.Count > 0)
        {
            string nl = gitignore.NewLine;
            string lead = first && gitignore.NeedsNewLine ? nl : "";
            files.Add(new FileChange(".gitignore", lead + string.Concat(ignore.Select(l => l + nl)), Append: true, Mode: "644", Sensitive: false));
        }

        var services = group.Select(m => m.Service.Name).Distinct(StringComparer.Ordinal).ToList();
        return new Fix
        {
            RecipeId = "secrets-from-env",
            Service = string.Join(", ", services),
            Applicability = group.Any(m => m.Applicability == Applicability.Unsafe) ? Applicability.Unsafe : Applicability.Safe,
            Note = Note(group, secrets, dir, names),
            Location = group[0].Candidate.Path,
            Intents = intents,
            Files = files,
        };
    }

    private static int EnvironmentSize(ServiceInfo service) => service.Get("environment") switch
    {
        SemMap m => m.Entries.Count,
        SemSeq q => q.Items.Count,
        _ => -1,
    };

    /// <summary>One line for the reviewer: what moves where, why it may break, and that the value must be rotated. Never the value.</summary>
    private static string Note(List<Move> group, List<Move> secrets, string dir, SecretNames names)
    {
        var note = new StringBuilder();
        var reused = secrets.Where(m => names.OnDisk.Contains(m.Name)).Select(m => $"{dir}/{m.Name}").ToList();
        string reuse = reused.Count == 0 ? "" : $" ({string.Join(", ", reused)} already {(reused.Count == 1 ? "holds" : "hold")} the same value)";
        var byService = group.GroupBy(m => m.Service).ToList();
        if (group.Count == 1)
        {
            var m = group[0];
            string var = m.Candidate.Name;
            note.Append(m.Rename ? $"{var} → {var}_FILE=/run/secrets/{m.Name}" : $"{var} removed");
            note.Append($"; the literal value moves to the git-ignored file {dir}/{m.Name} (mode 600)");
            note.Append(m.Rename ? "" : $", mounted at /run/secrets/{m.Name}");
            note.Append(reuse);
        }
        else
        {
            note.Append(secrets.Count == 1
                ? $"move one literal secret to the git-ignored file {dir}/{secrets[0].Name} (mode 600), mounted as the Compose secret {secrets[0].Name}: "
                : $"move {secrets.Count} literal secrets to git-ignored files in {dir}/ (mode 600), mounted as Compose secrets: ");
            note.Append(string.Join("; ", byService.Select(g =>
            {
                var renamed = g.Where(m => m.Rename).Select(m => $"{m.Candidate.Name} → {m.Candidate.Name}_FILE");
                var removed = g.Where(m => !m.Rename).Select(m => m.Candidate.Name).ToList();
                var parts = renamed.ToList();
                if (removed.Count > 0)
                {
                    parts.Add(string.Join(", ", removed) + " removed");
                }

                return $"[{g.Key.Name}] {string.Join(", ", parts)}";
            })));
            note.Append(reuse);
        }

        var reasons = new List<string>();
        foreach (var g in byService)
        {
            string tag = byService.Count > 1 || group.Count > 1 ? $"[{g.Key.Name}] " : "";
            var caveats = g.SelectMany(m => m.Caveats).Distinct(StringComparer.Ordinal).ToList();
            var removed = g.Where(m => !m.Rename).ToList();
            if (removed.Count > 0)
            {
                var profile = removed[0].Profile;
                string image = g.Key.GetString("image") ?? "";
                string why = profile is not null
                    ? $"{profile.Title} does not read {string.Join(" or ", removed.Select(m => m.Candidate.Name + "_FILE"))}"
                    : image.Length == 0 ? "the service has no image (build: only)" : $"the image {image} is unknown";
                var removedNames = removed.Select(m => m.Name).Distinct(StringComparer.Ordinal).ToList();
                string files = removedNames.Count == 1 ? $"/run/secrets/{removedNames[0]}" : "its files in /run/secrets/";
                caveats.Add($"{why}, so the application must read {files} itself");
            }

            if (caveats.Count > 0)
            {
                reasons.Add(tag + string.Join("; ", caveats));
            }
        }

        if (reasons.Count > 0)
        {
            note.Append(" — unsafe: ").Append(string.Join("; ", reasons));
        }

        note.Append(secrets.Count > 1 ? "; the old values stay in the repository history: rotate them" : "; the old value stays in the repository history: rotate it");
        return note.ToString();
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static bool IsNull(Sem value) => value is SemScalar { Tag: ScalarResolver.NullTag };

    /// <summary>An existing key with nothing in it yet: null, <c>[]</c> or <c>{}</c>.</summary>
    private static bool IsEmptyCollection(Sem? value) => value is SemSeq { Items.Count: 0 } or SemMap { Entries.Count: 0 } || (value is not null && IsNull(value));

    /// <summary>Secret names: matching a name pattern and no exclude pattern (globs, without case).</summary>
    private sealed class Patterns(IEnumerable<string> include, IEnumerable<string> exclude)
    {
        private readonly List<string> include = [.. include];
        private readonly List<string> exclude = [.. exclude];

        public bool Matches(string name) => include.Any(p => Glob(p, name)) && !exclude.Any(p => Glob(p, name));
    }

    /// <summary>Case-insensitive <c>*</c>/<c>?</c> match of a whole name (no regex: this runs for every variable of every load).</summary>
    internal static bool Glob(string pattern, string name)
    {
        int p = 0, n = 0, star = -1, resume = 0;
        while (n < name.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || char.ToUpperInvariant(pattern[p]) == char.ToUpperInvariant(name[n])))
            {
                p++;
                n++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                resume = n;
            }
            else if (star >= 0)
            {
                p = star + 1;
                n = ++resume;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    /// <summary>A password in the user-info part of a URL: <c>scheme://user:password@host</c> (the user may be empty).</summary>
    [GeneratedRegex(@"[A-Za-z][A-Za-z0-9+.\-]*://[^\s/?#@:]*:[^\s/?#@]+@[^\s/?#@]", RegexOptions.CultureInvariant)]
    private static partial Regex UrlWithPassword();

    /// <summary>A URL alone, without a password (a token endpoint, not a token).</summary>
    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9+.\-]*://\S*$", RegexOptions.CultureInvariant)]
    private static partial Regex UrlWithoutPassword();

    /// <summary>Booleans and numbers as YAML 1.1 or 1.2 would read them (yes, off, 3600, 0.5, 0x1F): settings, not secrets.</summary>
    [GeneratedRegex(@"^(?:y|n|yes|no|on|off|true|false|[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|[-+]?\.[0-9]+(?:[eE][-+]?[0-9]+)?|0x[0-9a-fA-F_]+|0o[0-7]+)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NotASecret();
}

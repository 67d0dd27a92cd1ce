using ComposeFix.Compose;
using ComposeFix.Editing;
using ComposeFix.Engine;
using ComposeFix.Yaml;

namespace ComposeFix.Recipes;

/// <summary>
/// <b>read-only-rootfs</b> — <c>read_only: true</c>, with a <c>tmpfs</c> entry for each path the container
/// still writes: the generic paths (<c>/tmp</c>, the <c>tmpfs</c> parameter) and the run-time write paths
/// the image knowledge base records for the image (an image entry for the same path replaces the generic
/// one, with its mount options).
/// <para>Why: with a writable root, code running in the container can replace binaries and scripts,
/// plant a web shell or alter configuration, and the change survives a restart. CIS Docker Benchmark
/// 5.13, OWASP rule #8.</para>
/// <para>Fix safety: safe for images in the knowledge base whose write paths are confirmed; unsafe for
/// unknown images and services that build their image (only the generic paths are added), for entries
/// that rest on an unconfirmed fact, for a known image whose entrypoint is overridden, and for images
/// whose read-only behaviour the knowledge base marks as unreported or application-dependent.</para>
/// <para>Left alone: services that already set <c>read_only</c> (false is reported). Skipped and reported:
/// services whose image keeps data in a directory with no mount there (a read-only root would break it,
/// a tmpfs would lose the data), images or settings the knowledge base records as unable to run
/// read-only, and services that extend a service of another file. A path already mounted (volume, bind,
/// tmpfs, at that path or under a writable parent) gets no tmpfs; an existing <c>tmpfs</c> string becomes
/// a list only when a path is added. <c>read_only</c> is written as a boolean (Compose v1 accepts nothing
/// else).</para>
/// </summary>
public sealed class ReadOnlyRootfs : IRecipe
{
    /// <summary>
    /// Facts from the notes of recipes/images.yml that the knowledge base does not yet hold as fields:
    /// images that cannot run read-only (Skip), or whose read-only behaviour is unreported or depends on
    /// the application (unsafe).
    /// </summary>
    private static readonly Dictionary<string, (bool Skip, string Why)> ImageCaveats = new(StringComparer.Ordinal)
    {
        ["gitea"] = (true, "the default gitea/gitea image regenerates /etc/ssh/sshd_config and may edit /etc/passwd at every start; the -rootless image runs read-only"),
        ["keycloak"] = (false, "kc.sh start re-runs the build and writes /opt/keycloak/lib/quarkus unless the image was built with kc.sh build and is started with --optimized"),
        ["rabbitmq"] = (false, "whether RabbitMQ runs with a read-only root is not publicly reported"),
        ["rabbitmq-management"] = (false, "whether RabbitMQ runs with a read-only root is not publicly reported"),
        ["phpmyadmin"] = (false, "the entrypoint cannot write /etc/phpmyadmin/config.secret.inc.php on a read-only root (inferred)"),
        ["phpmyadmin-fpm"] = (false, "the entrypoint cannot write /etc/phpmyadmin/config.secret.inc.php on a read-only root (inferred)"),
        ["node"] = (false, "a language image: what it writes depends on the application (npm start writes ~/.npm)"),
        ["python"] = (false, "a language image: what it writes depends on the application"),
        ["php-apache"] = (false, "a language image: what it writes depends on the application"),
        ["php-fpm"] = (false, "a language image: what it writes depends on the application"),
    };

    /// <summary>Variables with which an image's entrypoint writes outside its tmpfs paths (from the knowledge base notes).</summary>
    private static readonly Dictionary<string, (string[] Variables, string Why)> EnvironmentBlockers = new(StringComparer.Ordinal)
    {
        ["adminer"] = (["ADMINER_DESIGN", "ADMINER_PLUGINS"], "the entrypoint then writes into /var/www/html, which holds the application and cannot be a tmpfs"),
        ["adminer-fastcgi"] = (["ADMINER_DESIGN", "ADMINER_PLUGINS"], "the entrypoint then writes into /var/www/html, which holds the application and cannot be a tmpfs"),
        ["nextcloud"] = (["REDIS_HOST"], "the entrypoint then writes /usr/local/etc/php/conf.d/redis-session.ini (point PHP_INI_SCAN_DIR at a writable path first)"),
        ["nextcloud-fpm"] = (["REDIS_HOST"], "the entrypoint then writes /usr/local/etc/php/conf.d/redis-session.ini (point PHP_INI_SCAN_DIR at a writable path first)"),
        ["minio"] = (["MINIO_USERNAME", "MINIO_GROUPNAME"], "the entrypoint then edits /etc/passwd"),
    };

    /// <summary>Mount targets with which an image's entrypoint writes outside its tmpfs paths.</summary>
    private static readonly Dictionary<string, (string Target, string Why)> MountBlockers = new(StringComparer.Ordinal)
    {
        ["nginx"] = ("/etc/nginx/templates", "nginx renders the templates into /etc/nginx/conf.d, which is then read-only (a tmpfs there would hide default.conf)"),
        ["nginx-unprivileged"] = ("/etc/nginx/templates", "nginx renders the templates into /etc/nginx/conf.d, which is then read-only (a tmpfs there would hide default.conf)"),
    };

    public string Id => "read-only-rootfs";

    public void Analyze(RecipeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var generic = new List<(string Path, string? Options, bool Unconfirmed)>();
        foreach (var fact in context.Images.GenericTmpfs)
        {
            AddEntry(generic, fact.Value, fact.Options, fact.Unconfirmed);
        }

        foreach (var entry in context.ListParameter("tmpfs"))
        {
            var (path, options) = SplitTmpfs(entry);
            AddEntry(generic, path, options, false);
        }

        foreach (var service in context.Document.Services)
        {
            Analyze(context, context.Document, service, generic);
        }
    }

    private static void Analyze(RecipeContext context, ComposeDocument document, ServiceInfo service, List<(string Path, string? Options, bool Unconfirmed)> generic)
    {
        var (inherited, baseName, external) = ServiceFacts.Extends(document, service);
        if (external is not null && service.Get("read_only") is null)
        {
            context.Report(service, $"not changed: the service extends {external}, whose image, mounts and read_only are not in this file", service.At("extends"));
            return;
        }

        var view = ServiceFacts.View(service, inherited);
        if (view.Get("read_only") is { } current)
        {
            if (current is SemScalar { Tag: ScalarResolver.BoolTag, Value: "false" })
            {
                context.Report(service, "read_only: false is set explicitly; left alone", service.At("read_only"));
            }

            return;
        }

        string? image = (view.Get("image") as SemScalar) is { Tag: not ScalarResolver.NullTag } i ? i.Value : null;
        var profile = ServiceFacts.Image(context, service);
        var mounts = Mounts(view);
        var tmpfs = view.Get("tmpfs");
        foreach (var t in TmpfsEntries(tmpfs))
        {
            mounts.Add(new Mount(SplitTmpfs(t).Path, ReadOnly: false));
        }

        string label = profile is null ? "" : ServiceFacts.ShortTitle(profile);
        var caveats = new List<string>();
        bool unsafeFix = profile is null;
        if (profile is not null)
        {
            if (ImageCaveats.TryGetValue(profile.Id, out var caveat))
            {
                if (caveat.Skip)
                {
                    context.Report(service, $"not made read-only: {caveat.Why}", service.At("image"));
                    return;
                }

                unsafeFix = true;
                caveats.Add(caveat.Why);
            }

            if (view.Get("entrypoint") is not null)
            {
                unsafeFix = true;
                caveats.Add("entrypoint: is overridden and the knowledge base describes the image's own entrypoint");
            }

            if (EnvironmentBlockers.TryGetValue(profile.Id, out var env) && env.Variables.FirstOrDefault(v => HasVariable(view, v)) is { } variable)
            {
                context.Report(service, $"not made read-only: {variable} is set and {env.Why}", service.At("environment"));
                return;
            }

            if (MountBlockers.TryGetValue(profile.Id, out var blocker) && mounts.Any(m => m.Target is { } t && Covers(t, blocker.Target)))
            {
                context.Report(service, $"not made read-only: {blocker.Target} is mounted and {blocker.Why}", service.At("volumes"));
                return;
            }

            var missing = profile.DataDirs.Where(d => !mounts.Any(m => m.Target is { } t && Covers(t, Normalize(d.Value)))).Select(d => d.Value).ToList();
            if (missing.Count > 0)
            {
                string dirs = string.Join(", ", missing);
                string also = mounts.Any(m => m.Target is null) ? " (a mount target comes from a variable or volumes_from, so it may be there: check)" : "";
                context.Report(service, $"not made read-only: {label} keeps its data in {dirs}, which has no volume or bind mount{also}; a read-only root would break writes there and a tmpfs would lose the data at restart; mount a named volume at {dirs} first", service.At(service.Get("volumes") is null ? "image" : "volumes"));
                return;
            }
        }

        // What the container must be able to write: the generic paths, replaced or extended by the image's.
        var wanted = new List<(string Path, string? Options, bool Unconfirmed)>(generic);
        foreach (var fact in profile?.Tmpfs ?? [])
        {
            AddEntry(wanted, fact.Value, fact.Options, fact.Unconfirmed);
        }

        var added = wanted.Where(w => !mounts.Any(m => m.Target is { } t && (t == w.Path || (!m.ReadOnly && Covers(t, w.Path))))).ToList();
        var unconfirmed = added.Where(a => a.Unconfirmed).Select(a => a.Path).ToList();
        if (unconfirmed.Count > 0)
        {
            unsafeFix = true;
            caveats.Add($"that {string.Join(" and ", unconfirmed)} {(unconfirmed.Count == 1 ? "is" : "are")} enough is unconfirmed");
        }

        // Appends to an existing list come first: when the list ends the service mapping, its new items and
        // the new read_only key are inserted at the same offset, in the order of the intents.
        var readOnly = new SetIntent(service.At("read_only"), NewNode.Bool(true));
        var items = added.Select(a => a.Options is null ? a.Path : $"{a.Path}:{a.Options}").ToList();
        if (items.Count > 0 && inherited?.Get("tmpfs") is not null && service.Get("tmpfs") is null)
        {
            context.Report(service, $"not changed: it needs tmpfs {string.Join(", ", items)}, and its tmpfs list comes from '{baseName}' through extends; once '{baseName}' is read-only with those paths, this service inherits both", service.At("extends"));
            return;
        }

        var intents = new List<Intent>();
        switch (tmpfs)
        {
            case SemSeq { Items.Count: > 0 } when items.Count > 0:
                intents.AddRange(items.Select(i => new AppendIntent(service.At("tmpfs"), NewNode.Scalar(i))));
                intents.Add(readOnly);
                break;
            case SemScalar { Tag: not ScalarResolver.NullTag } s when items.Count > 0:
                intents.Add(readOnly);
                intents.Add(new SetIntent(service.At("tmpfs"), new NewSeq([NewNode.Scalar(s.Value), .. items.Select(i => NewNode.Scalar(i))])));
                break;
            case var _ when items.Count > 0:
                intents.Add(readOnly);
                intents.Add(new SetIntent(service.At("tmpfs"), NewNode.List(items)));
                break;
            default:
                intents.Add(readOnly);
                break;
        }

        string mountsText = items.Count == 0 ? "" : $" with tmpfs {string.Join(", ", items)}";
        string note;
        if (profile is null)
        {
            string what = view.Get("build") is not null ? "the service builds its image from source with build:"
                : image is not null ? $"image '{image}' is unknown"
                : "the service names no image (an override file?)";
            note = $"read_only: true{mountsText}: {what}, so the generic rule was used and any other path it writes will fail";
        }
        else
        {
            var recorded = profile.Tmpfs.Select(t => Normalize(t.Value)).ToList();
            string paths = recorded.Count == 0
                ? $"no other run-time write path is recorded for {label}"
                : $"run-time write paths recorded for {label}: {string.Join(", ", recorded)}{(items.Count == 0 ? ", all mounted already" : "")}";
            note = $"read_only: true{mountsText} ({paths})";
            if (caveats.Count > 0)
            {
                note += "; unsafe: " + string.Join("; ", caveats);
            }
        }

        if (view.Get("privileged") is SemScalar { Tag: ScalarResolver.BoolTag, Value: "true" })
        {
            note += "; the service is privileged and can remount its root read-write, so this only stops accidental writes";
        }

        if (service.Meaning.Entries.Count == 0)
        {
            // An empty service ({}, e.g. in an override file) gets one mapping rather than several inserts into "{}".
            intents = [new SetIntent(service.Path, NewNode.Map([.. intents.OfType<SetIntent>().Select(i => ((string)i.Path.Segments[^1], i.Value))]))];
        }

        context.Fix(service, unsafeFix ? Applicability.Unsafe : Applicability.Safe, note, service.Path, [.. intents]);
    }



    private static void AddEntry(List<(string Path, string? Options, bool Unconfirmed)> entries, string path, string? options, bool unconfirmed)
    {
        path = Normalize(path);
        options = string.IsNullOrWhiteSpace(options) ? null : options.Trim();
        int i = entries.FindIndex(e => e.Path == path);
        if (i < 0)
        {
            entries.Add((path, options, unconfirmed));
            return;
        }

        // The later (more specific) entry replaces the earlier one; options of both are kept.
        var old = entries[i];
        var merged = (old.Options ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Concat((options ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.Ordinal).ToList();
        entries[i] = (path, merged.Count == 0 ? null : string.Join(',', merged), unconfirmed);
    }

    private sealed record Mount(string? Target, bool ReadOnly);

    /// <summary>Where the service's volumes are mounted; a target that comes from a variable is unknown (null).</summary>
    private static List<Mount> Mounts(SemMap service)
    {
        var mounts = new List<Mount>();
        if (service.Get("volumes") is SemSeq volumes)
        {
            foreach (var v in volumes.Items)
            {
                switch (v)
                {
                    case SemScalar { Tag: ScalarResolver.StrTag } s:
                        mounts.Add(ShortVolume(s.Value));
                        break;
                    case SemMap m when (m.Get("target") as SemScalar)?.Value is { Length: > 0 } target:
                        bool ro = m.Get("read_only") is SemScalar { Tag: ScalarResolver.BoolTag, Value: "true" };
                        mounts.Add(new Mount(target.Contains('$', StringComparison.Ordinal) ? null : Normalize(target), ro));
                        break;
                }
            }
        }

        if (service.Get("volumes_from") is SemSeq { Items.Count: > 0 })
        {
            mounts.Add(new Mount(null, false));
        }

        return mounts;
    }

    /// <summary><c>[SOURCE:]TARGET[:MODE]</c>, with colons inside <c>${...}</c> and a Windows drive letter kept in the source.</summary>
    private static Mount ShortVolume(string spec)
    {
        var parts = new List<string>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < spec.Length; i++)
        {
            if (spec[i] == '$' && i + 1 < spec.Length && spec[i + 1] == '{')
            {
                depth++;
            }
            else if (spec[i] == '}' && depth > 0)
            {
                depth--;
            }
            else if (spec[i] == ':' && depth == 0)
            {
                parts.Add(spec[start..i]);
                start = i + 1;
            }
        }

        parts.Add(spec[start..]);
        if (parts.Count >= 3 && parts[0].Length == 1 && char.IsAsciiLetter(parts[0][0]) && (parts[1].StartsWith('\\') || parts[1].StartsWith('/')))
        {
            parts[1] = parts[0] + ":" + parts[1];
            parts.RemoveAt(0);
        }

        string target = parts.Count == 1 ? parts[0] : parts[1];
        bool ro = parts.Count > 2 && parts[2].Split(',').Contains("ro", StringComparer.Ordinal);
        return new Mount(target.Contains('$', StringComparison.Ordinal) || !target.StartsWith('/') ? null : Normalize(target), ro);
    }

    private static IEnumerable<string> TmpfsEntries(Sem? tmpfs) => tmpfs switch
    {
        SemScalar { Tag: ScalarResolver.StrTag } s => [s.Value],
        SemSeq q => q.Items.OfType<SemScalar>().Where(s => s.Tag == ScalarResolver.StrTag).Select(s => s.Value),
        _ => [],
    };

    private static (string Path, string? Options) SplitTmpfs(string entry)
    {
        int colon = entry.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? (Normalize(entry), null) : (Normalize(entry[..colon]), entry[(colon + 1)..]);
    }

    private static string Normalize(string path)
    {
        path = path.Trim();
        return path.Length > 1 ? path.TrimEnd('/') : path;
    }

    /// <summary>True when a mount at <paramref name="target"/> is at <paramref name="path"/> or above it.</summary>
    private static bool Covers(string target, string path) =>
        target == path || target == "/" || path.StartsWith(target + "/", StringComparison.Ordinal);

    private static bool HasVariable(SemMap service, string name) => service.Get("environment") switch
    {
        SemMap m => m.Entries.ContainsKey(name),
        SemSeq q => q.Items.OfType<SemScalar>().Any(s => s.Value == name || s.Value.StartsWith(name + "=", StringComparison.Ordinal)),
        _ => false,
    };
}

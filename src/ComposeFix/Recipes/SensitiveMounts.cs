using ComposeFix.Compose;
using ComposeFix.Editing;
using ComposeFix.Engine;
using ComposeFix.Yaml;

namespace ComposeFix.Recipes;

/// <summary>
/// <b>sensitive-mounts</b> — mount sensitive host paths read-only and stop sharing mount propagation
/// with the host.
/// <para>Why: a writable bind mount of a host system directory lets a compromised container change the
/// host (users and keys under <c>/etc</c> or <c>/root</c>, binaries under <c>/usr</c>, kernel settings
/// under <c>/proc/sys</c>, daemon sockets under <c>/var/run</c>); shared propagation lets it mount over
/// host paths. CIS Docker Benchmark 5.6, 5.20, OWASP rule #8.</para>
/// <para>Which paths: the <c>paths</c> parameter (<c>path=safe</c> / <c>path=unsafe</c>); an entry
/// matches its path and everything below it, <c>/</c> only itself, and the longest entry wins. The
/// source is normalised (<c>//</c>, <c>.</c>, <c>..</c>, a trailing <c>/</c>). Relative sources
/// (<c>./x</c>), named volumes and Windows paths are never sensitive; <c>~</c> is the home of whoever
/// runs Compose, sensitive only when the parameter lists a <c>~</c> path; a source from a variable
/// is reported when its default is sensitive. The Docker socket is left to <c>docker-socket</c>.</para>
/// <para>Fix safety: short syntax gets <c>ro</c> as its first option (<c>:z</c> becomes
/// <c>:ro,z</c>), long syntax <c>read_only: true</c>; safe or unsafe as the matching entry says, and
/// unsafe whatever the path when the mount says <c>rw</c> or <c>read_only: false</c> explicitly.
/// <c>shared</c>/<c>rshared</c> propagation is removed from every bind mount: safe, except for a service
/// that can mount (privileged, or <c>SYS_ADMIN</c> in <c>cap_add</c>), which may rely on it as FUSE
/// tools and storage drivers do, so there it is unsafe. In short syntax
/// both changes are one edit of the same string, so together they take the stricter applicability.
/// A mount of <c>/dev</c> is also reported: read-only, its device nodes stay writable.</para>
/// </summary>
public sealed class SensitiveMounts : IRecipe
{
    public string Id => "sensitive-mounts";

    public void Analyze(RecipeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var entries = ParsePaths(context.ListParameter("paths"));
        foreach (var service in context.Document.Services)
        {
            foreach (var mount in VolumeMount.Of(service))
            {
                if (mount.Source is { } source && (mount.IsBind || (mount.ShortSyntax is not null && mount.SourceIsVariable)))
                {
                    Check(context, service, mount, source, entries);
                }
            }
        }
    }

    private static void Check(RecipeContext context, ServiceInfo service, VolumeMount mount, string source, IReadOnlyDictionary<string, Applicability> entries)
    {
        bool socket = mount.IsDockerSocket;
        if (mount.SourceIsVariable)
        {
            if (!socket && mount.ReadOnly != true && Interpolation.Resolve(source) is { } fallback && Match(VolumeMount.HostPath(fallback), entries) is { } viaDefault)
            {
                context.Report(service, $"the source {source} comes from a variable whose default {fallback} is a sensitive host path{Under(fallback, viaDefault.Entry)}; mount it read-only", mount.Path);
            }

            return;
        }

        string? path = VolumeMount.HostPath(source);
        var match = socket || path is null ? null : Match(path, entries);
        bool propagation = mount.IsBind && mount.Propagation is "shared" or "rshared";
        bool readOnly = match is not null && mount.ReadOnly != true;
        if (readOnly && mount.ReadOnlyIsVariable)
        {
            context.Report(service, $"the mode of the mount of {source}, a sensitive host path{Under(path!, match!.Value.Entry)}, comes from a variable; make it read-only", mount.Path);
            readOnly = false;
        }

        if (path == "/dev")
        {
            context.Report(service, $"mounts {source}: a read-only mount does not stop writes to the device nodes in it; pass only the devices the service needs with devices:", mount.Path);
        }

        if (!readOnly && !propagation)
        {
            return;
        }

        var roApplicability = mount.ReadOnly == false ? Applicability.Unsafe : match?.Applicability ?? Applicability.Safe;
        string roNote = readOnly ? ReadOnlyNote(mount, source, match!.Value.Entry, match.Value.Applicability) : "";

        // Only a service that can mount (privileged, SYS_ADMIN) makes mounts that propagate: for it, shared propagation is likely the point.
        bool canMount = ServiceCapabilities.CanMount(context.Document, service);
        var propagationApplicability = canMount ? Applicability.Unsafe : Applicability.Safe;
        string propagationNote = !propagation ? "" : canMount
            ? $"stop sharing {mount.Propagation} mount propagation on the mount of {source} (mounts made in the container would appear on the host, CIS 5.20; this service can mount, so it may rely on that, as FUSE tools do)"
            : $"stop sharing {mount.Propagation} mount propagation on the mount of {source} (mounts made in the container would appear on the host; CIS 5.20)";
        var strictest = (readOnly && roApplicability == Applicability.Unsafe) || (propagation && propagationApplicability == Applicability.Unsafe) ? Applicability.Unsafe : Applicability.Safe;
        if (mount.ShortSyntax is { } spec)
        {
            if (readOnly)
            {
                spec = spec.AsReadOnly();
            }

            if (propagation)
            {
                spec = spec.Without(o => o is "shared" or "rshared");
            }

            string note = readOnly && propagation ? $"{roNote}, and {propagationNote}" : readOnly ? roNote : propagationNote;
            context.Fix(service, strictest, note, mount.Path, new SetIntent(mount.Path, NewNode.Scalar(spec.Format())));
            return;
        }

        var bind = (SemMap?)mount.LongSyntax!.Get("bind");
        var propagationPath = mount.Path.Append("bind");
        Intent? dropPropagation = !propagation ? null : bind!.Entries.Count == 1 ? new RemoveIntent(propagationPath) : new RemoveIntent(propagationPath.Append("propagation"));
        if (readOnly && propagation && roApplicability == propagationApplicability)
        {
            context.Fix(service, roApplicability, $"{roNote}, and {propagationNote}", mount.Path, mount.ReadOnlyIntent(), dropPropagation!);
            return;
        }

        if (readOnly)
        {
            context.Fix(service, roApplicability, roNote, mount.Path, mount.ReadOnlyIntent());
        }

        if (dropPropagation is not null)
        {
            context.Fix(service, propagationApplicability, propagationNote, mount.Path, dropPropagation);
        }
    }

    private static string ReadOnlyNote(VolumeMount mount, string source, string entry, Applicability applicability)
    {
        string what = $"mount {source} read-only";
        if (mount.ReadOnly == false)
        {
            string was = mount.ShortSyntax is not null ? "rw" : "read_only: false";
            return $"{what} instead of the explicit {was} ({entry} is a sensitive host path; the service may write there on purpose)";
        }

        return applicability == Applicability.Safe
            ? $"{what} (containers only read {entry})"
            : $"{what} (a writable {entry} lets a compromised container change the host; the service may write there on purpose)";
    }

    /// <summary>Entries of the <c>paths</c> parameter: normalised path → applicability of making it read-only.</summary>
    private static Dictionary<string, Applicability> ParsePaths(IReadOnlyList<string> values)
    {
        var entries = new Dictionary<string, Applicability>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            int eq = value.LastIndexOf('=');
            string path = eq < 0 ? value : value[..eq];
            string kind = eq < 0 ? "unsafe" : value[(eq + 1)..].Trim();
            entries[VolumeMount.HostPath(path.Trim()) ?? path.Trim()] = kind == "safe" ? Applicability.Safe : Applicability.Unsafe;
        }

        return entries;
    }

    /// <summary>The longest entry that is the path or one of its parents (<c>/</c> only matches itself).</summary>
    private static (string Entry, Applicability Applicability)? Match(string? path, IReadOnlyDictionary<string, Applicability> entries)
    {
        if (path is null)
        {
            return null;
        }

        (string, Applicability)? best = null;
        foreach (var (entry, applicability) in entries)
        {
            bool matches = path == entry || (entry != "/" && path.StartsWith(entry + "/", StringComparison.Ordinal));
            if (matches && (best is null || entry.Length > best.Value.Item1.Length))
            {
                best = (entry, applicability);
            }
        }

        return best;
    }

    private static string Under(string path, string entry) => path == entry ? "" : $" (under {entry})";
}

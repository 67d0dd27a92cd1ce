using System.Text.RegularExpressions;
using ComposeFix.Compose;
using ComposeFix.Yaml;

namespace ComposeFix.Recipes;

/// <summary>
/// <b>host-devices</b> — report host devices passed into containers.
/// <para>Why: a device node reaches host hardware below file permissions and namespaces (a disk, host
/// memory, a driver's bugs), and the default permissions <c>rwm</c> also allow <c>mknod</c>. CIS Docker
/// Benchmark 5.18.</para>
/// <para>Every <c>devices</c> entry is reported at the entry, in short syntax
/// (<c>HOST[:CONTAINER][:PERMISSIONS]</c>, where a second part made of r, w, m is the permissions, as
/// Docker reads it), long syntax (<c>source</c>, <c>target</c>, <c>permissions</c>) and as a CDI name
/// (<c>nvidia.com/gpu=all</c>), with the permissions it grants (<c>rwm</c> when none are given). Disks
/// and host memory are named as such. Every <c>device_cgroup_rules</c> entry is reported too.
/// GPU reservations under <c>deploy.resources.reservations.devices</c> are not device nodes and are
/// left alone.</para>
/// <para>Fix safety: report only — the device is there because the service uses it.</para>
/// </summary>
public sealed partial class HostDevices : IRecipe
{
    private const string Refs = "(CIS 5.18)";

    public string Id => "host-devices";

    public void Analyze(RecipeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var service in context.Document.Services)
        {
            if (service.Get("devices") is SemSeq devices)
            {
                for (int i = 0; i < devices.Items.Count; i++)
                {
                    string? note = devices.Items[i] switch
                    {
                        SemScalar { Tag: ScalarResolver.StrTag } d when IsCdi(d.Value) => $"CDI device {d.Value} passes the host devices its vendor specification lists into the container; check that it is needed and request the narrowest one (a single GPU rather than all) {Refs}",
                        SemScalar { Tag: ScalarResolver.StrTag } d => Checked(ShortSyntax(d.Value)),
                        SemMap m => Checked(Describe(Str(m, "source"), Str(m, "target"), Str(m, "permissions"))),
                        _ => null,
                    };
                    if (note is not null)
                    {
                        context.Report(service, note, service.At("devices", i));
                    }
                }
            }

            if (service.Get("device_cgroup_rules") is SemSeq rules)
            {
                for (int i = 0; i < rules.Items.Count; i++)
                {
                    if (rules.Items[i] is SemScalar { Tag: not ScalarResolver.NullTag } rule)
                    {
                        context.Report(service, $"device cgroup rule '{rule.Value}' lets the container use every device node it matches, by number; check that it is needed and make it as narrow as possible {Refs}", service.At("device_cgroup_rules", i));
                    }
                }
            }
        }
    }

    private static string? Str(SemMap map, string key) => map.Get(key) is SemScalar { Tag: not ScalarResolver.NullTag } s && s.Value.Length > 0 ? s.Value : null;

    private static bool IsCdi(string value) => !value.StartsWith('/') && !value.StartsWith('$') && value.Contains('=', StringComparison.Ordinal);

    private static string Checked(string description) => $"{description}; check that it is needed, pass the narrowest node and grant only the permissions it needs {Refs}";

    private static string ShortSyntax(string value)
    {
        var parts = SplitOutsideVariables(value);
        string? target = null, permissions = null;
        if (parts.Count >= 3)
        {
            target = parts[1];
            permissions = parts[2];
        }
        else if (parts.Count == 2)
        {
            if (Permissions().IsMatch(parts[1]))
            {
                permissions = parts[1];
            }
            else
            {
                target = parts[1];
            }
        }

        return Describe(parts[0], target, permissions);
    }

    /// <summary>Splits at ':' except inside <c>${...}</c>, where ':-' introduces a default.</summary>
    private static List<string> SplitOutsideVariables(string value)
    {
        var parts = new List<string>();
        int depth = 0, start = 0;
        for (int i = 0; i < value.Length; i++)
        {
            if (value[i] == '$' && i + 1 < value.Length && value[i + 1] == '{')
            {
                depth++;
                i++;
            }
            else if (value[i] == '}' && depth > 0)
            {
                depth--;
            }
            else if (value[i] == ':' && depth == 0)
            {
                parts.Add(value[start..i]);
                start = i + 1;
            }
        }

        parts.Add(value[start..]);
        return parts;
    }

    private static string Describe(string? source, string? target, string? permissions)
    {
        string host = source ?? "?";
        string? resolved = Interpolation.Resolve(host);
        string label = resolved is null || resolved == host ? host : $"{host} ({resolved} unless the variable is set)";
        string into = target is null || target == host ? "" : $" as {target}";
        string perms = permissions ?? "rwm";
        var granted = new List<string>();
        if (perms.Contains('r', StringComparison.Ordinal))
        {
            granted.Add("read");
        }

        if (perms.Contains('w', StringComparison.Ordinal))
        {
            granted.Add("write");
        }

        if (perms.Contains('m', StringComparison.Ordinal))
        {
            granted.Add("mknod");
        }

        string access = Permissions().IsMatch(perms) ? $"{perms} ({string.Join(", ", granted)}{(permissions is null ? "; the default" : "")})" : perms;
        return $"host device {label} is passed into the container{into} with permissions {access}{Kind(resolved ?? host, perms.Contains('w', StringComparison.Ordinal))}";
    }

    private static string Kind(string path, bool write)
    {
        if (path is "/dev/mem" or "/dev/kmem" or "/dev/port")
        {
            return ": host memory or I/O ports";
        }

        return Disk().IsMatch(path) ? $": a disk, whose filesystems the container can {(write ? "read and rewrite" : "read")}" : "";
    }

    [GeneratedRegex("^[rwm]+$")]
    private static partial Regex Permissions();

    [GeneratedRegex(@"^/dev/((sd|vd|xvd|hd)[a-z]+\d*|nvme\d+(n\d+(p\d+)?)?|mmcblk\d+(p\d+)?|dm-\d+|md\d+|loop\d+|mapper/.+|disk/.+)$")]
    private static partial Regex Disk();
}

using ComposeFix.Yaml;

namespace ComposeFix.Recipes;

/// <summary>
/// <b>dangerous-capabilities</b> — report added capabilities that let a container escape or control the host.
/// <para>Why: SYS_ADMIN, SYS_MODULE, DAC_READ_SEARCH, NET_ADMIN, … give power over the host or the
/// kernel, and ALL is close to <c>privileged: true</c>. CIS Docker Benchmark 5.4, OWASP rule #3.</para>
/// <para>Each <c>cap_add</c> item listed in the <c>capabilities</c> parameter is reported at the item
/// (an item inherited through a merge key is reported, for each service, where it is written). Names
/// are compared without case and without a <c>CAP_</c> prefix. A capability that the knowledge base
/// records as needed by the service's image (its <c>capabilities</c> or <c>capabilities_non_root</c>,
/// e.g. DAC_READ_SEARCH for postgres) is not reported; a built (<c>build:</c>) or unknown image needs
/// none. An item that is a variable is not judged.</para>
/// <para>Fix safety: report only — the capability was added on purpose.</para>
/// </summary>
public sealed class DangerousCapabilities : IRecipe
{
    private const string Refs = "(CIS 5.4, OWASP #3)";

    public string Id => "dangerous-capabilities";

    public void Analyze(RecipeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var dangerous = context.ListParameter("capabilities").Select(Normalize).ToHashSet(StringComparer.Ordinal);
        foreach (var service in context.Document.Services)
        {
            if (service.Get("cap_add") is not SemSeq added)
            {
                continue;
            }

            var profile = ServiceFacts.Image(context, service);
            var needed = profile is null ? [] : profile.Capabilities.Concat(profile.CapabilitiesNonRoot).Select(f => Normalize(f.Value)).ToHashSet(StringComparer.Ordinal);
            for (int i = 0; i < added.Items.Count; i++)
            {
                if (added.Items[i] is not SemScalar { Tag: ScalarResolver.StrTag } item || item.Value.Contains('$', StringComparison.Ordinal))
                {
                    continue;
                }

                string name = Normalize(item.Value);
                if (!dangerous.Contains(name) || needed.Contains(name))
                {
                    continue;
                }

                string what = name == "ALL" ? "cap_add: ALL grants every capability, close to privileged: true" : $"cap_add: {item.Value} gives the container {Power(name)}";
                context.Report(service, $"{what}; remove it, or use a narrower setting (a device, a sysctl) if one covers the need {Refs}", service.At("cap_add", i));
            }
        }
    }

    private static string Normalize(string name)
    {
        string n = name.Trim().ToUpperInvariant();
        return n.StartsWith("CAP_", StringComparison.Ordinal) ? n[4..] : n;
    }

    private static string Power(string name) => name switch
    {
        "SYS_ADMIN" => "the power to mount filesystems, create namespaces and more, which most container escapes need",
        "SYS_MODULE" => "the power to load kernel modules",
        "SYS_RAWIO" => "raw access to I/O ports and devices",
        "SYS_PTRACE" => "the power to trace and inject code into other processes",
        "SYS_BOOT" => "the power to reboot the host and load a new kernel (kexec)",
        "SYS_TIME" => "the power to set the host clock, which is not namespaced",
        "NET_ADMIN" => "control of interfaces, routes and firewall rules",
        "DAC_READ_SEARCH" => "read access to any file and open_by_handle_at, which the Shocker escape used",
        "BPF" => "the power to load eBPF programs into the kernel",
        "PERFMON" => "the power to trace the kernel and every process",
        "MAC_ADMIN" or "MAC_OVERRIDE" => "control over the security-module (AppArmor, SELinux) policy",
        "SYSLOG" => "control of the kernel log",
        _ => "a capability on the dangerous list",
    };
}

using ComposeFix.Engine;
using ComposeFix.Yaml;

namespace ComposeFix.Recipes;

/// <summary>
/// <b>host-namespaces</b> — stop sharing the host's network, PID, IPC, UTS or user namespace.
/// <para>Why: namespaces are what separate a container from the host. <c>network_mode: host</c> puts it
/// on the host's interfaces and loopback, <c>pid: host</c> shows (and with capabilities lets it signal
/// or trace) every host process, <c>ipc: host</c> exposes the host's shared memory, <c>uts: host</c>
/// lets it change the host's hostname, <c>userns_mode: host</c> makes root in the container root on
/// the host again. CIS Docker Benchmark 5.10, 5.16, 5.17, 5.21, 5.31, OWASP rule #5.</para>
/// <para>Fix safety: every such key is reported, and removing it is an unsafe fix: these settings are
/// usually there for a reason the file does not state (monitoring agents, VPN and network tools), and
/// each note says what stops working. <c>network_mode: host</c> on a service that publishes no ports
/// is reported only: without the host network and without ports, nothing outside the project could
/// reach it any more. Values other than <c>host</c> (<c>service:x</c>, <c>container:x</c>,
/// <c>shareable</c>) are not host namespaces and are left alone.</para>
/// </summary>
public sealed class HostNamespaces : IRecipe
{
    private static readonly (string Key, string Namespace, string Risk, string Breaks)[] Keys =
    [
        ("network_mode", "network", "the container is on the host's interfaces, every port it opens is reachable on all host addresses and it can reach services bound to the host's loopback (CIS 5.10)",
            "the service gets its own network namespace: it answers only on the ports under ports, which are now really published, on every interface unless they name an address; it can no longer reach services on the host's loopback, and clients that used the host's address must use its service name"),
        ("pid", "process", "the container sees every host process and, with the right capabilities, can signal or trace them and read their environment (CIS 5.16)",
            "the service sees only its own processes: monitoring agents and debuggers that watch host processes stop working"),
        ("ipc", "IPC", "the container can read and write the host's shared memory segments and message queues (CIS 5.17)",
            "software that shares memory with host processes, such as X11 MIT-SHM clients, stops working"),
        ("uts", "UTS", "the container shares the host's hostname and, with SYS_ADMIN, can change it (CIS 5.21)",
            "the service gets its own hostname instead of the host's"),
        ("userns_mode", "user", "user-namespace remapping is off for this service, so root in the container is root on the host (CIS 5.31)",
            "with userns-remap enabled on the daemon, the service's users are remapped, and files they own in bind mounts and volumes may become unreadable to them"),
    ];

    public string Id => "host-namespaces";

    public void Analyze(RecipeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var service in context.Document.Services)
        {
            foreach (var (key, ns, risk, breaks) in Keys)
            {
                if (service.GetString(key) != "host")
                {
                    continue;
                }

                var path = service.At(key);
                bool publishes = service.Get("ports") is SemSeq { Items.Count: > 0 };
                if (key == "network_mode" && !publishes)
                {
                    context.Report(service, $"{key}: host shares the host's {ns} namespace: {risk}; not removed, because the service publishes no ports and nothing outside the project could reach it without the host network: publish the ports it serves (bound to 127.0.0.1), then remove {key}: host", path);
                    continue;
                }

                context.Report(service, $"{key}: host shares the host's {ns} namespace: {risk}", path);
                context.Fix(service, Applicability.Unsafe, $"remove {key}: host ({breaks})", path, new RemoveIntent(path));
            }
        }
    }
}

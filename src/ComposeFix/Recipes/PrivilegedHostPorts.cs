using System.Globalization;
using System.Text.RegularExpressions;
using ComposeFix.Compose;
using ComposeFix.Yaml;

namespace ComposeFix.Recipes;

/// <summary>
/// <b>privileged-host-ports</b> — report published host ports below 1024.
/// <para>Why: ports below 1024 are where clients expect the system's own services (SSH, SMTP, DNS,
/// HTTP); a container published there answers in their place. CIS Docker Benchmark 5.8.</para>
/// <para>Each <c>ports</c> item whose host side is below 1024 is reported at the item, whatever address
/// it binds: short syntax (<c>[IP:]HOST:CONTAINER[/PROTOCOL]</c>, IPv6 included) and long syntax
/// (<c>published</c>). A range is reported when its lowest port is below 1024. The container side does
/// not matter. Not reported: container-only ports (<c>"80"</c>, <c>80</c>, <c>"127.0.0.1::80"</c>,
/// long syntax without <c>published</c>), which get a free ephemeral host port; host port 0; services
/// with <c>network_mode: host</c>, whose ports Compose ignores. Variables are replaced by their
/// defaults before the item is split, since a default may hold an address and a port
/// (<c>${BIND:-127.0.0.1:80}:80</c>); a host port with a default is judged by it
/// (<c>${HTTP_PORT:-80}:80</c> publishes 80 unless the variable is set), and one that only a variable
/// decides is skipped, as is a host side that is not a number or range after that.</para>
/// <para>Fix safety: report only — changing a published port changes the address every client uses.</para>
/// </summary>
public sealed partial class PrivilegedHostPorts : IRecipe
{
    private const string Refs = "(CIS 5.8)";

    public string Id => "privileged-host-ports";

    public void Analyze(RecipeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var service in context.Document.Services)
        {
            if (service.Get("ports") is not SemSeq ports || service.GetString("network_mode") == "host")
            {
                continue;
            }

            for (int i = 0; i < ports.Items.Count; i++)
            {
                // Variables are replaced by their defaults first: a default may hold an address and a port.
                var at = service.At("ports", i);
                (string? written, string? rawHost, string? host) = ports.Items[i] switch
                {
                    SemScalar { Tag: ScalarResolver.StrTag } s => (s.Value, PortSpec.Parse(s.Value)?.HostPort, PortSpec.Parse(Interpolation.WithDefaults(s.Value))?.HostPort),
                    SemMap m when m.Get("published") is SemScalar { Tag: not ScalarResolver.NullTag } p => ($"published: {p.Value}", p.Value, Interpolation.WithDefaults(p.Value)),
                    _ => (null, null, null),
                };
                if (ports.Items[i] is SemMap)
                {
                    at = at.Append("published");
                }

                var range = host is null ? null : HostPorts().Match(host.Trim());
                if (range is null || !range.Success || int.Parse(range.Groups[1].Value, CultureInfo.InvariantCulture) is not (> 0 and < 1024))
                {
                    continue;
                }

                string published = range.Value;
                bool isRange = range.Groups[2].Success;
                string what = (isRange, Interpolation.HasVariables(rawHost ?? "")) switch
                {
                    (false, false) => $"host port {published} is below 1024",
                    (true, false) => $"host ports {published} start below 1024",
                    (false, true) => $"{written} publishes host port {published} when its variables are unset, below 1024",
                    (true, true) => $"{written} publishes host ports {published} when its variables are unset, which start below 1024",
                };
                context.Report(service, $"{what}, where clients expect the host's own services; publish above 1024 unless this service must serve it {Refs}", at);
            }
        }
    }

    /// <summary>A literal host port or range; anything else (a variable without default, an address) is not judged.</summary>
    [GeneratedRegex(@"^(\d{1,5})(-\d{1,5})?$")]
    private static partial Regex HostPorts();
}

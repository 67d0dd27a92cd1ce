using ComposeFix.Compose;
using ComposeFix.Editing;
using ComposeFix.Engine;
using ComposeFix.Yaml;

namespace ComposeFix.Recipes;

/// <summary>
/// <b>bind-ports-localhost</b> — every published port binds to 127.0.0.1.
/// <para>Why: a port without an address is published on every interface of the host (and Docker's
/// iptables rules bypass host firewalls such as ufw). CIS Docker Benchmark 5.14, OWASP rule #5a.</para>
/// <para>Fix safety: safe where no address is given; an explicit <c>0.0.0.0</c> or <c>::</c> is a
/// deliberate choice, so rebinding it is unsafe. Services with <c>network_mode: host</c> publish
/// nothing (Compose ignores their ports) and are reported. Already-loopback and other fixed
/// addresses are left alone. Long-syntax ports get <c>host_ip</c>; in a file that declares <c>version:</c>
/// (written for tools that include Compose v1, which rejects <c>host_ip</c>) an item the short syntax can
/// express is rewritten in it, and a <c>mode: host</c> item is reported.</para>
/// </summary>
public sealed class BindPortsLocalhost : IRecipe
{
    public string Id => "bind-ports-localhost";

    public void Analyze(RecipeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        string address = context.StringParameter("host_ip");
        var keepPublic = context.ListParameter("keep_public").ToHashSet(StringComparer.Ordinal);
        foreach (var service in context.Document.Services)
        {
            if (service.Get("ports") is not SemSeq ports || ports.Items.Count == 0)
            {
                continue;
            }

            if (keepPublic.Contains(service.Name))
            {
                continue;
            }

            if (service.GetString("network_mode") == "host")
            {
                context.Report(service, "network_mode: host ignores ports: the service listens on the host's interfaces directly; not rebinding", service.At("network_mode"));
                continue;
            }

            for (int i = 0; i < ports.Items.Count; i++)
            {
                var path = service.At("ports", i);
                if (keepPublic.Contains($"{service.Name}:{PublishedPort(ports.Items[i])}"))
                {
                    continue;
                }

                switch (ports.Items[i])
                {
                    case SemScalar { Tag: ScalarResolver.StrTag or ScalarResolver.IntTag } s:
                        ShortSyntax(context, service, path, s.Value, address);
                        break;
                    case SemMap long_:
                        LongSyntax(context, service, path, long_, address);
                        break;
                }
            }
        }
    }

    private static string? PublishedPort(Sem port) => port switch
    {
        SemScalar s => PortSpec.Parse(s.Value)?.HostPort,
        SemMap m => (m.Get("published") as SemScalar)?.Value,
        _ => null,
    };

    private static void ShortSyntax(RecipeContext context, ServiceInfo service, SemPath path, string value, string address)
    {
        if (value.StartsWith("${", StringComparison.Ordinal) && value.EndsWith('}') && value.IndexOf('}', StringComparison.Ordinal) == value.Length - 1)
        {
            context.Report(service, $"port '{value}' is one variable; cannot tell which address it binds", path);
            return;
        }

        var spec = PortSpec.Parse(value);
        if (spec is null)
        {
            return;
        }

        switch (spec.Address)
        {
            case HostAddress.None:
                context.Fix(service, Applicability.Safe, $"publish {value} on {address} only (it was open on every interface)", path,
                    new SetIntent(path, NewNode.Scalar(spec.Format(address), Quoting.Always)));
                break;
            case HostAddress.Any:
                context.Fix(service, Applicability.Unsafe, $"publish {value} on {address} instead of the explicit all-interfaces address {spec.Ip}", path,
                    new SetIntent(path, NewNode.Scalar(spec.Format(address), Quoting.Always)));
                break;
            case HostAddress.Interpolated:
                context.Report(service, $"port '{value}' takes its address from a variable; make sure it defaults to {address}", path);
                break;
        }
    }

    private static void LongSyntax(RecipeContext context, ServiceInfo service, SemPath path, SemMap port, string address)
    {
        var hostIp = port.Get("host_ip") as SemScalar;
        string published = (port.Get("published") as SemScalar)?.Value ?? "";
        string target = (port.Get("target") as SemScalar)?.Value ?? "?";
        string label = published.Length > 0 ? $"{published}:{target}" : target;
        if (hostIp is null || hostIp.Value.Length == 0)
        {
            // Compose v1 rejects host_ip in the long syntax. A file that declares version: is written for
            // tools that include v1, so an item the short syntax can express is rewritten in it instead.
            string? mode = (port.Get("mode") as SemScalar)?.Value;
            bool shortExpressible = port.Entries.Keys.All(k => k is "target" or "published" or "protocol" or "mode") && mode is null or "ingress";
            bool forV1 = context.Document.Meaning.Get("version") is not null;
            if (mode == "host")
            {
                context.Report(service, $"port {label} uses mode: host, which the short syntax cannot express and Compose v1 rejects host_ip for; add host_ip: {address} by hand if only Compose v2 reads this file", path);
            }
            else if (forV1 && shortExpressible)
            {
                string protocol = (port.Get("protocol") as SemScalar)?.Value is { Length: > 0 } p ? "/" + p : "";
                string text = new PortSpec(address, published, target, null).Format(address) + protocol;
                context.Fix(service, Applicability.Safe, $"publish {label} on {address} only (short syntax: this file declares version:, and Compose v1 rejects host_ip)", path,
                    new SetIntent(path, NewNode.Scalar(text, Quoting.Always)));
            }
            else
            {
                context.Fix(service, Applicability.Safe, $"publish {label} on {address} only (it was open on every interface)", path,
                    new SetIntent(path.Append("host_ip"), NewNode.Scalar(address)));
            }

            return;
        }

        var kind = new PortSpec(hostIp.Value, published, target, null).Address;
        if (kind == HostAddress.Any)
        {
            context.Fix(service, Applicability.Unsafe, $"publish {label} on {address} instead of the explicit all-interfaces address {hostIp.Value}", path,
                new SetIntent(path.Append("host_ip"), NewNode.Scalar(address)));
        }
        else if (kind == HostAddress.Interpolated)
        {
            context.Report(service, $"port {label} takes its address from a variable; make sure it defaults to {address}", path);
        }
    }
}

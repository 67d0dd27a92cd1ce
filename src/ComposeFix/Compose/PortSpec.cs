using System.Text.RegularExpressions;

namespace ComposeFix.Compose;

public enum HostAddress
{
    /// <summary>No address: Compose binds to all interfaces.</summary>
    None,

    /// <summary>127.0.0.0/8, ::1 or localhost.</summary>
    Loopback,

    /// <summary>An explicit 0.0.0.0 or :: — a deliberate "all interfaces".</summary>
    Any,

    /// <summary>Another fixed address: already bound to one interface.</summary>
    Specific,

    /// <summary>A ${VAR} the tool cannot see through.</summary>
    Interpolated,
}

/// <summary>
/// The short port syntax <c>[[IP:](HOST|RANGE):](CONTAINER|RANGE)[/PROTOCOL]</c>, with IPv6 in
/// brackets or bare and <c>${VAR}</c> interpolation anywhere.
/// </summary>
public sealed partial record PortSpec(string? Ip, string? HostPort, string ContainerPort, string? Protocol)
{
    public static PortSpec? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string masked = Interpolation.Mask(text, ':', '/', '-');
        string? protocol = null;
        int slash = masked.LastIndexOf('/');
        if (slash >= 0)
        {
            protocol = text[(slash + 1)..];
            masked = masked[..slash];
            text = text[..slash];
        }

        int last = masked.LastIndexOf(':');
        if (last < 0)
        {
            return text.Length == 0 ? null : new PortSpec(null, null, text, protocol);
        }

        string container = text[(last + 1)..];
        string rest = text[..last];
        string restMasked = masked[..last];
        int split = restMasked.LastIndexOf(':');
        if (split < 0)
        {
            return new PortSpec(null, rest, container, protocol);
        }

        string ip = rest[..split];
        string host = rest[(split + 1)..];
        return new PortSpec(ip, host, container, protocol);
    }

    public HostAddress Address
    {
        get
        {
            if (Ip is null || Ip.Length == 0)
            {
                return HostAddress.None;
            }

            string ip = Ip.Trim('[', ']');
            if (ip.Contains("${", StringComparison.Ordinal) || ip.StartsWith('$'))
            {
                return HostAddress.Interpolated;
            }

            if (ip is "0.0.0.0" or "::" or "*")
            {
                return HostAddress.Any;
            }

            if (ip is "::1" or "localhost" || ip.StartsWith("127.", StringComparison.Ordinal))
            {
                return HostAddress.Loopback;
            }

            return HostAddress.Specific;
        }
    }

    /// <summary>The lowest published host port, when it is a literal number.</summary>
    public int? LowestHostPort
    {
        get
        {
            var m = LeadingNumber().Match(HostPort ?? "");
            return m.Success ? int.Parse(m.Value, System.Globalization.CultureInfo.InvariantCulture) : null;
        }
    }

    public string Format(string ip)
    {
        string host = ip.Contains(':', StringComparison.Ordinal) && !ip.StartsWith('[') ? $"[{ip}]" : ip;
        return $"{host}:{HostPort ?? ""}:{ContainerPort}{(Protocol is null ? "" : "/" + Protocol)}";
    }

    [GeneratedRegex(@"^\d+")]
    private static partial Regex LeadingNumber();
}

using System.Text;

namespace ComposeFix.Tests.Properties;

/// <summary>
/// Writes a <see cref="ComposeSpec"/> as YAML text in the style its choices ask for: block or flow
/// services, indented or indentless sequences, every port syntax, environment as a map or a list,
/// three quoting styles, comments on their own lines and after values, an anchor with merge keys,
/// CRLF, a BOM and a missing final newline.
/// </summary>
public static class ComposeRenderer
{
    private static readonly string[] Images = ["nginx:1.27", "postgres:16", "redis:7.2", "alpine", "example/app:1.0", "traefik:v3.1"];

    // Short syntax (quotable strings) first, then long syntax mappings.
    private static readonly string[] ShortPorts = ["80", "8080:80", "127.0.0.1:8080:80", "0.0.0.0:8443:443", "8000-8005:8000-8005", "127.0.0.1:9000-9001:9000-9001", "53:53/udp", "[::1]:6060:6060"];
    private static readonly string[][] LongPorts =
    [
        ["target: 80", "published: \"8080\""],
        ["target: 443", "published: \"8443\"", "protocol: tcp", "host_ip: 0.0.0.0"],
        ["target: 5432", "published: \"5432\"", "host_ip: 127.0.0.1"],
        ["target: 9000", "published: 9000-9002", "mode: host"],
    ];

    private static readonly string[] Restarts = ["always", "unless-stopped", "\"no\"", "on-failure"];
    private static readonly string[] CommentTexts = ["# note", "#tight", "# ports: \"80:80\" is not YAML here", "# café ünïcode", "#"];
    private static readonly (string Key, string Value)[] Environment = [("TZ", "UTC"), ("LOG_LEVEL", "debug"), ("APP_PORT", "\"8080\""), ("EMPTY", "\"\"")];
    private static readonly string[] Names = ["web", "db", "cache", "api"];

    // Settings that recipes act on or must step around, each as the lines under a service (depth 2 = the service's keys,
    // a negative depth = a list item under the key at -depth - 1, Raw = a block scalar line that takes no comment).
    private static readonly (int Depth, string Text, bool Raw)[][] Extras =
    [
        [(2, "privileged: true", false)],
        [(2, "network_mode: host", false)],
        [(2, "volumes:", false), (-3, "/var/run/docker.sock:/var/run/docker.sock", false), (-3, "./data:/data", false)],
        [(2, "security_opt: [\"seccomp:unconfined\"]", false)],
        [(2, "cap_add:", false), (-3, "NET_ADMIN", false)],
        [(2, "entrypoint: >-", false), (3, "sh -c", true), (3, "'exec nginx'", true)],
        [(2, "user: \"1000:1000\"", false)],
        [(2, "healthcheck: {test: [\"CMD\", \"true\"], interval: 30s}", false)],
        [(2, "\"working_dir\": /app", false)],
        [(0, "", false)],
        [(2, "labels:", false), (3, "com.example.note: \"a # not a comment\"", false), (3, "empty:", false)],
        [(2, "read_only: false", false), (2, "tmpfs: [/run]", false)],
    ];

    public static int ImageCount => Images.Length;

    public static int PortSyntaxCount => ShortPorts.Length + LongPorts.Length;

    public static int RestartCount => Restarts.Length;

    public static int ExtraCount => Extras.Length;

    public static string Render(ComposeSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var w = new Writer(spec.Layout);
        var layout = spec.Layout;
        if (layout.DocumentMarkers)
        {
            w.Line(0, "---");
        }

        w.Comment(0, 0);
        if (layout.WithDefaults)
        {
            w.Line(0, "x-defaults: &defaults", 1);
            w.Line(1, "restart: always", 2);
            w.Line(1, "logging:");
            w.Line(2, "driver: json-file");
        }

        w.Line(0, "services:", 3);
        for (int i = 0; i < spec.Services.Count; i++)
        {
            var service = spec.Services[i];
            bool merges = service.MergesDefaults && layout.WithDefaults;
            if (service.Flow)
            {
                w.Line(1, $"{Names[i]}: {FlowService(service, merges)}", i + 4);
            }
            else
            {
                BlockService(w, Names[i], service, merges, i);
            }
        }

        if (layout.DocumentMarkers)
        {
            w.Line(0, "...");
        }

        string text = string.Join(layout.Crlf ? "\r\n" : "\n", w.Lines);
        if (layout.FinalNewline)
        {
            text += layout.Crlf ? "\r\n" : "\n";
        }

        return layout.Bom ? "\uFEFF" + text : text;
    }

    private static void BlockService(Writer w, string name, ServiceSpec s, bool merges, int salt)
    {
        bool aliasPorts = s.AliasPorts && w.PortsAnchorDefined;
        bool definePorts = w.Layout.SharedPorts && !w.PortsAnchorDefined && s.Ports.Count > 0;
        w.Line(1, name + ":", salt + 5);
        if (merges)
        {
            w.Line(2, "<<: *defaults", salt + 6);
        }

        w.Line(2, "image: " + Quote(Images[s.Image], s.ImageQuote), salt + 7);
        if (aliasPorts)
        {
            w.Line(2, "ports: *ports", salt + 8);
        }
        else if (s.Ports.Count > 0)
        {
            string anchor = definePorts ? " &ports" : "";
            w.PortsAnchorDefined |= definePorts;
            if (s.PortsFlow)
            {
                w.Line(2, $"ports:{anchor} [" + string.Join(", ", s.Ports.Select(FlowPort)) + "]", salt + 8);
            }
            else
            {
                w.Line(2, $"ports:{anchor}", salt + 9);
                foreach (var (port, k) in s.Ports.Select((p, k) => (p, k)))
                {
                    BlockPort(w, port, salt + k);
                }
            }
        }

        if (s.EnvironmentForm > 0)
        {
            bool map = s.EnvironmentForm == 1;
            var entries = Environment.Take(1 + (salt % Environment.Length));
            if (s.EnvironmentFlow)
            {
                string body = string.Join(", ", entries.Select(e => map ? $"{e.Key}: {e.Value}" : $"\"{e.Key}={e.Value.Trim('"')}\""));
                w.Line(2, map ? $"environment: {{{body}}}" : $"environment: [{body}]", salt + 10);
            }
            else
            {
                w.Line(2, "environment:", salt + 11);
                foreach (var e in entries)
                {
                    if (map)
                    {
                        w.Line(3, $"{e.Key}: {e.Value}", salt + 12);
                    }
                    else
                    {
                        w.Item(w.SequenceDepth(2), $"{e.Key}={e.Value.Trim('"')}", salt + 13);
                    }
                }
            }
        }

        if (s.Command)
        {
            w.Line(2, "command: [\"run\", \"--port\", \"80\"]", salt + 14);
        }

        if (s.Restart > 0)
        {
            w.Line(2, "restart: " + Restarts[s.Restart - 1], salt + 15);
        }

        foreach (int extra in s.Extras.Distinct())
        {
            foreach (var (depth, text, raw) in Extras[extra])
            {
                if (raw)
                {
                    w.Raw(depth, text);
                }
                else if (text.Length == 0)
                {
                    w.Blank();
                }
                else if (depth < 0)
                {
                    w.Item(w.SequenceDepth(-depth - 1), text, salt + extra);
                }
                else
                {
                    w.Line(depth, text, salt + extra);
                }
            }
        }
    }

    private static void BlockPort(Writer w, PortChoice port, int salt)
    {
        int depth = w.SequenceDepth(2);
        if (port.Syntax < ShortPorts.Length)
        {
            w.Item(depth, PortScalar(port), salt);
            return;
        }

        var fields = LongPorts[port.Syntax - ShortPorts.Length];
        w.Item(depth, fields[0], salt);
        foreach (var field in fields.Skip(1))
        {
            w.ItemContinuation(depth, field);
        }
    }

    private static string FlowService(ServiceSpec s, bool merges)
    {
        var parts = new List<string>();
        if (merges)
        {
            parts.Add("<<: *defaults");
        }

        parts.Add("image: " + Quote(Images[s.Image], s.ImageQuote));
        if (s.Ports.Count > 0)
        {
            parts.Add("ports: [" + string.Join(", ", s.Ports.Select(FlowPort)) + "]");
        }

        if (s.EnvironmentForm == 1)
        {
            parts.Add("environment: {" + string.Join(", ", Environment.Take(2).Select(e => $"{e.Key}: {e.Value}")) + "}");
        }
        else if (s.EnvironmentForm == 2)
        {
            parts.Add("environment: [" + string.Join(", ", Environment.Take(2).Select(e => $"\"{e.Key}={e.Value.Trim('"')}\"")) + "]");
        }

        if (s.Restart > 0)
        {
            parts.Add("restart: " + Restarts[s.Restart - 1]);
        }

        return "{" + string.Join(", ", parts) + "}";
    }

    private static string FlowPort(PortChoice port) =>
        port.Syntax < ShortPorts.Length ? PortScalar(port) : "{" + string.Join(", ", LongPorts[port.Syntax - ShortPorts.Length]) + "}";

    /// <summary>A short-syntax port: plain only where YAML reads it as intended (no colon, no brackets).</summary>
    private static string PortScalar(PortChoice port)
    {
        string value = ShortPorts[port.Syntax];
        int quote = port.Quote == 2 && (value.Contains(':', StringComparison.Ordinal) || value.Contains('[', StringComparison.Ordinal)) ? 0 : port.Quote;
        return Quote(value, quote);
    }

    private static string Quote(string value, int style) => style switch
    {
        0 => "\"" + value + "\"",
        1 => "'" + value + "'",
        _ => value,
    };

    /// <summary>Collects lines at an indentation depth, adding comments as the layout's density asks.</summary>
    private sealed class Writer(Layout layout)
    {
        public List<string> Lines { get; } = [];

        public Layout Layout => layout;

        /// <summary>Whether a service already defined <c>ports: &amp;ports</c> for later services to alias.</summary>
        public bool PortsAnchorDefined { get; set; }

        public void Blank() => Lines.Add("");

        /// <summary>A line exactly as given (inside a block scalar, where a comment would be content).</summary>
        public void Raw(int depth, string content) => Lines.Add(Indent(depth) + content);

        public int SequenceDepth(int keyDepth) => layout.Indentless ? keyDepth : keyDepth + 1;

        public void Line(int depth, string content, int salt = 0)
        {
            Comment(depth, salt);
            Lines.Add(Indent(depth) + content + Trailing(salt));
        }

        public void Item(int depth, string content, int salt)
        {
            Comment(depth, salt);
            Lines.Add(Indent(depth) + "- " + content + Trailing(salt));
        }

        /// <summary>A further key of a mapping that started on an item's dash line.</summary>
        public void ItemContinuation(int depth, string content) => Lines.Add(Indent(depth) + "  " + content);

        /// <summary>An own-line comment before some lines (density 2: before most).</summary>
        public void Comment(int depth, int salt)
        {
            if (layout.CommentDensity == 2 || (layout.CommentDensity == 1 && salt % 3 == 0))
            {
                Lines.Add(Indent(depth) + CommentTexts[salt % CommentTexts.Length]);
            }
        }

        private string Trailing(int salt) =>
            layout.CommentDensity > 0 && salt % 2 == 1 ? "  " + CommentTexts[(salt + 1) % CommentTexts.Length] : "";

        private string Indent(int depth) => new(' ', depth * layout.Indent);
    }
}

namespace ComposeFix.Tests.Properties;

/// <summary>File-wide style choices of a generated compose document.</summary>
public sealed record Layout(bool Crlf, bool Bom, bool FinalNewline, int Indent, bool Indentless, int CommentDensity, bool WithDefaults, bool DocumentMarkers, bool SharedPorts);

/// <summary>One published port: which syntax (see <see cref="ComposeRenderer"/>) and how it is quoted.</summary>
public sealed record PortChoice(int Syntax, int Quote);

public sealed record ServiceSpec(
    int Image,
    int ImageQuote,
    IReadOnlyList<PortChoice> Ports,
    bool PortsFlow,
    int EnvironmentForm,
    bool EnvironmentFlow,
    int Restart,
    bool MergesDefaults,
    bool Flow,
    bool Command,
    IReadOnlyList<int> Extras,
    bool AliasPorts);

/// <summary>A generated compose document, as choices; <see cref="ComposeRenderer"/> turns it into text.</summary>
public sealed record ComposeSpec(Layout Layout, IReadOnlyList<ServiceSpec> Services)
{
    public override string ToString() => ComposeRenderer.Render(this).Replace("\r", "\\r", StringComparison.Ordinal);
}

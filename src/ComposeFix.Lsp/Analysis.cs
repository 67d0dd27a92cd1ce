using ComposeFix.Engine;

namespace ComposeFix.Lsp;

/// <summary>
/// What the engine says about one version of a document. <see cref="Result"/> is what `composefix
/// fix --write` would do to the text (side files held back, see <see cref="DocumentAnalyzer"/>);
/// <see cref="WithUnsafe"/> is the same run with unsafe fixes, computed only when a quick fix for a
/// held-back change is asked for.
/// </summary>
public sealed class Analysis
{
    public required string Uri { get; init; }

    public required int Version { get; init; }

    /// <summary>The text the client has, without a leading BOM character.</summary>
    public required string Text { get; init; }

    /// <summary>1 when the client's text started with U+FEFF: positions on the first line shift by one.</summary>
    public int BomShift { get; init; }

    public required LineIndex Lines { get; init; }

    /// <summary>False for YAML that is not a compose file: no diagnostics, no actions.</summary>
    public bool IsCompose { get; init; }

    public FileResult? Result { get; init; }

    /// <summary>A .composefix.yml that cannot be used (like the CLI, the file is then not checked).</summary>
    public string? ConfigError { get; init; }

    public Lazy<FileResult?> WithUnsafe { get; init; } = new(() => null);

    /// <summary>The client's position of an offset in <see cref="Text"/>.</summary>
    public Protocol.Position At(int offset)
    {
        var p = Lines.PositionOf(offset);
        return p.Line == 0 && BomShift > 0 ? p with { Character = p.Character + BomShift } : p;
    }

    /// <summary>The client's position of a 1-based line and UTF-16 column as the engine reports them.</summary>
    public Protocol.Position At(int line, int column) => At(Lines.OffsetOf(line, column));

    /// <summary>The document parsed and the recipes ran: code actions are possible.</summary>
    public bool CanFix => IsCompose && ConfigError is null && Result is { Status: not FileStatus.Error, Source: not null };
}

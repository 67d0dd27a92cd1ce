using CsCheck;

namespace ComposeFix.Tests.Properties;

/// <summary>CsCheck generators for compose documents in random but valid styles (shrinkable: choices, not text).</summary>
public static class ComposeGenerators
{
    public static readonly Gen<Layout> Layout =
        Gen.Select(Gen.Bool, Gen.Bool, Gen.Bool, Gen.OneOf(2, 4), Gen.Bool, Gen.Int[0, 2], Gen.Bool, Gen.Bool, Gen.Bool, (crlf, bom, finalNewline, indent, indentless, comments, defaults, markers, sharedPorts) =>
            new Layout(crlf, bom, finalNewline, indent, indentless, comments, defaults, markers, sharedPorts));

    public static readonly Gen<PortChoice> Port =
        Gen.Select(Gen.Int[0, ComposeRenderer.PortSyntaxCount - 1], Gen.Int[0, 2], (syntax, quote) => new PortChoice(syntax, quote));

    public static readonly Gen<ServiceSpec> Service =
        Gen.Select(
            Gen.Int[0, ComposeRenderer.ImageCount - 1],
            Gen.Int[0, 2],
            Port.List[0, 4],
            Gen.Bool,
            Gen.Int[0, 2],
            Gen.Bool,
            Gen.Int[0, ComposeRenderer.RestartCount],
            Gen.Bool,
            Gen.Frequency((3, Gen.Const(false)), (1, Gen.Const(true))),
            Gen.Bool,
            Gen.Int[0, ComposeRenderer.ExtraCount - 1].List[0, 3],
            Gen.Bool,
            (image, imageQuote, ports, portsFlow, envForm, envFlow, restart, merges, flow, command, extras, aliasPorts) =>
                new ServiceSpec(image, imageQuote, ports, portsFlow, envForm, envFlow, restart, merges, flow, command, extras, aliasPorts));

    public static readonly Gen<ComposeSpec> Document =
        Gen.Select(Layout, Service.List[1, 4], (layout, services) => new ComposeSpec(layout, services));
}

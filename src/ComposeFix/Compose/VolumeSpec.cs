using ComposeFix.Editing;
using ComposeFix.Engine;
using ComposeFix.Yaml;

namespace ComposeFix.Compose;

/// <summary>
/// The short volume syntax <c>[SOURCE:]TARGET[:MODE]</c>, split the way compose-go's
/// <c>format.ParseVolume</c> splits it: on <c>:</c>, except after a one-letter Windows drive
/// (<c>C:\data</c>) and inside <c>${VAR:-default}</c>. MODE is a comma-separated list of options
/// (<c>ro</c>, <c>rw</c>, <c>z</c>, <c>Z</c>, <c>nocopy</c>, propagation, <c>cached</c>, …).
/// <see cref="Format"/> writes back the source, target and every option exactly as they were, so a
/// change touches only the options it is about.
/// </summary>
public sealed record VolumeSpec(string? Source, string Target, IReadOnlyList<string> Options)
{
    /// <summary>Bind propagation options (compose-go <c>types.Propagations</c>).</summary>
    public static readonly IReadOnlySet<string> PropagationOptions = new HashSet<string>(StringComparer.Ordinal) { "rprivate", "private", "rshared", "shared", "rslave", "slave" };

    public static VolumeSpec? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length <= 2)
        {
            return text.Length == 0 ? null : new VolumeSpec(null, text, []);
        }

        string masked = Interpolation.Mask(text, ':');
        var parts = new List<string>();
        int start = 0;
        for (int i = 0; i < masked.Length; i++)
        {
            if (masked[i] != ':')
            {
                continue;
            }

            if (i - start == 1 && char.IsLetter(masked[start]))
            {
                continue; // a Windows drive letter
            }

            parts.Add(text[start..i]);
            start = i + 1;
        }

        parts.Add(text[start..]);
        if (parts.Any(p => p.Length == 0))
        {
            return null;
        }

        return parts.Count switch
        {
            1 => new VolumeSpec(null, parts[0], []),
            2 => new VolumeSpec(parts[0], parts[1], []),
            3 => new VolumeSpec(parts[0], parts[1], parts[2].Split(',')),
            _ => null,
        };
    }

    /// <summary>true for <c>ro</c>, false for <c>rw</c> (the last one wins, as in compose-go), null when the mode says neither.</summary>
    public bool? ReadOnly => Options.LastOrDefault(o => o is "ro" or "rw") switch
    {
        "ro" => true,
        "rw" => false,
        _ => null,
    };

    /// <summary>The last propagation option, if any.</summary>
    public string? Propagation => Options.LastOrDefault(PropagationOptions.Contains);

    public string Format() => (Source is null ? "" : Source + ":") + Target + (Options.Count == 0 ? "" : ":" + string.Join(',', Options));

    /// <summary>The same mount read-only: the first <c>rw</c> becomes <c>ro</c> (other ro/rw options go), or <c>ro</c> goes first.</summary>
    public VolumeSpec AsReadOnly()
    {
        if (ReadOnly == true)
        {
            return this;
        }

        int rw = Options.ToList().IndexOf("rw");
        if (rw < 0)
        {
            return this with { Options = ["ro", .. Options] };
        }

        var options = Options.Select((o, i) => i == rw ? "ro" : o).Where((o, i) => i == rw || o is not ("ro" or "rw")).ToList();
        return this with { Options = options };
    }

    public VolumeSpec Without(Func<string, bool> option) => this with { Options = [.. Options.Where(o => !option(o))] };
}

/// <summary>
/// One entry of a service's <c>volumes</c>, short or long syntax, as the mount-hardening recipes see
/// it: its host source, whether it is a bind mount, whether it is read-only, its propagation, and the
/// intent that makes it read-only in the syntax it is written in.
/// </summary>
public sealed class VolumeMount
{
    private VolumeMount(SemPath path, VolumeSpec? shortSyntax, SemMap? longSyntax)
    {
        Path = path;
        ShortSyntax = shortSyntax;
        LongSyntax = longSyntax;
    }

    /// <summary>The resolved path of the entry (<c>services.NAME.volumes[i]</c>).</summary>
    public SemPath Path { get; }

    public VolumeSpec? ShortSyntax { get; }

    public SemMap? LongSyntax { get; }

    public string? Source => ShortSyntax is not null ? ShortSyntax.Source : Text(LongSyntax!.Get("source"));

    public string? Target => ShortSyntax is not null ? ShortSyntax.Target : Text(LongSyntax!.Get("target"));

    /// <summary>The source comes from a variable, so its kind (path or named volume) is known only at run time.</summary>
    public bool SourceIsVariable => Source is { } s && s.StartsWith('$') && Interpolation.HasVariables(s);

    /// <summary>A bind mount of a host path: long syntax <c>type: bind</c>, or a short source that is a file path (compose-go <c>isFilePath</c>).</summary>
    public bool IsBind => LongSyntax is not null ? Text(LongSyntax.Get("type")) == "bind" : Source is { } s && IsFilePath(s);

    /// <summary>true: read-only; false: writable by an explicit <c>rw</c> or <c>read_only: false</c>; null: writable by default.</summary>
    public bool? ReadOnly => ShortSyntax is not null ? ShortSyntax.ReadOnly : ReadOnlyValue(LongSyntax!.Get("read_only"));

    /// <summary>The mode (short syntax) or <c>read_only</c> (long syntax) comes from a variable: read-only or not is known only at run time.</summary>
    public bool ReadOnlyIsVariable => ShortSyntax is not null
        ? ShortSyntax.Options.Any(Interpolation.HasVariables)
        : LongSyntax!.Get("read_only") is SemScalar { Tag: ScalarResolver.StrTag } s && Interpolation.HasVariables(s.Value);

    public string? Propagation => ShortSyntax is not null ? ShortSyntax.Propagation : Text(((LongSyntax!.Get("bind") as SemMap)?.Get("propagation")));

    /// <summary>
    /// A mount of the Docker daemon's socket: a bind source ending in <c>docker.sock</c>
    /// (<c>/var/run/docker.sock</c>, <c>${XDG_RUNTIME_DIR}/docker.sock</c>, <c>${SOCK:-/run/docker.sock}</c>),
    /// or a source from a variable mounted at a target ending in <c>docker.sock</c>.
    /// </summary>
    public bool IsDockerSocket
    {
        get
        {
            if (Source is not { } source || !(IsBind || (ShortSyntax is not null && SourceIsVariable)))
            {
                return false;
            }

            if (source.TrimEnd('/').EndsWith("docker.sock", StringComparison.Ordinal))
            {
                return true;
            }

            return Interpolation.HasVariables(source)
                && (source.TrimEnd('}', '/').EndsWith("docker.sock", StringComparison.Ordinal) || (Target ?? "").TrimEnd('/').EndsWith("docker.sock", StringComparison.Ordinal));
        }
    }

    /// <summary>The entries of <c>volumes</c> that are short strings or long mappings, with their paths.</summary>
    public static IEnumerable<VolumeMount> Of(ServiceInfo service)
    {
        ArgumentNullException.ThrowIfNull(service);
        if (service.Get("volumes") is not SemSeq volumes)
        {
            yield break;
        }

        for (int i = 0; i < volumes.Items.Count; i++)
        {
            var path = service.At("volumes", i);
            switch (volumes.Items[i])
            {
                case SemScalar { Tag: ScalarResolver.StrTag } s when VolumeSpec.Parse(s.Value) is { } spec:
                    yield return new VolumeMount(path, spec, null);
                    break;
                case SemMap m:
                    yield return new VolumeMount(path, null, m);
                    break;
            }
        }
    }

    /// <summary>compose-go <c>isFilePath</c>: <c>.</c>, <c>/</c>, <c>~</c>, a <c>\\</c> pipe or a Windows drive.</summary>
    public static bool IsFilePath(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Length == 0)
        {
            return false;
        }

        return source[0] is '.' or '/' or '~' || source.StartsWith(@"\\", StringComparison.Ordinal) || (source.Length > 1 && char.IsLetter(source[0]) && source[1] == ':');
    }

    /// <summary>
    /// A host source as an absolute path (or a <c>~</c> path) with <c>//</c>, <c>.</c>, <c>..</c> and a
    /// trailing <c>/</c> resolved; null for relative paths, Windows paths, named volumes and variables.
    /// </summary>
    public static string? HostPath(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        string root;
        if (source.StartsWith('/'))
        {
            root = "";
        }
        else if (source == "~" || source.StartsWith("~/", StringComparison.Ordinal))
        {
            root = "~";
        }
        else
        {
            return null;
        }

        if (Interpolation.HasVariables(source))
        {
            return null;
        }

        var parts = new List<string>();
        foreach (var part in source[root.Length..].Split('/'))
        {
            if (part is "" or ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }

                continue;
            }

            parts.Add(part);
        }

        return parts.Count == 0 ? (root.Length == 0 ? "/" : "~") : root + "/" + string.Join('/', parts);
    }

    /// <summary>The intent that makes the mount read-only: <c>:ro</c> in the short string, <c>read_only: true</c> in long syntax.</summary>
    public Intent ReadOnlyIntent() => ShortSyntax is not null
        ? new SetIntent(Path, NewNode.Scalar(ShortSyntax.AsReadOnly().Format()))
        : new SetIntent(Path.Append("read_only"), NewNode.Bool(true));

    /// <summary>Compose reads <c>read_only</c> as a boolean or a string that converts to one.</summary>
    private static bool? ReadOnlyValue(Sem? value) => value switch
    {
        SemScalar { Tag: ScalarResolver.BoolTag } b => b.Value == "true",
        SemScalar { Tag: ScalarResolver.StrTag } s => s.Value.ToLowerInvariant() switch
        {
            "true" or "yes" or "y" or "on" or "1" => true,
            "false" or "no" or "n" or "off" or "0" => false,
            _ => null,
        },
        _ => null,
    };

    private static string? Text(Sem? value) => value is SemScalar { Tag: not ScalarResolver.NullTag } s ? s.Value : null;
}

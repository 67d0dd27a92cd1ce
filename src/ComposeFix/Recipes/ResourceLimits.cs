using System.Globalization;
using System.Text.RegularExpressions;
using ComposeFix.Compose;
using ComposeFix.Editing;
using ComposeFix.Engine;
using ComposeFix.Yaml;

namespace ComposeFix.Recipes;

/// <summary>
/// <b>resource-limits</b> — a process, memory and CPU limit on every service that has none: the
/// parameters (200 tasks, 512M, 0.5 CPU), raised to the floors the image knowledge base records.
/// <para>Why: without limits one container can take all the memory, CPU and PIDs of the host (a leak, a
/// request flood, a fork bomb). CIS Docker Benchmark 5.11, 5.12 and 5.29, OWASP rule #7.</para>
/// <para>Fix safety: safe for images in the knowledge base; unsafe for unknown images and services that
/// build their image, whose needs are unknown (a JVM is killed at 512M and a threaded server fails at 200
/// tasks). Styles never mix: a service with a <c>deploy.resources.limits</c> mapping gets the missing
/// <c>memory</c> and <c>cpus</c> there (and a key that mirrors an existing service-level
/// <c>mem_limit</c> / <c>cpus</c>, because Compose v2 rejects the pair when they differ and counts a
/// missing key as 0); any other service gets <c>pids_limit</c>, <c>mem_limit</c> and <c>cpus</c>, which
/// Compose v1 and v2 both accept. A process limit for a service with a limits block is reported, not
/// added: Compose v1 rejects <c>limits.pids</c> and Compose v2 rejects <c>pids_limit</c> beside the block. Existing limits are never changed: 0 or -1 (unlimited), a value below the image's floor and
/// two values that disagree are reported. A memory limit below the service's memory reservation or swap
/// limit would stop the container from starting, so that case is reported instead.</para>
/// </summary>
public sealed partial class ResourceLimits : IRecipe
{
    public string Id => "resource-limits";

    public void Analyze(RecipeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var defaults = new Wanted(context.IntParameter("pids"), context.StringParameter("memory"), context.StringParameter("cpus"));
        bool cpusAsNumber = BlockCpusAreNumbers(context.Document);
        foreach (var service in context.Document.Services)
        {
            Analyze(context, service, defaults, cpusAsNumber);
        }
    }

    private sealed record Wanted(long Pids, string Memory, string Cpus);

    private static void Analyze(RecipeContext context, ServiceInfo service, Wanted defaults, bool cpusAsNumber)
    {
        var (inherited, baseName, external) = ServiceFacts.Extends(context.Document, service);
        if (external is not null)
        {
            context.Report(service, $"not changed: the service extends {external}, whose limits are not in this file", service.At("extends"));
            return;
        }

        var view = ServiceFacts.View(service, inherited);
        string? image = (view.Get("image") as SemScalar) is { Tag: not ScalarResolver.NullTag } i ? i.Value : null;
        var profile = ServiceFacts.Image(context, service);
        string name = profile is null ? "" : ServiceFacts.ShortTitle(profile);

        // The values to add: the parameters, raised to the image's floors.
        var floors = new Dictionary<string, string>(StringComparer.Ordinal);
        long pids = defaults.Pids;
        string memory = defaults.Memory;
        string cpus = defaults.Cpus;
        if (profile?.PidsFloor is long pidsFloor && pidsFloor > pids)
        {
            pids = pidsFloor;
            floors["pids"] = $"pids {pidsFloor}";
        }

        if (profile?.MemoryFloor is { } memFloor && Bytes(memFloor) is long mf && (Bytes(memory) is not long md || mf > md))
        {
            memory = memFloor;
            floors["memory"] = $"memory {memFloor}";
        }

        if (profile?.CpusFloor is { } cpuFloor && Cpus(cpuFloor) is decimal cf && (Cpus(cpus) is not decimal cd || cf > cd))
        {
            cpus = cpuFloor;
            floors["cpus"] = $"cpus {cpuFloor}";
        }

        var limitsPath = service.At("deploy", "resources", "limits");
        var limits = ((view.Get("deploy") as SemMap)?.Get("resources") as SemMap)?.Get("limits") as SemMap;

        var mirror = new List<Intent>();
        var mirrored = new List<string>();
        var added = new List<Intent>();
        var addedText = new List<string>();
        var addedDims = new HashSet<string>(StringComparer.Ordinal);

        foreach (var dim in Dimensions)
        {
            var own = Scalar(view.Get(dim.ServiceKey));
            var inBlock = Scalar(limits?.Get(dim.BlockKey));
            bool otherCpu = dim.BlockKey == "cpus" && (Scalar(view.Get("cpu_shares")) is not null || Scalar(view.Get("cpu_quota")) is not null);
            if (own is null && inBlock is null && !otherCpu)
            {
                string value = dim.BlockKey switch
                {
                    "pids" => pids.ToString(CultureInfo.InvariantCulture),
                    "memory" => memory,
                    _ => cpus,
                };
                if (Blocked(view, dim, value) is { } blocked)
                {
                    context.Report(service, blocked, service.Path);
                    continue;
                }

                // A service that extends this one merges the new key with its own keys: the pair must stay consistent.
                if (ExtendedBy(context.Document, service.Name).FirstOrDefault(c => limits is not null
                    ? c.Meaning.Get(dim.ServiceKey) is not null
                    : ((c.Meaning.Get("deploy") as SemMap)?.Get("resources") as SemMap)?.Get("limits") is SemMap) is { } child)
                {
                    string theirs = limits is not null ? $"its own {dim.ServiceKey}" : "its own deploy.resources.limits block";
                    context.Report(service, $"no {dim.What} limit added: '{child.Name}' extends this service with {theirs}, and Compose v2 rejects the pair unless both hold the same value; set the limit in both by hand", limits is not null ? limitsPath : service.Path);
                    continue;
                }

                if (limits is not null && dim.BlockKey == "pids")
                {
                    context.Report(service, $"no process limit added: Compose v1 rejects deploy.resources.limits.pids, and Compose v2 rejects a pids_limit beside a limits block without pids; add pids: {value} to the limits block by hand if only Compose v2 reads this file", limitsPath);
                    continue;
                }

                addedDims.Add(dim.BlockKey);
                if (limits is not null)
                {
                    added.Add(new SetIntent(limitsPath.Append(dim.BlockKey), BlockValue(dim.BlockKey, value, cpusAsNumber)));
                    addedText.Add($"deploy.resources.limits.{dim.BlockKey}: {value}");
                }
                else
                {
                    added.Add(new SetIntent(service.At(dim.ServiceKey), ServiceValue(dim.ServiceKey, value)));
                    addedText.Add($"{dim.ServiceKey}: {value}");
                }

                continue;
            }

            // Set already: never changed, only checked.
            foreach (var (key, value) in new[] { (dim.ServiceKey, own), ($"deploy.resources.limits.{dim.BlockKey}", inBlock) })
            {
                if (value is null)
                {
                    continue;
                }

                var floor = dim.BlockKey switch
                {
                    "pids" => profile?.PidsFloor?.ToString(CultureInfo.InvariantCulture),
                    "memory" => profile?.MemoryFloor,
                    _ => profile?.CpusFloor,
                };
                // A variable is judged by its default: ${CPUS:-0} is unlimited unless the variable is set.
                var byDefault = VariableDefault().Match(value.Value);
                string effective = byDefault.Success ? byDefault.Groups[1].Value : value.Value;
                string means = byDefault.Success ? "defaults to" : "means";
                if (IsUnlimited(dim.BlockKey, effective))
                {
                    context.Report(service, $"{key}: {value.Value} {means} no {dim.What} limit; left alone", At(service, key));
                }
                else if (floor is not null && Compare(dim.BlockKey, effective, floor) < 0)
                {
                    context.Report(service, $"{key}: {value.Value} {(byDefault.Success ? "defaults to a value " : "is ")}below the {floor} recorded for {name}; left alone (raise it by hand)", At(service, key));
                }
            }

            if (own is not null && inBlock is not null && Compare(dim.BlockKey, own.Value, inBlock.Value) is int c && c != 0)
            {
                context.Report(service, $"{dim.ServiceKey}: {own.Value} and deploy.resources.limits.{dim.BlockKey}: {inBlock.Value} differ, which Compose v2 rejects; make them equal", service.At(dim.ServiceKey));
            }

            // Compose v2 compares a non-zero service-level value with the limits block, where a missing key is 0.
            if (limits is not null && inBlock is null && own is not null && !IsZero(dim.BlockKey, own.Value))
            {
                if (dim.BlockKey == "pids")
                {
                    context.Report(service, $"pids_limit: {own.Value} beside a deploy.resources.limits block without pids is an error for Compose v2 (a missing pids counts as 0), and Compose v1 rejects limits.pids; not fixed automatically: add pids: {own.Value} to the block if only Compose v2 reads this file", service.At(dim.ServiceKey));
                    continue;
                }

                mirror.Add(new SetIntent(limitsPath.Append(dim.BlockKey), BlockValue(dim.BlockKey, own.Value, cpusAsNumber)));
                mirrored.Add($"deploy.resources.limits.{dim.BlockKey}: {own.Value}");
            }
        }

        if (limits is { Entries.Count: 0 } && added.Count + mirror.Count > 1)
        {
            // An empty limits mapping ({}) is replaced as a whole: one value instead of several inserts into "{}".
            var pairs = mirror.Concat(added).OfType<SetIntent>().Select(i => ((string)i.Path.Segments[^1], (NewNode)i.Value)).ToArray();
            if (added.Count == 0)
            {
                mirror = [new SetIntent(limitsPath, NewNode.Map(pairs))];
            }
            else
            {
                added = [new SetIntent(limitsPath, NewNode.Map(pairs))];
                addedText.InsertRange(0, mirrored);
                mirror = [];
            }
        }

        if (limits is not null && mirror.Count + added.Count(i => i.Path.Segments.Count > 3) > 0 && service.Get("deploy") is null)
        {
            context.Report(service, $"not changed: its deploy.resources.limits block comes from '{baseName}' through extends; add the limits there", service.At("extends"));
            return;
        }

        string privileged = view.Get("privileged") is SemScalar { Tag: ScalarResolver.BoolTag, Value: "true" } ? "; the service is privileged and can rewrite its own cgroup limits" : "";
        string mirrorNote = $"{string.Join(", ", mirrored)}, equal to the service-level value{(mirrored.Count == 1 ? "" : "s")}: Compose v2 rejects a limits block that lacks {(mirrored.Count == 1 ? "it" : "them")}";
        if (added.Count == 0)
        {
            if (mirror.Count > 0)
            {
                context.Fix(service, Applicability.Safe, mirrorNote + privileged, limitsPath, [.. mirror]);
            }

            return;
        }

        string why;
        Applicability applicability = Applicability.Safe;
        if (profile is null)
        {
            applicability = Applicability.Unsafe;
            string what = view.Get("build") is not null ? "the service builds its image from source with build:"
                : image is not null ? $"image '{image}' is unknown"
                : "the service names no image (an override file?)";
            why = $"{what}, so its floor is unknown: a JVM or another large process needs more memory, threads and CPU";
        }
        else
        {
            var used = floors.Where(f => addedDims.Contains(f.Key)).Select(f => f.Value).ToList();
            why = used.Count == 0 ? $"the defaults fit {name}" : $"raised to {name}'s floor{(used.Count == 1 ? "" : "s")} {string.Join(", ", used)}";
        }

        string note = $"{string.Join(", ", addedText)} ({why}{privileged})";

        if (service.Meaning.Entries.Count == 0)
        {
            // An empty service ({}, e.g. in an override file) gets one mapping rather than several inserts into "{}".
            added = [new SetIntent(service.Path, NewNode.Map([.. added.OfType<SetIntent>().Select(i => ((string)i.Path.Segments[^1], i.Value))]))];
        }

        if (mirror.Count > 0 && applicability == Applicability.Safe)
        {
            context.Fix(service, applicability, $"{note}; {mirrorNote}", service.Path, [.. mirror, .. added]);
            return;
        }

        if (mirror.Count > 0)
        {
            context.Fix(service, Applicability.Safe, mirrorNote + privileged, limitsPath, [.. mirror]);
        }

        context.Fix(service, applicability, note, service.Path, [.. added]);
    }

    private sealed record Dimension(string ServiceKey, string BlockKey, string What);

    private static readonly Dimension[] Dimensions =
    [
        new("pids_limit", "pids", "process"),
        new("mem_limit", "memory", "memory"),
        new("cpus", "cpus", "CPU"),
    ];

    /// <summary>Why a new limit would stop the container from starting, or null.</summary>
    private static string? Blocked(SemMap service, Dimension dim, string value)
    {
        var reservations = ((service.Get("deploy") as SemMap)?.Get("resources") as SemMap)?.Get("reservations") as SemMap;
        if (dim.BlockKey == "memory" && Bytes(value) is long limit)
        {
            foreach (var (key, v) in new[] { ("mem_reservation", Scalar(service.Get("mem_reservation"))), ("deploy.resources.reservations.memory", Scalar(reservations?.Get("memory"))) })
            {
                if (v is not null && Bytes(v.Value) is long r && r > limit)
                {
                    return $"no memory limit added: {key}: {v.Value} is above {value}, and Docker refuses a limit below the reservation; set a limit by hand";
                }
            }

            if (Scalar(service.Get("memswap_limit")) is { } swap && Bytes(swap.Value) is long s && s > 0 && s < limit)
            {
                return $"no memory limit added: memswap_limit: {swap.Value} is below {value}, and Docker refuses a swap limit below the memory limit; set a limit by hand";
            }
        }

        if (dim.BlockKey == "cpus" && Scalar(reservations?.Get("cpus")) is { } rc && Cpus(rc.Value) is decimal r2 && Cpus(value) is decimal l && r2 > l)
        {
            return $"no CPU limit added: deploy.resources.reservations.cpus: {rc.Value} is above {value}; set a limit by hand";
        }

        return null;
    }

    private static NewScalar ServiceValue(string key, string value) => key switch
    {
        "pids_limit" => Integer(value),
        "cpus" => Cpus(value) is not null ? NewNode.Number(value) : NewNode.Scalar(value),
        _ => Bytes(value) is not null && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _) ? NewNode.Number(value) : NewNode.Scalar(value),
    };

    /// <summary>limits.memory is a string in the schema; limits.cpus follows the file's style (a quoted string by default).</summary>
    private static NewScalar BlockValue(string key, string value, bool cpusAsNumber) => key switch
    {
        "pids" => Integer(value),
        "cpus" => cpusAsNumber && Cpus(value) is not null ? NewNode.Number(value) : NewNode.Scalar(value, Quoting.Always),
        _ => NewNode.Scalar(value),
    };

    private static NewScalar Integer(string value) => long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n) ? NewNode.Number(n) : NewNode.Scalar(value);

    /// <summary>True when the file already writes some limits or reservations cpus as numbers (and none as strings).</summary>
    private static bool BlockCpusAreNumbers(ComposeDocument document)
    {
        int numbers = 0;
        int strings = 0;
        foreach (var service in document.Services)
        {
            if ((service.Get("deploy") as SemMap)?.Get("resources") is SemMap resources)
            {
                foreach (var part in new[] { "limits", "reservations" })
                {
                    if ((resources.Get(part) as SemMap)?.Get("cpus") is SemScalar s)
                    {
                        if (s.Tag is ScalarResolver.IntTag or ScalarResolver.FloatTag)
                        {
                            numbers++;
                        }
                        else if (s.Tag == ScalarResolver.StrTag)
                        {
                            strings++;
                        }
                    }
                }
            }
        }

        return numbers > strings;
    }

    private static SemPath At(ServiceInfo service, string dottedKey) => new([.. service.Path.Segments, .. dottedKey.Split('.')]);

    /// <summary>0 (and -1) switch a limit off: Docker reads 0 as "no limit" for all three and -1 as unlimited pids or swap.</summary>
    private static bool IsUnlimited(string dimension, string value) => value.Trim() == "-1" || IsZero(dimension, value);

    /// <summary>Compose treats 0 as "not set": it skips the comparison with the limits block.</summary>
    private static bool IsZero(string dimension, string value) => Compare(dimension, value, "0") == 0;

    private static SemScalar? Scalar(Sem? value) => value is SemScalar s && s.Tag != ScalarResolver.NullTag ? s : null;

    /// <summary>Compares two values of a dimension; null when either cannot be read (a variable, a typo).</summary>
    private static int? Compare(string dimension, string a, string b)
    {
        switch (dimension)
        {
            case "memory":
                return Bytes(a) is long x && Bytes(b) is long y ? x.CompareTo(y) : null;
            case "cpus":
                return Cpus(a) is decimal p && Cpus(b) is decimal q ? p.CompareTo(q) : null;
            default:
                return long.TryParse(a, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long m) && long.TryParse(b, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n) ? m.CompareTo(n) : null;
        }
    }

    private static decimal? Cpus(string value) =>
        decimal.TryParse(value.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal d) ? d : null;

    /// <summary>Compose byte notation as docker/go-units RAMInBytes reads it: 512M, 1g, 2048m, 1.5GiB, 1073741824 (binary units).</summary>
    internal static long? Bytes(string value)
    {
        var m = ByteSize().Match(value.Trim());
        if (!m.Success || !decimal.TryParse(m.Groups[1].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal n))
        {
            return null;
        }

        int power = m.Groups[2].Value.ToLowerInvariant() switch
        {
            "k" => 1,
            "m" => 2,
            "g" => 3,
            "t" => 4,
            "p" => 5,
            _ => 0,
        };
        decimal bytes = n;
        for (int i = 0; i < power; i++)
        {
            bytes *= 1024;
        }

        return bytes > long.MaxValue ? null : (long)bytes;
    }

    [GeneratedRegex(@"^\$\{[A-Za-z_][A-Za-z0-9_]*:?-([^}$]*)\}$", RegexOptions.CultureInvariant)]
    private static partial Regex VariableDefault();

    [GeneratedRegex(@"^(\d+(?:\.\d+)?) ?([kKmMgGtTpP])?[iI]?[bB]?$", RegexOptions.CultureInvariant)]
    private static partial Regex ByteSize();

    /// <summary>The services of the file that extend <paramref name="name"/> directly.</summary>
    private static IEnumerable<ServiceInfo> ExtendedBy(ComposeDocument document, string name) =>
        Extenders.GetValue(document, d => d.Services.ToLookup(s => s.Get("extends") switch
        {
            SemScalar e => e.Value,
            SemMap m when m.Get("file") is null => (m.Get("service") as SemScalar)?.Value,
            _ => null,
        }, StringComparer.Ordinal))[name];

    /// <summary>Who extends whom, once per document (asked for every service, so a scan each time is quadratic).</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ComposeDocument, ILookup<string?, ServiceInfo>> Extenders = [];

}

using System.Globalization;
using ComposeFix.Compose;
using ComposeFix.Editing;
using ComposeFix.Engine;
using ComposeFix.Yaml;

namespace ComposeFix.Recipes;

/// <summary>What a service's <c>privileged:</c> says.</summary>
internal enum PrivilegedMode
{
    /// <summary>Not set, false, or null.</summary>
    Off,

    /// <summary><c>true</c>, or a string Compose reads as true (y, yes, true, on, in any case).</summary>
    On,

    /// <summary>A <c>${VAR}</c> the tool cannot see through.</summary>
    Variable,

    /// <summary>Some other value.</summary>
    Unclear,
}

/// <summary>
/// The capabilities a service needs under <c>cap_drop: [ALL]</c>, shared by <c>drop-capabilities</c>
/// and <c>no-privileged</c> so that both write the same <c>cap_add</c> (and a run of one is a fixed
/// point for the other). The set is: the image's needs from the knowledge base (the non-root list
/// when the service sets a non-root <c>user:</c>), NET_BIND_SERVICE where it is really needed, the
/// extra capabilities of a parameter, minus what the service already adds and minus what its
/// <c>cap_drop</c> names explicitly (the service already runs without those).
/// </summary>
internal static class CapabilityNeeds
{
    /// <summary>One capability to add, with the reason a reviewer reads.</summary>
    internal sealed record Need(string Name, string Why);

    /// <summary>The capability decision for one service.</summary>
    internal sealed record Plan(
        ImageProfile? Profile,
        string ImageLabel,
        string? NonRootUser,
        bool UserFromVariable,
        IReadOnlyList<Need> Missing,
        IReadOnlyList<string> Kept,
        IReadOnlyList<string> Withheld,
        bool HasDropAll,
        IReadOnlyList<string> OtherDrops,
        bool EntrypointOverridden)
    {
        public bool KnownImage => Profile is not null;
    }

    /// <summary>Upper case without a <c>CAP_</c> prefix: <c>cap_net_admin</c> and <c>NET_ADMIN</c> compare equal.</summary>
    public static string Normalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string s = name.Trim().ToUpperInvariant();
        return s.StartsWith("CAP_", StringComparison.Ordinal) ? s[4..] : s;
    }

    /// <summary>The capability names of a <c>cap_add</c>/<c>cap_drop</c> list as written.</summary>
    public static IReadOnlyList<string> Names(Sem? list) =>
        list is SemSeq q ? [.. q.Items.OfType<SemScalar>().Where(s => s.Tag != ScalarResolver.NullTag).Select(s => s.Value)] : [];

    /// <summary>True when the value is a list, missing, or null (an empty <c>cap_add:</c>).</summary>
    public static bool IsListOrEmpty(Sem? value) => value is null or SemSeq || value is SemScalar { Tag: ScalarResolver.NullTag };

    public static PrivilegedMode Privileged(ServiceInfo service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return service.Get("privileged") switch
        {
            null => PrivilegedMode.Off,
            SemScalar { Tag: ScalarResolver.NullTag } => PrivilegedMode.Off,
            SemScalar { Tag: ScalarResolver.BoolTag, Value: "true" } => PrivilegedMode.On,
            SemScalar { Tag: ScalarResolver.BoolTag } => PrivilegedMode.Off,
            SemScalar s when s.Value.Contains('$', StringComparison.Ordinal) => PrivilegedMode.Variable,
            SemScalar s when s.Value.ToLowerInvariant() is "true" or "yes" or "y" or "on" => PrivilegedMode.On,
            SemScalar s when s.Value.ToLowerInvariant() is "false" or "no" or "n" or "off" or "" => PrivilegedMode.Off,
            _ => PrivilegedMode.Unclear,
        };
    }

    /// <summary>
    /// Works out what the service must get back under <c>cap_drop: [ALL]</c>. The image and <c>user:</c>
    /// are read as <see cref="ServiceFacts"/> reads them (through <c>extends</c> in the same file, with
    /// variable defaults; <c>build:</c> makes the image unknown); <c>cap_add</c>/<c>cap_drop</c> are the
    /// service's own, since those are what the fix edits.
    /// </summary>
    public static Plan Compute(RecipeContext context, ServiceInfo service, IReadOnlyList<string> extra)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(extra);
        var doc = context.Document;
        var profile = ServiceFacts.Image(context, service);
        var imageLookup = ServiceFacts.Lookup(doc, service, "image");
        string? image = imageLookup.Text;
        var build = ServiceFacts.Lookup(doc, service, "build");
        string label = profile is not null ? profile.Id
            : build.IsSet ? "the image built from source (build:)"
            : image is not null ? $"image {image}"
            : imageLookup.UnreadFile is not null ? $"the image of {imageLookup.UnreadService} in {imageLookup.UnreadFile} (extends:, not read)"
            : "the image set in another file (no image: or build: here)";

        string? user = ServiceFacts.Lookup(doc, service, "user").Text?.Trim();
        string? uid = user is null or "" ? null : Interpolation.WithDefaults(user).Split(':')[0].Trim();
        bool userFromVariable = uid is not null && uid.Contains(Interpolation.Unknown, StringComparison.Ordinal);
        string? nonRoot = uid is not null && !userFromVariable && !IsRoot(uid) ? user : null;

        var added = Names(service.Get("cap_add"));
        var addedSet = added.Select(Normalize).ToHashSet(StringComparer.Ordinal);
        var drops = Names(service.Get("cap_drop"));
        var dropSet = drops.Select(Normalize).ToHashSet(StringComparer.Ordinal);

        var wanted = new List<Need>();
        if (profile is not null)
        {
            var facts = nonRoot is null ? profile.Capabilities : profile.CapabilitiesNonRoot;
            wanted.AddRange(facts.Select(f => new Need(Normalize(f.Value), Shorten(f.Why) + (f.Unconfirmed ? " (unconfirmed)" : ""))));
            if (profile.NetBindService)
            {
                wanted.Add(new Need("NET_BIND_SERVICE", "its binary carries it as a file capability and cannot even be executed without it"));
            }
        }

        if (nonRoot is null && ServiceFacts.Lookup(doc, service, "network_mode").Text == "host" && LowPort(profile, ServiceFacts.Lookup(doc, service, "ports").Value) is int port)
        {
            wanted.Add(new Need("NET_BIND_SERVICE", $"network_mode: host and it listens on port {port}, below 1024"));
        }

        wanted.AddRange(extra.Select(e => new Need(Normalize(e), "extra_capabilities")));

        var missing = new List<Need>();
        var withheld = new List<string>();
        foreach (var need in wanted)
        {
            if (addedSet.Contains(need.Name) || missing.Any(m => m.Name == need.Name) || withheld.Contains(need.Name))
            {
                continue;
            }

            if (dropSet.Contains(need.Name))
            {
                withheld.Add(need.Name);
                continue;
            }

            missing.Add(need);
        }

        return new Plan(
            profile,
            label,
            nonRoot,
            userFromVariable,
            [.. missing.OrderBy(m => m.Name, StringComparer.Ordinal)],
            added,
            withheld,
            dropSet.Contains("ALL"),
            [.. drops.Where(d => Normalize(d) != "ALL")],
            ServiceFacts.Lookup(doc, service, "entrypoint").IsSet);
    }

    /// <summary>The intents: ALL into <c>cap_drop</c> (unless there), then the missing capabilities into <c>cap_add</c>.</summary>
    public static List<Intent> Intents(ServiceInfo service, Plan plan)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(plan);
        var intents = new List<Intent>();
        if (!plan.HasDropAll)
        {
            intents.Add(new AppendIntent(service.At("cap_drop"), NewNode.Scalar("ALL")));
        }

        if (plan.Missing.Count > 0 && service.Get("cap_add") is SemSeq { Items.Count: > 0 })
        {
            intents.AddRange(plan.Missing.Select(m => new AppendIntent(service.At("cap_add"), NewNode.Scalar(m.Name))));
        }
        else if (plan.Missing.Count > 0)
        {
            // Missing, null or []: one new list, so the items come out in one piece in any style.
            intents.Add(new SetIntent(service.At("cap_add"), NewNode.List(plan.Missing.Select(m => m.Name))));
        }

        return intents;
    }

    /// <summary>The reviewer's account of the change: what is dropped, what is added back and why.</summary>
    public static string Describe(Plan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var parts = new List<string>();
        if (!plan.HasDropAll)
        {
            parts.Add(plan.OtherDrops.Count == 0 ? "cap_drop: [ALL]" : $"cap_drop gets ALL (it dropped only {string.Join(", ", plan.OtherDrops)})");
        }

        if (plan.Missing.Count > 0)
        {
            var reasons = plan.Missing
                .GroupBy(m => m.Why, StringComparer.Ordinal)
                .Select(g => $"{string.Join(", ", g.Select(m => m.Name))}: {g.Key}");
            parts.Add($"cap_add {string.Join(", ", plan.Missing.Select(m => m.Name))} for {plan.ImageLabel}{AsUser(plan)} ({string.Join("; ", reasons)})");
        }
        else if (plan.KnownImage)
        {
            parts.Add($"{plan.ImageLabel} needs no capabilities{AsUser(plan)}");
        }

        if (plan.Kept.Count > 0)
        {
            parts.Add($"cap_add keeps {string.Join(", ", plan.Kept)}");
        }

        if (plan.Withheld.Count > 0)
        {
            parts.Add($"{string.Join(", ", plan.Withheld)} not added back: cap_drop names {(plan.Withheld.Count == 1 ? "it" : "them")}");
        }

        if (!plan.KnownImage)
        {
            string hint = plan.NonRootUser is null ? "; an entrypoint that switches user (gosu, su-exec) needs CHOWN, SETUID and SETGID" : "";
            parts.Add($"{plan.ImageLabel} is unknown (not in the knowledge base), so the generic rule was used: no image capabilities added back{hint}");
        }
        else if (plan.EntrypointOverridden)
        {
            parts.Add("entrypoint: is overridden and the knowledge base describes the image's own entrypoint");
        }

        if (plan.UserFromVariable)
        {
            parts.Add("user: comes from a variable and was counted as root");
        }

        return string.Join("; ", parts);
    }

    /// <summary>The user part of <c>user:</c> is root: <c>root</c> or uid 0 (<c>0</c>, <c>0:0</c>, <c>0:1000</c>, <c>root:root</c>).</summary>
    private static bool IsRoot(string uid) => uid == "root" || (uid.Length > 0 && uid.All(char.IsAsciiDigit) && uid.TrimStart('0').Length == 0);

    private static string AsUser(Plan plan) => plan.NonRootUser is null ? "" : $" as user {plan.NonRootUser}";

    /// <summary>The lowest container port below 1024: the image's listen ports and the targets of the service's ports.</summary>
    private static int? LowPort(ImageProfile? profile, Sem? published)
    {
        var ports = new List<int>(profile?.ListenPorts ?? []);
        if (published is SemSeq list)
        {
            foreach (var item in list.Items)
            {
                string? target = item switch
                {
                    SemScalar s => PortSpec.Parse(s.Value)?.ContainerPort,
                    SemMap m => (m.Get("target") as SemScalar)?.Value,
                    _ => null,
                };
                string first = (target ?? "").Split('-')[0];
                if (int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out int p))
                {
                    ports.Add(p);
                }
            }
        }

        return ports.Where(p => p is > 0 and < 1024).Order().Cast<int?>().FirstOrDefault();
    }

    /// <summary>The first clause of a knowledge-base reason, to fit a one-line note.</summary>
    internal static string Shorten(string why)
    {
        string s = why.Trim();
        for (int i = 1; i < s.Length - 1; i++)
        {
            bool clauseEnd = (s[i] is ';' or ':') && s[i + 1] == ' ';
            bool sentenceEnd = s[i] == '.' && s[i + 1] == ' ' && s[i - 1] != '.' && i + 2 < s.Length && char.IsUpper(s[i + 2]);
            if (clauseEnd || sentenceEnd)
            {
                s = s[..i];
                break;
            }
        }

        s = s.TrimEnd('.');
        if (s.Length > 1 && char.IsUpper(s[0]) && char.IsLower(s[1]))
        {
            s = char.ToLowerInvariant(s[0]) + s[1..];
        }

        return s;
    }
}

using ComposeFix.Compose;
using ComposeFix.Engine;
using ComposeFix.Yaml;

namespace ComposeFix.Recipes;

/// <summary>
/// <b>security-profiles</b> — remove the <c>security_opt</c> entries that turn off seccomp, AppArmor
/// or SELinux confinement.
/// <para>Why: Docker's default seccomp profile blocks system calls that kernel exploits use
/// (<c>keyctl</c>, <c>bpf</c>, <c>userfaultfd</c>, <c>unshare</c>, <c>mount</c>, …), and the default
/// AppArmor profile and SELinux labels keep an escaped process away from host files and
/// <c>/proc</c>. With <c>unconfined</c> a reachable kernel bug becomes a container escape. CIS Docker
/// Benchmark 5.2, 5.3, 5.22, OWASP rule #6.</para>
/// <para>Fix safety: safe. Removed: <c>seccomp:unconfined</c>, <c>apparmor:unconfined</c>,
/// <c>label:disable</c>, each also with <c>=</c>. Custom profiles and every other entry are kept, in
/// their order and style; when no entry is left, the <c>security_opt</c> key goes. All removals from
/// one service's list are one fix, in descending index order, so that the indices stay right. For a
/// service that adds <c>SYS_ADMIN</c> (or ALL) the removal is unsafe: that combination is how FUSE
/// mounts and nested container runtimes are set up, and the default profiles block their
/// <c>mount</c> and <c>unshare</c> calls. For a privileged service it changes nothing today (Docker
/// runs privileged containers without seccomp and AppArmor) and is safe.</para>
/// </summary>
public sealed class SecurityProfiles : IRecipe
{
    public string Id => "security-profiles";

    public void Analyze(RecipeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var service in context.Document.Services)
        {
            if (service.Get("security_opt") is not SemSeq list)
            {
                continue;
            }

            var path = service.At("security_opt");
            var removed = new List<(int Index, string Entry, string Profile)>();
            for (int i = 0; i < list.Items.Count; i++)
            {
                if (list.Items[i] is SemScalar { Tag: ScalarResolver.StrTag } item && Disabled(SecurityOpt.Parse(item.Value)) is { } profile)
                {
                    removed.Add((i, item.Value, profile));
                }
            }

            if (removed.Count == 0)
            {
                continue;
            }

            string entries = string.Join(", ", removed.Select(r => r.Entry));
            string profiles = string.Join(", ", removed.Select(r => r.Profile).Distinct());
            var applicability = Applicability.Safe;
            string note = $"remove {entries} from security_opt (re-enables {profiles})";
            if (ServiceCapabilities.IsPrivileged(context.Document, service))
            {
                note = $"remove {entries} from security_opt (changes nothing while the service is privileged, which Docker runs unconfined; re-enables {profiles} once privileged goes)";
            }
            else if (ServiceCapabilities.AddsSysAdmin(context.Document, service))
            {
                applicability = Applicability.Unsafe;
                note = $"remove {entries} from security_opt (re-enables {profiles}; this service adds SYS_ADMIN, as FUSE and nested-container tools do, and the default profiles block the mount and namespace calls those make)";
            }

            if (removed.Count == list.Items.Count)
            {
                context.Fix(service, applicability, $"{note}; no entry is left, so the key goes", path, new RemoveIntent(path));
            }
            else
            {
                context.Fix(service, applicability, note, path.Append(removed[0].Index), [.. removed.OrderByDescending(r => r.Index).Select(r => new RemoveIntent(path.Append(r.Index)))]);
            }
        }
    }

    /// <summary>The confinement an entry turns off, or null.</summary>
    private static string? Disabled(SecurityOpt opt) => (opt.Key, opt.Value) switch
    {
        ("seccomp", "unconfined") => "the default seccomp profile",
        ("apparmor", "unconfined") => "the default AppArmor profile",
        ("label", "disable") => "SELinux labelling",
        _ => null,
    };
}

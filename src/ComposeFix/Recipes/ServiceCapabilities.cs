using ComposeFix.Compose;
using ComposeFix.Yaml;

namespace ComposeFix.Recipes;

/// <summary>
/// What a service may do beyond an ordinary container, as the confinement recipes need it:
/// <c>privileged: true</c>, and whether it can mount filesystems (privileged, or <c>SYS_ADMIN</c> /
/// <c>ALL</c> in <c>cap_add</c>) — the services for which unconfined seccomp/AppArmor and shared
/// mount propagation are usually deliberate. Values inherited through <c>extends</c> in the same file
/// count (<see cref="ServiceFacts.Lookup"/>).
/// </summary>
public static class ServiceCapabilities
{
    /// <summary><c>privileged</c> is true, or a string Compose reads as true.</summary>
    public static bool IsPrivileged(ComposeDocument document, ServiceInfo service) =>
        ServiceFacts.Lookup(document, service, "privileged").Value is SemScalar { Tag: ScalarResolver.BoolTag or ScalarResolver.StrTag } s
        && s.Value.ToLowerInvariant() is "true" or "yes" or "y" or "on";

    /// <summary><c>cap_add</c> names SYS_ADMIN (with or without <c>CAP_</c>, in any case) or ALL.</summary>
    public static bool AddsSysAdmin(ComposeDocument document, ServiceInfo service) =>
        ServiceFacts.Lookup(document, service, "cap_add").Value is SemSeq caps && caps.Items.OfType<SemScalar>().Any(c =>
        {
            string name = c.Value.Trim().ToUpperInvariant();
            return (name.StartsWith("CAP_", StringComparison.Ordinal) ? name[4..] : name) is "SYS_ADMIN" or "ALL";
        });

    /// <summary>The service can mount filesystems: privileged, or it adds SYS_ADMIN.</summary>
    public static bool CanMount(ComposeDocument document, ServiceInfo service) => IsPrivileged(document, service) || AddsSysAdmin(document, service);
}

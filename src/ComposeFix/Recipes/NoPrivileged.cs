using ComposeFix.Compose;
using ComposeFix.Engine;
using ComposeFix.Yaml;

namespace ComposeFix.Recipes;

/// <summary>
/// <b>no-privileged</b> — remove <c>privileged: true</c>.
/// <para>Why: a privileged container has every capability, every host device, no seccomp or AppArmor
/// confinement and a writable <c>/sys</c>: root in it is root on the host. CIS Docker Benchmark 5.5,
/// OWASP rule #3.</para>
/// <para>Fix: <c>privileged</c> is removed, and in the same change the service gets
/// <c>cap_drop: [ALL]</c> and the <c>cap_add</c> that <c>drop-capabilities</c> would write
/// (<see cref="CapabilityNeeds"/>), so that the result is a fixed point of a single run (drop-capabilities
/// runs first and skips privileged services). With <c>cap_add: [ALL]</c> only <c>privileged</c> is removed.</para>
/// <para>Fix safety: always unsafe: privileged mode also grants all devices and lifts seccomp and
/// AppArmor, which the service may rely on (Docker-in-Docker, monitoring agents, VPNs, hardware).
/// A value from a variable, an unrecognised value and a value inherited through a merge key
/// (<c>&lt;&lt;: *anchor</c>) are reported, not changed.</para>
/// </summary>
public sealed class NoPrivileged : IRecipe
{
    private const string Lost = "privileged mode also gave it every host device and no seccomp/AppArmor confinement";

    public string Id => "no-privileged";

    public void Analyze(RecipeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var service in context.Document.Services)
        {
            var path = service.At("privileged");
            switch (CapabilityNeeds.Privileged(service))
            {
                case PrivilegedMode.Off:
                    continue;
                case PrivilegedMode.Variable:
                    context.Report(service, $"privileged comes from a variable ({service.GetString("privileged")}); make sure it is false, or remove it", path);
                    continue;
                case PrivilegedMode.Unclear:
                    context.Report(service, $"privileged has the unrecognised value {Sem.Describe(service.Get("privileged")!)}; not changed", path);
                    continue;
            }

            var capAdd = service.Get("cap_add");
            var capDrop = service.Get("cap_drop");
            if (!CapabilityNeeds.IsListOrEmpty(capAdd) || !CapabilityNeeds.IsListOrEmpty(capDrop))
            {
                context.Report(service, "privileged: true with a cap_add or cap_drop that is not a list; not changed", path);
                continue;
            }

            if (CapabilityNeeds.Names(capAdd).Any(c => CapabilityNeeds.Normalize(c) == "ALL"))
            {
                context.Fix(service, Applicability.Unsafe, $"remove privileged: true; cap_add: ALL still grants every capability (see dangerous-capabilities); {Lost}", path,
                    new RemoveIntent(path));
                continue;
            }

            var plan = CapabilityNeeds.Compute(context, service, []);
            context.Fix(service, Applicability.Unsafe, $"remove privileged: true; {CapabilityNeeds.Describe(plan)}; {Lost}", path,
                [new RemoveIntent(path), .. CapabilityNeeds.Intents(service, plan)]);
        }
    }
}

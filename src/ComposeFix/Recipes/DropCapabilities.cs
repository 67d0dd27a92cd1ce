using ComposeFix.Engine;
using ComposeFix.Yaml;

namespace ComposeFix.Recipes;

/// <summary>
/// <b>drop-capabilities</b> — <c>cap_drop: [ALL]</c> and a <c>cap_add</c> with only what the image needs.
/// <para>Why: Docker gives every container 14 capabilities (DAC_OVERRIDE, SETUID, NET_RAW, …) that a root
/// process keeps for its lifetime; most services need none or two or three of them after start-up.
/// CIS Docker Benchmark 5.4, OWASP rule #3.</para>
/// <para>Fix: ALL goes into <c>cap_drop</c> (appended to an existing list); <c>cap_add</c> gets the
/// image's needs from the knowledge base (<see cref="CapabilityNeeds"/>: the non-root list when the
/// service sets a non-root <c>user:</c>, NET_BIND_SERVICE only for a file capability or
/// <c>network_mode: host</c> below port 1024) and the <c>extra_capabilities</c> parameter, appended in
/// alphabetical order after what the file already adds, which is kept. A service that already drops
/// ALL is left alone: its <c>cap_add</c> is the author's decision.</para>
/// <para>Fix safety: safe for images in the knowledge base; unsafe for unknown images and services
/// built from source (nothing is added back beyond the file's own <c>cap_add</c>, and an entrypoint that
/// switches user needs CHOWN, SETUID, SETGID) and for a known image whose <c>entrypoint:</c> is
/// overridden. <c>privileged: true</c> (which overrides every capability setting) and <c>cap_add: [ALL]</c>
/// are skipped and reported; so is a <c>cap_add</c> or <c>cap_drop</c> that is not a list.</para>
/// </summary>
public sealed class DropCapabilities : IRecipe
{
    public string Id => "drop-capabilities";

    public void Analyze(RecipeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var extra = context.ListParameter("extra_capabilities");
        foreach (var service in context.Document.Services)
        {
            if (CapabilityNeeds.Privileged(service) == PrivilegedMode.On)
            {
                context.Report(service, "privileged: true grants every capability whatever cap_drop says; not changed (see no-privileged)", service.At("privileged"));
                continue;
            }

            var capAdd = service.Get("cap_add");
            var capDrop = service.Get("cap_drop");
            if (!CapabilityNeeds.IsListOrEmpty(capDrop))
            {
                context.Report(service, $"cap_drop is not a list ({Sem.Describe(capDrop!)}); not changed", service.At("cap_drop"));
                continue;
            }

            if (CapabilityNeeds.Names(capDrop).Any(c => CapabilityNeeds.Normalize(c) == "ALL"))
            {
                continue; // already drops everything; the cap_add set is the author's decision
            }

            if (!CapabilityNeeds.IsListOrEmpty(capAdd))
            {
                context.Report(service, $"cap_add is not a list ({Sem.Describe(capAdd!)}); not changed", service.At("cap_add"));
                continue;
            }

            if (CapabilityNeeds.Names(capAdd).Any(c => CapabilityNeeds.Normalize(c) == "ALL"))
            {
                context.Report(service, "cap_add: ALL grants every capability, so cap_drop: [ALL] would change nothing; not changed (see dangerous-capabilities)", service.At("cap_add"));
                continue;
            }

            var plan = CapabilityNeeds.Compute(context, service, extra);
            var applicability = plan.KnownImage && !plan.EntrypointOverridden ? Applicability.Safe : Applicability.Unsafe;
            context.Fix(service, applicability, CapabilityNeeds.Describe(plan), service.Path, [.. CapabilityNeeds.Intents(service, plan)]);
        }
    }
}

using ComposeFix.Yaml;

namespace ComposeFix.Recipes;

/// <summary>
/// <b>missing-healthcheck</b> — report services that have no health check or have turned it off.
/// <para>Why: without a health check Docker only knows whether the main process runs, not whether it
/// works: <c>depends_on</c> cannot wait for <c>service_healthy</c> and a hung service looks fine. CIS
/// Docker Benchmark 5.27 (image-level: 4.6).</para>
/// <para>Reported: no <c>healthcheck</c> (or a null one), at the service key; <c>disable: true</c>
/// (boolean or string) and a <c>test</c> list that starts with <c>NONE</c>, at that key. A
/// <c>healthcheck</c> that only tunes timings keeps the image's own check and is not reported. A
/// string <c>test: NONE</c> is a shell command, not the off switch, and is not judged. Not reported:
/// services that another service waits for with <c>condition: service_completed_successfully</c>
/// (one-shot jobs). A health check set by a service of the same file that this one <c>extends</c>
/// counts; when the chain reaches another file, which is not read, the finding says so. A
/// <c>HEALTHCHECK</c> inside the image is not visible in the file (the knowledge base does not record
/// it), so such services are reported too and the note says to suppress the finding there.</para>
/// <para>Fix safety: report only — the right probe depends on the application and on the tools the
/// image has.</para>
/// </summary>
public sealed class MissingHealthcheck : IRecipe
{
    private const string Refs = "(CIS 5.27)";

    public string Id => "missing-healthcheck";

    public void Analyze(RecipeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var oneShot = new HashSet<string>(StringComparer.Ordinal);
        foreach (var service in context.Document.Services)
        {
            if (service.Get("depends_on") is SemMap dependencies)
            {
                foreach (var (name, condition) in dependencies.Entries)
                {
                    if (condition is SemMap c && (c.Get("condition") as SemScalar)?.Value == "service_completed_successfully")
                    {
                        oneShot.Add(name);
                    }
                }
            }
        }

        foreach (var service in context.Document.Services)
        {
            if (oneShot.Contains(service.Name))
            {
                continue;
            }

            var healthcheck = ServiceFacts.Lookup(context.Document, service, "healthcheck");
            if (healthcheck.UnreadFile is not null)
            {
                context.Report(service, $"no healthcheck here and it extends {healthcheck.UnreadService} from {healthcheck.UnreadFile}, which is not read: check that one of them defines one {Refs}", service.At("extends"));
            }
            else if (!healthcheck.IsSet)
            {
                context.Report(service, $"no healthcheck: Docker only knows that the process runs, not that it works, and depends_on cannot wait for service_healthy; add one with a probe the image has (suppress this where the image defines a HEALTHCHECK) {Refs}", service.At("healthcheck"));
            }
            else if (healthcheck.Value is SemMap check)
            {
                var at = healthcheck.From!;
                if (check.Get("disable") is SemScalar disable && disable.Value.Equals("true", StringComparison.OrdinalIgnoreCase))
                {
                    context.Report(service, $"healthcheck.disable: true turns the health check off, the image's HEALTHCHECK included; remove it and give the service a working probe {Refs}", at.At("healthcheck", "disable"));
                }
                else if (check.Get("test") is SemSeq { Items: [SemScalar { Value: "NONE" }, ..] })
                {
                    context.Report(service, $"healthcheck test [\"NONE\"] turns the health check off, the image's HEALTHCHECK included; replace it with a working probe {Refs}", at.At("healthcheck", "test"));
                }
            }
        }
    }
}

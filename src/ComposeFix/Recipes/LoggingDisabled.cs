using ComposeFix.Compose;
using ComposeFix.Yaml;

namespace ComposeFix.Recipes;

/// <summary>
/// <b>logging-disabled</b> — report services whose logging driver is <c>none</c>.
/// <para>Why: the <c>none</c> driver discards everything the container writes to stdout and stderr:
/// error messages, access logs and the traces of an attack are gone. The catalog cites the Compose
/// and Docker logging documentation; no CIS or OWASP item covers a container's driver.</para>
/// <para>Reported at <c>logging.driver</c> when it is <c>none</c>, also as the default of a variable
/// (<c>${LOG_DRIVER:-none}</c>, which is none unless the variable is set). A driver that only a
/// variable decides is not judged.</para>
/// <para>Fix safety: report only — removing the key sends the logs to the daemon's default driver,
/// often json-file without rotation, which can fill the disk.</para>
/// </summary>
public sealed class LoggingDisabled : IRecipe
{
    public string Id => "logging-disabled";

    public void Analyze(RecipeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var service in context.Document.Services)
        {
            if ((service.Get("logging") as SemMap)?.Get("driver") is not SemScalar { Tag: ScalarResolver.StrTag } driver
                || Interpolation.Resolve(driver.Value.Trim()) != "none")
            {
                continue;
            }

            string what = Interpolation.HasVariables(driver.Value) ? $"logging.driver {driver.Value} is none when the variable is unset, which" : "logging.driver: none";
            context.Report(service, $"{what} discards everything the container writes to stdout and stderr; use the local driver, or json-file with max-size and max-file, which rotate the logs", service.At("logging", "driver"));
        }
    }
}

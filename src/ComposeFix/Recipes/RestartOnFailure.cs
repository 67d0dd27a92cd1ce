using ComposeFix.Editing;
using ComposeFix.Engine;
using ComposeFix.Yaml;

namespace ComposeFix.Recipes;

/// <summary>
/// <b>restart-on-failure</b> — <c>restart: on-failure:5</c> where no restart policy is set.
/// <para>Why: a container that crashes in a loop either stays down (no policy) or restarts forever
/// (<c>always</c>), hiding the failure and burning resources. CIS Docker Benchmark 5.15, OWASP rule #7.</para>
/// <para>Fix safety: adding a policy is safe. Replacing <c>always</c> / <c>unless-stopped</c> is unsafe:
/// those also start the container after a daemon or host restart, and on-failure does not. An explicit
/// <c>"no"</c> is left alone, and so is a service with <c>deploy.restart_policy</c>, which overrides
/// <c>restart</c> (reported).</para>
/// </summary>
public sealed class RestartOnFailure : IRecipe
{
    public string Id => "restart-on-failure";

    public void Analyze(RecipeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        long max = context.IntParameter("max_retries");
        string policy = $"on-failure:{max}";
        foreach (var service in context.Document.Services)
        {
            var path = service.At("restart");
            if ((service.Get("deploy") as SemMap)?.Get("restart_policy") is not null)
            {
                context.Report(service, "deploy.restart_policy is set and overrides restart:; check its condition and max_attempts", service.At("deploy", "restart_policy"));
                continue;
            }

            var current = service.Get("restart") as SemScalar;
            if (current is null || current.Tag == ScalarResolver.NullTag)
            {
                context.Fix(service, Applicability.Safe, $"restart: {policy} (no restart policy was set)", service.Path, new SetIntent(path, NewNode.Scalar(policy)));
                continue;
            }

            string value = current.Value;
            if (value.Contains('$', StringComparison.Ordinal))
            {
                context.Report(service, $"restart policy '{value}' comes from a variable; make it default to {policy}", path);
            }
            else if (value is "always" or "unless-stopped")
            {
                context.Fix(service, Applicability.Unsafe, $"restart: {policy} instead of {value} (the container will no longer start by itself after a daemon or host restart)", path, new SetIntent(path, NewNode.Scalar(policy)));
            }
            else if (value == "on-failure")
            {
                context.Fix(service, Applicability.Safe, $"restart: {policy} instead of unlimited on-failure retries", path, new SetIntent(path, NewNode.Scalar(policy)));
            }
            else if (value.StartsWith("on-failure:", StringComparison.Ordinal) && long.TryParse(value["on-failure:".Length..], out long n) && n > max)
            {
                context.Fix(service, Applicability.Unsafe, $"restart: {policy} instead of {value} (fewer retries)", path, new SetIntent(path, NewNode.Scalar(policy)));
            }
        }
    }
}

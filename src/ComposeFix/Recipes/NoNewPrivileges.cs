using ComposeFix.Compose;
using ComposeFix.Editing;
using ComposeFix.Engine;
using ComposeFix.Yaml;

namespace ComposeFix.Recipes;

/// <summary>
/// <b>no-new-privileges</b> — <c>security_opt: [no-new-privileges:true]</c> on every service.
/// <para>Why: without it a process in the container can raise its privileges by executing a setuid or
/// setgid binary (<c>su</c>, <c>sudo</c>, <c>passwd</c>) or a binary with file capabilities, the usual
/// first step from a foothold to root in the container. CIS Docker Benchmark 5.26, OWASP rule #4.</para>
/// <para>Fix safety: adding the option is safe (entrypoints that drop privileges with gosu, su-exec or
/// setpriv are not affected); it is appended to an existing list, created when missing, and nothing
/// else in the list changes. A service that already has it (<c>no-new-privileges</c>,
/// <c>no-new-privileges:true</c>, <c>no-new-privileges=true</c>, any Go boolean spelling) is left
/// alone. An explicit <c>no-new-privileges:false</c> is a deliberate choice: turning it to true is
/// unsafe. An entry whose key or value comes from a variable, and a <c>security_opt</c> that is not a
/// list, are reported and left alone. A service without its own <c>security_opt</c> that extends a
/// service of the same file is skipped: Compose appends the lists, and the extended service gets the
/// option itself.</para>
/// </summary>
public sealed class NoNewPrivileges : IRecipe
{
    private const string Key = "no-new-privileges";
    private const string Option = "no-new-privileges:true";

    public string Id => "no-new-privileges";

    public void Analyze(RecipeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var service in context.Document.Services)
        {
            var path = service.At("security_opt");
            switch (service.Get("security_opt"))
            {
                case null when ExtendsInThisFile(context.Document, service):
                    // Compose appends the extended service's security_opt, and that service gets the option itself.
                    break;
                case null:
                    context.Fix(service, Applicability.Safe, $"security_opt: {Option} (setuid binaries and file capabilities can no longer raise a process's privileges)", service.Path,
                        new AppendIntent(path, NewNode.Scalar(Option)));
                    break;
                case SemScalar { Tag: ScalarResolver.NullTag }:
                    context.Fix(service, Applicability.Safe, $"security_opt: {Option} (setuid binaries and file capabilities can no longer raise a process's privileges)", path,
                        new SetIntent(path, NewNode.List(NewNode.Scalar(Option))));
                    break;
                case SemSeq list:
                    InList(context, service, path, list);
                    break;
                default:
                    context.Report(service, $"security_opt is not a list; add {Option} to it by hand", path);
                    break;
            }
        }
    }

    /// <summary>The service extends another service of this file (<c>extends: name</c> or <c>extends: {service: name}</c> without <c>file</c>).</summary>
    private static bool ExtendsInThisFile(ComposeDocument document, ServiceInfo service)
    {
        string? name = service.Get("extends") switch
        {
            SemScalar { Tag: ScalarResolver.StrTag } s => s.Value,
            SemMap m when m.Get("file") is null or SemScalar { Tag: ScalarResolver.NullTag } => (m.Get("service") as SemScalar)?.Value,
            _ => null,
        };
        return name is not null && name != service.Name && document.Service(name) is not null;
    }

    private static void InList(RecipeContext context, ServiceInfo service, SemPath path, SemSeq list)
    {
        // The daemon reads the entries in order: the last no-new-privileges entry decides.
        var enabling = new List<int>();
        var disabling = new List<int>();
        for (int i = 0; i < list.Items.Count; i++)
        {
            if (list.Items[i] is not SemScalar { Tag: ScalarResolver.StrTag } item)
            {
                continue;
            }

            var opt = SecurityOpt.Parse(item.Value);
            if (opt.KeyIsVariable)
            {
                context.Report(service, $"security_opt entry '{item.Value}' comes from a variable; make sure {Option} is set", path.Append(i));
                return;
            }

            if (opt.Key != Key)
            {
                continue;
            }

            if (opt.ValueIsVariable)
            {
                context.Report(service, $"'{item.Value}' takes its value from a variable; make sure it is true", path.Append(i));
                return;
            }

            switch (opt.Value is null ? true : SecurityOpt.ParseBool(opt.Value))
            {
                case true:
                    enabling.Add(i);
                    break;
                case false:
                    disabling.Add(i);
                    break;
                default:
                    context.Report(service, $"'{item.Value}' is not a valid boolean for the Docker daemon; use {Option}", path.Append(i));
                    return;
            }
        }

        if (disabling.Count == 0)
        {
            if (enabling.Count == 0)
            {
                context.Fix(service, Applicability.Safe, $"security_opt: {Option} (setuid binaries and file capabilities can no longer raise a process's privileges)", path,
                    new AppendIntent(path, NewNode.Scalar(Option)));
            }

            return;
        }

        if (enabling.Count > 0 && enabling[^1] > disabling[^1])
        {
            return; // a later entry turns it back on
        }

        // Turn the last false entry into true (keeping its key and separator) and drop the other
        // false entries; when a true entry exists already, drop them all (security_opt items must be unique).
        var intents = new List<Intent>();
        int keep = enabling.Count > 0 ? -1 : disabling[^1];
        string label = ((SemScalar)list.Items[disabling[^1]]).Value;
        if (keep >= 0)
        {
            var opt = SecurityOpt.Parse(label);
            intents.Add(new SetIntent(path.Append(keep), NewNode.Scalar((opt with { Value = "true" }).Format())));
        }

        foreach (int i in disabling.Where(i => i != keep).OrderDescending())
        {
            intents.Add(new RemoveIntent(path.Append(i)));
        }

        context.Fix(service, Applicability.Unsafe, $"turn on no-new-privileges instead of the explicit '{label}' (a process that relies on sudo, su or a setuid binary to gain privileges will fail)", path.Append(disabling[^1]), [.. intents]);
    }
}

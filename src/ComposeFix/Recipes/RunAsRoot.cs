using ComposeFix.Compose;

namespace ComposeFix.Recipes;

/// <summary>
/// <b>run-as-root</b> — report services whose main process starts as root.
/// <para>Why: root in a container is root on the host's kernel, held back only by namespaces,
/// capabilities and security profiles; an unprivileged process needs a second vulnerability to do the
/// same damage. CIS Docker Benchmark 4.1, OWASP rule #2.</para>
/// <para>What counts as root: <c>user:</c> whose user part (before <c>:</c>) is <c>root</c> or uid 0
/// (<c>root</c>, <c>0</c>, <c>0:0</c>, <c>0:1000</c>); a group of 0 alone is not root. A <c>${VAR:-x}</c>
/// is judged by its default; a user that only a variable decides (<c>${UID}:${GID}</c>) was chosen on
/// purpose and is not reported. An empty or null <c>user:</c> is no user.</para>
/// <para>Without <c>user:</c> the image decides. An image of the knowledge base is skipped when its
/// <c>user</c> fact says it runs as non-root, read conservatively: the text starts with "uid" (e.g.
/// "uid 472, gid 0"), or its first clause (up to the first ';') names a user without the word "root"
/// (e.g. "nobody (busybox image)", "memcache (uid/gid 11211, …)"). Every other image is reported:
/// known images that start as root (the note quotes the fact and names the data directories the uid
/// must own), unknown images, and images built by the service (<c>build:</c>), whose Dockerfile may
/// set a USER that this tool does not read.</para>
/// <para><c>extends</c>: a user or image set by the extended service of the same file counts; when the
/// chain reaches another file, which is not read, the finding says so instead.</para>
/// <para>Services with <c>privileged: true</c> are still reported: root and privileged are separate
/// fixes (no-privileged reports the other), and the combination is the worst case.</para>
/// <para>Fix safety: report only — choosing a uid needs to know who owns the volumes and whether the
/// entrypoint supports it.</para>
/// </summary>
public sealed class RunAsRoot : IRecipe
{
    private const string Refs = "(CIS 4.1, OWASP #2)";

    public string Id => "run-as-root";

    public void Analyze(RecipeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var service in context.Document.Services)
        {
            var user = ServiceFacts.Lookup(context.Document, service, "user");
            if (user.UnreadFile is not null)
            {
                context.Report(service, $"no user is set here and it extends {user.UnreadService} from {user.UnreadFile}, which is not read: check that one of them sets a non-root user {Refs}", service.At("extends"));
                continue;
            }

            string? text = user.Text?.Trim();
            if (!string.IsNullOrEmpty(text))
            {
                string uid = Interpolation.WithDefaults(text).Split(':')[0].Trim();
                if (!uid.Contains(Interpolation.Unknown, StringComparison.Ordinal) && IsRoot(uid))
                {
                    string what = Interpolation.HasVariables(text) ? $"user: {text} defaults to root" : $"user: {text} runs the service as root";
                    context.Report(service, $"{what}; set a non-root uid:gid that owns the files the service writes {Refs}", user.From!.At("user"));
                }

                continue;
            }

            bool built = ServiceFacts.Lookup(context.Document, service, "build").IsSet;
            string? image = ServiceFacts.Lookup(context.Document, service, "image").Text;
            var location = service.At("user");
            if (built)
            {
                context.Report(service, $"no user is set and the image is built here: it runs as root unless its Dockerfile ends with a non-root USER; set one there or set user: {Refs}", location);
                continue;
            }

            if (image is null)
            {
                continue; // neither image nor build: nothing to judge
            }

            var profile = ServiceFacts.Image(context, service);
            if (profile is null)
            {
                context.Report(service, $"no user is set, so image {image} runs as its default user, which is root unless the image sets a non-root USER (the image is not in the knowledge base); set user: to a non-root uid:gid {Refs}", location);
            }
            else if (!RunsAsNonRoot(profile))
            {
                string owns = profile.DataDirs.Count > 0 ? $" that owns {string.Join(", ", profile.DataDirs.Select(d => d.Value))}" : "";
                context.Report(service, $"no user is set and image {image} starts as root (knowledge base: {profile.User}); set user: to a non-root uid:gid{owns} {Refs}", location);
            }
        }
    }

    private static bool IsRoot(string uid) => uid == "root" || (uid.Length > 0 && uid.All(char.IsAsciiDigit) && uid.TrimStart('0').Length == 0);

    /// <summary>The knowledge base's user fact says the image runs as non-root (see the class comment).</summary>
    private static bool RunsAsNonRoot(ImageProfile profile)
    {
        string fact = profile.User.Trim();
        if (fact.StartsWith("uid", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        string first = fact.Split(';')[0];
        return first.Length > 0 && !first.Contains("root", StringComparison.OrdinalIgnoreCase);
    }
}

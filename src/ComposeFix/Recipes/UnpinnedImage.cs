using ComposeFix.Compose;

namespace ComposeFix.Recipes;

/// <summary>
/// <b>unpinned-image</b> — report images that have no version tag or use the mutable <c>latest</c> tag.
/// <para>Why: a mutable tag makes the deployed software depend on when it was pulled, and a hijacked
/// upstream tag arrives with no change in the file to review. CIS Docker Benchmark 5.28 (an up-to-date
/// image, updated on purpose), OWASP rule #13.</para>
/// <para>Reported: no tag (<c>nginx</c>, <c>localhost:5000/app</c>: the port of a registry is not a
/// tag) and the tag <c>latest</c>. Not reported: any other tag (a moving major such as <c>16</c> is a
/// deliberate choice), a digest (<c>@sha256:…</c>, with or without a tag), and services that
/// build their image (<c>build:</c>, also through <c>extends</c>), whose <c>image</c> names the result.</para>
/// <para>Variables: a <c>${VAR:-default}</c> is judged by its default, which is what runs when the
/// variable is unset (<c>app:${TAG:-latest}</c> is reported). A tag or digest that only a variable
/// decides (<c>app:${TAG}</c>) is a deliberate pin and is not reported; an image whose name and tag a
/// variable without default may both supply (<c>${IMAGE}</c>) is reported as unknown.</para>
/// <para>Fix safety: report only — the tool cannot know which version the project was tested with.</para>
/// </summary>
public sealed class UnpinnedImage : IRecipe
{
    private const string Refs = "(CIS 5.28, OWASP #13)";

    public string Id => "unpinned-image";

    public void Analyze(RecipeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var service in context.Document.Services)
        {
            string? image = service.GetString("image")?.Trim();
            if (string.IsNullOrEmpty(image) || ServiceFacts.Lookup(context.Document, service, "build").IsSet)
            {
                continue;
            }

            string resolved = Interpolation.WithDefaults(image);
            if (resolved.Contains('@', StringComparison.Ordinal))
            {
                continue; // a digest, literal or from a variable
            }

            string last = resolved[(resolved.LastIndexOf('/') + 1)..];
            int colon = last.IndexOf(':', StringComparison.Ordinal);
            string? problem;
            if (colon >= 0)
            {
                string tag = last[(colon + 1)..];
                if (tag != "latest")
                {
                    continue; // a version tag, or one that a variable decides
                }

                problem = "the mutable latest tag";
            }
            else if (last.Contains(Interpolation.Unknown, StringComparison.Ordinal))
            {
                context.Report(service, $"image {image} comes from a variable without a default, so the file does not say whether it is pinned; make sure the value has a version tag or a digest {Refs}", service.At("image"));
                continue;
            }
            else
            {
                problem = "no tag, which pulls whatever latest is at the time";
            }

            string note = Interpolation.HasVariables(image) && !resolved.Contains(Interpolation.Unknown, StringComparison.Ordinal)
                ? $"image {image} means {resolved} when its variables are unset: {problem}; make the default a version tag or a digest {Refs}"
                : $"image {image} has {problem}; pin a version tag or a digest {Refs}";
            context.Report(service, note, service.At("image"));
        }
    }
}

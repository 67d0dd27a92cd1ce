using ComposeFix.Text;
using ComposeFix.Yaml;

namespace ComposeFix.Compose;

/// <summary>One file of a Compose project.</summary>
public sealed record ProjectFile(string? Path, ComposeDocument Document);

/// <summary>
/// The files Compose loads together with a compose file: the file itself, then the override file
/// beside it (only for the default file names, as Compose does without -f), or the base file when
/// the file is itself an override. Used read-only by project-wide recipes.
/// </summary>
public sealed class ComposeProject
{
    private static readonly string[] BaseNames = ["compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"];

    private ComposeProject(List<ProjectFile> files)
    {
        Files = files;
    }

    /// <summary>In load order: base first, overrides after.</summary>
    public IReadOnlyList<ProjectFile> Files { get; }

    /// <summary>Loads the project of <paramref name="path"/>. Neighbours that cannot be read are errors (InputException naming them).</summary>
    public static ComposeProject Load(string? path, ComposeDocument document)
    {
        var files = new List<ProjectFile>();
        if (path is null)
        {
            files.Add(new ProjectFile(null, document));
            return new ComposeProject(files);
        }

        string dir = System.IO.Path.GetDirectoryName(path)!;
        string name = System.IO.Path.GetFileName(path);
        string? stem = BaseNames.Contains(name) ? System.IO.Path.GetFileNameWithoutExtension(name) : null;
        if (stem is not null)
        {
            files.Add(new ProjectFile(path, document));
            foreach (var ext in new[] { ".yaml", ".yml" })
            {
                string o = System.IO.Path.Combine(dir, stem + ".override" + ext);
                if (File.Exists(o))
                {
                    files.Add(new ProjectFile(o, Read(o)));
                    break;
                }
            }
        }
        else if (name.EndsWith(".override.yml", StringComparison.Ordinal) || name.EndsWith(".override.yaml", StringComparison.Ordinal))
        {
            string baseStem = name[..name.IndexOf(".override.", StringComparison.Ordinal)];
            foreach (var ext in new[] { ".yaml", ".yml" })
            {
                string b = System.IO.Path.Combine(dir, baseStem + ext);
                if (File.Exists(b))
                {
                    files.Add(new ProjectFile(b, Read(b)));
                    break;
                }
            }

            files.Add(new ProjectFile(path, document));
        }
        else
        {
            files.Add(new ProjectFile(path, document));
        }

        return new ComposeProject(files);
    }

    /// <summary>Reads another compose file of the project.</summary>
    public static ComposeDocument Read(string path)
    {
        try
        {
            return ComposeDocument.Load(SourceText.Decode(File.ReadAllBytes(path)));
        }
        catch (InputException ex)
        {
            throw new InputException($"{System.IO.Path.GetFileName(path)}:{ex.Line}:{ex.Column}: {ex.Message}", ex);
        }
        catch (IOException ex)
        {
            throw new InputException($"cannot read {System.IO.Path.GetFileName(path)}: {ex.Message}", ex);
        }
    }

    /// <summary>Every service of the project with the files that define it, in load order.</summary>
    public Dictionary<string, List<(ProjectFile File, ServiceInfo Service)>> Services()
    {
        var all = new Dictionary<string, List<(ProjectFile, ServiceInfo)>>(StringComparer.Ordinal);
        foreach (var f in Files)
        {
            foreach (var s in f.Document.Services)
            {
                if (!all.TryGetValue(s.Name, out var list))
                {
                    all[s.Name] = list = [];
                }

                list.Add((f, s));
            }
        }

        return all;
    }

    /// <summary>True when any file uses top-level <c>include:</c>.</summary>
    public bool HasIncludes => Files.Any(f => f.Document.Meaning.Get("include") is not null);

    public static string? StringOf(Sem? value) => value is SemScalar s && s.Tag != ScalarResolver.NullTag ? s.Value : null;
}

using ComposeFix.Recipes;
using ComposeFix.Text;
using ComposeFix.Yaml;

namespace ComposeFix.Config;

/// <summary>A problem in a .composefix.yml, at a position.</summary>
public sealed class ConfigException : Exception
{
    public ConfigException(string path, int line, int column, string message)
        : base($"{path}:{line}:{column}: {message}")
    {
    }

    public ConfigException()
    {
    }

    public ConfigException(string message)
        : base(message)
    {
    }

    public ConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// A team's settings in <c>.composefix.yml</c> (next to the compose file or in a parent folder up to
/// the repository root, or named by --config):
/// <code>
/// unsafe-fixes: false            # also apply unsafe fixes
/// enable: [bind-ports-localhost] # run only these recipes (default: all)
/// disable: [split-networks]      # never run these
/// parameters:                    # per-recipe parameters (see composefix explain ID)
///   resource-limits: {memory: 1g, pids: 500}
/// services:                      # per-service overrides
///   web: {skip: [bind-ports-localhost]}   # or skip: [all]
/// keep-public: ["proxy:443"]     # ports that stay reachable from other hosts (service or service:port)
/// </code>
/// Precedence: catalog defaults &lt; this file &lt; command line &lt; inline comments.
/// </summary>
public sealed class ProjectConfig
{
    public static readonly string[] FileNames = [".composefix.yml", ".composefix.yaml"];

    public string? Path { get; init; }

    public bool? UnsafeFixes { get; init; }

    public IReadOnlySet<string>? Enable { get; init; }

    public IReadOnlySet<string> Disable { get; init; } = new HashSet<string>();

    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, Sem>> Parameters { get; init; } = new Dictionary<string, IReadOnlyDictionary<string, Sem>>();

    /// <summary>service → recipe ids to skip ("all" = every recipe).</summary>
    public IReadOnlyDictionary<string, IReadOnlySet<string>> ServiceSkips { get; init; } = new Dictionary<string, IReadOnlySet<string>>();

    public IReadOnlyList<string> KeepPublic { get; init; } = [];

    /// <summary>The nearest config file for a compose file in <paramref name="directory"/>, searching up to the repository root.</summary>
    public static string? Find(string directory)
    {
        for (var dir = new DirectoryInfo(directory); dir is not null; dir = dir.Parent)
        {
            foreach (var name in FileNames)
            {
                string candidate = System.IO.Path.Combine(dir.FullName, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            if (Directory.Exists(System.IO.Path.Combine(dir.FullName, ".git")) || File.Exists(System.IO.Path.Combine(dir.FullName, ".git")))
            {
                break; // the repository root
            }
        }

        return null;
    }

    public static ProjectConfig Load(string path, RecipeCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"{path}: cannot read the configuration: {ex.Message}");
        }

        return Parse(path, bytes, catalog);
    }

    public static ProjectConfig Parse(string path, byte[] bytes, RecipeCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        SourceText source;
        YFile file;
        try
        {
            source = SourceText.Decode(bytes);
            file = YamlLoader.Load(source);
        }
        catch (InputException ex)
        {
            throw new ConfigException(path, ex.Line, ex.Column, ex.Message);
        }

        var root = file.Documents.Count == 0 ? null : file.Documents[0].Root;
        if (root is null || root is YScalar { IsEmpty: true })
        {
            return new ProjectConfig { Path = path };
        }

        var reader = new Reader(path, source);
        var map = reader.Mapping(root, "the configuration");
        bool? unsafeFixes = null;
        IReadOnlySet<string>? enable = null;
        var disable = new HashSet<string>(StringComparer.Ordinal);
        var parameters = new Dictionary<string, IReadOnlyDictionary<string, Sem>>(StringComparer.Ordinal);
        var skips = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        var keepPublic = new List<string>();
        foreach (var pair in map.Pairs)
        {
            string key = reader.Key(pair);
            switch (key)
            {
                case "unsafe-fixes":
                    unsafeFixes = reader.Bool(pair.Value, key);
                    break;
                case "enable":
                    enable = reader.RecipeIds(pair.Value, key, catalog, allowAll: false);
                    break;
                case "disable":
                    disable.UnionWith(reader.RecipeIds(pair.Value, key, catalog, allowAll: false));
                    break;
                case "keep-public":
                    keepPublic.AddRange(reader.Strings(pair.Value, key));
                    break;
                case "parameters":
                    foreach (var recipePair in reader.Mapping(pair.Value, key).Pairs)
                    {
                        string id = reader.Key(recipePair);
                        if (!catalog.ById.TryGetValue(id, out var info))
                        {
                            throw reader.Error(recipePair.Key, $"unknown recipe id '{id}' under parameters (see 'composefix recipes')");
                        }

                        var values = new Dictionary<string, Sem>(StringComparer.Ordinal);
                        foreach (var p in reader.Mapping(recipePair.Value, $"parameters.{id}").Pairs)
                        {
                            string name = reader.Key(p);
                            var parameter = info.Parameters.FirstOrDefault(x => x.Name == name)
                                ?? throw reader.Error(p.Key, $"recipe {id} has no parameter '{name}' (it has: {string.Join(", ", info.Parameters.Select(x => x.Name))})");
                            values[name] = reader.Parameter(p.Value, parameter, id);
                        }

                        parameters[id] = values;
                    }

                    break;
                case "services":
                    foreach (var servicePair in reader.Mapping(pair.Value, key).Pairs)
                    {
                        string service = reader.Key(servicePair);
                        foreach (var setting in reader.Mapping(servicePair.Value, $"services.{service}").Pairs)
                        {
                            string name = reader.Key(setting);
                            if (name != "skip")
                            {
                                throw reader.Error(setting.Key, $"unknown key '{name}' under services.{service} (expected: skip)");
                            }

                            skips[service] = reader.RecipeIds(setting.Value, $"services.{service}.skip", catalog, allowAll: true);
                        }
                    }

                    break;
                default:
                    throw reader.Error(pair.Key, $"unknown key '{key}' (expected: unsafe-fixes, enable, disable, parameters, services, keep-public)");
            }
        }

        return new ProjectConfig
        {
            Path = path,
            UnsafeFixes = unsafeFixes,
            Enable = enable,
            Disable = disable,
            Parameters = parameters,
            ServiceSkips = skips,
            KeepPublic = keepPublic,
        };
    }

    /// <summary>Positioned, typed reads of config nodes.</summary>
    private sealed class Reader(string path, SourceText source)
    {
        public ConfigException Error(YNode at, string message)
        {
            var (line, col) = source.LineColumn(at.Start);
            return new ConfigException(path, line, col, message);
        }

        public YMapping Mapping(YNode node, string what) => SemanticBuilder.Unalias(node) as YMapping ?? throw Error(node, $"{what} must be a mapping");

        public string Key(YPair pair) => pair.KeyText ?? throw Error(pair.Key, "keys must be plain strings");

        public bool Bool(YNode node, string what) => Scalar(node) is { } s && ScalarResolver.Resolve(s) is (ScalarResolver.BoolTag, var v) ? v == "true" : throw Error(node, $"{what} must be true or false");

        public List<string> Strings(YNode node, string what)
        {
            if (SemanticBuilder.Unalias(node) is not YSequence seq)
            {
                throw Error(node, $"{what} must be a list");
            }

            return [.. seq.Items.Select(i => Scalar(i)?.Value ?? throw Error(i, $"{what} items must be strings"))];
        }

        public HashSet<string> RecipeIds(YNode node, string what, RecipeCatalog catalog, bool allowAll)
        {
            var ids = new HashSet<string>(StringComparer.Ordinal);
            var seq = SemanticBuilder.Unalias(node) as YSequence ?? throw Error(node, $"{what} must be a list of recipe ids");
            foreach (var item in seq.Items)
            {
                string id = Scalar(item)?.Value ?? throw Error(item, $"{what} items must be recipe ids");
                if (!(allowAll && id == "all") && !catalog.ById.ContainsKey(id))
                {
                    throw Error(item, $"unknown recipe id '{id}' in {what} (see 'composefix recipes')");
                }

                ids.Add(id);
            }

            return ids;
        }

        public Sem Parameter(YNode node, RecipeParameter parameter, string recipe)
        {
            string what = $"parameters.{recipe}.{parameter.Name}";
            switch (parameter.Type)
            {
                case "list":
                    return new SemSeq([.. Strings(node, what).Select(SemScalar.Text)]);
                case "integer":
                    {
                        var s = Scalar(node);
                        return s is not null && long.TryParse(s.Value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out _)
                            ? new SemScalar(ScalarResolver.IntTag, s.Value)
                            : throw Error(node, $"{what} must be a whole number");
                    }

                case "number":
                    {
                        var s = Scalar(node);
                        return s is not null && double.TryParse(s.Value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double d) && d > 0
                            ? new SemScalar(ScalarResolver.ResolvePlain(s.Value).Tag, s.Value)
                            : throw Error(node, $"{what} must be a positive number");
                    }

                case "bytes":
                    {
                        var s = Scalar(node);
                        return s is not null && System.Text.RegularExpressions.Regex.IsMatch(s.Value, @"^\d+(\.\d+)?[bkmgBKMG]?[bB]?$")
                            ? SemScalar.Text(s.Value)
                            : throw Error(node, $"{what} must be a size such as 512m or 1g");
                    }

                default:
                    return Scalar(node) is { } str ? SemScalar.Text(str.Value) : throw Error(node, $"{what} must be a string");
            }
        }

        private static YScalar? Scalar(YNode node) => SemanticBuilder.Unalias(node) as YScalar;
    }
}

using System.Text;
using ComposeFix.Recipes;
using ComposeFix.Yaml;

namespace ComposeFix.Tests;

/// <summary>
/// src/ComposeFix/Recipes/recipes.compiled.json must mean exactly what the YAML files under recipes/ mean:
/// start-up reads the JSON. COMPOSEFIX_ACCEPT=1 writes it again from the YAML.
/// </summary>
public class CompiledRecipeDataTests
{
    private static string CompiledPath => Path.Combine(RepoPaths.Root, "src", "ComposeFix", "Recipes", "recipes.compiled.json");

    [Fact]
    public void The_compiled_file_means_what_the_yaml_files_mean()
    {
        var fromYaml = YamlFiles().Select(f => (f.Name, RecipeCatalog.ParseData(f.Name, File.ReadAllText(f.Path)))).ToList();
        string expected = CompiledRecipeData.Serialize(fromYaml);
        if (Environment.GetEnvironmentVariable("COMPOSEFIX_ACCEPT") == "1")
        {
            File.WriteAllText(CompiledPath, expected, new UTF8Encoding(false));
        }

        Assert.True(File.Exists(CompiledPath), $"{CompiledPath} is missing: run COMPOSEFIX_ACCEPT=1 dotnet test");
        var compiled = CompiledRecipeData.Deserialize(File.ReadAllBytes(CompiledPath));
        Assert.Equal(fromYaml.Select(f => f.Name).Order(StringComparer.Ordinal), compiled.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, meaning) in fromYaml)
        {
            var difference = SemOps.FirstDifference(meaning, compiled[name]);
            Assert.True(difference is null, $"{name} changed since recipes.compiled.json was written ({difference}): run COMPOSEFIX_ACCEPT=1 dotnet test");
        }
    }

    [Fact]
    public void The_embedded_copy_is_the_file_in_the_repository()
    {
        foreach (var (name, _) in YamlFiles())
        {
            var embedded = CompiledRecipeData.Get(name);
            Assert.NotNull(embedded);
            Assert.Null(SemOps.FirstDifference(RecipeCatalog.DataFile(name), embedded));
        }
    }

    [Fact]
    public void Scalars_keep_their_tag_and_text_through_json()
    {
        var meaning = RecipeCatalog.ParseData("t.yml", "a: 0.50\nb: true\nc: ~\nd: '1'\ne: [1, x, {f: 010}]\n\"$tag\": str\n");
        var back = CompiledRecipeData.Deserialize(Encoding.UTF8.GetBytes(CompiledRecipeData.Serialize([("t.yml", meaning)])))["t.yml"];
        Assert.Null(SemOps.FirstDifference(meaning, back));
        Assert.Equal("0.50", ((SemScalar)back.Get("a")!).Value);
        Assert.NotEqual(ScalarResolver.StrTag, ((SemScalar)back.Get("b")!).Tag);
        Assert.Equal(ScalarResolver.StrTag, ((SemScalar)back.Get("d")!).Tag);
    }

    private static IEnumerable<(string Name, string Path)> YamlFiles()
    {
        string root = Path.Combine(RepoPaths.Root, "recipes");
        return Directory.GetFiles(root, "*.yml", SearchOption.AllDirectories)
            .Select(p => ("recipes/" + Path.GetRelativePath(root, p).Replace('\\', '/'), p))
            .OrderBy(f => f.Item1, StringComparer.Ordinal);
    }
}

using ComposeFix.Recipes;

namespace ComposeFix.Tests;

/// <summary>
/// The embedded knowledge base reads an image's entry only when a compose file uses that image; what it
/// reads must be exactly what recipes/images.yml says.
/// </summary>
public sealed class ImageKnowledgeTests
{
    private static readonly ImageKnowledge FromYaml = ImageKnowledge.Load(File.ReadAllText(Path.Combine(RepoPaths.Root, "recipes", "images.yml")));

    [Fact]
    public void EmbeddedEntries_AreTheYamlEntries()
    {
        var embedded = ImageKnowledge.Default.Images;

        Assert.Equal(FromYaml.Images.Count, embedded.Count);
        for (int i = 0; i < embedded.Count; i++)
        {
            Assert.Equal(Describe(FromYaml.Images[i]), Describe(embedded[i]));
        }

        Assert.Equal(FromYaml.GenericTmpfs, ImageKnowledge.Default.GenericTmpfs);
        Assert.Equal(FromYaml.GenericNote, ImageKnowledge.Default.GenericNote);
    }

    public static TheoryData<string> References()
    {
        var data = new TheoryData<string>();
        foreach (var name in FromYaml.Images.SelectMany(p => p.Match).Distinct())
        {
            foreach (var tag in new[] { "", ":latest", ":16-alpine", ":1.27", ":8.0", ":3-management", ":7", ":25.2" })
            {
                data.Add(name + tag);
            }
        }

        data.Add("docker.io/library/postgres:16@sha256:" + new string('a', 64));
        data.Add("ghcr.io/example/unknown:1");
        return data;
    }

    [Theory]
    [MemberData(nameof(References))]
    public void Find_PicksTheSameEntryAsTheYaml(string image)
    {
        var expected = FromYaml.Find(image);
        var actual = ImageKnowledge.Default.Find(image);

        Assert.Equal(expected?.Id, actual?.Id);
        Assert.Equal(expected is null ? null : Describe(expected), actual is null ? null : Describe(actual));
    }

    [Fact]
    public void Find_OfNothing_IsNull()
    {
        Assert.Null(ImageKnowledge.Default.Find(null));
        Assert.Null(ImageKnowledge.Default.Find("  "));
    }

    private static string Describe(ImageProfile p) => string.Join(
        "\n",
        p.Id,
        p.Title,
        string.Join(",", p.Match),
        p.TagPattern ?? "(any tag)",
        p.User,
        Facts(p.Capabilities),
        Facts(p.CapabilitiesNonRoot),
        p.NetBindService,
        string.Join(",", p.ListenPorts),
        Facts(p.Tmpfs),
        Facts(p.DataDirs),
        Facts(p.SecretFileVars),
        p.MemoryFloor ?? "-",
        p.PidsFloor?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-",
        p.CpusFloor ?? "-",
        p.LimitsWhy ?? "-",
        p.Notes ?? "-");

    private static string Facts(IReadOnlyList<ImageFact> facts) => string.Join(" | ", facts);
}

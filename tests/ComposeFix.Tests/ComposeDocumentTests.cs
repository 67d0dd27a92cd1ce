using System.Diagnostics;
using System.Text;
using ComposeFix.Compose;
using ComposeFix.Text;
using ComposeFix.Yaml;

namespace ComposeFix.Tests;

/// <summary>What a compose file means once loaded, and what loading refuses.</summary>
public sealed class ComposeDocumentTests
{
    private static ComposeDocument Load(string text) => ComposeDocument.Load(SourceText.FromString(text));

    private static string Str(Sem? value) => Assert.IsType<SemScalar>(value).Value;

    // ------------------------------------------------------------------ refused documents

    [Theory]
    [InlineData("")]
    [InlineData("\n\n")]
    [InlineData("# just a comment\n# and another\n")]
    [InlineData("---\n")]
    [InlineData("--- # empty\n...\n")]
    public void EmptyOrCommentOnly_IsNoComposeContent(string text)
    {
        var ex = Assert.Throws<InputException>(() => Load(text));

        Assert.Contains("no compose content", ex.Message);
    }

    [Fact]
    public void ListRoot_IsRefusedWithPosition()
    {
        var ex = Assert.Throws<InputException>(() => Load("# c\n- web\n- db\n"));

        Assert.Contains("a list", ex.Message);
        Assert.Equal((2, 1), (ex.Line, ex.Column));
    }

    [Theory]
    [InlineData("services\n")]
    [InlineData("\"hello\"\n")]
    [InlineData("42\n")]
    public void ScalarRoot_IsRefused(string text)
    {
        var ex = Assert.Throws<InputException>(() => Load(text));

        Assert.Contains("a single value", ex.Message);
    }

    [Fact]
    public void DuplicateTopLevelKey_NamesKeyAndPosition()
    {
        var ex = Assert.Throws<InputException>(() => Load("services:\n  web: {image: a}\nservices:\n  db: {image: b}\n"));

        Assert.Contains("'services'", ex.Message);
        Assert.Equal((3, 1), (ex.Line, ex.Column));
    }

    [Fact]
    public void DuplicateKeyInService_NamesKeyAndPosition()
    {
        var ex = Assert.Throws<InputException>(() => Load("services:\n  web:\n    image: a\n    restart: always\n    image: b\n"));

        Assert.Contains("'image'", ex.Message);
        Assert.Equal((5, 5), (ex.Line, ex.Column));
    }

    [Fact]
    public void DuplicateKeyInFlowMapping_NamesKeyAndPosition()
    {
        var ex = Assert.Throws<InputException>(() => Load("services: {web: {image: a, image: b}}\n"));

        Assert.Contains("'image'", ex.Message);
        Assert.Equal((1, 28), (ex.Line, ex.Column));
    }

    [Fact]
    public void DuplicateKeyInsideSequenceItem_IsFound()
    {
        var ex = Assert.Throws<InputException>(() => Load("services:\n  web:\n    ports:\n      - target: 80\n        target: 81\n"));

        Assert.Contains("'target'", ex.Message);
        Assert.Equal((5, 9), (ex.Line, ex.Column));
    }

    [Fact]
    public void RepeatedMergeKey_IsDuplicate()
    {
        const string text = "x-a: &a {restart: always}\nx-b: &b {user: bob}\nservices:\n  web:\n    <<: *a\n    image: nginx\n    <<: *b\n";

        var ex = Assert.Throws<InputException>(() => Load(text));

        Assert.Contains("'<<'", ex.Message);
        Assert.Equal((7, 5), (ex.Line, ex.Column));
    }

    [Fact]
    public void QuotedAndPlainSpellingsOfOneKey_AreDuplicates()
    {
        var ex = Assert.Throws<InputException>(() => Load("services:\n  web:\n    image: a\n    \"image\": b\n"));

        Assert.Equal((4, 5), (ex.Line, ex.Column));
    }

    [Fact]
    public void SameKeyInDifferentMappings_IsFine()
    {
        var doc = Load("services:\n  web:\n    image: a\n  db:\n    image: b\n");

        Assert.Equal(["web", "db"], doc.Services.Select(s => s.Name));
    }

    // ------------------------------------------------------------------ aliases

    [Fact]
    public void BillionLaughs_IsExcessiveAliasingQuickly()
    {
        var sb = new StringBuilder("x-l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int level = 1; level <= 9; level++)
        {
            string prev = $"*l{level - 1}";
            sb.Append($"x-l{level}: &l{level} [{string.Join(", ", Enumerable.Repeat(prev, 9))}]\n");
        }

        sb.Append("services:\n  web:\n    image: nginx\n    command: *l9\n");
        var watch = Stopwatch.StartNew();

        var ex = Assert.Throws<InputException>(() => Load(sb.ToString()));

        watch.Stop();
        Assert.Contains("excessive aliasing", ex.Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
        Assert.True(ex.Line > 1);
    }

    [Fact]
    public void ManyServicesMergingOneAnchor_AreNotAnAliasBomb()
    {
        var sb = new StringBuilder("x-base: &base\n");
        for (int i = 0; i < 20; i++)
        {
            sb.Append($"  label{i}: value{i}\n");
        }

        sb.Append("services:\n");
        for (int i = 0; i < 2000; i++)
        {
            sb.Append($"  svc{i}:\n    <<: *base\n    image: img{i}\n");
        }

        var doc = Load(sb.ToString());

        Assert.Equal(2000, doc.Services.Count);
        Assert.Equal("value7", doc.Service("svc1999")!.GetString("label7"));
    }

    [Fact]
    public void RecursiveAlias_IsInputException()
    {
        var ex = Assert.Throws<InputException>(() => Load("services:\n  web: &w\n    image: a\n    more: *w\n"));

        Assert.Contains("recursive", ex.Message);
    }

    [Fact]
    public void Alias_SharesTheAnchorsMeaning()
    {
        var doc = Load("x-img: &img nginx:1.27\nservices:\n  web:\n    image: *img\n");

        Assert.Equal("nginx:1.27", doc.Service("web")!.GetString("image"));
    }

    // ------------------------------------------------------------------ merge keys

    [Fact]
    public void MergeKey_OwnKeysWin()
    {
        var doc = Load("x-base: &base\n  image: base\n  restart: always\nservices:\n  web:\n    <<: *base\n    image: own\n");

        var web = doc.Service("web")!;
        Assert.Equal("own", web.GetString("image"));
        Assert.Equal("always", web.GetString("restart"));
    }

    [Fact]
    public void MergeList_EarlierMappingWins()
    {
        const string text = "x-a: &a {image: a, user: alice}\nx-b: &b {image: b, user: bob, restart: always}\nservices:\n  web:\n    <<: [*a, *b]\n    user: own\n";

        var web = Load(text).Service("web")!;

        Assert.Equal("a", web.GetString("image"));
        Assert.Equal("own", web.GetString("user"));
        Assert.Equal("always", web.GetString("restart"));
        Assert.Equal(["image", "restart", "user"], web.Meaning.Entries.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void MergeKey_IsNotAKeyOfTheMeaning()
    {
        var web = Load("x-a: &a {image: a}\nservices:\n  web:\n    <<: *a\n").Service("web")!;

        Assert.Null(web.Get("<<"));
        Assert.Equal("a", web.GetString("image"));
    }

    [Fact]
    public void NestedMerges_Resolve()
    {
        const string text = "x-a: &a {image: a, user: alice}\nx-b: &b\n  <<: *a\n  user: bob\nservices:\n  web:\n    <<: *b\n";

        var web = Load(text).Service("web")!;

        Assert.Equal(("a", "bob"), (web.GetString("image"), web.GetString("user")));
    }

    [Fact]
    public void MergeOfAScalar_IsInputException()
    {
        var ex = Assert.Throws<InputException>(() => Load("x-a: &a text\nservices:\n  web:\n    <<: *a\n"));

        Assert.Contains("merge key", ex.Message);
    }

    [Fact]
    public void ServicesThroughMerge_AreListed()
    {
        var doc = Load("x-common: &common\n  db: {image: postgres}\nservices:\n  <<: *common\n  web: {image: nginx}\n");

        Assert.Equal(["db", "web"], doc.Services.Select(s => s.Name).Order(StringComparer.Ordinal));
        Assert.Null(doc.Service("db")!.KeyNode);
        Assert.NotNull(doc.Service("web")!.KeyNode);
    }

    // ------------------------------------------------------------------ services

    [Fact]
    public void Services_AreListedInOrderWithTheirKeys()
    {
        const string text = "version: \"3.8\"\nservices:\n  web:\n    image: nginx\n    restart: \"no\"\n  db:\n    image: postgres\n    ports: [\"5432:5432\"]\n";

        var doc = Load(text);

        Assert.Equal(["web", "db"], doc.Services.Select(s => s.Name));
        var web = doc.Service("web")!;
        Assert.Equal("nginx", web.GetString("image"));
        Assert.Equal("no", web.GetString("restart"));
        Assert.Null(web.GetString("user"));
        Assert.Equal(SemPath.Of("services", "web"), web.Path);
        Assert.Equal(SemPath.Of("services", "web", "ports", 0), web.At("ports", 0));
        Assert.Equal((3, 3), doc.Source.LineColumn(web.KeyNode!.Start));
        var ports = Assert.IsType<SemSeq>(doc.Service("db")!.Get("ports"));
        Assert.Equal("5432:5432", Str(ports.Items[0]));
        Assert.Null(doc.Service("nope"));
        Assert.False(doc.IsLegacyLayout);
    }

    [Fact]
    public void ServiceValues_ResolveTags()
    {
        var web = Load("services:\n  web:\n    a: 1\n    b: true\n    c: ~\n    d: \"1\"\n    e: 1.5\n    f: !!str 2\n").Service("web")!;

        Assert.Equal(
            [("a", "int"), ("b", "bool"), ("c", "null"), ("d", "str"), ("e", "float"), ("f", "str")],
            web.Meaning.Entries.Select(e => (e.Key, ((SemScalar)e.Value).Tag)).OrderBy(e => e.Key, StringComparer.Ordinal));
        Assert.Null(web.GetString("c"));
        Assert.Equal("2", web.GetString("f"));
    }

    [Fact]
    public void ServiceWithoutMapping_IsNotAService()
    {
        var doc = Load("services:\n  web:\n  db:\n    image: postgres\n");

        Assert.Equal(["db"], doc.Services.Select(s => s.Name));
    }

    [Fact]
    public void NoServicesKey_WithServiceLikeTopLevel_IsLegacyLayout()
    {
        Assert.True(Load("web:\n  image: nginx\n").IsLegacyLayout);
        Assert.False(Load("version: '2'\nweb:\n  image: nginx\n").IsLegacyLayout);
        Assert.False(Load("x-web:\n  image: nginx\nnetworks: {}\n").IsLegacyLayout);
    }

    [Fact]
    public void OnlyTheFirstDocument_IsTheComposeFile()
    {
        var doc = Load("services:\n  web: {image: a}\n---\nservices:\n  db: {image: b}\n");

        Assert.Equal(["web"], doc.Services.Select(s => s.Name));
        Assert.Equal(2, doc.File.Documents.Count);
    }

    [Fact]
    public void DeepButAllowedNesting_LoadsWithoutStackOverflow()
    {
        int depth = YamlLoader.MaxDepth - 2;
        string text = "x-deep: " + new string('[', depth) + new string(']', depth) + "\nservices: {}\n";

        var doc = Load(text);

        Assert.IsType<SemSeq>(doc.Meaning.Get("x-deep"));
    }
}

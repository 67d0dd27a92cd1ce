using System.Text;
using ComposeFix.Compose;
using ComposeFix.Editing;
using ComposeFix.Text;
using ComposeFix.Yaml;

namespace ComposeFix.Tests;

/// <summary>
/// Every editor operation on every style, stated as exact output text. After each edit the result is
/// parsed again and must mean the old meaning plus exactly the intended change.
/// </summary>
public sealed class YamlEditorTests
{
    // ------------------------------------------------------------------ helpers

    private sealed class Doc
    {
        public Doc(string text)
            : this(SourceText.FromString(text))
        {
        }

        public Doc(SourceText source)
        {
            Source = source;
            File = YamlLoader.Load(source);
            Root = File.Documents[0].Root!;
            Editor = new YamlEditor(File, StyleProfile.Measure(File.Text, Root));
        }

        public SourceText Source { get; }

        public YFile File { get; }

        public YNode Root { get; }

        public YamlEditor Editor { get; }

        public string Result => TextEdit.Apply(File.Text, Editor.Edits);

        public YNode At(params object[] path) => NodeLocator.Find(Root, SemPath.Of(path)) ?? throw new InvalidOperationException($"no node at {SemPath.Of(path)}");

        public YMapping Map(params object[] path) => Assert.IsType<YMapping>(At(path));

        public YSequence Seq(params object[] path) => Assert.IsType<YSequence>(At(path));

        /// <summary>The pair holding the last key of the path, as written (its value may be an alias).</summary>
        public YPair Pair(params object[] path)
        {
            var parent = path.Length == 1 ? Assert.IsType<YMapping>(Root) : Map(path[..^1]);
            return parent.Find((string)path[^1]) ?? throw new InvalidOperationException($"no key {SemPath.Of(path)}");
        }

        /// <summary>The value node as written (an alias stays an alias).</summary>
        public YNode Value(params object[] path) => Pair(path).Value;
    }

    private static Sem Meaning(string text)
    {
        var source = SourceText.FromString(text);
        var file = YamlLoader.Load(source);
        return new SemanticBuilder(source, file.Documents[0]).Build(file.Documents[0].Root!);
    }

    private static SemOp Set(NewNode value, params object[] path) => new(SemOpKind.Set, SemPath.Of(path), value.ToSem());

    private static SemOp Add(NewNode item, params object[] path) => new(SemOpKind.Append, SemPath.Of(path), item.ToSem());

    private static SemOp Del(params object[] path) => new(SemOpKind.Remove, SemPath.Of(path), null);

    /// <summary>Asserts the exact output text, and that it means the old meaning plus <paramref name="ops"/>.</summary>
    private static void Expect(Doc doc, string expected, params SemOp[] ops)
    {
        string actual = doc.Result;
        Assert.Equal(expected, actual);
        var want = SemOps.ApplyAll(Meaning(doc.File.Text), ops);
        Assert.Null(SemOps.FirstDifference(want, Meaning(actual)));
    }

    private static NewScalar S(string value, Quoting quoting = Quoting.Auto) => NewNode.Scalar(value, quoting);

    private static NewScalar N(long value) => NewNode.Number(value);

    // ------------------------------------------------------------------ AddPair: block mappings

    [Fact]
    public void AddPair_BlockMapping_TwoSpaces_GoesAfterLastChildAtSiblingColumn()
    {
        var d = new Doc("services:\n  web:\n    image: nginx\n  db:\n    image: postgres\n");

        d.Editor.AddPair(d.Map("services", "web"), "restart", S("on-failure:5"));

        Expect(d, "services:\n  web:\n    image: nginx\n    restart: on-failure:5\n  db:\n    image: postgres\n", Set(S("on-failure:5"), "services", "web", "restart"));
    }

    [Fact]
    public void AddPair_BlockMapping_FourSpaces_NestedMappingUsesFourSpaces()
    {
        var d = new Doc("services:\n    web:\n        image: nginx\n");
        var value = NewNode.Map(("resources", NewNode.Map(("limits", NewNode.Map(("memory", S("512m")))))));

        d.Editor.AddPair(d.Map("services", "web"), "deploy", value);

        Expect(
            d,
            "services:\n    web:\n        image: nginx\n        deploy:\n            resources:\n                limits:\n                    memory: 512m\n",
            Set(value, "services", "web", "deploy"));
    }

    [Fact]
    public void AddPair_ListValue_FollowsIndentedSequences()
    {
        var d = new Doc("services:\n  web:\n    ports:\n      - \"80:80\"\n  db:\n    image: postgres\n");
        var value = NewNode.List(["data:/var/lib/postgresql"]);

        d.Editor.AddPair(d.Map("services", "db"), "volumes", value);

        Expect(
            d,
            "services:\n  web:\n    ports:\n      - \"80:80\"\n  db:\n    image: postgres\n    volumes:\n      - data:/var/lib/postgresql\n",
            Set(value, "services", "db", "volumes"));
    }

    [Fact]
    public void AddPair_ListValue_FollowsIndentlessSequences()
    {
        var d = new Doc("services:\n  web:\n    ports:\n    - \"80:80\"\n  db:\n    image: postgres\n");
        var value = NewNode.List(["data:/var/lib/postgresql"]);

        d.Editor.AddPair(d.Map("services", "db"), "volumes", value);

        Expect(
            d,
            "services:\n  web:\n    ports:\n    - \"80:80\"\n  db:\n    image: postgres\n    volumes:\n    - data:/var/lib/postgresql\n",
            Set(value, "services", "db", "volumes"));
    }

    [Fact]
    public void AddPair_ListValue_FlowWhenTheMappingsListsAreFlow()
    {
        var d = new Doc("services:\n  web:\n    ports: [\"80:80\"]\n");
        var value = NewNode.List(["ALL"]);

        d.Editor.AddPair(d.Map("services", "web"), "cap_drop", value);

        Expect(d, "services:\n  web:\n    ports: [\"80:80\"]\n    cap_drop: [ALL]\n", Set(value, "services", "web", "cap_drop"));
    }

    [Fact]
    public void AddPair_ToMappingInSequenceItem_UsesTheKeysColumn()
    {
        var d = new Doc("p:\n  - a: 1\n    b: 2\nq: 3\n");

        d.Editor.AddPair(d.Map("p", 0), "c", N(3));

        Expect(d, "p:\n  - a: 1\n    b: 2\n    c: 3\nq: 3\n", Set(N(3), "p", 0, "c"));
    }

    [Fact]
    public void AddPair_TwiceToOneMapping_KeepsTheOrderTheyWereMade()
    {
        var d = new Doc("a:\n  x: 1\n");

        d.Editor.AddPair(d.Map("a"), "q", N(2));
        d.Editor.AddPair(d.Map("a"), "r", N(3));

        Expect(d, "a:\n  x: 1\n  q: 2\n  r: 3\n", Set(N(2), "a", "q"), Set(N(3), "a", "r"));
    }

    // ------------------------------------------------------------------ AddPair: flow mappings

    [Fact]
    public void AddPair_FlowMapping_SingleLine()
    {
        var d = new Doc("a: {x: 1}\n");

        d.Editor.AddPair(d.Map("a"), "q", N(2));

        Expect(d, "a: {x: 1, q: 2}\n", Set(N(2), "a", "q"));
    }

    [Fact]
    public void AddPair_FlowMapping_Empty()
    {
        var d = new Doc("a: {}\n");

        d.Editor.AddPair(d.Map("a"), "q", N(2));

        Expect(d, "a: {q: 2}\n", Set(N(2), "a", "q"));
    }

    [Fact]
    public void AddPair_FlowMapping_MultiLine_NewLineAtSiblingColumn()
    {
        var d = new Doc("a: {\n  x: 1,\n  y: 2\n}\n");

        d.Editor.AddPair(d.Map("a"), "z", N(3));

        Expect(d, "a: {\n  x: 1,\n  y: 2,\n  z: 3\n}\n", Set(N(3), "a", "z"));
    }

    [Fact]
    public void AddPair_FlowMapping_TrailingComma()
    {
        var d = new Doc("a: {x: 1,}\n");

        d.Editor.AddPair(d.Map("a"), "q", N(2));

        Expect(d, "a: {x: 1, q: 2,}\n", Set(N(2), "a", "q"));
    }

    [Fact]
    public void AddPair_FlowMapping_NestedValuesAreFlow()
    {
        var d = new Doc("a: {x: 1}\n");
        var value = NewNode.Map(("k", NewNode.List(["v", "w"])));

        d.Editor.AddPair(d.Map("a"), "q", value);

        Expect(d, "a: {x: 1, q: {k: [v, w]}}\n", Set(value, "a", "q"));
    }

    // ------------------------------------------------------------------ AddPair: file facts

    [Fact]
    public void AddPair_Crlf_InsertedLinesUseCrlf()
    {
        var d = new Doc("services:\r\n  web:\r\n    image: nginx\r\n");
        var value = NewNode.Map(("limits", NewNode.Map(("cpus", NewNode.Number("0.5")))));

        d.Editor.AddPair(d.Map("services", "web"), "resources", value);

        Expect(d, "services:\r\n  web:\r\n    image: nginx\r\n    resources:\r\n      limits:\r\n        cpus: 0.5\r\n", Set(value, "services", "web", "resources"));
    }

    [Fact]
    public void AddPair_NoFinalNewline_KeepsNoFinalNewline()
    {
        var d = new Doc("services:\n  web:\n    image: nginx");

        d.Editor.AddPair(d.Map("services", "web"), "restart", S("always"));

        Expect(d, "services:\n  web:\n    image: nginx\n    restart: always", Set(S("always"), "services", "web", "restart"));
    }

    [Fact]
    public void AddPair_NoFinalNewline_NestedValue_KeepsNoFinalNewline()
    {
        var d = new Doc("a:\n  b: 1");
        var value = NewNode.Map(("x", N(1)), ("w", N(2)));

        d.Editor.AddPair(d.Map("a"), "c", value);

        Expect(d, "a:\n  b: 1\n  c:\n    x: 1\n    w: 2", Set(value, "a", "c"));
    }

    [Fact]
    public void AddPair_CrlfNoFinalNewline_UsesCrlfAndKeepsNoFinalNewline()
    {
        var d = new Doc("a:\r\n  b: 1");

        d.Editor.AddPair(d.Map("a"), "c", N(2));

        Expect(d, "a:\r\n  b: 1\r\n  c: 2", Set(N(2), "a", "c"));
    }

    [Fact]
    public void AddPair_BomFile_BomIsKeptOnEncode()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("services:\n  web:\n    image: nginx\n")];
        var d = new Doc(SourceText.Decode(bytes));

        d.Editor.AddPair(d.Map("services", "web"), "restart", S("always"));

        Expect(d, "services:\n  web:\n    image: nginx\n    restart: always\n", Set(S("always"), "services", "web", "restart"));
        Assert.Equal([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("services:\n  web:\n    image: nginx\n    restart: always\n")], d.Source.Encode(d.Result));
    }

    // ------------------------------------------------------------------ AddPair: comments and block scalars

    [Fact]
    public void AddPair_CommentAboveAndBeside_StayWhereTheyWere()
    {
        var d = new Doc("a:\n  # about b\n  b: 1  # beside b\n# about c\nc: 2\n");

        d.Editor.AddPair(d.Map("a"), "x", N(9));

        Expect(d, "a:\n  # about b\n  b: 1  # beside b\n  x: 9\n# about c\nc: 2\n", Set(N(9), "a", "x"));
    }

    [Fact]
    public void AddPair_CommentAtKeyColumnBelowLastChild_StaysBelowTheNewKey()
    {
        var d = new Doc("services:\n  web:\n    image: nginx\n    # ports: [\"80:80\"]\n  db:\n    image: x\n");

        d.Editor.AddPair(d.Map("services", "web"), "restart", S("always"));

        Expect(d, "services:\n  web:\n    image: nginx\n    restart: always\n    # ports: [\"80:80\"]\n  db:\n    image: x\n", Set(S("always"), "services", "web", "restart"));
    }

    [Fact]
    public void AddPair_CommentedOutItemDeeperThanKeys_NewKeyGoesAfterIt()
    {
        var d = new Doc("services:\n  web:\n    environment:\n      - A=1\n      # - B=2\n  db:\n    image: x\n");

        d.Editor.AddPair(d.Map("services", "web"), "restart", S("always"));

        Expect(d, "services:\n  web:\n    environment:\n      - A=1\n      # - B=2\n    restart: always\n  db:\n    image: x\n", Set(S("always"), "services", "web", "restart"));
    }

    [Fact]
    public void AddPair_LastChildIsLiteralWithTrailingBlankLine_GoesAfterContentAndBlankLineStays()
    {
        var d = new Doc("services:\n  web:\n    command: |\n      echo hi\n\n  db:\n    image: x\n");

        d.Editor.AddPair(d.Map("services", "web"), "restart", S("always"));

        Expect(d, "services:\n  web:\n    command: |\n      echo hi\n    restart: always\n\n  db:\n    image: x\n", Set(S("always"), "services", "web", "restart"));
    }

    [Fact]
    public void AddPair_LastChildIsKeepLiteral_GoesAfterItsBlankLines()
    {
        var d = new Doc("a:\n  s: |+\n    x\n\nb: 1\n");

        d.Editor.AddPair(d.Map("a"), "c", N(2));

        Expect(d, "a:\n  s: |+\n    x\n\n  c: 2\nb: 1\n", Set(N(2), "a", "c"));
    }

    [Fact]
    public void AddPair_TabsInComments_AreKept()
    {
        var d = new Doc("a:\n  b: 1\t# tab\there\n# tab\tbelow\n");

        d.Editor.AddPair(d.Map("a"), "c", N(2));

        Expect(d, "a:\n  b: 1\t# tab\there\n  c: 2\n# tab\tbelow\n", Set(N(2), "a", "c"));
    }

    // ------------------------------------------------------------------ AddPair: quoting

    [Fact]
    public void AddPair_ValueNeedingQuotes_UsesTheNeighboursQuote()
    {
        var d = new Doc("a:\n  b: 'x y'\n  c: plain\nz: \"d\"\n");

        d.Editor.AddPair(d.Map("a"), "d", S("yes"));

        Expect(d, "a:\n  b: 'x y'\n  c: plain\n  d: 'yes'\nz: \"d\"\n", Set(S("yes"), "a", "d"));
    }

    [Fact]
    public void AddPair_QuotingAlways_QuotesAPlainSafeValue()
    {
        var d = new Doc("a:\n  b: 1\n");

        d.Editor.AddPair(d.Map("a"), "c", S("8080", Quoting.Always));

        Expect(d, "a:\n  b: 1\n  c: \"8080\"\n", Set(S("8080"), "a", "c"));
    }

    [Theory]
    [InlineData("on")]
    [InlineData("22:22")] // sexagesimal 1342 in YAML 1.1
    [InlineData("1.0")]
    [InlineData("y")]
    [InlineData("0777")]
    [InlineData("2024-01-01")]
    [InlineData("null")]
    [InlineData("a: b")]
    [InlineData("#x")]
    [InlineData("")]
    public void AddPair_ValuesThatWouldNotReadBackAsStrings_AreQuoted(string value)
    {
        var d = new Doc("a:\n  b: x\n");

        d.Editor.AddPair(d.Map("a"), "c", S(value));

        Expect(d, "a:\n  b: x\n  c: " + ScalarResolver.DoubleQuote(value) + "\n", Set(S(value), "a", "c"));
    }

    [Theory]
    [InlineData("80:80")] // 80 is no base-60 digit: a string in YAML 1.1 and 1.2
    [InlineData("nginx:1.27")]
    [InlineData("on-failure:5")]
    [InlineData("/var/run/docker.sock:/var/run/docker.sock:ro")]
    [InlineData("CMD-SHELL")]
    public void AddPair_PlainSafeValues_StayPlain(string value)
    {
        var d = new Doc("a:\n  b: x\n");

        d.Editor.AddPair(d.Map("a"), "c", S(value));

        Expect(d, "a:\n  b: x\n  c: " + value + "\n", Set(S(value), "a", "c"));
    }

    [Fact]
    public void AddPair_KeyNeedingQuotes_IsQuoted()
    {
        var d = new Doc("a:\n  b: x\n");

        d.Editor.AddPair(d.Map("a"), "on", S("v"));

        Expect(d, "a:\n  b: x\n  \"on\": v\n", Set(S("v"), "a", "on"));
    }

    // ------------------------------------------------------------------ AppendItem

    [Fact]
    public void AppendItem_IndentedBlockSequence()
    {
        var d = new Doc("p:\n  - a\n  - b\nq: 1\n");

        d.Editor.AppendItem(d.Seq("p"), S("c"));

        Expect(d, "p:\n  - a\n  - b\n  - c\nq: 1\n", Add(S("c"), "p"));
    }

    [Fact]
    public void AppendItem_IndentlessBlockSequence_DashAtSiblingsColumn()
    {
        var d = new Doc("p:\n- a\nq: 1\n");

        d.Editor.AppendItem(d.Seq("p"), S("c"));

        Expect(d, "p:\n- a\n- c\nq: 1\n", Add(S("c"), "p"));
    }

    [Fact]
    public void AppendItem_FlowSequence()
    {
        var d = new Doc("p: [a, b]\n");

        d.Editor.AppendItem(d.Seq("p"), S("c"));

        Expect(d, "p: [a, b, c]\n", Add(S("c"), "p"));
    }

    [Fact]
    public void AppendItem_EmptyFlowSequence()
    {
        var d = new Doc("p: []\n");

        d.Editor.AppendItem(d.Seq("p"), S("c"));

        Expect(d, "p: [c]\n", Add(S("c"), "p"));
    }

    [Fact]
    public void AppendItem_MultiLineFlowSequence()
    {
        var d = new Doc("p: [\n  a,\n  b\n]\n");

        d.Editor.AppendItem(d.Seq("p"), S("c"));

        Expect(d, "p: [\n  a,\n  b,\n  c\n]\n", Add(S("c"), "p"));
    }

    [Fact]
    public void AppendItem_MultiLineFlowSequence_CommentBesideLastItemStaysBesideIt()
    {
        var d = new Doc("p: [\n  a,  # first\n  b  # second\n]\n");

        d.Editor.AppendItem(d.Seq("p"), S("c"));

        Expect(d, "p: [\n  a,  # first\n  b,  # second\n  c,\n]\n", Add(S("c"), "p"));
    }

    [Fact]
    public void AppendItem_MultiLineFlowSequence_CommentBesideLastItem_TwoAppendsCompose()
    {
        var d = new Doc("p: [\n  a,\n  b  # second\n]\n");

        d.Editor.AppendItem(d.Seq("p"), S("c"));
        d.Editor.AppendItem(d.Seq("p"), S("d"));

        Expect(d, "p: [\n  a,\n  b,  # second\n  c,\n  d,\n]\n", Add(S("c"), "p"), Add(S("d"), "p"));
    }

    [Fact]
    public void AppendItem_MultiLineFlowSequence_TrailingCommaAndComment()
    {
        var d = new Doc("p: [\n  a, # c\n]\n");

        d.Editor.AppendItem(d.Seq("p"), S("z"));

        Expect(d, "p: [\n  a, # c\n  z,\n]\n", Add(S("z"), "p"));
    }

    [Fact]
    public void AppendItem_MultiLineFlowSequence_TrailingComma()
    {
        var d = new Doc("p: [\n  a,\n]\n");

        d.Editor.AppendItem(d.Seq("p"), S("z"));

        Expect(d, "p: [\n  a,\n  z,\n]\n", Add(S("z"), "p"));
    }

    [Fact]
    public void AddPair_MultiLineFlowMapping_CommentBesideLastPairStaysBesideIt()
    {
        var d = new Doc("m: {\n  a: 1,\n  b: 2  # two\n}\n");

        d.Editor.AddPair(d.Map("m"), "c", N(3));

        Expect(d, "m: {\n  a: 1,\n  b: 2,  # two\n  c: 3,\n}\n", Set(N(3), "m", "c"));
    }

    [Fact]
    public void AppendItem_MappingItem_IsWrittenAsBlockUnderTheDash()
    {
        var d = new Doc("p:\n  - name: a\n");
        var item = NewNode.Map(("name", S("b")), ("mode", S("ro")));

        d.Editor.AppendItem(d.Seq("p"), item);

        Expect(d, "p:\n  - name: a\n  - name: b\n    mode: ro\n", Add(item, "p"));
    }

    [Fact]
    public void AppendItem_QuotingAlways_UsesTheSiblingsQuote()
    {
        var d = new Doc("ports:\n  - '80:80'\n");

        d.Editor.AppendItem(d.Seq("ports"), S("443:443", Quoting.Always));

        Expect(d, "ports:\n  - '80:80'\n  - '443:443'\n", Add(S("443:443"), "ports"));
    }

    [Fact]
    public void AppendItem_Crlf()
    {
        var d = new Doc("p:\r\n  - a\r\nq: 1\r\n");

        d.Editor.AppendItem(d.Seq("p"), S("b"));

        Expect(d, "p:\r\n  - a\r\n  - b\r\nq: 1\r\n", Add(S("b"), "p"));
    }

    [Fact]
    public void AppendItem_NoFinalNewline_KeepsNoFinalNewline()
    {
        var d = new Doc("p:\n  - a");

        d.Editor.AppendItem(d.Seq("p"), S("b"));

        Expect(d, "p:\n  - a\n  - b", Add(S("b"), "p"));
    }

    [Fact]
    public void AppendItem_CommentedOutItemAtDashColumn_StaysBelowTheNewItem()
    {
        var d = new Doc("p:\n  - a  # one\n  # - b\nq: 1\n");

        d.Editor.AppendItem(d.Seq("p"), S("c"));

        Expect(d, "p:\n  - a  # one\n  - c\n  # - b\nq: 1\n", Add(S("c"), "p"));
    }

    // ------------------------------------------------------------------ ReplaceValue

    [Fact]
    public void ReplaceValue_PlainScalar()
    {
        var d = new Doc("restart: always  # why\n");

        d.Editor.ReplaceValue(d.Value("restart"), S("on-failure:5"));

        Expect(d, "restart: on-failure:5  # why\n", Set(S("on-failure:5"), "restart"));
    }

    [Fact]
    public void ReplaceValue_DoubleQuotedScalar_StaysDoubleQuoted()
    {
        var d = new Doc("user: \"root\"\nother: 'x'\n");

        d.Editor.ReplaceValue(d.Value("user"), S("nobody"));

        Expect(d, "user: \"nobody\"\nother: 'x'\n", Set(S("nobody"), "user"));
    }

    [Fact]
    public void ReplaceValue_SingleQuotedScalar_StaysSingleQuoted()
    {
        var d = new Doc("user: 'root'\n");

        d.Editor.ReplaceValue(d.Value("user"), S("it's"));

        Expect(d, "user: 'it''s'\n", Set(S("it's"), "user"));
    }

    [Fact]
    public void ReplaceValue_PlainScalarWithValueNeedingQuotes_UsesNeighboursQuote()
    {
        var d = new Doc("a: x\nb: 'y'\n");

        d.Editor.ReplaceValue(d.Value("a"), S("yes"));

        Expect(d, "a: 'yes'\nb: 'y'\n", Set(S("yes"), "a"));
    }

    [Fact]
    public void ReplaceValue_AnchoredScalar_KeepsAnchor()
    {
        var d = new Doc("x: &v old\ny: *v\n");

        d.Editor.ReplaceValue(d.Value("x"), S("new"));

        Expect(d, "x: &v new\ny: *v\n", Set(S("new"), "x"), Set(S("new"), "y"));
    }

    [Fact]
    public void ReplaceValue_TaggedScalar_KeepsTag()
    {
        var d = new Doc("x: !!str 5\n");

        d.Editor.ReplaceValue(d.Value("x"), S("v6"));

        Expect(d, "x: !!str v6\n", Set(S("v6"), "x"));
    }

    [Fact]
    public void ReplaceValue_AnchoredBlockMapping_WithBlockMapping_KeepsAnchor()
    {
        var d = new Doc("a: &m\n  b: 1\nc: *m\n");
        var value = NewNode.Map(("d", N(2)));

        d.Editor.ReplaceValue(d.Value("a"), value);

        Expect(d, "a: &m\n  d: 2\nc: *m\n", Set(value, "a"), Set(value, "c"));
    }

    [Fact]
    public void ReplaceValue_AnchoredBlockMapping_WithScalar_KeepsAnchorSeparated()
    {
        var d = new Doc("a: &m\n  b: 1\nc: 2\n");

        d.Editor.ReplaceValue(d.Value("a"), S("x"));

        Expect(d, "a: &m x\nc: 2\n", Set(S("x"), "a"));
    }

    [Fact]
    public void ReplaceValue_TaggedBlockSequence_WithFlowSequence_KeepsTagSeparated()
    {
        var d = new Doc("a: !!seq\n  - b\nc: 2\n");

        d.Editor.ReplaceValue(d.Value("a"), new NewSeq([], Flow: true));

        Expect(d, "a: !!seq []\nc: 2\n", Set(new NewSeq([]), "a"));
    }

    [Fact]
    public void ReplaceValue_ScalarWithBlockMapping()
    {
        var d = new Doc("a: x\nb: 1\n");
        var value = NewNode.Map(("k", S("v")));

        d.Editor.ReplaceValue(d.Value("a"), value);

        Expect(d, "a:\n  k: v\nb: 1\n", Set(value, "a"));
    }

    [Fact]
    public void ReplaceValue_ScalarWithBlockMapping_Crlf()
    {
        var d = new Doc("a: x\r\nb: 1\r\n");
        var value = NewNode.Map(("k", S("v")), ("l", S("w")));

        d.Editor.ReplaceValue(d.Value("a"), value);

        Expect(d, "a:\r\n  k: v\r\n  l: w\r\nb: 1\r\n", Set(value, "a"));
    }

    [Fact]
    public void ReplaceValue_EmptyValue_WithScalar()
    {
        var d = new Doc("a:\nb: 1\n");

        d.Editor.ReplaceValue(d.Value("a"), S("value"));

        Expect(d, "a: value\nb: 1\n", Set(S("value"), "a"));
    }

    [Fact]
    public void ReplaceValue_EmptyValue_WithBlockList()
    {
        var d = new Doc("a:\nb: 1\n");
        var value = NewNode.List(["x", "y"]);

        d.Editor.ReplaceValue(d.Value("a"), value);

        // y is a boolean to YAML 1.1 readers (go-yaml v2), so it is quoted.
        Expect(d, "a:\n  - x\n  - \"y\"\nb: 1\n", Set(value, "a"));
    }

    [Fact]
    public void ReplaceValue_EmptyValue_WithBlockList_IndentlessFile()
    {
        var d = new Doc("p:\n- z\na:\n");
        var value = NewNode.List(["x"]);

        d.Editor.ReplaceValue(d.Value("a"), value);

        Expect(d, "p:\n- z\na:\n- x\n", Set(value, "a"));
    }

    [Fact]
    public void ReplaceValue_EmptyValueAtEndWithoutNewline_WithBlockList()
    {
        var d = new Doc("b: 1\na:");
        var value = NewNode.List(["x"]);

        d.Editor.ReplaceValue(d.Value("a"), value);

        Expect(d, "b: 1\na:\n  - x", Set(value, "a"));
    }

    [Fact]
    public void ReplaceValue_AnchoredEmptyValue_WithScalar_KeepsAnchorAndComment()
    {
        var d = new Doc("a: &x # c\nb: 1\n");

        d.Editor.ReplaceValue(d.Value("a"), S("v"));

        Expect(d, "a: &x v # c\nb: 1\n", Set(S("v"), "a"));
    }

    [Fact]
    public void ReplaceValue_TaggedEmptyValue_WithBlockList_KeepsTag()
    {
        var d = new Doc("ports: !reset\nb: 1\n");
        var value = NewNode.List(["x"]);

        d.Editor.ReplaceValue(d.Value("ports"), value);

        Expect(d, "ports: !reset\n  - x\nb: 1\n", Set(value, "ports"));
    }

    [Fact]
    public void ReplaceValue_EmptyValueWithComment_WithBlockList_CommentStaysOnKeyLine()
    {
        var d = new Doc("a:  # comment\nb: 1\n");
        var value = NewNode.List(["x"]);

        d.Editor.ReplaceValue(d.Value("a"), value);

        Expect(d, "a:  # comment\n  - x\nb: 1\n", Set(value, "a"));
    }

    [Fact]
    public void ReplaceValue_ScalarWithComment_WithBlockMapping_CommentStaysOnKeyLine()
    {
        var d = new Doc("a: x  # why\nb: 1\n");
        var value = NewNode.Map(("k", S("v")));

        d.Editor.ReplaceValue(d.Value("a"), value);

        Expect(d, "a:  # why\n  k: v\nb: 1\n", Set(value, "a"));
    }

    [Fact]
    public void ReplaceValue_BlockMappingWithCommentOnKeyLine_WithBlockMapping_CommentStays()
    {
        var d = new Doc("a:  # c\n  k: 1\nb: 1\n");
        var value = NewNode.Map(("z", N(2)));

        d.Editor.ReplaceValue(d.Value("a"), value);

        Expect(d, "a:  # c\n  z: 2\nb: 1\n", Set(value, "a"));
    }

    [Fact]
    public void ReplaceValue_AnchoredBlockMappingWithComment_WithScalar_KeepsAnchorAndComment()
    {
        var d = new Doc("a: &m  # c\n  k: 1\nb: 1\n");

        d.Editor.ReplaceValue(d.Value("a"), S("x"));

        Expect(d, "a: &m x  # c\nb: 1\n", Set(S("x"), "a"));
    }

    [Fact]
    public void ReplaceValue_BlockSequenceItem()
    {
        var d = new Doc("p:\n  - a\n  - b\n");

        d.Editor.ReplaceValue(d.Seq("p").Items[1], S("c"));

        Expect(d, "p:\n  - a\n  - c\n", Set(S("c"), "p", 1));
    }

    [Fact]
    public void ReplaceValue_FlowSequenceItem()
    {
        var d = new Doc("p: [a, \"b\"]\n");

        d.Editor.ReplaceValue(d.Seq("p").Items[1], S("c"));

        Expect(d, "p: [a, \"c\"]\n", Set(S("c"), "p", 1));
    }

    [Fact]
    public void ReplaceValue_InsideFlowMapping_WithMapping_StaysFlow()
    {
        var d = new Doc("p: {a: 1}\n");
        var value = NewNode.Map(("x", N(1)));

        d.Editor.ReplaceValue(d.Value("p", "a"), value);

        Expect(d, "p: {a: {x: 1}}\n", Set(value, "p", "a"));
    }

    [Fact]
    public void ReplaceValue_LiteralBlock_WithPlain_BlankLineStays()
    {
        var d = new Doc("a: |\n  x\n\nb: 1\n");

        d.Editor.ReplaceValue(d.Value("a"), S("z"));

        Expect(d, "a: z\n\nb: 1\n", Set(S("z"), "a"));
    }

    [Fact]
    public void ReplaceValue_Alias_ReplacesTheAliasNotTheAnchor()
    {
        var d = new Doc("x: &r always\na: *r\n");

        d.Editor.ReplaceValue(d.Value("a"), S("on-failure"));

        Expect(d, "x: &r always\na: on-failure\n", Set(S("on-failure"), "a"));
    }

    [Fact]
    public void ReplaceValue_IndentlessBlockSequence_WithEmptyFlowSequence()
    {
        var d = new Doc("a:\n- x\nb: 1\n");

        d.Editor.ReplaceValue(d.Value("a"), new NewSeq([], Flow: true));

        Expect(d, "a: []\nb: 1\n", Set(new NewSeq([]), "a"));
    }

    [Fact]
    public void ReplaceValue_Root_IsAConflict()
    {
        var d = new Doc("a: 1\n");

        Assert.Throws<EditConflictException>(() => d.Editor.ReplaceValue(d.Root, S("x")));
    }

    // ------------------------------------------------------------------ RemovePair

    [Fact]
    public void RemovePair_BlockMiddle_TakesItsLineAndInlineComment()
    {
        var d = new Doc("a: 1\n# about b\nb: 2  # why\nc: 3\n");

        d.Editor.RemovePair(d.Map(), d.Pair("b"));

        Expect(d, "a: 1\n# about b\nc: 3\n", Del("b"));
    }

    [Fact]
    public void RemovePair_BlockLast()
    {
        var d = new Doc("a: 1\nb: 2\n# end\n");

        d.Editor.RemovePair(d.Map(), d.Pair("b"));

        Expect(d, "a: 1\n# end\n", Del("b"));
    }

    [Fact]
    public void RemovePair_NestedBlockValue_TakesAllItsLines()
    {
        var d = new Doc("a:\n  b:\n    c: 1\n    e: [1,\n      2]\n  d: 2\n");

        d.Editor.RemovePair(d.Map("a"), d.Pair("a", "b"));

        Expect(d, "a:\n  d: 2\n", Del("a", "b"));
    }

    [Fact]
    public void RemovePair_OnlyPairOfBlockMapping_LeavesEmptyFlowMapping()
    {
        var d = new Doc("a:\n  b: 1\nc: 2\n");

        d.Editor.RemovePair(d.Map("a"), d.Pair("a", "b"));

        Expect(d, "a: {}\nc: 2\n", Del("a", "b"));
    }

    [Fact]
    public void RemovePair_FlowMapping_MiddleLastAndOnly()
    {
        var middle = new Doc("m: {a: 1, b: 2, c: 3}\n");
        middle.Editor.RemovePair(middle.Map("m"), middle.Pair("m", "b"));
        Expect(middle, "m: {a: 1, c: 3}\n", Del("m", "b"));

        var last = new Doc("m: {a: 1, b: 2, c: 3}\n");
        last.Editor.RemovePair(last.Map("m"), last.Pair("m", "c"));
        Expect(last, "m: {a: 1, b: 2}\n", Del("m", "c"));

        var only = new Doc("m: {a: 1}\n");
        only.Editor.RemovePair(only.Map("m"), only.Pair("m", "a"));
        Expect(only, "m: {}\n", Del("m", "a"));
    }

    [Fact]
    public void RemovePair_NoFinalNewline_LastLine_KeepsNoFinalNewline()
    {
        var d = new Doc("a: 1\nb: 2");

        d.Editor.RemovePair(d.Map(), d.Pair("b"));

        Expect(d, "a: 1", Del("b"));
    }

    [Fact]
    public void RemovePair_CrlfNoFinalNewline_LastLine_KeepsNoFinalNewline()
    {
        var d = new Doc("a: 1\r\nb: 2");

        d.Editor.RemovePair(d.Map(), d.Pair("b"));

        Expect(d, "a: 1", Del("b"));
    }

    [Fact]
    public void RemovePair_NoFinalNewline_FirstLine()
    {
        var d = new Doc("a: 1\nb: 2");

        d.Editor.RemovePair(d.Map(), d.Pair("a"));

        Expect(d, "b: 2", Del("a"));
    }

    [Fact]
    public void RemovePair_Crlf()
    {
        var d = new Doc("a: 1\r\nb: 2\r\nc: 3\r\n");

        d.Editor.RemovePair(d.Map(), d.Pair("b"));

        Expect(d, "a: 1\r\nc: 3\r\n", Del("b"));
    }

    [Fact]
    public void RemovePair_FirstPairOnTheDashLine_NextPairMovesUp()
    {
        var d = new Doc("p:\n  - a: 1\n    b: 2\n");

        d.Editor.RemovePair(d.Map("p", 0), d.Map("p", 0).Find("a")!);

        Expect(d, "p:\n  - b: 2\n", Del("p", 0, "a"));
    }

    [Fact]
    public void RemovePair_SecondPairInSequenceItem()
    {
        var d = new Doc("p:\n  - a: 1\n    b: 2\n");

        d.Editor.RemovePair(d.Map("p", 0), d.Map("p", 0).Find("b")!);

        Expect(d, "p:\n  - a: 1\n", Del("p", 0, "b"));
    }

    [Fact]
    public void RemovePair_TabsInComments_AreKept()
    {
        var d = new Doc("a: 1\t# one\n# be\ttween\nb: 2\t# two\nc: 3\n");

        d.Editor.RemovePair(d.Map(), d.Pair("b"));

        Expect(d, "a: 1\t# one\n# be\ttween\nc: 3\n", Del("b"));
    }

    // ------------------------------------------------------------------ RemoveItem

    [Fact]
    public void RemoveItem_BlockMiddle()
    {
        var d = new Doc("p:\n  - a\n  - b  # b\n  - c\n");

        d.Editor.RemoveItem(d.Seq("p"), 1);

        Expect(d, "p:\n  - a\n  - c\n", Del("p", 1));
    }

    [Fact]
    public void RemoveItem_IndentlessLast()
    {
        var d = new Doc("p:\n- a\n- b\nq: 1\n");

        d.Editor.RemoveItem(d.Seq("p"), 1);

        Expect(d, "p:\n- a\nq: 1\n", Del("p", 1));
    }

    [Fact]
    public void RemoveItem_OnlyItem_LeavesEmptyFlowSequence()
    {
        var d = new Doc("p:\n  - a\nq: 1\n");

        d.Editor.RemoveItem(d.Seq("p"), 0);

        Expect(d, "p: []\nq: 1\n", Del("p", 0));
    }

    [Fact]
    public void RemoveItem_OnlyItem_CommentOnKeyLineStays()
    {
        var d = new Doc("cap_add:  # needed for FUSE\n  - SYS_ADMIN\nb: 1\n");

        d.Editor.RemoveItem(d.Seq("cap_add"), 0);

        Expect(d, "cap_add: []  # needed for FUSE\nb: 1\n", Del("cap_add", 0));
    }

    [Fact]
    public void RemoveItem_Flow_FirstLastAndOnly()
    {
        var first = new Doc("p: [a, b, c]\n");
        first.Editor.RemoveItem(first.Seq("p"), 0);
        Expect(first, "p: [b, c]\n", Del("p", 0));

        var last = new Doc("p: [a, b, c]\n");
        last.Editor.RemoveItem(last.Seq("p"), 2);
        Expect(last, "p: [a, b]\n", Del("p", 2));

        var only = new Doc("p: [a]\n");
        only.Editor.RemoveItem(only.Seq("p"), 0);
        Expect(only, "p: []\n", Del("p", 0));
    }

    [Fact]
    public void RemoveItem_MultiLineMappingItem()
    {
        var d = new Doc("p:\n  - name: x\n    v: 1\n  - name: y\n");

        d.Editor.RemoveItem(d.Seq("p"), 0);

        Expect(d, "p:\n  - name: y\n", Del("p", 0));
    }

    [Fact]
    public void RemoveItem_NoFinalNewline_LastLine()
    {
        var d = new Doc("p:\n  - a\n  - b");

        d.Editor.RemoveItem(d.Seq("p"), 1);

        Expect(d, "p:\n  - a", Del("p", 1));
    }

    // ------------------------------------------------------------------ RenameKey

    [Fact]
    public void RenameKey_Plain()
    {
        var d = new Doc("a:\n  old: 1  # c\n");

        d.Editor.RenameKey(d.Pair("a", "old"), "new");

        Expect(d, "a:\n  new: 1  # c\n", Del("a", "old"), Set(N(1), "a", "new"));
    }

    [Fact]
    public void RenameKey_QuotedKeys_KeepTheirQuotes()
    {
        var d = new Doc("\"old\": 1\n'other': 2\n");

        d.Editor.RenameKey(d.Pair("old"), "new");
        d.Editor.RenameKey(d.Pair("other"), "it's");

        Expect(d, "\"new\": 1\n'it''s': 2\n", Del("old"), Del("other"), Set(N(1), "new"), Set(N(2), "it's"));
    }

    [Fact]
    public void RenameKey_NewKeyNeedingQuotes_IsQuoted()
    {
        var d = new Doc("a: 1\n");

        d.Editor.RenameKey(d.Pair("a"), "on");

        Expect(d, "\"on\": 1\n", Del("a"), Set(N(1), "on"));
    }

    [Fact]
    public void RenameKey_InFlowMapping()
    {
        var d = new Doc("m: {old: 1, b: 2}\n");

        d.Editor.RenameKey(d.Pair("m", "old"), "new");

        Expect(d, "m: {new: 1, b: 2}\n", Del("m", "old"), Set(N(1), "m", "new"));
    }

    // ------------------------------------------------------------------ several edits and the style profile

    [Fact]
    public void SeveralEdits_InOneEditor_ApplyTogether()
    {
        var d = new Doc("services:\n  web:\n    image: nginx\n    restart: always\n    ports:\n      - \"80:80\"\n    privileged: true\n");

        d.Editor.ReplaceValue(d.Value("services", "web", "restart"), S("on-failure:5"));
        d.Editor.AppendItem(d.Seq("services", "web", "ports"), S("127.0.0.1:443:443", Quoting.Always));
        d.Editor.RemovePair(d.Map("services", "web"), d.Pair("services", "web", "privileged"));
        d.Editor.AddPair(d.Map("services", "web"), "read_only", NewNode.Bool(true));

        Expect(
            d,
            "services:\n  web:\n    image: nginx\n    restart: on-failure:5\n    ports:\n      - \"80:80\"\n      - \"127.0.0.1:443:443\"\n    read_only: true\n",
            Set(S("on-failure:5"), "services", "web", "restart"),
            Add(S("127.0.0.1:443:443"), "services", "web", "ports"),
            Del("services", "web", "privileged"),
            Set(NewNode.Bool(true), "services", "web", "read_only"));
    }

    [Fact]
    public void StyleProfile_MeasuresIndentSequenceOffsetAndQuote()
    {
        const string text = "services:\n    web:\n        ports:\n        - '80:80'\n        environment:\n        - 'A=1'\n    db:\n        image: \"x\"\n";
        var file = YamlLoader.Load(SourceText.FromString(text));

        var profile = StyleProfile.Measure(text, file.Documents[0].Root);

        Assert.Equal((4, 0, '\''), (profile.IndentStep, profile.SequenceOffset, profile.Quote));
    }

    [Fact]
    public void StyleProfile_EmptyDocument_HasDefaults()
    {
        var profile = StyleProfile.Measure("", null);

        Assert.Equal((2, 2, '"'), (profile.IndentStep, profile.SequenceOffset, profile.Quote));
    }
}

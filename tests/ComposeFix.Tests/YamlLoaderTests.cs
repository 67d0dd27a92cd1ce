using System.Text;
using ComposeFix.Text;
using ComposeFix.Yaml;

namespace ComposeFix.Tests;

/// <summary>
/// The source tree states spans and styles exactly: for each node, <c>Text[ValueStart..End]</c> is the
/// node's own text, <c>Text[Start..ValueStart]</c> its properties.
/// </summary>
public sealed class YamlLoaderTests
{
    private static YFile Load(string text) => YamlLoader.Load(SourceText.FromString(text));

    private static YMapping RootMap(YFile file) => Assert.IsType<YMapping>(file.Documents[0].Root);

    private static YNode Value(YFile file, string key) => RootMap(file).Find(key)!.Value;

    private static string Slice(YFile file, YNode node) => file.Text[node.ValueStart..node.End];

    private static string Props(YFile file, YNode node) => file.Text[node.Start..node.ValueStart];

    // ------------------------------------------------------------------ flow scalars

    [Fact]
    public void PlainScalar_SpanIsTheValueWithoutTrailingSpaceOrComment()
    {
        var f = Load("a: plain value   # note\n");

        var key = Assert.IsType<YScalar>(RootMap(f).Pairs[0].Key);
        var s = Assert.IsType<YScalar>(Value(f, "a"));
        Assert.Equal(("a", YScalarStyle.Plain, "a"), (key.Value, key.Style, Slice(f, key)));
        Assert.Equal(("plain value", YScalarStyle.Plain, "plain value"), (s.Value, s.Style, Slice(f, s)));
        Assert.Equal(s.Start, s.ValueStart);
        Assert.Equal((1, 4), (s.Line, s.Column));
    }

    [Fact]
    public void MultiLinePlainScalar_SpansBothLines()
    {
        var f = Load("a: one\n  two\nb: 1\n");

        var s = Assert.IsType<YScalar>(Value(f, "a"));
        Assert.Equal(("one two", "one\n  two"), (s.Value, Slice(f, s)));
    }

    [Fact]
    public void SingleQuotedScalar_SpanIncludesQuotes()
    {
        var f = Load("a: 'it''s'\n");

        var s = Assert.IsType<YScalar>(Value(f, "a"));
        Assert.Equal(("it's", YScalarStyle.SingleQuoted, "'it''s'"), (s.Value, s.Style, Slice(f, s)));
        Assert.True(s.IsQuoted);
    }

    [Fact]
    public void DoubleQuotedScalar_SpanIncludesQuotesAndEscapes()
    {
        var f = Load("\"k q\": \"x\\ty\"\n");

        var pair = RootMap(f).Pairs[0];
        var key = Assert.IsType<YScalar>(pair.Key);
        var s = Assert.IsType<YScalar>(pair.Value);
        Assert.Equal(("k q", YScalarStyle.DoubleQuoted, "\"k q\""), (key.Value, key.Style, Slice(f, key)));
        Assert.Equal(("x\ty", YScalarStyle.DoubleQuoted, "\"x\\ty\""), (s.Value, s.Style, Slice(f, s)));
    }

    [Fact]
    public void EmptyValue_IsZeroWidthPlainScalarAfterTheColon()
    {
        var f = Load("a:\nb: 1\n");

        var s = Assert.IsType<YScalar>(Value(f, "a"));
        Assert.True(s.IsEmpty);
        Assert.Equal(2, s.ValueStart);
        Assert.Equal(2, s.End);
    }

    [Theory]
    [InlineData("a: &x # c\nb: 1\n", "&x")]
    [InlineData("ports: !reset\nb: 1\n", "!reset")]
    [InlineData("a: !!null &n\n", "!!null &n")]
    [InlineData("a: &x", "&x")]
    [InlineData("{a: &x , b: 1}\n", "&x")]
    public void EmptyValueWithProperties_IsZeroWidthRightAfterTheProperties(string text, string props)
    {
        var f = Load(text);

        var s = Assert.IsType<YScalar>(RootMap(f).Pairs[0].Value);
        Assert.True(s.IsEmpty);
        Assert.Equal(props, Props(f, s));
        Assert.Equal(s.ValueStart, s.End);
    }

    // ------------------------------------------------------------------ block scalars

    [Fact]
    public void LiteralScalar_ClipWithTrailingBlankLines_EndsAfterLastContentLine()
    {
        var f = Load("a: |\n  line1\n  line2\n\n\nb: 1\n");

        var s = Assert.IsType<YScalar>(Value(f, "a"));
        Assert.Equal(YScalarStyle.Literal, s.Style);
        Assert.Equal("line1\nline2\n", s.Value);
        Assert.Equal("|\n  line1\n  line2", Slice(f, s));
        Assert.True(s.IsBlock);
    }

    [Fact]
    public void LiteralScalar_Strip_EndsAfterLastContentLine()
    {
        var f = Load("a: |-\n  x\n\nb: 1\n");

        var s = Assert.IsType<YScalar>(Value(f, "a"));
        Assert.Equal(("x", "|-\n  x"), (s.Value, Slice(f, s)));
    }

    [Fact]
    public void LiteralScalar_Keep_KeepsTrailingBlankLines()
    {
        var f = Load("a: |+\n  x\n\n\nb: 1\n");

        var s = Assert.IsType<YScalar>(Value(f, "a"));
        Assert.Equal(("x\n\n\n", "|+\n  x\n\n\n"), (s.Value, Slice(f, s)));
    }

    [Fact]
    public void FoldedScalar_StripHeader_EndsAfterLastContentLine()
    {
        var f = Load("a: >-\n  f1\n  f2\nb: 1\n");

        var s = Assert.IsType<YScalar>(Value(f, "a"));
        Assert.Equal(YScalarStyle.Folded, s.Style);
        Assert.Equal(("f1 f2", ">-\n  f1\n  f2"), (s.Value, Slice(f, s)));
    }

    [Fact]
    public void LiteralScalar_FollowedByLessIndentedComment_EndsBeforeTheComment()
    {
        var f = Load("a: |\n  x\n\n# about b\nb: 1\n");

        var s = Assert.IsType<YScalar>(Value(f, "a"));
        Assert.Equal(("x\n", "|\n  x"), (s.Value, Slice(f, s)));
        var c = Assert.Single(f.Comments);
        Assert.Equal(("about b", false), (c.Text, c.IsInline));
    }

    [Fact]
    public void LiteralScalar_WithHeaderComment_KeepsItsContent()
    {
        var f = Load("a: | # script\n  x\n  y\nb: 1\n");

        var s = Assert.IsType<YScalar>(Value(f, "a"));
        Assert.Equal(("x\ny\n", "| # script\n  x\n  y"), (s.Value, Slice(f, s)));
    }

    [Fact]
    public void LiteralScalar_Crlf_EndsAfterLastContentLine()
    {
        var f = Load("a: |\r\n  x\r\n\r\nb: 1\r\n");

        var s = Assert.IsType<YScalar>(Value(f, "a"));
        Assert.Equal(("x\n", "|\r\n  x"), (s.Value, Slice(f, s)));
    }

    [Fact]
    public void LiteralScalar_AtEndOfFileWithoutNewline_EndsAtTheEnd()
    {
        var f = Load("a: |\n  x");

        var s = Assert.IsType<YScalar>(Value(f, "a"));
        Assert.Equal("|\n  x", Slice(f, s));
        Assert.Equal(f.Text.Length, RootMap(f).End);
    }

    // ------------------------------------------------------------------ flow collections

    [Fact]
    public void FlowSequence_ExtentCoversBrackets()
    {
        var f = Load("a: [a, b]  # c\n");

        var q = Assert.IsType<YSequence>(Value(f, "a"));
        Assert.True(q.IsFlow);
        Assert.Equal("[a, b]", Slice(f, q));
        Assert.Equal(q.Start, q.ValueStart);
        Assert.Equal(["a", "b"], q.Items.Select(i => Slice(f, i)));
    }

    [Fact]
    public void FlowMapping_ExtentCoversBraces()
    {
        var f = Load("a: {a: 1}\n");

        var m = Assert.IsType<YMapping>(Value(f, "a"));
        Assert.True(m.IsFlow);
        Assert.Equal("{a: 1}", Slice(f, m));
        Assert.Equal(("a", "1"), (Slice(f, m.Pairs[0].Key), Slice(f, m.Pairs[0].Value)));
    }

    [Fact]
    public void EmptyFlowCollections_ExtentCoversBrackets()
    {
        var f = Load("a: []\nb: {}\n");

        Assert.Equal("[]", Slice(f, Value(f, "a")));
        Assert.Equal("{}", Slice(f, Value(f, "b")));
    }

    [Fact]
    public void MultiLineFlowSequence_ExtentCoversAllLines()
    {
        var f = Load("a: [\n  x,\n  y\n]\nb: 1\n");

        Assert.Equal("[\n  x,\n  y\n]", Slice(f, Value(f, "a")));
    }

    [Fact]
    public void FlowSequence_WithAnchor_ValueStartIsTheBracket()
    {
        var f = Load("a: &list [1]\n");

        var q = Assert.IsType<YSequence>(Value(f, "a"));
        Assert.Equal(("list", "&list ", "[1]"), (q.Anchor, Props(f, q), Slice(f, q)));
    }

    // ------------------------------------------------------------------ block collections

    [Fact]
    public void BlockMapping_ExtentIsFirstKeyToEndOfLastChild()
    {
        const string text = "a:\n  b: 1\n  c: 2  # two\n\n# trailing\nd: 3\n";
        var f = Load(text);

        var m = Assert.IsType<YMapping>(Value(f, "a"));
        Assert.False(m.IsFlow);
        Assert.Equal("b: 1\n  c: 2", Slice(f, m));
        Assert.Equal(m.Start, m.ValueStart);
        var root = RootMap(f);
        Assert.Equal((0, text.IndexOf("3\n", StringComparison.Ordinal) + 1), (root.ValueStart, root.End));
    }

    [Fact]
    public void BlockMapping_LastChildIsBlockScalar_EndsAfterItsContent()
    {
        var f = Load("a:\n  b: |\n    x\n\n\nc: 1\n");

        var m = Assert.IsType<YMapping>(Value(f, "a"));
        Assert.Equal("b: |\n    x", Slice(f, m));
    }

    [Fact]
    public void BlockSequence_ExtentIsFirstDashToEndOfLastItem()
    {
        var f = Load("s:\n  - a\n  - b   # last\nt: 1\n");

        var q = Assert.IsType<YSequence>(Value(f, "s"));
        Assert.False(q.IsFlow);
        Assert.Equal("- a\n  - b", Slice(f, q));
        Assert.Equal(["a", "b"], q.Items.Select(i => Slice(f, i)));
    }

    [Fact]
    public void IndentlessSequence_ExtentIsFirstDashToEndOfLastItem()
    {
        var f = Load("s:\n- a\n- b\nt: 1\n");

        var q = Assert.IsType<YSequence>(Value(f, "s"));
        Assert.Equal("- a\n- b", Slice(f, q));
        Assert.Equal(["s", "t"], RootMap(f).Pairs.Select(p => p.KeyText));
    }

    [Fact]
    public void SequenceOfMappings_ItemsStartAtFirstKey()
    {
        var f = Load("s:\n  - name: a\n    v: 1\n  - name: b\n");

        var q = Assert.IsType<YSequence>(Value(f, "s"));
        Assert.Equal(["name: a\n    v: 1", "name: b"], q.Items.Select(i => Slice(f, i)));
        Assert.Equal("- name: a\n    v: 1\n  - name: b", Slice(f, q));
    }

    [Fact]
    public void BlockMapping_WithAnchorAndTag_StartIsTheProperties()
    {
        var f = Load("a: &m !!map\n  k: v\n");

        var m = Assert.IsType<YMapping>(Value(f, "a"));
        Assert.Equal("m", m.Anchor);
        Assert.Equal("tag:yaml.org,2002:map", m.Tag);
        Assert.StartsWith("&m !!map", Props(f, m), StringComparison.Ordinal);
        Assert.Equal("k: v", Slice(f, m));
    }

    [Fact]
    public void Depth_AndParent_AreSet()
    {
        var f = Load("a:\n  b: [1]\n");

        var root = RootMap(f);
        var inner = Assert.IsType<YMapping>(root.Find("a")!.Value);
        var seq = Assert.IsType<YSequence>(inner.Find("b")!.Value);
        Assert.Same(inner, seq.Parent);
        Assert.Same(root, inner.Parent);
        Assert.Equal((0, 1, 2, 3), (root.Depth, inner.Depth, seq.Depth, seq.Items[0].Depth));
    }

    // ------------------------------------------------------------------ anchors, tags, aliases

    [Fact]
    public void ScalarWithAnchorAndTag_ValueStartIsAfterProperties()
    {
        var f = Load("a: &anc !!str 5\nb: !custom &x v\n");

        var a = Assert.IsType<YScalar>(Value(f, "a"));
        Assert.Equal(("anc", "tag:yaml.org,2002:str"), (a.Anchor, a.Tag));
        Assert.Equal(("&anc !!str ", "5"), (Props(f, a), Slice(f, a)));
        var b = Assert.IsType<YScalar>(Value(f, "b"));
        Assert.Equal(("x", "!custom"), (b.Anchor, b.Tag));
        Assert.Equal(("!custom &x ", "v"), (Props(f, b), Slice(f, b)));
    }

    [Fact]
    public void VerbatimTag_IsSkipped()
    {
        var f = Load("a: !<tag:yaml.org,2002:str> 5\n");

        var a = Assert.IsType<YScalar>(Value(f, "a"));
        Assert.Equal("tag:yaml.org,2002:str", a.Tag);
        Assert.Equal("5", Slice(f, a));
    }

    [Fact]
    public void NonSpecificTag_IsNoTag()
    {
        var f = Load("a: ! 5\n");

        var a = Assert.IsType<YScalar>(Value(f, "a"));
        Assert.Null(a.Tag);
    }

    [Fact]
    public void Aliases_ResolveToTheMostRecentAnchorOfThatName()
    {
        var f = Load("a: &x 1\nb: *x\nc: &x 2\nd: *x\n");

        var doc = f.Documents[0];
        var b = Assert.IsType<YAlias>(Value(f, "b"));
        var d = Assert.IsType<YAlias>(Value(f, "d"));
        Assert.Same(Value(f, "a"), b.Target);
        Assert.Same(Value(f, "c"), d.Target);
        Assert.Equal(("x", "*x"), (b.Name, f.Text[b.Start..b.End]));
        Assert.Equal([b, d], doc.Aliases);
        Assert.Equal([Value(f, "a"), Value(f, "c")], doc.AnchoredNodes);
    }

    [Fact]
    public void MergeKey_IsAPlainScalarKeyWithAnAliasValue()
    {
        var f = Load("x: &b {k: v}\ny:\n  <<: *b\n  \"<<\": 1\n");

        var y = Assert.IsType<YMapping>(Value(f, "y"));
        Assert.True(y.Pairs[0].IsMerge);
        Assert.False(y.Pairs[1].IsMerge);
        Assert.Same(Value(f, "x"), Assert.IsType<YAlias>(y.Pairs[0].Value).Target);
    }

    [Fact]
    public void UndefinedAlias_IsInputException()
    {
        var ex = Assert.Throws<InputException>(() => Load("a: 1\nb: *nope\n"));

        Assert.Contains("*nope", ex.Message);
        Assert.Equal((2, 4), (ex.Line, ex.Column));
    }

    [Fact]
    public void AliasToAnchorOfPreviousDocument_IsInputException()
    {
        var ex = Assert.Throws<InputException>(() => Load("a: &x 1\n---\nb: *x\n"));

        Assert.Equal(3, ex.Line);
    }

    // ------------------------------------------------------------------ comments

    [Fact]
    public void Comments_AreCollectedInOrderWithInlineFlag()
    {
        const string text = "# top\na: 1 # inline\n  # indented\nb:\n  - x  # item\n# bottom\n";
        var f = Load(text);

        Assert.Equal(
            [("top", false), ("inline", true), ("indented", false), ("item", true), ("bottom", false)],
            f.Comments.Select(c => (c.Text, c.IsInline)));
        var first = f.Comments[0];
        Assert.Equal("# top", text[first.Start..first.End]);
        var inline = f.Comments[1];
        Assert.Equal("# inline", text[inline.Start..inline.End]);
    }

    [Theory]
    [InlineData("a: [1, 2]  # c\n", "c")]
    [InlineData("a: [1]\n# next line\n", "next line")]
    [InlineData("a:\n  b: [1] # c\n  d: 2\n", "c")]
    [InlineData("s:\n  - [1] # item\n  - 2\n", "item")]
    [InlineData("services:\n  web:\n    ports: [\"80:80\"]  # public\n  db:\n    image: x\n", "public")]
    public void CommentAfterFlowSequence_IsValidYaml(string text, string comment)
    {
        // YamlDotNet 18.1.0's Parser rejects these when it emits comments; the loader must not.
        var f = Load(text);

        var c = Assert.Single(f.Comments);
        Assert.Equal(comment, c.Text);
        Assert.Equal("# " + comment, text[c.Start..c.End]);
    }

    [Fact]
    public void CommentWithTab_IsCollected()
    {
        var f = Load("a: 1\t# c\twith tab\n");

        var c = Assert.Single(f.Comments);
        Assert.Equal("c\twith tab", c.Text);
    }

    // ------------------------------------------------------------------ documents

    [Fact]
    public void MultiDocumentStream_DocumentsAreContiguous()
    {
        const string text = "a: 1\n---\nb: 2\n";
        var f = Load(text);

        Assert.Equal(2, f.Documents.Count);
        Assert.Equal(0, f.Documents[0].Start);
        Assert.Equal(f.Documents[0].End, f.Documents[1].Start);
        Assert.Equal(text.IndexOf("---", StringComparison.Ordinal), f.Documents[1].Start);
        Assert.Equal(text.Length, f.Documents[1].End);
        Assert.Equal("b", Assert.IsType<YMapping>(f.Documents[1].Root).Pairs[0].KeyText);
    }

    [Fact]
    public void ExplicitDocuments_WithEndMarkers_AreContiguous()
    {
        const string text = "---\na: 1\n...\n---\nb: 2\n";
        var f = Load(text);

        Assert.Equal(2, f.Documents.Count);
        Assert.Equal(0, f.Documents[0].Start);
        Assert.Equal(f.Documents[0].End, f.Documents[1].Start);
        Assert.Equal(text.LastIndexOf("---", StringComparison.Ordinal), f.Documents[1].Start);
    }

    [Fact]
    public void EmptyStream_HasNoDocuments()
    {
        Assert.Empty(Load("").Documents);
        var comments = Load("# only a comment\n");
        Assert.Empty(comments.Documents);
        Assert.Single(comments.Comments);
    }

    [Fact]
    public void NodeCount_CountsEveryNode()
    {
        var f = Load("a: [1, 2]\nb: {c: d}\n");

        // root, a, [..], 1, 2, b, {..}, c, d
        Assert.Equal(9, f.Documents[0].NodeCount);
    }

    // ------------------------------------------------------------------ malformed input

    [Fact]
    public void UnclosedFlowSequence_IsInputExceptionWithPosition()
    {
        var ex = Assert.Throws<InputException>(() => Load("a: [1, 2\nb: 3"));

        Assert.True(ex.Line >= 1 && ex.Column >= 1);
        Assert.False(string.IsNullOrWhiteSpace(ex.Message));
    }

    [Fact]
    public void UnterminatedQuote_IsInputException()
    {
        var ex = Assert.Throws<InputException>(() => Load("a: \"open\nb: 3\n"));

        Assert.True(ex.Line >= 1);
    }

    [Fact]
    public void TabIndentation_IsInputException()
    {
        var ex = Assert.Throws<InputException>(() => Load("a:\n\tb: 1\n"));

        // YamlDotNet marks this error at the start of the mapping (1:1), not at the tab.
        Assert.Contains("tab", ex.Message);
        Assert.DoesNotContain("(Line:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadIndentation_IsInputExceptionWithoutMarkPrefix()
    {
        var ex = Assert.Throws<InputException>(() => Load("a:\n  b: 1\n c: 2\n"));

        Assert.DoesNotContain("(Line:", ex.Message, StringComparison.Ordinal);
        Assert.True(char.IsLower(ex.Message[0]));
    }

    [Fact]
    public void DeepFlowNesting_IsInputExceptionNotStackOverflow()
    {
        string text = "a: " + new string('[', 5000) + new string(']', 5000) + "\n";

        var ex = Assert.Throws<InputException>(() => Load(text));

        Assert.Contains("nesting", ex.Message);
    }

    [Fact]
    public void DeepUnclosedFlowNesting_IsInputException()
    {
        var ex = Assert.Throws<InputException>(() => Load(new string('[', 5000)));

        Assert.Contains("nesting", ex.Message);
    }

    [Fact]
    public void DeepBlockSequenceNesting_IsInputException()
    {
        var sb = new StringBuilder();
        for (int i = 0; i < 5000; i++)
        {
            sb.Append("- ");
        }

        sb.Append("x\n");

        var ex = Assert.Throws<InputException>(() => Load(sb.ToString()));

        Assert.Contains("nesting", ex.Message);
    }

    [Fact]
    public void DeepBlockMappingNesting_IsInputException()
    {
        var sb = new StringBuilder();
        for (int i = 0; i < 1200; i++)
        {
            sb.Append(' ', i).Append('k').Append(i).Append(":\n");
        }

        sb.Append(' ', 1200).Append("leaf: 1\n");

        var ex = Assert.Throws<InputException>(() => Load(sb.ToString()));

        Assert.Contains("nesting", ex.Message);
    }

    [Fact]
    public void NestingJustBelowTheLimit_Loads()
    {
        int depth = YamlLoader.MaxDepth - 1;
        string text = "a: " + new string('[', depth) + new string(']', depth) + "\n";

        var f = Load(text);

        Assert.Equal(text.Length - 1, RootMap(f).End);
    }
}

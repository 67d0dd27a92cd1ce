using System.Text;
using ComposeFix.Text;

namespace ComposeFix.Tests;

/// <summary>The byte-level facts of a file: BOM, line endings, final newline, and refused encodings.</summary>
public sealed class SourceTextTests
{
    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    // ------------------------------------------------------------------ BOM

    [Fact]
    public void Decode_Utf8Bom_IsStrippedFromTextAndReEmittedByEncode()
    {
        byte[] bytes = Concat([0xEF, 0xBB, 0xBF], Bytes("services:\n  web: {}\n"));

        var source = SourceText.Decode(bytes);

        Assert.True(source.HasBom);
        Assert.Equal("services:\n  web: {}\n", source.Text);
        Assert.Equal(bytes, source.Encode(source.Text));
        Assert.Equal(Concat([0xEF, 0xBB, 0xBF], Bytes("x: 1\n")), source.Encode("x: 1\n"));
        Assert.Equal("\uFEFFx", source.WithBom("x"));
    }

    [Fact]
    public void Decode_NoBom_EncodeWritesNoBom()
    {
        var source = SourceText.Decode(Bytes("a: 1\n"));

        Assert.False(source.HasBom);
        Assert.Equal(Bytes("a: é\n"), source.Encode("a: é\n"));
        Assert.Equal("x", source.WithBom("x"));
    }

    [Fact]
    public void WithText_KeepsTheBomFact()
    {
        var source = SourceText.Decode(Concat([0xEF, 0xBB, 0xBF], Bytes("a: 1\n")));

        var edited = source.WithText("a: 2\n");

        Assert.True(edited.HasBom);
        Assert.Equal("a: 2\n", edited.Text);
        Assert.Equal(Concat([0xEF, 0xBB, 0xBF], Bytes("a: 2\n")), edited.Encode(edited.Text));
    }

    [Fact]
    public void FromString_LeadingBomCharacter_IsStripped()
    {
        var source = SourceText.FromString("\uFEFFa: 1\n");

        Assert.True(source.HasBom);
        Assert.Equal("a: 1\n", source.Text);
    }

    [Fact]
    public void Decode_TwoBoms_IsRefused()
    {
        var ex = Assert.Throws<InputException>(() => SourceText.Decode(Concat([0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF], Bytes("a: 1\n"))));

        Assert.Contains("byte-order marks", ex.Message);
        Assert.Equal((1, 1), (ex.Line, ex.Column));
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFE, (byte)'a', 0x00 }, "UTF-16")]
    [InlineData(new byte[] { 0xFE, 0xFF, 0x00, (byte)'a' }, "UTF-16")]
    [InlineData(new byte[] { 0xFF, 0xFE, 0x00, 0x00, (byte)'a', 0x00, 0x00, 0x00 }, "UTF-32")]
    [InlineData(new byte[] { 0x00, 0x00, 0xFE, 0xFF, 0x00, 0x00, 0x00, (byte)'a' }, "UTF-32")]
    public void Decode_Utf16Or32Bom_IsRefusedNamingTheEncoding(byte[] bytes, string encoding)
    {
        var ex = Assert.Throws<InputException>(() => SourceText.Decode(bytes));

        Assert.Contains($"file is {encoding} encoded", ex.Message);
        Assert.Equal((1, 1), (ex.Line, ex.Column));
    }

    [Theory]
    [InlineData("a: b\u0007c\n", 1, 5, "U+0007")]
    [InlineData("a: b\n# \u001B[31m\n", 2, 3, "U+001B")]
    [InlineData("a: \u0085ok\u009Fx\n", 1, 7, "U+009F")]
    [InlineData("a: \uFFFE\n", 1, 4, "U+FFFE")]
    public void Decode_ControlCharacter_IsRefusedWhereItIs(string text, int line, int column, string what)
    {
        var ex = Assert.Throws<InputException>(() => SourceText.Decode(Encoding.UTF8.GetBytes(text)));

        Assert.Contains($"control character {what}", ex.Message);
        Assert.Equal((line, column), (ex.Line, ex.Column));
    }

    [Fact]
    public void Decode_TabsAndLineBreaksAndNextLine_AreText()
    {
        var source = SourceText.Decode(Encoding.UTF8.GetBytes("a:\tb\r\nc: \u0085 \u00A0 é\n"));
        Assert.Equal("a:\tb\r\nc: \u0085 \u00A0 é\n", source.Text);
    }

    // ------------------------------------------------------------------ line endings

    [Theory]
    [InlineData("a: 1\nb: 2\n", "\n")]
    [InlineData("a: 1\r\nb: 2\r\n", "\r\n")]
    [InlineData("a: 1\r\nb: 2\nc: 3\r\n", "\r\n")] // majority CRLF
    [InlineData("a: 1\r\nb: 2\nc: 3\n", "\n")] // majority LF
    [InlineData("a: 1\r\nb: 2\n", "\r\n")] // a tie goes to CRLF
    [InlineData("a: 1", "\n")] // no line break at all
    [InlineData("", "\n")]
    public void NewLine_IsTheDominantLineEnding(string text, string expected)
    {
        Assert.Equal(expected, SourceText.FromString(text).NewLine);
        Assert.Equal(expected, SourceText.Decode(Bytes(text)).NewLine);
    }

    [Theory]
    [InlineData("a: 1\n", true)]
    [InlineData("a: 1\r\n", true)]
    [InlineData("a: 1\r", true)]
    [InlineData("a: 1", false)]
    [InlineData("a: 1\nb: 2", false)]
    [InlineData("", false)]
    public void EndsWithNewline_IsDetected(string text, bool expected)
    {
        Assert.Equal(expected, SourceText.Decode(Bytes(text)).EndsWithNewline);
    }

    [Fact]
    public void Decode_NoFinalNewline_TextIsKeptExactly()
    {
        var source = SourceText.Decode(Bytes("a: 1\r\nb: 2"));

        Assert.Equal("a: 1\r\nb: 2", source.Text);
        Assert.False(source.EndsWithNewline);
        Assert.Equal(Bytes("a: 1\r\nb: 2"), source.Encode(source.Text));
    }

    // ------------------------------------------------------------------ refused input, with positions

    [Fact]
    public void Decode_NulByte_IsBinaryWithLineAndColumn()
    {
        byte[] bytes = Concat(Bytes("a: 1\nbc"), [0x00], Bytes("d\n"));

        var ex = Assert.Throws<InputException>(() => SourceText.Decode(bytes));

        Assert.Contains("NUL", ex.Message);
        Assert.Equal((2, 3), (ex.Line, ex.Column));
    }

    [Fact]
    public void Decode_NulByteAfterBom_PositionIgnoresTheBom()
    {
        byte[] bytes = Concat([0xEF, 0xBB, 0xBF], Bytes("ab"), [0x00]);

        var ex = Assert.Throws<InputException>(() => SourceText.Decode(bytes));

        Assert.Equal((1, 3), (ex.Line, ex.Column));
    }

    [Fact]
    public void Decode_Latin1Byte_IsNotUtf8WithLineAndColumn()
    {
        // "café" written in Latin-1: é is the single byte E9.
        byte[] bytes = Concat(Bytes("services:\n  web:\n    image: caf"), [0xE9], Bytes("\n"));

        var ex = Assert.Throws<InputException>(() => SourceText.Decode(bytes));

        Assert.Contains("not valid UTF-8", ex.Message);
        Assert.Equal((3, 15), (ex.Line, ex.Column));
    }

    [Fact]
    public void Decode_Latin1ByteAfterMultiByteCharacters_ColumnCountsCharactersNotBytes()
    {
        // "é" (2 bytes in UTF-8) and "€" (3 bytes) are one column each, as everywhere else in ComposeFix.
        byte[] bytes = Concat(Bytes("x: 1\n# é€ "), [0xE9], Bytes("\n"));

        var ex = Assert.Throws<InputException>(() => SourceText.Decode(bytes));

        Assert.Equal((2, 6), (ex.Line, ex.Column));
    }

    [Fact]
    public void Decode_TruncatedSequenceAtEnd_IsNotUtf8()
    {
        byte[] bytes = Concat(Bytes("a: b\nc: "), [0xC3]);

        var ex = Assert.Throws<InputException>(() => SourceText.Decode(bytes));

        Assert.Equal((2, 4), (ex.Line, ex.Column));
    }

    [Fact]
    public void Decode_TooLarge_IsRefusedBeforeDecoding()
    {
        var bytes = new byte[SourceText.MaxBytes + 1];

        var ex = Assert.Throws<InputException>(() => SourceText.Decode(bytes));

        Assert.Contains("larger than", ex.Message);
    }

    [Fact]
    public void Decode_ValidMultiByteText_RoundTrips()
    {
        byte[] bytes = Bytes("labels:\n  note: \"日本語 😀\"\n");

        var source = SourceText.Decode(bytes);

        Assert.Equal("labels:\n  note: \"日本語 😀\"\n", source.Text);
        Assert.Equal(bytes, source.Encode(source.Text));
    }

    // ------------------------------------------------------------------ LineColumn

    [Theory]
    [InlineData(0, 1, 1)] // a
    [InlineData(1, 1, 2)] // \n
    [InlineData(2, 2, 1)] // b
    [InlineData(3, 2, 2)] // c
    [InlineData(4, 2, 3)] // \r of CRLF
    [InlineData(5, 2, 4)] // \n of CRLF
    [InlineData(6, 3, 1)] // d
    [InlineData(7, 3, 2)] // lone \r
    [InlineData(8, 4, 1)] // e
    [InlineData(9, 4, 2)] // end of text
    public void LineColumn_CountsLfCrlfAndLoneCrAsOneBreak(int index, int line, int column)
    {
        var source = SourceText.FromString("a\nbc\r\nd\re");

        Assert.Equal((line, column), source.LineColumn(index));
    }

    [Fact]
    public void LineColumn_CountsUtf16Units()
    {
        var source = SourceText.FromString("k: 😀x\n");

        Assert.Equal((1, 6), source.LineColumn("k: 😀".Length));
    }

    [Fact]
    public void LineColumn_IgnoresTheBom()
    {
        var source = SourceText.FromString("\uFEFFa: 1\nb: 2\n");

        Assert.Equal((1, 1), source.LineColumn(0));
        Assert.Equal((2, 1), source.LineColumn(5));
    }
}

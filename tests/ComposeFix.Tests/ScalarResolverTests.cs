using ComposeFix.Yaml;

namespace ComposeFix.Tests;

/// <summary>What a plain scalar means under the YAML 1.2 core schema (what the engine compares meanings with).</summary>
public sealed class ScalarResolverTests
{
    [Theory]
    [InlineData("80", ScalarResolver.IntTag)]
    [InlineData("-1", ScalarResolver.IntTag)]
    [InlineData("+5", ScalarResolver.IntTag)]
    [InlineData("0o17", ScalarResolver.IntTag)]
    [InlineData("0x1F", ScalarResolver.IntTag)]
    [InlineData("1.5", ScalarResolver.FloatTag)]
    [InlineData(".5", ScalarResolver.FloatTag)]
    [InlineData("1e3", ScalarResolver.FloatTag)]
    [InlineData("-.inf", ScalarResolver.FloatTag)]
    [InlineData(".NaN", ScalarResolver.FloatTag)]
    [InlineData("nginx", ScalarResolver.StrTag)]
    [InlineData("e3", ScalarResolver.StrTag)]
    [InlineData("inf", ScalarResolver.StrTag)]
    [InlineData("0x", ScalarResolver.StrTag)]
    [InlineData("80:80", ScalarResolver.StrTag)]
    [InlineData("1.2.3", ScalarResolver.StrTag)]
    [InlineData("-", ScalarResolver.StrTag)]
    [InlineData("x1", ScalarResolver.StrTag)]
    [InlineData("on", ScalarResolver.StrTag)]
    [InlineData("True", ScalarResolver.BoolTag)]
    [InlineData("~", ScalarResolver.NullTag)]
    [InlineData("", ScalarResolver.NullTag)]
    public void ResolvePlain_GivesTheCoreSchemaTag(string value, string tag)
    {
        Assert.Equal(tag, ScalarResolver.ResolvePlain(value).Tag);
    }
}

using System.Text;
using ComposeFix.Engine;
using ComposeFix.Recipes;

namespace ComposeFix.Tests;

public sealed class CatalogTests
{
    [Fact]
    public void RegistryFollowsCatalogOrder()
    {
        var order = RecipeCatalog.Default.Recipes.Select(r => r.Id).ToList();
        var implemented = RecipeRegistry.All.Select(r => r.Id).ToList();
        Assert.All(implemented, id => Assert.Contains(id, order));
        var positions = implemented.Select(id => order.IndexOf(id)).ToList();
        Assert.Equal(positions.Order(), positions);
    }

    [Fact]
    public void EveryEntryIsComplete()
    {
        foreach (var r in RecipeCatalog.Default.Recipes)
        {
            Assert.False(string.IsNullOrWhiteSpace(r.Title), r.Id);
            Assert.False(string.IsNullOrWhiteSpace(r.Summary), r.Id);
            Assert.False(string.IsNullOrWhiteSpace(r.WhatItDoes), r.Id);
            Assert.False(string.IsNullOrWhiteSpace(r.Why), r.Id);
            Assert.False(string.IsNullOrWhiteSpace(r.FixSafety), r.Id);
            Assert.NotEmpty(r.References);
            Assert.NotNull(r.ExampleBefore);
            Assert.Equal(r.IsReportOnly, r.ExampleAfter is null);
        }
    }

    public static TheoryData<string> ImplementedFixRecipes()
    {
        var data = new TheoryData<string>();
        foreach (var r in RecipeRegistry.All)
        {
            if (!RecipeCatalog.Default.ById[r.Id].IsReportOnly)
            {
                data.Add(r.Id);
            }
        }

        return data;
    }

    /// <summary>The documented example is what the recipe really does.</summary>
    [Theory]
    [MemberData(nameof(ImplementedFixRecipes))]
    public void ExampleIsWhatTheRecipeDoes(string id)
    {
        var info = RecipeCatalog.Default.ById[id];
        var result = new FixEngine().Run("example.yml", Encoding.UTF8.GetBytes(info.ExampleBefore!), new FixOptions { Only = new HashSet<string> { id }, UnsafeFixes = true });
        Assert.Equal(FileStatus.Changed, result.Status);
        Assert.Equal(info.ExampleAfter, result.NewText);
    }
}

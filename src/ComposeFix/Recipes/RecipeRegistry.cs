namespace ComposeFix.Recipes;

/// <summary>Every recipe implementation, in catalog order (a test checks the order against recipes/catalog.yml).</summary>
public static class RecipeRegistry
{
    public static IReadOnlyList<IRecipe> All { get; } =
    [
        new BindPortsLocalhost(),
        new SplitNetworks(),
        new RestartOnFailure(),
    ];
}

namespace ComposeFix.Recipes;

/// <summary>Every recipe implementation, in catalog order (a test checks the order against recipes/catalog.yml).</summary>
public static class RecipeRegistry
{
    public static IReadOnlyList<IRecipe> All { get; } =
    [
        new BindPortsLocalhost(),
        new SplitNetworks(),
        new RestartOnFailure(),
        new RunAsRoot(),
        new UnpinnedImage(),
        new DangerousCapabilities(),
        new HostDevices(),
        new PrivilegedHostPorts(),
        new MissingHealthcheck(),
        new LoggingDisabled(),
    ];
}

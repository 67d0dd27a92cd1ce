namespace ComposeFix.Recipes;

/// <summary>Every recipe implementation, in catalog order (a test checks the order against recipes/catalog.yml).</summary>
public static class RecipeRegistry
{
    public static IReadOnlyList<IRecipe> All { get; } =
    [
        new BindPortsLocalhost(),
        new ReadOnlyRootfs(),
        new DropCapabilities(),
        new ResourceLimits(),
        new SplitNetworks(),
        new SecretsFromEnv(),
        new RestartOnFailure(),
        new NoNewPrivileges(),
        new NoPrivileged(),
        new DockerSocket(),
        new HostNamespaces(),
        new SecurityProfiles(),
        new SensitiveMounts(),
        new RunAsRoot(),
        new UnpinnedImage(),
        new DangerousCapabilities(),
        new HostDevices(),
        new PrivilegedHostPorts(),
        new MissingHealthcheck(),
        new LoggingDisabled(),
    ];

    /// <summary>Checks the engine itself makes (they need every recipe's results), listed with the recipes.</summary>
    public static IReadOnlyList<string> EngineChecks { get; } = ["stale-suppression"];

    /// <summary>Every id a user can name (--only, --skip, explain, config), in catalog order.</summary>
    public static IReadOnlyList<string> Ids { get; } =
        [.. RecipeCatalog.Default.Recipes.Select(r => r.Id).Where(id => All.Any(r => r.Id == id) || EngineChecks.Contains(id))];
}

using System.Text.RegularExpressions;

namespace ComposeFix.Lsp;

/// <summary>Which documents get diagnostics: compose files by name, or any YAML whose top level has a services: mapping.</summary>
public static partial class ComposeFileDetector
{
    public static bool IsCompose(string? fileName, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (fileName is not null && ComposeName().IsMatch(fileName))
        {
            return true;
        }

        return TopLevelServices().IsMatch(text);
    }

    public static bool IsConfig(string? fileName) => fileName is ".composefix.yml" or ".composefix.yaml";

    // compose.yml, compose.override.yaml, docker-compose.yml, docker-compose.prod.yml, ...
    [GeneratedRegex(@"^(docker-)?compose([.-][^/\\]*)?\.ya?ml$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ComposeName();

    // A services: key at column 0 (not inside a block scalar or a nested mapping, which are indented).
    [GeneratedRegex(@"^(services|""services""|'services')[ \t]*:([ \t]|\r?$|#)", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex TopLevelServices();
}

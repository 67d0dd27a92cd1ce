using ComposeFix.Engine;

namespace ComposeFix.Cli;

/// <summary>
/// Replaces every secret value a run saw (applied or held back) by ***. Recipe notes are written never
/// to quote a value; this is the second lock, applied to everything `composefix pr` writes for people.
/// </summary>
public sealed class SecretMask
{
    private const string Mask = "***";

    private readonly List<string> values;

    public SecretMask(IEnumerable<FileResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        values = [.. results
            .SelectMany(r => r.Applied.Concat(r.HeldBack))
            .SelectMany(f => f.Files)
            .Where(f => f.Sensitive)
            .SelectMany(f => new[] { f.Content, f.Content.Trim() })
            .Where(v => v.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(v => v.Length)]; // longest first, so a value containing another is masked whole
    }

    public string Apply(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var value in values)
        {
            text = text.Replace(value, Mask, StringComparison.Ordinal);
        }

        return text;
    }
}

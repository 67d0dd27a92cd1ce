using System.Text.RegularExpressions;
using ComposeFix.Text;
using YamlDotNet.Core;

namespace ComposeFix.Yaml;

/// <summary>
/// Turns YamlDotNet's parser messages into plain words at the place a person has to look: the
/// opening bracket of an unclosed collection, the quote that is never closed, the first tab used
/// for indentation. Unknown messages keep YamlDotNet's wording without its position prefix.
/// </summary>
internal static partial class YamlSyntaxErrors
{
    /// <param name="openFlow">The innermost flow collection still open when the parser gave up, if any.</param>
    public static InputException From(YamlException ex, string text, YNode? openFlow)
    {
        string raw = Clean(ex.Message);
        int line = (int)ex.Start.Line, column = (int)ex.Start.Column;
        if (raw.Contains("tab", StringComparison.Ordinal))
        {
            var (tabLine, tabColumn) = FirstIndentationTab(text, line) ?? (line, column);
            return new InputException("a tab is used for indentation; YAML indents with spaces only", tabLine, tabColumn, ex);
        }

        if (raw.Contains("quoted scalar", StringComparison.Ordinal) && raw.Contains("end of stream", StringComparison.Ordinal))
        {
            return new InputException("unterminated quoted string: the quote that opens here is never closed", line, column, ex);
        }

        bool atEnd = text.AsSpan(Math.Min((int)ex.Start.Index, text.Length)).IsWhiteSpace();
        if (openFlow is not null && (atEnd || raw.Contains("flow sequence", StringComparison.Ordinal) || raw.Contains("flow mapping", StringComparison.Ordinal)))
        {
            char open = openFlow is YMapping ? '{' : '[';
            char close = open == '{' ? '}' : ']';
            return new InputException($"unclosed '{open}': no matching '{close}' for the '{open}' here (the parser gave up at line {line}, column {column})", openFlow.Line, openFlow.Column, ex);
        }

        string plain = raw switch
        {
            _ when raw.Contains("did not find expected key", StringComparison.Ordinal) => "bad indentation: this line does not line up with the keys of the mapping it belongs to",
            _ when raw.Contains("mapping values are not allowed", StringComparison.Ordinal) || raw.Contains("found invalid mapping", StringComparison.Ordinal) => "unexpected ':' here (bad indentation, or a value with ': ' in it that needs quotes?)",
            _ when raw.Contains("block sequence entries are not allowed", StringComparison.Ordinal) => "a '- ' list item is not allowed here (bad indentation?)",
            _ when raw.Contains("did not find expected node content", StringComparison.Ordinal) => "a value is missing or malformed here",
            _ => raw,
        };
        return new InputException(plain, line, column, ex);
    }

    /// <summary>YamlDotNet's message without its position prefix and final period, starting in lower case.</summary>
    public static string Clean(string message)
    {
        var m = MarkPrefix().Replace(message, "").TrimEnd('.');
        return m.Length == 0 ? "invalid YAML" : char.ToLowerInvariant(m[0]) + m[1..];
    }

    /// <summary>The first tab in a line's leading whitespace, searching from <paramref name="fromLine"/> (YamlDotNet often reports the mapping's start instead).</summary>
    private static (int Line, int Column)? FirstIndentationTab(string text, int fromLine)
    {
        int line = 1, start = 0;
        while (start <= text.Length)
        {
            if (line >= fromLine)
            {
                for (int i = start; i < text.Length && text[i] is ' ' or '\t'; i++)
                {
                    if (text[i] == '\t')
                    {
                        return (line, i - start + 1);
                    }
                }
            }

            int next = text.IndexOf('\n', start);
            if (next < 0)
            {
                break;
            }

            start = next + 1;
            line++;
        }

        return null;
    }

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex MarkPrefix();
}

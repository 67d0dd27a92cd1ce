using System.Text;

namespace ComposeFix.Compose;

/// <summary>
/// Compose variable interpolation seen from the file alone, without an environment: a value is read
/// as it is when no variable is set. <c>${VAR:-default}</c> and <c>${VAR-default}</c> give their
/// default (itself interpolated), <c>$$</c> is a literal <c>$</c>, and every other form
/// (<c>$VAR</c>, <c>${VAR}</c>, <c>${VAR:?error}</c>, <c>${VAR:+alt}</c>, …) is a part the file does
/// not decide, written as <see cref="Unknown"/>.
/// </summary>
public static class Interpolation
{
    /// <summary>Stands for a part of the value that only the environment decides.</summary>
    public const char Unknown = '\uFFFF';

    /// <summary>True when the text uses a variable (a <c>$</c> that is not <c>$$</c>).</summary>
    public static bool HasVariables(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '$')
            {
                if (i + 1 < text.Length && text[i + 1] == '$')
                {
                    i++;
                    continue;
                }

                return true;
            }
        }

        return false;
    }

    /// <summary>The value with every default applied and every undecided part replaced by <see cref="Unknown"/>.</summary>
    public static string WithDefaults(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sb = new StringBuilder(text.Length);
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (c != '$' || i + 1 == text.Length)
            {
                sb.Append(c);
                i++;
                continue;
            }

            char next = text[i + 1];
            if (next == '$')
            {
                sb.Append('$');
                i += 2;
            }
            else if (next == '{')
            {
                int close = MatchingBrace(text, i + 1);
                if (close < 0)
                {
                    sb.Append(Unknown);
                    return sb.ToString();
                }

                sb.Append(Braced(text[(i + 2)..close]));
                i = close + 1;
            }
            else if (char.IsAsciiLetter(next) || next == '_')
            {
                i++;
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                sb.Append(Unknown);
            }
            else
            {
                sb.Append(c);
                i++;
            }
        }

        return sb.ToString();
    }

    /// <summary>The value when the file alone decides it (defaults applied), or null when a part depends on the environment.</summary>
    public static string? Resolve(string text)
    {
        string value = WithDefaults(text);
        return value.Contains(Unknown, StringComparison.Ordinal) ? null : value;
    }

    private static string Braced(string inner)
    {
        int n = 0;
        while (n < inner.Length && (char.IsAsciiLetterOrDigit(inner[n]) || inner[n] == '_'))
        {
            n++;
        }

        string rest = inner[n..];
        if (rest.StartsWith(":-", StringComparison.Ordinal))
        {
            return WithDefaults(rest[2..]);
        }

        if (rest.StartsWith('-'))
        {
            return WithDefaults(rest[1..]);
        }

        return Unknown.ToString();
    }

    private static int MatchingBrace(string text, int open)
    {
        int depth = 0;
        for (int i = open; i < text.Length; i++)
        {
            if (text[i] == '{')
            {
                depth++;
            }
            else if (text[i] == '}' && --depth == 0)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Replaces the given separator characters inside ${...} with '_', so that splitting on them ignores interpolations.</summary>
    public static string Mask(string text, params char[] separators)
    {
        ArgumentNullException.ThrowIfNull(text);
        var chars = text.ToCharArray();
        int depth = 0;
        for (int i = 0; i < chars.Length; i++)
        {
            if (chars[i] == '$' && i + 1 < chars.Length && chars[i + 1] == '{')
            {
                depth++;
            }
            else if (chars[i] == '}' && depth > 0)
            {
                depth--;
            }
            else if (depth > 0 && Array.IndexOf(separators, chars[i]) >= 0)
            {
                chars[i] = '_';
            }
        }

        return new string(chars);
    }
}

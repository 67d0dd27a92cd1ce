using System.Text;
using System.Text.RegularExpressions;

namespace ComposeFix.Yaml;

/// <summary>
/// Tag resolution for plain scalars (YAML 1.2 core schema), and the check that decides whether a
/// string may be written plain: it must read back as the same string under YAML 1.2 core and under
/// the YAML 1.1 rules that PyYAML (Compose v1) applies — no booleans like <c>on</c>, no sexagesimal
/// numbers like <c>80:80</c>, no floats, timestamps or nulls.
/// </summary>
public static partial class ScalarResolver
{
    public const string StrTag = "str";
    public const string IntTag = "int";
    public const string FloatTag = "float";
    public const string BoolTag = "bool";
    public const string NullTag = "null";

    /// <summary>The short tag a scalar resolves to, and its canonical value.</summary>
    public static (string Tag, string Value) Resolve(YScalar scalar)
    {
        ArgumentNullException.ThrowIfNull(scalar);
        if (scalar.Tag is not null)
        {
            return (ShortTag(scalar.Tag), scalar.Value);
        }

        return scalar.Style == YScalarStyle.Plain ? ResolvePlain(scalar.Value) : (StrTag, scalar.Value);
    }

    public static (string Tag, string Value) ResolvePlain(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        switch (value)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return (NullTag, "");
            case "true" or "True" or "TRUE":
                return (BoolTag, "true");
            case "false" or "False" or "FALSE":
                return (BoolTag, "false");
        }

        // Every int and float of the core schema starts with a digit, a sign or a dot; most scalars
        // (keys, image names) do not, and skip both patterns.
        if (value[0] is not ((>= '0' and <= '9') or '-' or '+' or '.'))
        {
            return (StrTag, value);
        }

        if (Core12Int().IsMatch(value))
        {
            return (IntTag, value);
        }

        if (Core12Float().IsMatch(value))
        {
            return (FloatTag, value);
        }

        return (StrTag, value);
    }

    private static string ShortTag(string tag) => tag.StartsWith("tag:yaml.org,2002:", StringComparison.Ordinal) ? tag["tag:yaml.org,2002:".Length..] : tag;

    /// <summary>True when <paramref name="value"/> written plain reads back as this string in block and flow context.</summary>
    public static bool IsPlainSafe(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length == 0 || value[0] is ' ' or '\t' || value[^1] is ' ' or '\t' or ':')
        {
            return false;
        }

        if ("-?:,[]{}#&*!|>'\"%@`".Contains(value[0], StringComparison.Ordinal))
        {
            return false;
        }

        foreach (char c in value)
        {
            if (c < ' ' || c is ',' or '[' or ']' or '{' or '}' || c == '\u007f' || c == '\u0085' || c == '\u2028' || c == '\u2029' || c == '\uFEFF')
            {
                return false;
            }
        }

        if (value.Contains(": ", StringComparison.Ordinal) || value.Contains(" #", StringComparison.Ordinal) || value.Contains(":\t", StringComparison.Ordinal))
        {
            return false;
        }

        if (ResolvePlain(value).Tag != StrTag)
        {
            return false;
        }

        // YAML 1.1 (PyYAML, Compose v1): booleans, sexagesimal and other number forms, timestamps, merge and value keys.
        return !Yaml11Special().IsMatch(value);
    }

    /// <summary>A YAML double-quoted scalar for any string.</summary>
    public static string DoubleQuote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var sb = new StringBuilder(value.Length + 2).Append('"');
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < ' ' || c == '\u007f' || c == '\u0085' || c == '\u2028' || c == '\u2029' || c == '\uFEFF')
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.Append('"').ToString();
    }

    /// <summary>A YAML single-quoted scalar, or null when the value cannot be single-quoted on one line.</summary>
    public static string? SingleQuote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        foreach (char c in value)
        {
            if (c < ' ' || c == '\u007f' || c == '\u0085' || c == '\u2028' || c == '\u2029' || c == '\uFEFF')
            {
                return null;
            }
        }

        return "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
    }

    [GeneratedRegex(@"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")]
    private static partial Regex Core12Int();

    [GeneratedRegex(@"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")]
    private static partial Regex Core12Float();

    // PyYAML's implicit resolvers (bool, int incl. base 60 and binary, float incl. base 60, null, timestamp, merge, value).
    [GeneratedRegex(@"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+|[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)?|<<|=)$")]
    private static partial Regex Yaml11Special();
}

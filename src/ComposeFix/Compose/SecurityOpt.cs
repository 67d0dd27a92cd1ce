namespace ComposeFix.Compose;

/// <summary>
/// One <c>security_opt</c> entry as Docker Compose and the daemon read it: <c>KEY=VALUE</c>, the
/// older <c>KEY:VALUE</c> (used only when there is no <c>=</c>), or a bare <c>KEY</c>
/// (<c>no-new-privileges</c>). <see cref="Format"/> writes it back with its own separator.
/// </summary>
public sealed record SecurityOpt(string Key, string? Value, char? Separator)
{
    public static SecurityOpt Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int eq = text.IndexOf('=', StringComparison.Ordinal);
        if (eq >= 0)
        {
            return new SecurityOpt(text[..eq], text[(eq + 1)..], '=');
        }

        int colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon >= 0 ? new SecurityOpt(text[..colon], text[(colon + 1)..], ':') : new SecurityOpt(text, null, null);
    }

    /// <summary>The key comes from a variable: the entry may be any option.</summary>
    public bool KeyIsVariable => Interpolation.HasVariables(Key);

    public bool ValueIsVariable => Value is not null && Interpolation.HasVariables(Value);

    public string Format() => Separator is null ? Key : $"{Key}{Separator}{Value}";

    /// <summary>Go's <c>strconv.ParseBool</c>, which the daemon uses for <c>no-new-privileges</c>: null when the text is not a boolean.</summary>
    public static bool? ParseBool(string text) => text switch
    {
        "1" or "t" or "T" or "TRUE" or "true" or "True" => true,
        "0" or "f" or "F" or "FALSE" or "false" or "False" => false,
        _ => null,
    };
}

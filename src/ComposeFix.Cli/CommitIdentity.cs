using System.Text.RegularExpressions;

namespace ComposeFix.Cli;

/// <summary>Who the `composefix pr` commit is by: --author, else git's configured identity, else the ComposeFix bot.</summary>
public sealed partial record CommitIdentity(string Name, string Email)
{
    public static readonly CommitIdentity Fallback = new("ComposeFix", "composefix@users.noreply.github.com");

    public override string ToString() => $"{Name} <{Email}>";

    /// <summary>"Name &lt;email&gt;", or null when the text is not of that form.</summary>
    public static CommitIdentity? Parse(string text)
    {
        var m = AuthorPattern().Match(text ?? "");
        return m.Success ? new CommitIdentity(m.Groups[1].Value.Trim(), m.Groups[2].Value.Trim()) : null;
    }

    /// <summary>
    /// The identity git would use, when one is configured (GIT_AUTHOR_* variables or user.name and
    /// user.email); never git's guess from the host name, which makes unusable "user@host.(none)" commits.
    /// </summary>
    public static CommitIdentity Resolve(Git git)
    {
        ArgumentNullException.ThrowIfNull(git);
        string? name = Environment.GetEnvironmentVariable("GIT_AUTHOR_NAME");
        string? email = Environment.GetEnvironmentVariable("GIT_AUTHOR_EMAIL");
        if (string.IsNullOrWhiteSpace(name))
        {
            var r = git.Run("config", "user.name");
            name = r.Ok ? r.Out.Trim() : null;
        }

        if (string.IsNullOrWhiteSpace(email))
        {
            var r = git.Run("config", "user.email");
            email = r.Ok ? r.Out.Trim() : null;
        }

        return string.IsNullOrWhiteSpace(name) || string.IsNullOrWhiteSpace(email) ? Fallback : new CommitIdentity(name, email);
    }

    /// <summary>The variables that make git commit as this identity (author and committer alike).</summary>
    public Dictionary<string, string> GitEnvironment() => new(StringComparer.Ordinal)
    {
        ["GIT_AUTHOR_NAME"] = Name,
        ["GIT_AUTHOR_EMAIL"] = Email,
        ["GIT_COMMITTER_NAME"] = Name,
        ["GIT_COMMITTER_EMAIL"] = Email,
    };

    [GeneratedRegex(@"^\s*([^<>]*[^<>\s])\s*<([^<>\s]+)>\s*$")]
    private static partial Regex AuthorPattern();
}

using ComposeFix.Engine;

namespace ComposeFix.Cli;

/// <summary>What `composefix pr` was asked to do (the command line, parsed and checked).</summary>
public sealed class PullRequestOptions
{
    public IReadOnlyList<string> Paths { get; init; } = [];

    public IReadOnlyList<string> Include { get; init; } = [];

    public IReadOnlyList<string> Exclude { get; init; } = [];

    public required FixOptions Fix { get; init; }

    public string? ConfigPath { get; init; }

    public string Branch { get; init; } = "composefix/hardening";

    public string Remote { get; init; } = "origin";

    public bool Push { get; init; }

    public bool Open { get; init; }

    /// <summary>--author; null: git's configured identity, else <see cref="CommitIdentity.Fallback"/>.</summary>
    public CommitIdentity? Author { get; init; }

    public string? BodyFile { get; init; }

    public string? TitleFile { get; init; }
}

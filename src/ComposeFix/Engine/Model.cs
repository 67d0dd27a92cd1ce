using ComposeFix.Editing;
using ComposeFix.Yaml;

namespace ComposeFix.Engine;

/// <summary>How far a change can be trusted (ruff's fix applicability).</summary>
public enum Applicability
{
    /// <summary>Keeps the service working; applied by default.</summary>
    Safe,

    /// <summary>Can break a working service; applied only with --unsafe-fixes.</summary>
    Unsafe,

    /// <summary>A finding with no automatic change.</summary>
    Report,
}

/// <summary>A semantic change at a path of the resolved document (what Compose sees).</summary>
public abstract record Intent(SemPath Path)
{
    /// <summary>The change in meaning, used to verify the edited file.</summary>
    public abstract IEnumerable<SemOp> Meaning();
}

/// <summary>Set a mapping key (adding missing parent mappings) or replace a sequence item.</summary>
public sealed record SetIntent(SemPath Path, NewNode Value) : Intent(Path)
{
    public override IEnumerable<SemOp> Meaning() => [new SemOp(SemOpKind.Set, Path, Value.ToSem())];
}

/// <summary>Append an item to the sequence at the path (created when missing).</summary>
public sealed record AppendIntent(SemPath Path, NewNode Item) : Intent(Path)
{
    public override IEnumerable<SemOp> Meaning() => [new SemOp(SemOpKind.Append, Path, Item.ToSem())];
}

/// <summary>Remove a mapping key or a sequence item.</summary>
public sealed record RemoveIntent(SemPath Path) : Intent(Path)
{
    public override IEnumerable<SemOp> Meaning() => [new SemOp(SemOpKind.Remove, Path, null)];
}

/// <summary>Replace a mapping entry by another key and value in the same place (e.g. VAR → VAR_FILE).</summary>
public sealed record RenameIntent(SemPath Path, string NewKey, NewNode Value) : Intent(Path)
{
    public override IEnumerable<SemOp> Meaning() => [new SemOp(SemOpKind.Remove, Path, null), new SemOp(SemOpKind.Set, Path.Parent.Append(NewKey), Value.ToSem())];
}

/// <summary>A file the fix creates or appends to next to the compose file (secret values, .gitignore).</summary>
public sealed record FileChange(string RelativePath, string Content, bool Append, string Mode, bool Sensitive);

/// <summary>One change a recipe proposes: its intents are applied together or not at all.</summary>
public sealed class Fix
{
    public required string RecipeId { get; init; }

    public string? Service { get; init; }

    public required Applicability Applicability { get; init; }

    /// <summary>One line for the reviewer: what changes and why it is right here.</summary>
    public required string Note { get; init; }

    /// <summary>Where the change is anchored, for messages and structured output.</summary>
    public required SemPath Location { get; init; }

    public List<Intent> Intents { get; init; } = [];

    public List<FileChange> Files { get; init; } = [];

    /// <summary>1-based position of <see cref="Location"/> in the original file.</summary>
    public int Line { get; set; }

    public int Column { get; set; }
}

/// <summary>A report-only finding, or a fix that could not be made (with the reason).</summary>
public sealed class Finding
{
    public required string RecipeId { get; init; }

    public string? Service { get; init; }

    public required string Note { get; init; }

    public required SemPath Location { get; init; }

    public int Line { get; set; }

    public int Column { get; set; }
}

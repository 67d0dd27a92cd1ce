using System.Diagnostics;
using System.Text;

namespace ComposeFix.Cli;

/// <summary>The result of one git (or gh) process.</summary>
public sealed record ProcessResult(int Code, string Out, string Err)
{
    public bool Ok => Code == 0;
}

/// <summary>Runs git in one working directory. `composefix pr` talks to git only through its command line, as a user would.</summary>
public sealed class Git(string workingDirectory)
{
    private static readonly UTF8Encoding Utf8 = new(false);

    public string WorkingDirectory { get; } = workingDirectory;

    public ProcessResult Run(params string[] args) => Run(args, null, null);

    /// <param name="environment">Extra variables (e.g. GIT_INDEX_FILE, the commit identity).</param>
    /// <param name="input">Text for stdin, or null.</param>
    public ProcessResult Run(IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? environment, string? input) =>
        Start("git", args, WorkingDirectory, environment, input);

    /// <summary>The trimmed stdout of a command that must succeed.</summary>
    public string Output(params string[] args)
    {
        var r = Run(args);
        return r.Ok ? r.Out.TrimEnd('\n', '\r') : throw new GitException($"git {string.Join(' ', args)} failed: {FirstLine(r.Err)}");
    }

    /// <summary>The commit a revision names, or null when it names none.</summary>
    public string? Commit(string revision)
    {
        var r = Run("rev-parse", "--verify", "--quiet", revision + "^{commit}");
        return r.Ok ? r.Out.Trim() : null;
    }

    public bool IsAncestor(string ancestor, string descendant) => Run("merge-base", "--is-ancestor", ancestor, descendant).Code == 0;

    public static ProcessResult Start(string program, IReadOnlyList<string> args, string workingDirectory, IReadOnlyDictionary<string, string>? environment, string? input)
    {
        ArgumentNullException.ThrowIfNull(args);
        var psi = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Utf8,
            StandardErrorEncoding = Utf8,
            StandardInputEncoding = Utf8,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        // Messages are parsed nowhere, but keep them in one language for the user's report.
        psi.Environment["LC_ALL"] = "C";
        psi.Environment["GIT_TERMINAL_PROMPT"] = "0";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[key] = value;
        }

        using var p = Process.Start(psi) ?? throw new GitException($"cannot start {program}");
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEndAsync();
        if (input is not null)
        {
            p.StandardInput.Write(input);
        }

        p.StandardInput.Close();
        p.WaitForExit();
        return new ProcessResult(p.ExitCode, stdout.Result, stderr.Result);
    }

    public static string FirstLine(string text)
    {
        string line = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
        return line.Length > 0 ? line : "(no message)";
    }
}

/// <summary>A git command that had to succeed did not: `composefix pr` stops and restores the working tree.</summary>
public sealed class GitException : Exception
{
    public GitException()
    {
    }

    public GitException(string message)
        : base(message)
    {
    }

    public GitException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

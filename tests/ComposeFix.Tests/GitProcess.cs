using System.Diagnostics;

namespace ComposeFix.Tests;

/// <summary>Runs git in a test folder with an empty global configuration, failing the test on a non-zero exit.</summary>
internal static class GitProcess
{
    public static void Run(string dir, params string[] args) => Output(dir, args);

    /// <summary>The command's stdout, without the final line break.</summary>
    public static string Output(string dir, params string[] args)
    {
        var (code, stdout, stderr) = TryRun(dir, args);
        Assert.True(code == 0, $"git {string.Join(' ', args)}: {stderr}");
        return stdout.TrimEnd('\n');
    }

    /// <summary>Runs git and returns its exit code and output, whatever the exit code.</summary>
    public static (int Code, string Out, string Err) TryRun(string dir, params string[] args)
    {
        var psi = new ProcessStartInfo("git") { WorkingDirectory = dir, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        psi.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output, err.Result);
    }
}

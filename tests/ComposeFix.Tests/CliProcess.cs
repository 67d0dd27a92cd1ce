using System.Diagnostics;
using System.Text;

namespace ComposeFix.Tests;

/// <summary>Runs the composefix program that the test project builds.</summary>
internal static class CliProcess
{
    private static readonly Lazy<string> Dll = new(() =>
    {
        string config = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        string path = Path.Combine(RepoPaths.Root, "src", "ComposeFix.Cli", "bin", config, "net10.0", "composefix.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("build the CLI first", path);
    });

    /// <summary>The built composefix.dll (run with `dotnet`).</summary>
    public static string DllPath => Dll.Value;

    public static (int Code, string Out, string Err) Run(string workingDirectory, params string[] args) => RunWithInput(workingDirectory, null, args);

    public static (int Code, string Out, string Err) RunWithInput(string workingDirectory, byte[]? input, params string[] args) =>
        RunWithEnvironment(workingDirectory, input, new Dictionary<string, string?>(), args);

    /// <param name="environment">Variables to set, or to remove when the value is null.</param>
    public static (int Code, string Out, string Err) RunWithEnvironment(string workingDirectory, byte[]? input, IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = input is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = new UTF8Encoding(false),
            StandardErrorEncoding = new UTF8Encoding(false),
        };
        psi.ArgumentList.Add(Dll.Value);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["NO_COLOR"] = "1";
        foreach (var (key, value) in environment)
        {
            if (value is null)
            {
                psi.Environment.Remove(key);
            }
            else
            {
                psi.Environment[key] = value;
            }
        }

        using var p = Process.Start(psi)!;
        if (input is not null)
        {
            p.StandardInput.BaseStream.Write(input);
            p.StandardInput.Close();
        }

        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout, stderr.Result);
    }
}

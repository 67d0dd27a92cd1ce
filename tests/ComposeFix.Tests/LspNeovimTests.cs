using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace ComposeFix.Tests;

/// <summary>
/// A real editor as the client: headless Neovim starts `composefix lsp`, opens a copy of a compose
/// file, waits for diagnostics, applies the fix-all (as a code action or through the
/// composefix.fixAll command), writes the buffer and quits. The file must then hold exactly what
/// `composefix fix --write` writes. Skipped, with a message, when nvim is not installed.
/// </summary>
public sealed class LspNeovimTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private readonly string dir = Directory.CreateTempSubdirectory("composefix-nvim-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Theory]
    [InlineData("example", "codeAction")]
    [InlineData("example", "command")]
    [InlineData("crlf-non-ascii", "codeAction")]
    public async Task NeovimFixAllWritesWhatFixWriteWrites(string file, string mode)
    {
        string? nvim = FindOnPath("nvim");
        if (nvim is null)
        {
            output.WriteLine("nvim not found on PATH: Neovim end-to-end test skipped (apt-get install neovim)");
            return;
        }

        byte[] original = file == "example"
            ? File.ReadAllBytes(Path.Combine(RepoPaths.Root, "examples", "docker-compose.yml"))
            : Encoding.UTF8.GetBytes("# café ☕ stack\r\nservices:\r\n  wéb:  # 😀 front\r\n    image: nginx:1.27\r\n    labels: {note: \"ünïcødé 😀\"}\r\n    ports: [\"8080:80\"]  # ☕\r\n    restart: always\r\n");
        string editorCopy = Path.Combine(dir, "editor", "docker-compose.yml");
        string cliCopy = Path.Combine(dir, "cli", "docker-compose.yml");
        Directory.CreateDirectory(Path.GetDirectoryName(editorCopy)!);
        Directory.CreateDirectory(Path.GetDirectoryName(cliCopy)!);
        File.WriteAllBytes(editorCopy, original);
        File.WriteAllBytes(cliCopy, original);
        Assert.Equal(0, CliProcess.Run(Path.GetDirectoryName(cliCopy)!, "fix", "--write", "docker-compose.yml").Code);
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(cliCopy)!)); // no side files: the editor result must match byte for byte

        string status = Path.Combine(dir, "status.txt");
        var psi = new ProcessStartInfo(nvim)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = dir,
        };
        foreach (var a in new[] { "--headless", "--clean", "-u", Path.Combine(RepoPaths.Root, "tests", "ComposeFix.Tests", "Neovim", "fix_all.lua") })
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["COMPOSEFIX_CMD"] = JsonSerializer.Serialize(new[] { "dotnet", CliProcess.DllPath, "lsp" });
        psi.Environment["COMPOSEFIX_FILE"] = editorCopy;
        psi.Environment["COMPOSEFIX_MODE"] = mode;
        psi.Environment["COMPOSEFIX_STATUS"] = status;
        psi.Environment["XDG_CACHE_HOME"] = Path.Combine(dir, "cache"); // vim.lsp's log file
        psi.Environment["XDG_STATE_HOME"] = Path.Combine(dir, "state");
        psi.Environment["XDG_DATA_HOME"] = Path.Combine(dir, "data");
        using var process = Process.Start(psi)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"nvim did not finish within {Timeout.TotalSeconds} s; status: {(File.Exists(status) ? File.ReadAllText(status) : "none")}");
        }

        Assert.True(File.Exists(status), $"nvim wrote no status; stdout: {await stdout}; stderr: {await stderr}");
        Assert.Equal("ok", File.ReadAllText(status));
        Assert.Equal(Encoding.UTF8.GetString(File.ReadAllBytes(cliCopy)), Encoding.UTF8.GetString(File.ReadAllBytes(editorCopy)));
        Assert.NotEqual(original, File.ReadAllBytes(editorCopy));
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, name))
            .FirstOrDefault(File.Exists);
}

using System.Diagnostics;
using System.Security.Cryptography;

namespace ComposeFix.Tests.Hostile;

/// <summary>
/// Creates every hostile file of <see cref="HostileInputs"/> plus one good compose file, and runs
/// `composefix fix --write` over all of them in ONE process, with the managed heap capped at 2 GB.
/// The tests then check the run's outcome row by row.
/// </summary>
public sealed class HostileRun : IDisposable
{
    public const long HeapLimitBytes = 2L * 1024 * 1024 * 1024;

    public HostileRun()
    {
        Folder = Directory.CreateTempSubdirectory("composefix-hostile-").FullName;
        File.WriteAllText(Path.Combine(Folder, "good.yml"), HostileInputs.Good);
        foreach (var kind in HostileInputs.All)
        {
            string path = Path.Combine(Folder, kind.FileName);
            kind.Create(path);
            if (File.Exists(path))
            {
                using var stream = File.OpenRead(path);
                HashesBefore[kind.Name] = SHA256.HashData(stream);
            }
        }

        var args = new List<string> { "fix", "--write", "--unsafe-fixes", "good.yml" };
        args.AddRange(HostileInputs.All.Select(k => k.FileName));
        var environment = new Dictionary<string, string?> { ["DOTNET_GCHeapHardLimit"] = $"0x{HeapLimitBytes:X}" };
        var clock = Stopwatch.StartNew();
        (Code, Out, Err) = CliProcess.RunWithEnvironment(Folder, null, environment, [.. args]);
        Elapsed = clock.Elapsed;
    }

    public string Folder { get; }

    public int Code { get; }

    public string Out { get; }

    public string Err { get; }

    public TimeSpan Elapsed { get; }

    public Dictionary<string, byte[]> HashesBefore { get; } = [];

    public IEnumerable<string> ErrLines => Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}

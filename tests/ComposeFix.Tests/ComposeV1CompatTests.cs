using System.Diagnostics;
using ComposeFix.Engine;
using Xunit.Abstractions;

namespace ComposeFix.Tests;

/// <summary>
/// Compose v1 (Debian's docker-compose 1.29, installed by .ci/run) must accept every fixed corpus
/// file whose input it accepted, with the default recipes and with --unsafe-fixes. One Python process
/// validates all files (tests/tools/compose_v1_validate.py).
/// </summary>
public sealed class ComposeV1CompatTests(ITestOutputHelper output)
{
    private const string Python = "/usr/bin/python3";

    [Fact]
    public void FixedFilesStayValidForComposeV1()
    {
        string? corpus = CorpusLocator.Dev();
        if (corpus is null || !File.Exists("/usr/lib/python3/dist-packages/compose/config/config.py"))
        {
            output.WriteLine("../shared/corpus/dev or Debian's docker-compose package not found: Compose v1 compatibility test skipped");
            return;
        }

        string root = Directory.CreateTempSubdirectory("composefix-v1-").FullName;
        try
        {
            var modes = new[] { ("in", (FixOptions?)null), ("safe", new FixOptions()), ("unsafe", new FixOptions { UnsafeFixes = true }) };
            var paths = new List<string>();
            var engine = new FixEngine();
            foreach (var file in Directory.GetFiles(corpus, "*.yml").Order(StringComparer.Ordinal))
            {
                byte[] bytes = File.ReadAllBytes(file);
                foreach (var (mode, options) in modes)
                {
                    string dir = Path.Combine(root, mode);
                    Directory.CreateDirectory(dir);
                    string target = Path.Combine(dir, Path.GetFileName(file));
                    byte[] content = bytes;
                    if (options is not null)
                    {
                        var result = engine.Run(Path.GetFileName(file), bytes, options, dir);
                        content = result.Status == FileStatus.Changed ? result.NewBytes! : bytes;
                        foreach (var side in result.Files.Where(f => !f.Append))
                        {
                            string sidePath = Path.Combine(dir, side.RelativePath);
                            Directory.CreateDirectory(Path.GetDirectoryName(sidePath)!);
                            File.WriteAllText(sidePath, side.Content);
                        }
                    }

                    File.WriteAllBytes(target, content);
                    paths.Add(target);
                }
            }

            var verdicts = Validate(paths);
            int accepted = 0;
            var broken = new List<string>();
            foreach (var file in Directory.GetFiles(corpus, "*.yml").Order(StringComparer.Ordinal))
            {
                string name = Path.GetFileName(file);
                if (!verdicts[Path.Combine(root, "in", name)].Ok)
                {
                    continue;
                }

                accepted++;
                foreach (var mode in new[] { "safe", "unsafe" })
                {
                    var v = verdicts[Path.Combine(root, mode, name)];
                    if (!v.Ok)
                    {
                        broken.Add($"{mode}/{name}: {v.Message}");
                    }
                }
            }

            output.WriteLine($"Compose v1 accepts {accepted} corpus inputs");
            Assert.True(broken.Count == 0, "Compose v1 rejects fixed files it accepted before:\n" + string.Join("\n", broken));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static Dictionary<string, (bool Ok, string Message)> Validate(List<string> paths)
    {
        string script = Path.Combine(RepoPaths.Root, "tests", "tools", "compose_v1_validate.py");
        var psi = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(script);
        foreach (var p in paths)
        {
            psi.ArgumentList.Add(p);
        }

        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var verdicts = new Dictionary<string, (bool, string)>(StringComparer.Ordinal);
        string? line;
        while ((line = process.StandardOutput.ReadLine()) is not null)
        {
            var parts = line.Split('\t');
            verdicts[parts[1]] = (parts[0] == "ok", parts.Length > 2 ? parts[2] : "");
        }

        process.WaitForExit();
        Assert.True(verdicts.Count == paths.Count, "validator failed: " + stderr.Result);
        return verdicts;
    }
}

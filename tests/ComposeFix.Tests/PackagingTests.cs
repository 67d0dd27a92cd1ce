using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Xml.Linq;

namespace ComposeFix.Tests;

/// <summary>
/// The NuGet tool package as a user gets it: `dotnet pack`, `dotnet tool install` from a local folder
/// (a NuGet configuration with only that folder, so nothing goes to the network), then the installed command.
/// </summary>
public sealed class PackagingTests : IDisposable
{
    private readonly string temp = Directory.CreateTempSubdirectory("composefix-pack-").FullName;

    public void Dispose() => Directory.Delete(temp, recursive: true);

    [Fact]
    public void ThePackedToolInstallsAndFixesAFile()
    {
        string version = XDocument.Load(Path.Combine(RepoPaths.Root, "src", "ComposeFix.Cli", "ComposeFix.Cli.csproj")).Descendants("Version").Single().Value;
        string feed = Path.Combine(temp, "feed");

        // Its own artifacts folder: the build in bin/ that the other tests run is left alone.
        var pack = Run("dotnet", RepoPaths.Root, null, "pack", Path.Combine("src", "ComposeFix.Cli"), "-o", feed, "--artifacts-path", Path.Combine(temp, "artifacts"), "-nodeReuse:false");
        Assert.True(pack.Code == 0, pack.Out + pack.Err);
        string package = Path.Combine(feed, $"ComposeFix.{version}.nupkg");
        AssertPackageMetadata(package);

        File.WriteAllText(Path.Combine(temp, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        string tools = Path.Combine(temp, "tools");
        var install = Run("dotnet", temp, new() { ["NUGET_PACKAGES"] = Path.Combine(temp, "packages") }, "tool", "install", "ComposeFix", "--tool-path", tools, "--configfile", Path.Combine(temp, "nuget.config"), "--version", version);
        Assert.True(install.Code == 0, install.Out + install.Err);

        string composefix = Path.Combine(tools, OperatingSystem.IsWindows() ? "composefix.exe" : "composefix");
        var shown = Run(composefix, temp, null, "--version");
        Assert.Equal(0, shown.Code);
        Assert.StartsWith(version, shown.Out, StringComparison.Ordinal);

        File.WriteAllText(Path.Combine(temp, "compose.yaml"), "services:\n  web:\n    image: nginx:1.27\n    ports:\n      - \"8080:80\"\n", new UTF8Encoding(false));
        var fix = Run(composefix, temp, null, "fix", "--dry-run", "compose.yaml");
        Assert.True(fix.Code == 0, fix.Err);
        Assert.Contains("+      - \"127.0.0.1:8080:80\"", fix.Out, StringComparison.Ordinal);
    }

    private static void AssertPackageMetadata(string package)
    {
        using var zip = ZipFile.OpenRead(package);
        var nuspecEntry = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using var stream = nuspecEntry.Open();
        var nuspec = XDocument.Load(stream);
        var license = nuspec.Descendants().Single(e => e.Name.LocalName == "license");
        Assert.Equal("expression", license.Attribute("type")?.Value);
        Assert.Equal("MIT", license.Value);
        Assert.Equal("README.md", nuspec.Descendants().Single(e => e.Name.LocalName == "readme").Value);
        Assert.Contains(zip.Entries, e => e.FullName == "README.md");
        Assert.Contains(zip.Entries, e => e.FullName.EndsWith("/DotnetToolSettings.xml", StringComparison.Ordinal));
    }

    private static (int Code, string Out, string Err) Run(string program, string workingDirectory, Dictionary<string, string>? environment, params string[] args)
    {
        var psi = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        // No MSBuild node or server outlives the command (it would hold the output pipes open).
        psi.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        psi.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        psi.Environment["NO_COLOR"] = "1";
        foreach (var (key, value) in environment ?? [])
        {
            psi.Environment[key] = value;
        }

        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output, err.Result);
    }
}

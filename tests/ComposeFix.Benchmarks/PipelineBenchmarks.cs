using System.Text;
using BenchmarkDotNet.Attributes;
using ComposeFix.Compose;
using ComposeFix.Engine;
using ComposeFix.Output;
using ComposeFix.Text;

namespace ComposeFix.Benchmarks;

/// <summary>The pipeline's stages by file size: load (decode + parse + meaning), fix (analyse, edit, verify), diff.</summary>
[MemoryDiagnoser]
public class PipelineBenchmarks
{
    private readonly FixEngine engine = new();
    private readonly FixOptions options = new() { UnsafeFixes = true };
    private byte[] bytes = [];
    private FileResult fixedResult = null!;

    [Params(5, 50, 500)]
    public int Services { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        bytes = Encoding.UTF8.GetBytes(ComposeGenerator.Services(Services));
        fixedResult = engine.Run("bench.yml", bytes, options);
        if (fixedResult.Status != FileStatus.Changed)
        {
            throw new InvalidOperationException($"the generated file did not change: {fixedResult.Error?.Message}");
        }
    }

    [Benchmark]
    public ComposeDocument Load() => ComposeDocument.Load(SourceText.Decode(bytes));

    [Benchmark]
    public FileResult Fix() => engine.Run("bench.yml", bytes, options);

    [Benchmark]
    public string Diff() => UnifiedDiff.Render("bench.yml", fixedResult.Source!.Text, fixedResult.NewText!);
}

using System.Text.Json.Nodes;
using Json.Schema;
using Xunit.Abstractions;

namespace ComposeFix.Tests;

/// <summary>`fix --format sarif` over the whole dev corpus validates against the SARIF 2.1.0 schema.</summary>
public sealed class SarifTests(ITestOutputHelper output)
{
    [Fact]
    public void CorpusSarifValidatesAgainstTheSchema()
    {
        string? shared = CorpusLocator.Shared();
        string? corpus = CorpusLocator.Dev();
        if (shared is null || corpus is null)
        {
            output.WriteLine("../shared not found: SARIF schema test skipped");
            return;
        }

        // The schema is draft-04; JsonSchema.Net evaluates draft 6 and later. The SARIF schema uses no
        // keyword whose meaning changed (no exclusiveMinimum/Maximum), so declaring it draft-07 is exact.
        string schemaText = File.ReadAllText(Path.Combine(shared, "schema", "sarif-2.1.0.json"))
            .Replace("http://json-schema.org/draft-04/schema#", "http://json-schema.org/draft-07/schema#", StringComparison.Ordinal)
            .Replace("\"id\": \"https://docs.oasis-open.org", "\"$id\": \"https://docs.oasis-open.org", StringComparison.Ordinal);
        var schema = JsonSchema.FromText(schemaText);

        var args = new List<string> { "fix", "--format", "sarif", "--unsafe-fixes" };
        args.AddRange(Directory.GetFiles(corpus, "*.yml").Order(StringComparer.Ordinal));
        var run = CliProcess.Run(corpus, [.. args]);
        Assert.True(run.Code is 0 or 2, run.Err);
        var sarif = JsonNode.Parse(run.Out)!;
        using var json = System.Text.Json.JsonDocument.Parse(run.Out);
        var result = schema.Evaluate(json.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        var errors = (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")).Take(20).ToList();
        Assert.True(result.IsValid, string.Join("\n", errors));

        // The check can fail: a log with a wrong version or a result without a message is rejected.
        using var broken = System.Text.Json.JsonDocument.Parse(run.Out.Replace("\"version\": \"2.1.0\"", "\"version\": \"3.0\"", StringComparison.Ordinal));
        Assert.False(schema.Evaluate(broken.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.Flag }).IsValid);

        var results = sarif["runs"]![0]!["results"]!.AsArray();
        output.WriteLine($"{results.Count} results");
        Assert.NotEmpty(results);
        Assert.All(results, r => Assert.Equal("SRCROOT", (string?)r!["locations"]![0]!["physicalLocation"]!["artifactLocation"]!["uriBaseId"]));
        Assert.Contains(results, r => r!["fixes"] is JsonArray { Count: > 0 });
    }
}

using ComposeFix.Engine;
using SharpFuzz;

// AFL feeds one input per run. The engine turns every problem into a FileResult, so a crash here
// means an invariant broke: an exception the loader did not expect, an internal error, output that
// does not parse, or a second run that still changes the file.
Fuzzer.OutOfProcess.Run(stream =>
{
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    FuzzTarget.Check(buffer.ToArray());
});

internal static class FuzzTarget
{
    private static readonly FixOptions Everything = new() { UnsafeFixes = true, NoSideFiles = true };

    public static void Check(byte[] input)
    {
        var engine = new FixEngine();
        var first = engine.Run("fuzz.yml", input, Everything);
        if (first.Status == FileStatus.Error)
        {
            string message = first.Error!.Message;
            if (message.StartsWith("internal error", StringComparison.Ordinal) || message.StartsWith("cannot read the file as YAML", StringComparison.Ordinal))
            {
                throw new InvalidOperationException(message + "\n" + first.Error.Detail);
            }

            return;
        }

        var second = engine.Run("fuzz.yml", first.NewBytes!, Everything);
        if (second.Status != FileStatus.Unchanged)
        {
            throw new InvalidOperationException($"not idempotent: second run {second.Status}: {second.Error?.Message}");
        }
    }
}

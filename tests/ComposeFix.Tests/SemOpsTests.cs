using ComposeFix.Compose;
using ComposeFix.Text;
using ComposeFix.Yaml;

namespace ComposeFix.Tests;

/// <summary>The batched meaning update used by verification must equal applying the operations one by one (the model below).</summary>
public class SemOpsTests
{
    private const string Document = """
        services:
          web:
            image: nginx
            ports: ["80:80"]
            environment:
              A: "1"
          db:
            image: postgres
        volumes:
          data: {}
        """;

    public static TheoryData<string> Batches => new()
    {
        "set services.web.read_only=true; set services.db.read_only=true",
        "append services.web.cap_drop=ALL; append services.web.cap_drop=NET_RAW; set services.web.cap_drop[0]=CHOWN",
        "set services.web.deploy.resources.limits.memory=512m; set services.web.deploy.resources.limits.cpus=1",
        "remove services.web.environment.A; set services.web.environment.A_FILE=/run/secrets/a",
        "set services.web.ports[0]=127.0.0.1:80:80; append services.web.ports=127.0.0.1:443:443",
        "remove services.web.ports[0]; append services.web.ports=8080",
        "set services.web=x; set services.web.read_only=true",
        "set networks.web.internal=true; set networks.db.internal=true; append services.web.networks=web",
        "remove services.db; set services.db2.image=redis",
    };

    [Theory]
    [MemberData(nameof(Batches))]
    public void ApplyAll_equals_applying_one_by_one(string batch)
    {
        var meaning = ComposeDocument.Load(SourceText.Decode(System.Text.Encoding.UTF8.GetBytes(Document))).Meaning;
        var ops = batch.Split("; ").Select(Parse).ToList();

        Sem oneByOne = meaning;
        foreach (var op in ops)
        {
            oneByOne = OneAtATime.Update(oneByOne, op, 0);
        }

        var batched = SemOps.ApplyAll(meaning, ops);

        Assert.Null(SemOps.FirstDifference(oneByOne, batched));
        Assert.NotNull(SemOps.FirstDifference(meaning, batched)); // the batch did change something
        Assert.Null(SemOps.FirstDifference(meaning, ComposeDocument.Load(SourceText.Decode(System.Text.Encoding.UTF8.GetBytes(Document))).Meaning)); // and the input is untouched
    }

    [Fact]
    public void ApplyAll_refuses_an_index_into_a_mapping_like_the_model()
    {
        var meaning = ComposeDocument.Load(SourceText.Decode(System.Text.Encoding.UTF8.GetBytes(Document))).Meaning;
        var op = Parse("set services.web.environment[0]=x");
        Assert.Throws<InvalidOperationException>(() => OneAtATime.Update(meaning, op, 0));
        Assert.Throws<InvalidOperationException>(() => SemOps.ApplyAll(meaning, [op]));
    }

    private static SemOp Parse(string text)
    {
        var (verb, rest) = (text[..text.IndexOf(' ', StringComparison.Ordinal)], text[(text.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
        var (path, value) = rest.Contains('=', StringComparison.Ordinal) ? (rest[..rest.IndexOf('=', StringComparison.Ordinal)], rest[(rest.IndexOf('=', StringComparison.Ordinal) + 1)..]) : (rest, null);
        var segments = new List<object>();
        foreach (var part in path.Split('.'))
        {
            var bracket = part.IndexOf('[', StringComparison.Ordinal);
            segments.Add(bracket < 0 ? part : part[..bracket]);
            if (bracket >= 0)
            {
                segments.Add(int.Parse(part[(bracket + 1)..^1], System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        var kind = verb switch { "set" => SemOpKind.Set, "append" => SemOpKind.Append, _ => SemOpKind.Remove };
        return new SemOp(kind, new SemPath(segments), value is null ? null : SemScalar.Text(value));
    }
}

/// <summary>The model ApplyAll is checked against: one persistent update per operation, copying every mapping on the path.</summary>
internal static class OneAtATime
{
    public static Sem Update(Sem? node, SemOp op, int depth)
    {
        var segs = op.Path.Segments;
        if (depth == segs.Count)
        {
            return op.Kind switch
            {
                SemOpKind.Set => op.Value!,
                SemOpKind.Append => new SemSeq([.. (node as SemSeq)?.Items ?? [], op.Value!]),
                _ => throw new InvalidOperationException("remove at the root"),
            };
        }

        object seg = segs[depth];
        bool last = depth == segs.Count - 1;
        if (seg is string key)
        {
            var map = node as SemMap ?? new SemMap(new Dictionary<string, Sem>());
            var entries = new Dictionary<string, Sem>(map.Entries, StringComparer.Ordinal);
            if (last && op.Kind == SemOpKind.Remove)
            {
                entries.Remove(key);
            }
            else
            {
                entries[key] = Update(map.Get(key), op, depth + 1);
            }

            return new SemMap(entries);
        }

        int index = (int)seg;
        var seq = node as SemSeq ?? throw new InvalidOperationException($"{op.Path} is not a sequence");
        var items = seq.Items.ToList();
        if (last && op.Kind == SemOpKind.Remove)
        {
            items.RemoveAt(index);
        }
        else
        {
            items[index] = Update(items[index], op, depth + 1);
        }

        return new SemSeq(items);
    }
}

using System.Text;

namespace ComposeFix.Tests.Hostile;

/// <summary>
/// One row per kind of hostile or broken input: the file to create (generated here, nothing binary
/// is committed) and the error line the CLI must print for it, as a regex after "file:".
/// </summary>
public static class HostileInputs
{
    public sealed record Kind(string Name, string FileName, Action<string> Create, string Expected);

    public static readonly IReadOnlyList<Kind> All =
    [
        Text("unclosed-flow-sequence", "services:\n  web:\n    image: nginx:1.27\n    ports: [\"80:80\"\n", @"4:12: error: unclosed '\['"),
        Text("unclosed-flow-mapping", "services:\n  web: {image: nginx:1.27\n", @"2:8: error: unclosed '\{'"),
        Text("unclosed-flow-at-end", "services: [\n", @"1:11: error: unclosed '\['"),
        Text("unclosed-nested-flow", "services: {web: {ports: [\"80:80\"}}\n", @"1:25: error: unclosed '\['"),
        Text("unterminated-double-quote", "services:\n  web:\n    image: \"nginx:1.27\n", "3:12: error: unterminated quoted string"),
        Text("unterminated-single-quote", "services:\n  web:\n    image: 'nginx:1.27\n    restart: always\n", "3:12: error: unterminated quoted string"),
        Text("tab-indentation", "services:\n\tweb:\n\t\timage: nginx:1.27\n", "2:1: error: a tab is used for indentation"),
        Text("tab-after-spaces", "services:\n  web:\n  \timage: nginx:1.27\n", "3:3: error: a tab is used for indentation"),
        Text("bad-indentation", "services:\n  web:\n    image: nginx:1.27\n   ports: []\n", "4:4: error: bad indentation"),
        Text("bad-indentation-deeper", "services:\n  web:\n    image: nginx:1.27\n      ports: []\n", @"4:\d+: error: unexpected ':'"),
        Text("duplicate-top-level-key", "services:\n  web: {image: nginx:1.27}\nservices:\n  db: {image: postgres:16}\n", "3:1: error: duplicate key 'services'"),
        Text("duplicate-service", "services:\n  web:\n    image: a:1\n  web:\n    image: b:1\n", "4:3: error: duplicate key 'web'"),
        Text("duplicate-service-key", "services:\n  web:\n    image: a:1\n    image: b:1\n", "4:5: error: duplicate key 'image'"),
        Text("duplicate-nested-key", "services:\n  web:\n    image: a:1\n    deploy:\n      resources:\n        limits: {cpus: '1'}\n        limits: {cpus: '2'}\n", "7:9: error: duplicate key 'limits'"),
        Text("duplicate-key-in-flow", "services: {web: {image: a:1, image: b:1}}\n", "1:30: error: duplicate key 'image'"),
        Text("alias-bomb", BillionLaughs(), "error: excessive aliasing"),
        Text("merge-key-bomb", MergeBomb(), "error: excessive aliasing"),
        Text("undefined-alias", "services:\n  web: *nowhere\n", "2:8: error: alias \\*nowhere refers to an anchor that is not defined"),
        Text("recursive-alias", "services:\n  web: &w\n    image: nginx:1.27\n    labels: [*w]\n", "error: recursive alias: an anchor contains an alias to itself"),
        Text("recursive-merge", "x-base: &b\n  <<: *b\nservices:\n  web: {image: nginx:1.27}\n", "error: recursive alias: an anchor contains an alias to itself"),
        Text("deep-flow-sequences", "services: " + new string('[', 100_000) + "\n", "1:1010: error: nesting deeper than 1000 levels"),
        Text("deep-flow-mappings", "services: " + string.Concat(Enumerable.Repeat("{a: ", 100_000)) + "\n", "error: nesting deeper than 1000 levels"),
        Text("deep-block-mappings", DeepBlockMappings(5_000), "1001:2001: error: nesting deeper than 1000 levels"),
        Text("deep-block-sequences", "services:\n  x:\n" + string.Concat(Enumerable.Range(2, 3_000).Select(i => new string(' ', 2 * i) + "-\n")), "error: nesting deeper than 1000 levels"),
        Bytes("binary", Binary(), "error: binary file: NUL byte found"),
        Bytes("nul-byte", [.. "services:\n  web:\n    image: ng"u8, 0, .. "inx\n"u8], "3:14: error: binary file: NUL byte found"),
        Bytes("control-character", [.. "services:\n  web:\n    image: ng"u8, 7, .. "inx\n"u8], "3:14: error: control character U\\+0007"),
        Bytes("invalid-utf8", [.. "services:\n  web:\n    image: "u8, 0xC3, 0x28, .. "\n"u8], "3:12: error: file is not valid UTF-8"),
        Bytes("latin1", Encoding.Latin1.GetBytes("services:\n  web:\n    image: nginx:1.27 # café\n"), "3:28: error: file is not valid UTF-8"),
        Bytes("utf16-le-bom", Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(Good)).ToArray(), "1:1: error: file is UTF-16 encoded"),
        Bytes("utf16-be-bom", Encoding.BigEndianUnicode.GetPreamble().Concat(Encoding.BigEndianUnicode.GetBytes(Good)).ToArray(), "1:1: error: file is UTF-16 encoded"),
        Bytes("utf16-le-no-bom", Encoding.Unicode.GetBytes(Good), "1:2: error: binary file: NUL byte found"),
        Bytes("utf32-le-bom", [.. new UTF32Encoding(false, true).GetPreamble(), .. new UTF32Encoding(false, false).GetBytes(Good)], "1:1: error: file is UTF-32 encoded"),
        Text("empty", "", "1:1: error: no compose content"),
        Text("comment-only", "# nothing here\n\n  # still nothing\n", "1:1: error: no compose content"),
        Text("root-is-list", "- web\n- db\n", "1:1: error: the top level of a compose file must be a mapping .* not a list"),
        Text("root-is-scalar", "just a string\n", "1:1: error: the top level of a compose file must be a mapping .* not a single value"),
        Text("services-is-list", "services:\n  - web\n  - db\n", "2:3: error: services must be a mapping .* not a list"),
        Text("services-is-scalar", "services: web\n", "1:11: error: services must be a mapping .* not a single value"),
        Text("service-is-scalar", "services:\n  web: nginx:1.27\n", "2:8: error: service 'web' must be a mapping .* not a single value"),
        new("directory-named-like-a-file", "docker-compose.yml", path => Directory.CreateDirectory(path), "1:1: error: is a directory, not a compose file"),
        new("missing-path", "missing-compose.yml", _ => { }, "1:1: error: no such file or directory"),
        new("over-size-limit", "huge.yml", CreateSparse, "1:1: error: file is larger than the 32 MiB limit"),
    ];

    /// <summary>A compose file with something to fix, processed in the same run as every hostile file.</summary>
    public const string Good = "services:\n  web:\n    image: nginx:1.27\n    ports:\n      - \"8080:80\"\n";

    private static Kind Text(string name, string text, string expected) => Bytes(name, Encoding.UTF8.GetBytes(text), expected);

    private static Kind Bytes(string name, byte[] bytes, string expected) => new(name, name + ".yml", path => File.WriteAllBytes(path, bytes), expected);

    /// <summary>Nine aliases per level, nine levels: 9^9 nodes once expanded, from a few hundred bytes.</summary>
    private static string BillionLaughs()
    {
        var sb = new StringBuilder("x-lol:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i <= 9; i++)
        {
            sb.Append($"  a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 9))}]\n");
        }

        return sb.Append("services:\n  web:\n    image: nginx:1.27\n    command: *a9\n").ToString();
    }

    /// <summary>The same growth through merge keys and mappings, the way Compose files share settings.</summary>
    private static string MergeBomb()
    {
        var sb = new StringBuilder("x-a0: &a0 {k0: v, k1: v}\n");
        for (int i = 1; i <= 25; i++)
        {
            sb.Append($"x-a{i}: &a{i} {{<<: [*a{i - 1}], s{i}: [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 9))}]}}\n");
        }

        return sb.Append("services:\n  web:\n    image: nginx:1.27\n    <<: *a25\n").ToString();
    }

    private static string DeepBlockMappings(int depth)
    {
        var sb = new StringBuilder("services:\n");
        for (int i = 1; i <= depth; i++)
        {
            sb.Append(' ', 2 * i).Append('k').Append(i).Append(":\n");
        }

        return sb.Append(' ', 2 * (depth + 1)).Append("v\n").ToString();
    }

    private static byte[] Binary()
    {
        var bytes = new byte[4096];
        new Random(6).NextBytes(bytes);
        bytes[100] = 0;
        return bytes;
    }

    /// <summary>One byte over the limit, as a sparse file: instant to create, no disk used.</summary>
    private static void CreateSparse(string path)
    {
        using var fs = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        fs.SetLength((32L * 1024 * 1024) + 1);
    }
}

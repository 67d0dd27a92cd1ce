using System.Text;
using System.Text.Json;
using ComposeFix.Yaml;

namespace ComposeFix.Recipes;

/// <summary>
/// The meaning of every YAML file under recipes/ (catalog, rules, image knowledge base), stored as one
/// JSON resource. Reading it at start-up allocates a fraction of what parsing 190 KB of YAML does, which
/// was most of an editor call's time in the Native AOT binary. The YAML files stay the source of truth:
/// <c>CompiledRecipeDataTests</c> fails when this file no longer means exactly what they mean, and
/// <c>COMPOSEFIX_ACCEPT=1 dotnet test</c> writes it again.
/// </summary>
public static class CompiledRecipeData
{
    public const string ResourceName = "recipes.compiled.json";

    private const string TagKey = "$tag";
    private const string ValueKey = "$value";

    private static readonly Lazy<Index> Embedded = new(LoadEmbedded);

    [ThreadStatic]
    private static Dictionary<string, string>? keys;

    private static Dictionary<string, string> Keys => keys ??= new(StringComparer.Ordinal);

    /// <summary>The compiled meaning of a recipes/ file (e.g. <c>recipes/images.yml</c>), or null when it is not compiled.</summary>
    public static SemMap? Get(string name) => Embedded.Value.Meaning(name);

    /// <summary>The JSON of one compiled file's meaning, for a reader that materialises only the parts it needs.</summary>
    public static ReadOnlyMemory<byte>? Json(string name) => Embedded.Value.Ranges.TryGetValue(name, out var range) ? Embedded.Value.Bytes[range] : null;

    /// <summary>The meaning of one JSON value written by <see cref="Serialize"/> (a file's, or a part of one).</summary>
    public static Sem Parse(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 256 });
        reader.Read();
        return Read(ref reader);
    }

    /// <summary>The JSON for the given files' meanings, in the given order (indented: it is reviewed like any data change).</summary>
    public static string Serialize(IEnumerable<(string Name, SemMap Meaning)> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            foreach (var (name, meaning) in files)
            {
                writer.WritePropertyName(name);
                Write(writer, meaning);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    public static Dictionary<string, SemMap> Deserialize(ReadOnlySpan<byte> json)
    {
        var files = new Dictionary<string, SemMap>(StringComparer.Ordinal);
        foreach (var (name, value) in Properties(json))
        {
            files[name] = Parse(json[value]) as SemMap ?? throw new InvalidDataException($"{ResourceName}: {name} is not a mapping");
        }

        return files;
    }

    /// <summary>The properties of a JSON object, each with where its value lies, without reading the values.</summary>
    public static List<(string Name, Range Value)> Properties(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 256 });
        reader.Read();
        Expect(reader, JsonTokenType.StartObject);
        var properties = new List<(string, Range)>();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string name = Key(ref reader);
            reader.Read();
            properties.Add((name, Skip(ref reader)));
        }

        return properties;
    }

    /// <summary>Where each item of a JSON array lies, without reading the items.</summary>
    public static List<Range> Items(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 256 });
        reader.Read();
        Expect(reader, JsonTokenType.StartArray);
        var items = new List<Range>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            items.Add(Skip(ref reader));
        }

        return items;
    }

    private static Range Skip(ref Utf8JsonReader reader)
    {
        int start = (int)reader.TokenStartIndex;
        reader.Skip();
        return start..(int)reader.BytesConsumed;
    }

    private static Index LoadEmbedded()
    {
        using var stream = typeof(CompiledRecipeData).Assembly.GetManifestResourceStream(ResourceName);
        if (stream is null)
        {
            return new Index(ReadOnlyMemory<byte>.Empty, []);
        }

        ReadOnlyMemory<byte> bytes;
        if (stream is UnmanagedMemoryStream mapped)
        {
            // The resource lies in the mapped executable image for the life of the process: read it in place.
            unsafe
            {
                bytes = new MappedMemory(mapped.PositionPointer, checked((int)mapped.Length)).Memory;
            }
        }
        else
        {
            var copy = new byte[stream.Length];
            stream.ReadExactly(copy);
            bytes = copy;
        }

        // Only where each file's value lies: a file is read when it is first asked for, and the image
        // knowledge base reads just the entries of the images a run meets.
        return new Index(bytes, Properties(bytes.Span).ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal));
    }

    /// <summary>Memory that stays mapped for the life of the process (an embedded resource), as <see cref="Memory{T}"/>.</summary>
    private sealed unsafe class MappedMemory(byte* pointer, int length) : System.Buffers.MemoryManager<byte>
    {
        public override Span<byte> GetSpan() => new(pointer, length);

        public override System.Buffers.MemoryHandle Pin(int elementIndex = 0) => new(pointer + elementIndex);

        public override void Unpin()
        {
        }

        protected override void Dispose(bool disposing)
        {
        }
    }

    /// <summary>The embedded JSON and where each file's meaning lies in it; meanings are read once, on demand.</summary>
    private sealed class Index(ReadOnlyMemory<byte> bytes, Dictionary<string, Range> ranges)
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, SemMap> meanings = new(StringComparer.Ordinal);

        public ReadOnlyMemory<byte> Bytes { get; } = bytes;

        public Dictionary<string, Range> Ranges { get; } = ranges;

        public SemMap? Meaning(string name) =>
            !Ranges.ContainsKey(name) ? null
            : meanings.GetOrAdd(name, static (n, self) => Parse(self.Bytes.Span[self.Ranges[n]]) as SemMap ?? throw new InvalidDataException($"{ResourceName}: {n} is not a mapping"), this);
    }

    private static void Write(Utf8JsonWriter writer, Sem value)
    {
        switch (value)
        {
            case SemMap map:
                writer.WriteStartObject();
                foreach (var (key, item) in map.Entries)
                {
                    writer.WritePropertyName(key);
                    Write(writer, item);
                }

                writer.WriteEndObject();
                break;
            case SemSeq seq:
                writer.WriteStartArray();
                foreach (var item in seq.Items)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case SemScalar { Tag: ScalarResolver.StrTag } text:
                writer.WriteStringValue(text.Value);
                break;
            case SemScalar other:
                // Numbers, booleans and nulls keep their YAML tag and text exactly.
                writer.WriteStartObject();
                writer.WriteString(TagKey, other.Tag);
                writer.WriteString(ValueKey, other.Value);
                writer.WriteEndObject();
                break;
        }
    }

    private static Sem Read(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return SemScalar.Text(reader.GetString()!);
            case JsonTokenType.StartArray:
                var items = new List<Sem>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    items.Add(Read(ref reader));
                }

                return new SemSeq(items);
            case JsonTokenType.StartObject:
                var entries = new Dictionary<string, Sem>(StringComparer.Ordinal);
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    string key = Key(ref reader);
                    reader.Read();
                    entries[key] = Read(ref reader);
                }

                if (entries.Count == 2 && entries.GetValueOrDefault(TagKey) is SemScalar tag && entries.GetValueOrDefault(ValueKey) is SemScalar text)
                {
                    return new SemScalar(tag.Value, text.Value);
                }

                return new SemMap(entries);
            default:
                throw new InvalidDataException($"{ResourceName}: unexpected {reader.TokenType}");
        }
    }

    /// <summary>
    /// A property name, shared between the maps that use it: the same few dozen keys (why, source, name,
    /// path, …) name most of the data's thousands of entries, and start-up pays for every fresh allocation.
    /// </summary>
    private static string Key(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped || reader.ValueSpan.Length > 64)
        {
            return reader.GetString()!;
        }

        Span<char> chars = stackalloc char[64];
        int length = Encoding.UTF8.GetChars(reader.ValueSpan, chars);
        var lookup = Keys.GetAlternateLookup<ReadOnlySpan<char>>();
        if (!lookup.TryGetValue(chars[..length], out var key))
        {
            key = new string(chars[..length]);
            Keys[key] = key;
        }

        return key;
    }

    private static void Expect(Utf8JsonReader reader, JsonTokenType type)
    {
        if (reader.TokenType != type)
        {
            throw new InvalidDataException($"{ResourceName}: expected {type}, found {reader.TokenType}");
        }
    }
}

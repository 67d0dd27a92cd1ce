using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ComposeFix.Lsp;
using ComposeFix.Lsp.JsonRpc;
using ComposeFix.Lsp.Protocol;

namespace ComposeFix.Tests;

/// <summary>The language server's own framing and JSON-RPC layer, and its text bookkeeping, without a process.</summary>
public sealed class LspJsonRpcTests
{
    [Fact]
    public async Task ReaderJoinsMessagesSplitAnywhereEvenInsideHeaders()
    {
        byte[] stream = [.. Frame("{\"a\":1}"), .. Frame("{\"b\":\"é😀\"}")];
        var reader = new MessageReader(new ChunkedStream(stream, chunk: 1));
        Assert.Equal("{\"a\":1}", Encoding.UTF8.GetString((await reader.ReadAsync())!));
        Assert.Equal("{\"b\":\"é😀\"}", Encoding.UTF8.GetString((await reader.ReadAsync())!));
        Assert.Null(await reader.ReadAsync());
    }

    [Fact]
    public async Task ReaderSplitsSeveralMessagesArrivingInOneRead()
    {
        byte[] stream = [.. Frame("{\"n\":1}"), .. Frame("{\"n\":2}"), .. Frame("{\"n\":3}", contentType: true)];
        var reader = new MessageReader(new ChunkedStream(stream, chunk: stream.Length));
        for (int n = 1; n <= 3; n++)
        {
            Assert.Equal($"{{\"n\":{n}}}", Encoding.UTF8.GetString((await reader.ReadAsync())!));
        }

        Assert.Null(await reader.ReadAsync());
    }

    [Fact]
    public async Task ReaderSkipsAHeaderWithoutContentLengthAndGoesOn()
    {
        byte[] stream = [.. "X-Bogus: 1\r\n\r\n"u8.ToArray(), .. Frame("{\"ok\":true}")];
        var reader = new MessageReader(new ChunkedStream(stream, chunk: 5));
        await Assert.ThrowsAsync<FramingException>(() => reader.ReadAsync());
        Assert.Equal("{\"ok\":true}", Encoding.UTF8.GetString((await reader.ReadAsync())!));
    }

    [Fact]
    public async Task ReaderReturnsNullWhenTheInputEndsInsideAMessage()
    {
        var reader = new MessageReader(new MemoryStream("Content-Length: 50\r\n\r\n{\"cut\":"u8.ToArray()));
        Assert.Null(await reader.ReadAsync());
    }

    [Fact]
    public void BadJsonGetsAParseErrorReplyWithANullId()
    {
        var (connection, output) = Connection();
        connection.Dispatch("{\"jsonrpc\":\"2.0\",\"id\":1,"u8.ToArray());
        connection.Dispatch("[1,2]"u8.ToArray());
        var replies = Replies(output);
        Assert.Equal(-32700, replies[0]["error"]!["code"]!.GetValue<int>());
        Assert.Null(replies[0]["id"]);
        Assert.Equal(-32600, replies[1]["error"]!["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task RequestsAreAnsweredWithTheirIdAndHandlerFailuresBecomeErrors()
    {
        var (connection, output) = Connection();
        connection.OnRequest("echo", (p, _) => Task.FromResult<JsonNode?>(JsonNode.Parse(p!.Value.GetRawText())));
        connection.OnRequest("boom", (_, _) => throw new InvalidOperationException("kaputt"));
        connection.OnRequest("refuse", (_, _) => throw new JsonRpcException(ErrorCodes.InvalidParams, "no"));
        connection.Dispatch("{\"jsonrpc\":\"2.0\",\"id\":\"s1\",\"method\":\"echo\",\"params\":{\"x\":[1]}}"u8.ToArray());
        connection.Dispatch("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"boom\"}"u8.ToArray());
        connection.Dispatch("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"refuse\"}"u8.ToArray());
        connection.Dispatch("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"missing\"}"u8.ToArray());
        var replies = await RepliesAsync(output, 4);
        JsonObject Reply(string id) => replies.Single(r => r["id"]!.ToJsonString() == id);
        Assert.Equal("{\"x\":[1]}", Reply("\"s1\"")["result"]!.ToJsonString());
        Assert.Equal(-32603, Reply("2")["error"]!["code"]!.GetValue<int>());
        Assert.Contains("kaputt", Reply("2")["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(-32602, Reply("3")["error"]!["code"]!.GetValue<int>());
        Assert.Equal(-32601, Reply("4")["error"]!["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task CancelRequestCancelsTheHandlersToken()
    {
        var (connection, output) = Connection();
        var started = new TaskCompletionSource();
        connection.OnRequest("slow", async (_, token) =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, token);
            return null;
        });
        connection.Dispatch("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"slow\"}"u8.ToArray());
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        connection.Dispatch("{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":{\"id\":7}}"u8.ToArray());
        var reply = Assert.Single(await RepliesAsync(output, 1));
        Assert.Equal(-32800, reply["error"]!["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task OutgoingRequestsGetTheirRepliesAndErrorsThrow()
    {
        var (connection, output) = Connection();
        var ok = connection.SendRequestAsync("workspace/applyEdit", new JsonObject(), CancellationToken.None);
        var failed = connection.SendRequestAsync("workspace/applyEdit", new JsonObject(), CancellationToken.None);
        var sent = Replies(output);
        connection.Dispatch(Encoding.UTF8.GetBytes($"{{\"jsonrpc\":\"2.0\",\"id\":{sent[0]["id"]},\"result\":{{\"applied\":true}}}}"));
        connection.Dispatch(Encoding.UTF8.GetBytes($"{{\"jsonrpc\":\"2.0\",\"id\":{sent[1]["id"]},\"error\":{{\"code\":-32000,\"message\":\"nope\"}}}}"));
        Assert.True((await ok)!.Value.GetProperty("applied").GetBoolean());
        var error = await Assert.ThrowsAsync<JsonRpcException>(() => failed);
        Assert.Equal(-32000, error.Code);
    }

    [Fact]
    public void ProtocolTypesRoundTripThroughTheSourceGeneratedContext()
    {
        var json = JsonDocument.Parse("""{"textDocument":{"uri":"file:///c.yml","version":3},"contentChanges":[{"range":{"start":{"line":1,"character":2},"end":{"line":1,"character":4}},"text":"x"},{"text":"all"}]}""").RootElement;
        var change = LspJson.Read(json, LspJsonContext.Default.DidChangeTextDocumentParams);
        Assert.Equal(3, change.TextDocument.Version);
        Assert.Equal(new Position(1, 2), change.ContentChanges[0].Range!.Start);
        Assert.Null(change.ContentChanges[1].Range);
        var edit = new WorkspaceEdit(null, [new TextDocumentEdit(new OptionalVersionedTextDocumentIdentifier("file:///c.yml", null), [])]);
        Assert.Equal("""{"documentChanges":[{"textDocument":{"uri":"file:///c.yml","version":null},"edits":[]}]}""", LspJson.Write(edit, LspJsonContext.Default.WorkspaceEdit)!.ToJsonString());
        Assert.Throws<JsonRpcException>(() => LspJson.Read(JsonDocument.Parse("[]").RootElement, LspJsonContext.Default.DidChangeTextDocumentParams));
    }

    [Fact]
    public void LinePositionsCountUtf16UnitsAndEveryKindOfLineBreak()
    {
        var lines = new LineIndex("a😀b\r\ncd\re\n");
        Assert.Equal(new Position(0, 3), lines.PositionOf(3)); // after the surrogate pair
        Assert.Equal(new Position(1, 0), lines.PositionOf(6));
        Assert.Equal(new Position(2, 0), lines.PositionOf(9));
        Assert.Equal(new Position(3, 0), lines.PositionOf(11));
        Assert.Equal(4, lines.OffsetOf(new Position(0, 99))); // past the end of a line: its end
        Assert.Equal(11, lines.OffsetOf(new Position(9, 0)));
    }

    [Fact]
    public void IncrementalChangesApplyInOrder()
    {
        string text = DocumentText.Apply("services:\n  wéb:\n", [
            new TextDocumentContentChangeEvent(new ComposeFix.Lsp.Protocol.Range(new Position(1, 2), new Position(1, 5)), "api"),
            new TextDocumentContentChangeEvent(new ComposeFix.Lsp.Protocol.Range(new Position(2, 0), new Position(2, 0)), "  db:\n"),
        ]);
        Assert.Equal("services:\n  api:\n  db:\n", text);
        Assert.Equal("new", DocumentText.Apply(text, [new TextDocumentContentChangeEvent(null, "new")]));
    }

    [Theory]
    [InlineData("compose.yml", "x: 1\n", true)]
    [InlineData("docker-compose.override.yaml", "", true)]
    [InlineData("compose.prod.yml", "", true)]
    [InlineData("values.yml", "image: nginx\n", false)]
    [InlineData("stack.yml", "version: '3'\nservices:\n  web: {}\n", true)]
    [InlineData("stack.yml", "x:\n  services:\n    web: {}\n", false)]
    [InlineData("notcompose.yml", "", false)]
    public void ComposeFilesAreRecognisedByNameOrTopLevelServices(string name, string text, bool expected) =>
        Assert.Equal(expected, ComposeFileDetector.IsCompose(name, text));

    private static byte[] Frame(string json, bool contentType = false)
    {
        byte[] body = Encoding.UTF8.GetBytes(json);
        string header = $"Content-Length: {body.Length}\r\n" + (contentType ? "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n" : "") + "\r\n";
        return [.. Encoding.ASCII.GetBytes(header), .. body];
    }

    private static (JsonRpcConnection Connection, SharedStream Output) Connection()
    {
        var output = new SharedStream();
        return (new JsonRpcConnection(new MemoryStream(), output, TextWriter.Null), output);
    }

    private static List<JsonObject> Replies(SharedStream output)
    {
        var reader = new MessageReader(new MemoryStream(output.Snapshot()));
        var list = new List<JsonObject>();
        while (reader.ReadAsync().GetAwaiter().GetResult() is { } body)
        {
            list.Add(JsonNode.Parse(body)!.AsObject());
        }

        return list;
    }

    private static async Task<List<JsonObject>> RepliesAsync(SharedStream output, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var replies = Replies(output);
            if (replies.Count >= count || DateTime.UtcNow > deadline)
            {
                return replies;
            }

            await Task.Delay(10);
        }
    }

    /// <summary>The server's output, written by worker threads while the test reads it.</summary>
    private sealed class SharedStream : MemoryStream
    {
        private readonly Lock gate = new();

        public override void Write(ReadOnlySpan<byte> buffer) => Write(buffer.ToArray(), 0, buffer.Length);

        public override void Write(byte[] buffer, int offset, int count)
        {
            lock (gate)
            {
                base.Write(buffer, offset, count);
            }
        }

        public byte[] Snapshot()
        {
            lock (gate)
            {
                return ToArray();
            }
        }
    }

    /// <summary>A stream that returns at most <c>chunk</c> bytes per read, like a pipe under load.</summary>
    private sealed class ChunkedStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }
}

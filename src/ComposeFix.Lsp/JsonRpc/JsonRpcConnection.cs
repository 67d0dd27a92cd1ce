using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ComposeFix.Lsp.JsonRpc;

/// <summary>
/// JSON-RPC 2.0 over <see cref="MessageReader"/>/<see cref="MessageWriter"/>, without reflection
/// (payloads are JsonElement in, JsonNode out; the typed conversion uses source-generated metadata).
/// Notifications run on the reader thread, in order, and must be quick; requests run on the thread
/// pool with a token that `$/cancelRequest` cancels. A handler that throws answers with an error
/// reply; nothing a peer sends can end the loop except the end of the input or <see cref="Stop"/>.
/// </summary>
public sealed class JsonRpcConnection : IDisposable
{
    private readonly MessageReader reader;
    private readonly MessageWriter writer;
    private readonly TextWriter log;
    private readonly Dictionary<string, Func<JsonElement?, CancellationToken, Task<JsonNode?>>> requests = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Action<JsonElement?>> notifications = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CancellationTokenSource> running = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<long, TaskCompletionSource<JsonElement?>> pending = new();
    private readonly CancellationTokenSource stopping = new();
    private long nextId;

    public JsonRpcConnection(Stream input, Stream output, TextWriter log)
    {
        reader = new MessageReader(input);
        writer = new MessageWriter(output);
        this.log = log;
    }

    /// <summary>Decides, before any handler runs, whether a request may run now (e.g. not before initialize); null lets it run.</summary>
    public Func<string, JsonRpcException?>? RequestGate { get; set; }

    public void OnRequest(string method, Func<JsonElement?, CancellationToken, Task<JsonNode?>> handler) => requests[method] = handler;

    public void OnNotification(string method, Action<JsonElement?> handler) => notifications[method] = handler;

    /// <summary>Reads and dispatches messages until the input ends or <see cref="Stop"/> is called.</summary>
    public async Task RunAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            byte[]? body;
            try
            {
                body = await reader.ReadAsync(stopping.Token).ConfigureAwait(false);
            }
            catch (FramingException ex)
            {
                log.WriteLine($"composefix lsp: {ex.Message}; skipped");
                continue;
            }
            catch (OperationCanceledException)
            {
                break;
            }

            if (body is null)
            {
                break;
            }

            try
            {
                Dispatch(body);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Dispatch answers bad input itself; this is a bug of ours, and one message must not end the session.
                log.WriteLine($"composefix lsp: {ex}");
            }
        }

        foreach (var call in pending.Values)
        {
            call.TrySetCanceled();
        }
    }

    public void Stop() => stopping.Cancel();

    public void Dispose() => stopping.Dispose();

    public void SendNotification(string method, JsonNode? parameters) =>
        Send(w =>
        {
            w.WriteString("method", method);
            WriteNode(w, "params", parameters);
        });

    /// <summary>Sends a request to the peer and waits for its result (an error reply throws <see cref="JsonRpcException"/>).</summary>
    public async Task<JsonElement?> SendRequestAsync(string method, JsonNode? parameters, CancellationToken cancellationToken)
    {
        long id = Interlocked.Increment(ref nextId);
        var reply = new TaskCompletionSource<JsonElement?>(TaskCreationOptions.RunContinuationsAsynchronously);
        pending[id] = reply;
        try
        {
            Send(w =>
            {
                w.WriteNumber("id", id);
                w.WriteString("method", method);
                WriteNode(w, "params", parameters);
            });
            return await reply.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            pending.TryRemove(id, out _);
        }
    }

    /// <summary>Handles one message body; public so the framing-free logic can be tested directly.</summary>
    public void Dispatch(byte[] body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException)
        {
            ReplyError(null, ErrorCodes.ParseError, $"parse error: {ex.Message}");
            return;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                ReplyError(null, ErrorCodes.InvalidRequest, "a message must be a JSON object");
                return;
            }

            JsonElement? id = root.TryGetProperty("id", out var i) && i.ValueKind is JsonValueKind.Number or JsonValueKind.String ? i.Clone() : null;
            JsonElement? parameters = root.TryGetProperty("params", out var p) ? p.Clone() : null;
            bool hasMethod = root.TryGetProperty("method", out var m) && m.ValueKind == JsonValueKind.String;
            if (!hasMethod)
            {
                if (id is { } replyId && (root.TryGetProperty("result", out _) || root.TryGetProperty("error", out _)))
                {
                    Complete(replyId, root);
                }
                else
                {
                    ReplyError(id, ErrorCodes.InvalidRequest, "a message needs a method, or an id with a result or error");
                }

                return;
            }

            string method = m.GetString()!;
            if (id is null)
            {
                Notify(method, parameters);
            }
            else
            {
                StartRequest(id.Value, method, parameters);
            }
        }
    }

    private void Notify(string method, JsonElement? parameters)
    {
        if (method == "$/cancelRequest")
        {
            if (parameters is { ValueKind: JsonValueKind.Object } c && c.TryGetProperty("id", out var target) && running.TryGetValue(target.GetRawText(), out var cts))
            {
                try
                {
                    cts.Cancel();
                }
                catch (ObjectDisposedException)
                {
                    // The request finished meanwhile: nothing to cancel.
                }
            }

            return;
        }

        if (!notifications.TryGetValue(method, out var handler))
        {
            return; // unknown notifications, "$/..." included, are ignored (LSP)
        }

        try
        {
            handler(parameters);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            log.WriteLine($"composefix lsp: {method}: {ex.GetType().Name}: {ex.Message}");
        }
    }

    private void StartRequest(JsonElement id, string method, JsonElement? parameters)
    {
        if (RequestGate?.Invoke(method) is { } refused)
        {
            ReplyError(id, refused.Code, refused.Message);
            return;
        }

        if (!requests.TryGetValue(method, out var handler))
        {
            ReplyError(id, ErrorCodes.MethodNotFound, $"method not found: {method}");
            return;
        }

        string key = id.GetRawText();
        var cts = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token);
        running[key] = cts;
        _ = Task.Run(async () =>
        {
            try
            {
                var result = await handler(parameters, cts.Token).ConfigureAwait(false);
                Send(w =>
                {
                    WriteId(w, id);
                    WriteNode(w, "result", result, writeNull: true);
                });
            }
            catch (OperationCanceledException) when (cts.IsCancellationRequested)
            {
                ReplyError(id, ErrorCodes.RequestCancelled, "request cancelled");
            }
            catch (JsonRpcException ex)
            {
                ReplyError(id, ex.Code, ex.Message);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                log.WriteLine($"composefix lsp: {method}: {ex}");
                ReplyError(id, ErrorCodes.InternalError, $"{method} failed: {ex.GetType().Name}: {ex.Message}");
            }
            finally
            {
                running.TryRemove(key, out _);
                cts.Dispose();
            }
        });
    }

    private void Complete(JsonElement id, JsonElement reply)
    {
        if (id.ValueKind != JsonValueKind.Number || !id.TryGetInt64(out long n) || !pending.TryGetValue(n, out var call))
        {
            return; // a reply to nothing we asked: ignored
        }

        if (reply.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
        {
            int code = error.TryGetProperty("code", out var c) && c.TryGetInt32(out int v) ? v : ErrorCodes.InternalError;
            string message = error.TryGetProperty("message", out var msg) && msg.ValueKind == JsonValueKind.String ? msg.GetString()! : "error";
            call.TrySetException(new JsonRpcException(code, message));
        }
        else
        {
            call.TrySetResult(reply.TryGetProperty("result", out var r) ? r.Clone() : null);
        }
    }

    private void ReplyError(JsonElement? id, int code, string message) =>
        Send(w =>
        {
            if (id is { } value)
            {
                WriteId(w, value);
            }
            else
            {
                w.WriteNull("id");
            }

            w.WriteStartObject("error");
            w.WriteNumber("code", code);
            w.WriteString("message", message);
            w.WriteEndObject();
        });

    private void Send(Action<Utf8JsonWriter> members)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("jsonrpc", "2.0");
            members(w);
            w.WriteEndObject();
        }

        try
        {
            writer.Write(buffer.WrittenSpan);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // The client went away; the read loop ends on its own when the input closes.
            log.WriteLine($"composefix lsp: cannot write to the client: {ex.Message}");
        }
    }

    private static void WriteId(Utf8JsonWriter w, JsonElement id)
    {
        w.WritePropertyName("id");
        id.WriteTo(w);
    }

    private static void WriteNode(Utf8JsonWriter w, string name, JsonNode? node, bool writeNull = false)
    {
        if (node is null)
        {
            if (writeNull)
            {
                w.WriteNull(name);
            }

            return;
        }

        w.WritePropertyName(name);
        node.WriteTo(w);
    }
}

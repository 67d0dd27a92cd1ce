using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ComposeFix.Lsp.JsonRpc;

namespace ComposeFix.Tests;

/// <summary>
/// `composefix lsp` as a child process, driven the way an editor drives it: framed JSON-RPC on its
/// stdin/stdout. Messages from the server are collected by a reader thread; every wait has a timeout.
/// </summary>
public sealed class LspClient : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly Process process;
    private readonly Stream stdin;
    private readonly List<JsonObject> received = [];
    private readonly StringBuilder stderr = new();
    private readonly Task reading;
    private int nextId;

    public LspClient()
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        psi.ArgumentList.Add(CliProcess.DllPath);
        psi.ArgumentList.Add("lsp");
        process = Process.Start(psi)!;
        stdin = process.StandardInput.BaseStream;
        process.ErrorDataReceived += (_, e) =>
        {
            lock (stderr)
            {
                stderr.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
        var reader = new MessageReader(process.StandardOutput.BaseStream);
        reading = Task.Run(async () =>
        {
            while (await reader.ReadAsync() is { } body)
            {
                var message = JsonNode.Parse(body)!.AsObject();
                if (message["method"]?.GetValue<string>() == "workspace/applyEdit" && message["id"] is { } id)
                {
                    AppliedEdits.Add(message["params"]!["edit"]!.DeepClone().AsObject());
                    Send(new JsonObject { ["id"] = id.DeepClone(), ["result"] = new JsonObject { ["applied"] = true } });
                }

                lock (received)
                {
                    received.Add(message);
                    Monitor.PulseAll(received);
                }
            }
        });
    }

    /// <summary>Edits the server asked the client to apply (workspace/applyEdit), answered with applied: true.</summary>
    public ConcurrentBag<JsonObject> AppliedEdits { get; } = [];

    public string Stderr
    {
        get
        {
            lock (stderr)
            {
                return stderr.ToString();
            }
        }
    }

    public Process Process => process;

    public static JsonObject InitializeParams(bool documentChanges = true) => new()
    {
        ["processId"] = null,
        ["rootUri"] = null,
        ["capabilities"] = new JsonObject
        {
            ["workspace"] = new JsonObject { ["applyEdit"] = true, ["workspaceEdit"] = new JsonObject { ["documentChanges"] = documentChanges } },
        },
    };

    /// <summary>A client after initialize/initialized.</summary>
    public static LspClient Started(bool documentChanges = true)
    {
        var client = new LspClient();
        var reply = client.Request("initialize", InitializeParams(documentChanges));
        Assert.NotNull(reply["result"]?["capabilities"]);
        client.Notify("initialized", new JsonObject());
        return client;
    }

    public int SendRequest(string method, JsonNode? parameters)
    {
        int id = Interlocked.Increment(ref nextId);
        Send(new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters });
        return id;
    }

    /// <summary>Sends a request and waits for its reply (result or error).</summary>
    public JsonObject Request(string method, JsonNode? parameters) => Reply(SendRequest(method, parameters));

    public JsonObject Reply(int id) => WaitFor(m => m["method"] is null && m["id"]?.GetValueKind() == JsonValueKind.Number && m["id"]!.GetValue<int>() == id, $"reply to request {id}");

    public void Notify(string method, JsonNode? parameters) => Send(new JsonObject { ["method"] = method, ["params"] = parameters });

    public void Open(string uri, string text, int version = 1) =>
        Notify("textDocument/didOpen", new JsonObject { ["textDocument"] = new JsonObject { ["uri"] = uri, ["languageId"] = "yaml", ["version"] = version, ["text"] = text } });

    public void ChangeAll(string uri, string text, int version) =>
        Notify("textDocument/didChange", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = uri, ["version"] = version },
            ["contentChanges"] = new JsonArray(new JsonObject { ["text"] = text }),
        });

    /// <summary>The diagnostics the server published for this version of the document.</summary>
    public JsonArray Diagnostics(string uri, int version) =>
        WaitFor(m => m["method"]?.GetValue<string>() == "textDocument/publishDiagnostics" && m["params"]!["uri"]!.GetValue<string>() == uri && m["params"]!["version"]?.GetValue<int>() == version, $"diagnostics for {uri} v{version}")["params"]!["diagnostics"]!.AsArray();

    public JsonArray CodeActions(string uri, int line, int character, int endLine, int endCharacter, params string[] only)
    {
        var context = new JsonObject { ["diagnostics"] = new JsonArray() };
        if (only.Length > 0)
        {
            context["only"] = new JsonArray([.. only.Select(o => (JsonNode)o)]);
        }

        var reply = Request("textDocument/codeAction", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = uri },
            ["range"] = new JsonObject { ["start"] = Pos(line, character), ["end"] = Pos(endLine, endCharacter) },
            ["context"] = context,
        });
        return reply["result"]?.AsArray() ?? throw new InvalidOperationException($"codeAction failed: {reply.ToJsonString()}");
    }

    public JsonObject WaitFor(Func<JsonObject, bool> match, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Timeout);
        lock (received)
        {
            while (true)
            {
                int i = received.FindIndex(m => match(m));
                if (i >= 0)
                {
                    var m = received[i];
                    received.RemoveAt(i);
                    return m;
                }

                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || reading.IsCompleted)
                {
                    throw new TimeoutException($"no {what} from the server; stderr: {Stderr}");
                }

                Monitor.Wait(received, TimeSpan.FromMilliseconds(Math.Min(left.TotalMilliseconds, 500)));
            }
        }
    }

    public void Send(JsonObject message)
    {
        message["jsonrpc"] = "2.0";
        byte[] body = Encoding.UTF8.GetBytes(message.ToJsonString());
        lock (stdin)
        {
            stdin.Write(Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n"));
            stdin.Write(body);
            stdin.Flush();
        }
    }

    /// <summary>Raw bytes on the server's stdin (for malformed input).</summary>
    public void SendRaw(byte[] bytes)
    {
        lock (stdin)
        {
            stdin.Write(bytes);
            stdin.Flush();
        }
    }

    /// <summary>shutdown then exit; the exit code of the process.</summary>
    public int ShutdownAndExit()
    {
        var reply = Request("shutdown", null);
        Assert.True(reply.ContainsKey("result") && reply["result"] is null, reply.ToJsonString());
        Notify("exit", null);
        Assert.True(process.WaitForExit((int)Timeout.TotalMilliseconds), "the server did not exit");
        return process.ExitCode;
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        process.Dispose();
    }

    private static JsonObject Pos(int line, int character) => new() { ["line"] = line, ["character"] = character };
}

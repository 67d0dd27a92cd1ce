using System.Text.Json;
using System.Text.Json.Nodes;
using ComposeFix.Lsp.JsonRpc;
using ComposeFix.Lsp.Protocol;

namespace ComposeFix.Lsp;

/// <summary>
/// `composefix lsp`: diagnostics for pending changes and findings, quick fixes, a fix-all, and the
/// composefix.fixAll command, over the LSP 3.17 base protocol on stdin/stdout.
/// </summary>
public sealed class LanguageServer : IDisposable
{
    private static readonly LspJsonContext Json = LspJsonContext.Default;

    private readonly JsonRpcConnection connection;
    private readonly Workspace workspace;
    private readonly string version;
    private volatile bool initialized;
    private volatile bool shuttingDown;
    private volatile bool exited;
    private bool versionedEdits;

    public LanguageServer(Stream input, Stream output, TextWriter log, string version)
    {
        ArgumentNullException.ThrowIfNull(log);
        this.version = version;
        connection = new JsonRpcConnection(input, output, log);
        workspace = new Workspace(new DocumentAnalyzer(), Publish, log);
        connection.RequestGate = Gate;
        connection.OnRequest("initialize", Initialize);
        connection.OnRequest("shutdown", (_, _) =>
        {
            shuttingDown = true;
            return Task.FromResult<JsonNode?>(null);
        });
        connection.OnRequest("textDocument/codeAction", CodeActionAsync);
        connection.OnRequest("workspace/executeCommand", ExecuteCommandAsync);
        connection.OnNotification("exit", _ =>
        {
            exited = true;
            connection.Stop();
        });
        Notification("initialized", _ => { });
        Notification("textDocument/didOpen", p =>
        {
            var item = LspJson.Read(p, Json.DidOpenTextDocumentParams).TextDocument;
            workspace.Open(item.Uri, item.Version, item.Text ?? "");
        });
        Notification("textDocument/didChange", p =>
        {
            var change = LspJson.Read(p, Json.DidChangeTextDocumentParams);
            workspace.Change(change.TextDocument.Uri, change.TextDocument.Version, change.ContentChanges ?? []);
        });
        Notification("textDocument/didClose", p =>
        {
            string uri = LspJson.Read(p, Json.DidCloseTextDocumentParams).TextDocument.Uri;
            if (workspace.Close(uri))
            {
                SendDiagnostics(new PublishDiagnosticsParams(uri, null, [])); // clear what the editor shows
            }
        });
        Notification("textDocument/didSave", p =>
        {
            string uri = LspJson.Read(p, Json.DidSaveTextDocumentParams).TextDocument.Uri;
            if (ComposeFileDetector.IsConfig(DocumentPath.FileName(uri)))
            {
                workspace.RefreshAll(); // every open compose file below it may follow other rules now
            }
            else
            {
                workspace.Refresh(uri);
            }
        });

        // Clients that watch .composefix.yml for us (the VS Code extension does) report its changes here.
        Notification("workspace/didChangeWatchedFiles", _ => workspace.RefreshAll());
    }

    /// <summary>Serves until `exit` or the end of the input; the exit code is 0 after a shutdown request, 1 otherwise (LSP).</summary>
    public static int Run(Stream input, Stream output, TextWriter log, string version)
    {
        using var server = new LanguageServer(input, output, log, version);
        server.connection.RunAsync().GetAwaiter().GetResult();
        return server.exited && server.shuttingDown ? 0 : 1;
    }

    public void Dispose() => connection.Dispose();

    private JsonRpcException? Gate(string method)
    {
        if (shuttingDown)
        {
            return new JsonRpcException(ErrorCodes.InvalidRequest, $"{method}: the server is shutting down");
        }

        if (!initialized && method != "initialize")
        {
            return new JsonRpcException(ErrorCodes.ServerNotInitialized, $"{method}: initialize first");
        }

        return null;
    }

    /// <summary>Notifications before initialize are dropped (LSP), except exit.</summary>
    private void Notification(string method, Action<JsonElement?> handler) =>
        connection.OnNotification(method, p =>
        {
            if (initialized && !shuttingDown)
            {
                handler(p);
            }
        });

    private Task<JsonNode?> Initialize(JsonElement? parameters, CancellationToken cancellationToken)
    {
        if (initialized)
        {
            throw new JsonRpcException(ErrorCodes.InvalidRequest, "initialize was already called");
        }

        var init = LspJson.Read(parameters, Json.InitializeParams);
        versionedEdits = Flag(init.Capabilities, "workspace", "workspaceEdit", "documentChanges");
        initialized = true;
        var result = new InitializeResult(
            new ServerCapabilities(
                "utf-16",
                new TextDocumentSyncOptions(OpenClose: true, Change: 2, new SaveOptions(IncludeText: false)),
                new CodeActionOptions([CodeActionBuilder.QuickFix, CodeActionBuilder.FixAllKind], ResolveProvider: false),
                new ExecuteCommandOptions([CodeActionBuilder.FixAllCommand])),
            new ServerInfo("composefix", version));
        return Task.FromResult(LspJson.Write(result, Json.InitializeResult));
    }

    private async Task<JsonNode?> CodeActionAsync(JsonElement? parameters, CancellationToken cancellationToken)
    {
        var request = LspJson.Read(parameters, Json.CodeActionParams);
        var analysis = await workspace.AnalysisAsync(request.TextDocument.Uri, cancellationToken).ConfigureAwait(false);
        var actions = CodeActionBuilder.Build(analysis, request.Range, request.Context?.Only, versionedEdits, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        return LspJson.Write(actions, Json.ListCodeAction);
    }

    private async Task<JsonNode?> ExecuteCommandAsync(JsonElement? parameters, CancellationToken cancellationToken)
    {
        var request = LspJson.Read(parameters, Json.ExecuteCommandParams);
        if (request.Command != CodeActionBuilder.FixAllCommand)
        {
            throw new JsonRpcException(ErrorCodes.InvalidParams, $"unknown command: {request.Command}");
        }

        string uri = request.Arguments is [var first, ..] ? UriArgument(first) : throw new JsonRpcException(ErrorCodes.InvalidParams, $"{CodeActionBuilder.FixAllCommand} takes the document URI");
        var analysis = await workspace.AnalysisAsync(uri, cancellationToken).ConfigureAwait(false);
        var edit = CodeActionBuilder.FixAll(analysis, versionedEdits);
        if (edit is null)
        {
            return null; // nothing to fix
        }

        var apply = LspJson.Write(new ApplyWorkspaceEditParams("composefix: apply all fixes", edit), Json.ApplyWorkspaceEditParams);
        var reply = await connection.SendRequestAsync("workspace/applyEdit", apply, cancellationToken).ConfigureAwait(false);
        return reply is { } r ? JsonNode.Parse(r.GetRawText()) : null;
    }

    /// <summary>The command's argument: the URI itself, or an object with a uri (a TextDocumentIdentifier).</summary>
    private static string UriArgument(JsonElement argument) => argument.ValueKind switch
    {
        JsonValueKind.String => argument.GetString()!,
        JsonValueKind.Object when argument.TryGetProperty("uri", out var u) && u.ValueKind == JsonValueKind.String => u.GetString()!,
        _ => throw new JsonRpcException(ErrorCodes.InvalidParams, $"{CodeActionBuilder.FixAllCommand} takes the document URI"),
    };

    private void Publish(Analysis analysis) =>
        SendDiagnostics(new PublishDiagnosticsParams(analysis.Uri, analysis.Version, DiagnosticBuilder.Build(analysis)));

    private void SendDiagnostics(PublishDiagnosticsParams diagnostics) =>
        connection.SendNotification("textDocument/publishDiagnostics", LspJson.Write(diagnostics, Json.PublishDiagnosticsParams));

    private static bool Flag(JsonElement? root, params string[] path)
    {
        if (root is not { } e)
        {
            return false;
        }

        foreach (var name in path)
        {
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out e))
            {
                return false;
            }
        }

        return e.ValueKind == JsonValueKind.True;
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;

// The LSP 3.17 structures this server reads and writes, named as in the specification.
namespace ComposeFix.Lsp.Protocol;

public sealed record Position(int Line, int Character);

public sealed record Range(Position Start, Position End);

public sealed record TextDocumentIdentifier(string Uri);

public sealed record VersionedTextDocumentIdentifier(string Uri, int Version);

/// <summary>Version is required by the specification even when null, so it is always written.</summary>
public sealed record OptionalVersionedTextDocumentIdentifier(string Uri, [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] int? Version);

public sealed record TextDocumentItem(string Uri, string? LanguageId, int Version, string Text);

public sealed record InitializeParams(int? ProcessId, string? RootUri, JsonElement? Capabilities, JsonElement? InitializationOptions);

public sealed record InitializeResult(ServerCapabilities Capabilities, ServerInfo ServerInfo);

public sealed record ServerInfo(string Name, string Version);

public sealed record ServerCapabilities(
    string PositionEncoding,
    TextDocumentSyncOptions TextDocumentSync,
    CodeActionOptions CodeActionProvider,
    ExecuteCommandOptions ExecuteCommandProvider);

/// <param name="Change">2 = incremental.</param>
public sealed record TextDocumentSyncOptions(bool OpenClose, int Change, SaveOptions Save);

public sealed record SaveOptions(bool IncludeText);

public sealed record CodeActionOptions(List<string> CodeActionKinds, bool ResolveProvider);

public sealed record ExecuteCommandOptions(List<string> Commands);

public sealed record DidOpenTextDocumentParams(TextDocumentItem TextDocument);

public sealed record DidChangeTextDocumentParams(VersionedTextDocumentIdentifier TextDocument, List<TextDocumentContentChangeEvent> ContentChanges);

/// <summary>Range null: the whole text.</summary>
public sealed record TextDocumentContentChangeEvent(Range? Range, string Text);

public sealed record DidCloseTextDocumentParams(TextDocumentIdentifier TextDocument);

public sealed record DidSaveTextDocumentParams(TextDocumentIdentifier TextDocument, string? Text);

public sealed record PublishDiagnosticsParams(string Uri, int? Version, List<Diagnostic> Diagnostics);

public sealed record CodeDescription(string Href);

/// <param name="Severity">1 error, 2 warning, 3 information, 4 hint.</param>
/// <param name="Tags">1 = unnecessary (shown faded).</param>
public sealed record Diagnostic(Range Range, int Severity, string? Code, CodeDescription? CodeDescription, string Source, string Message, List<int>? Tags = null);

public sealed record CodeActionContext(List<Diagnostic>? Diagnostics, List<string>? Only);

public sealed record CodeActionParams(TextDocumentIdentifier TextDocument, Range Range, CodeActionContext? Context);

public sealed record TextEdit(Range Range, string NewText);

public sealed record TextDocumentEdit(OptionalVersionedTextDocumentIdentifier TextDocument, List<TextEdit> Edits);

/// <summary>Either Changes (uri → edits) or DocumentChanges (versioned, so a client can refuse a stale edit).</summary>
public sealed record WorkspaceEdit(Dictionary<string, List<TextEdit>>? Changes, List<TextDocumentEdit>? DocumentChanges);

public sealed record CodeAction(string Title, string Kind, List<Diagnostic>? Diagnostics, bool? IsPreferred, WorkspaceEdit Edit);

public sealed record ExecuteCommandParams(string Command, List<JsonElement>? Arguments);

public sealed record ApplyWorkspaceEditParams(string Label, WorkspaceEdit Edit);

public sealed record ApplyWorkspaceEditResult(bool Applied, string? FailureReason);

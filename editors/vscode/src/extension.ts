// ComposeFix for VS Code: starts `composefix lsp` and lets vscode-languageclient do the rest
// (diagnostics, quick fixes, the source.fixAll.composefix action for "Fix all" on save).
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

// Compose files by name; with composefix.allYamlFiles, every YAML file (the server keeps those with a top-level services:).
function documentSelector(allYamlFiles: boolean): LanguageClientOptions['documentSelector'] {
  const byName = [
    { scheme: 'file', language: 'dockercompose' },
    { scheme: 'file', language: 'yaml', pattern: '**/{compose,docker-compose}*.{yml,yaml}' },
  ];
  return allYamlFiles ? [...byName, { scheme: 'file', language: 'yaml' }] : byName;
}

async function start(): Promise<void> {
  const config = vscode.workspace.getConfiguration('composefix');
  const command = config.get<string>('path', 'composefix') || 'composefix';
  const serverOptions: ServerOptions = { command, args: ['lsp'] };
  const clientOptions: LanguageClientOptions = {
    documentSelector: documentSelector(config.get<boolean>('allYamlFiles', false)),
    // The server reads .composefix.yml from disk: tell it when one changes.
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/.composefix.{yml,yaml}') },
  };
  client = new LanguageClient('composefix', 'ComposeFix', serverOptions, clientOptions);
  try {
    await client.start();
  } catch (error) {
    void vscode.window.showErrorMessage(`ComposeFix: cannot start '${command} lsp' (set composefix.path): ${String(error)}`);
  }
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) {
    await running.stop();
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  context.subscriptions.push(
    vscode.commands.registerCommand('composefix.fixAllInEditor', async () => {
      const editor = vscode.window.activeTextEditor;
      if (editor) {
        // composefix.fixAll is the server's command (registered by the client); it sends workspace/applyEdit back.
        await vscode.commands.executeCommand('composefix.fixAll', editor.document.uri.toString());
      }
    }),
    vscode.commands.registerCommand('composefix.restartServer', async () => {
      await stop();
      await start();
    }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration('composefix.path') || event.affectsConfiguration('composefix.allYamlFiles')) {
        await stop();
        await start();
      }
    }),
  );
  await start();
}

export async function deactivate(): Promise<void> {
  await stop();
}

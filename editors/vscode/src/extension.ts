/**
 * The VS Code side of jiaodui: starts `jiaodui lsp`, keeps its settings current, and adds the
 * commands and the status-bar count. Everything about Chinese text lives in the server; this
 * file only connects the editor to it.
 */

import { execFile } from "node:child_process";
import * as vscode from "vscode";
import {
  CodeAction,
  CodeActionRequest,
  CodeActionResolveRequest,
  CodeActionTriggerKind,
  Command,
  DidChangeConfigurationNotification,
  LanguageClient,
  LanguageClientOptions,
  RevealOutputChannelOn,
  ServerOptions,
  State,
} from "vscode-languageclient/node";
import { findJiaodui } from "./executable";
import { buildServerSettings, ServerSettings } from "./settings";

const SECTION = "jiaodui";
const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append("jiaodui");
const LANGUAGES = ["plaintext", "markdown"];

let client: LanguageClient | undefined;
let output: vscode.OutputChannel;
let status: vscode.StatusBarItem;
let serverProblem: string | undefined;

function workspaceFolder(): string | undefined {
  const folders = vscode.workspace.workspaceFolders;
  return folders !== undefined && folders.length > 0 ? folders[0].uri.fsPath : undefined;
}

function currentSettings(): ServerSettings {
  const configuration = vscode.workspace.getConfiguration(SECTION);
  return buildServerSettings((key) => configuration.get(key), workspaceFolder());
}

function logVersion(executable: string): void {
  execFile(executable, ["--version"], { timeout: 10_000 }, (error, stdout, stderr) => {
    if (error !== null) {
      output.appendLine(`${executable} --version failed: ${error.message}`);
      return;
    }
    output.appendLine(`${executable}: ${(stdout || stderr).trim()}`);
  });
}

async function startClient(): Promise<void> {
  const configured = vscode.workspace.getConfiguration(SECTION).get<string>("path") ?? "";
  const lookup = findJiaodui(configured, workspaceFolder());
  if (!lookup.found) {
    serverProblem = lookup.reason;
    output.appendLine(lookup.reason);
    updateStatus();
    const choice = await vscode.window.showErrorMessage(lookup.reason, "Open Settings");
    if (choice === "Open Settings") {
      await vscode.commands.executeCommand("workbench.action.openSettings", "jiaodui.path");
    }
    return;
  }
  serverProblem = undefined;
  output.appendLine(`Starting ${lookup.path} lsp (found via ${lookup.source})`);
  logVersion(lookup.path);

  const serverOptions: ServerOptions = { command: lookup.path, args: ["lsp"] };
  const clientOptions: LanguageClientOptions = {
    documentSelector: LANGUAGES.flatMap((language) => [
      { scheme: "file", language },
      { scheme: "untitled", language },
    ]),
    initializationOptions: currentSettings(),
    outputChannel: output,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    // Registers for changes under `jiaodui`; the middleware below sends them in the shape of
    // jiaodui.toml rather than VS Code's own.
    synchronize: { configurationSection: SECTION },
    middleware: {
      workspace: {
        didChangeConfiguration: async () => {
          await created.sendNotification(DidChangeConfigurationNotification.type, {
            settings: currentSettings(),
          });
        },
        configuration: (params) =>
          params.items.map((item) =>
            item.section === undefined || item.section === SECTION ? currentSettings() : null,
          ),
      },
    },
  };
  const created: LanguageClient = new LanguageClient(SECTION, "jiaodui", serverOptions, clientOptions);
  created.onDidChangeState((event) => {
    if (event.newState === State.Stopped && client === created) {
      serverProblem = "The jiaodui server is not running.";
    } else if (event.newState === State.Running) {
      serverProblem = undefined;
    }
    updateStatus();
  });
  client = created;
  try {
    await created.start();
  } catch (error) {
    serverProblem = `The jiaodui server failed to start: ${String(error)}`;
    output.appendLine(serverProblem);
  }
  updateStatus();
}

async function stopClient(): Promise<void> {
  const running = client;
  client = undefined;
  if (running === undefined) {
    return;
  }
  try {
    await running.stop();
  } catch (error) {
    output.appendLine(`Stopping the server: ${String(error)}`);
  }
  await running.dispose();
}

async function restartServer(): Promise<void> {
  await stopClient();
  await startClient();
}

function isFixAllKind(kind: string): boolean {
  return kind === FIX_ALL_KIND.value || kind.startsWith(`${FIX_ALL_KIND.value}.`);
}

/** Asks the server for its `source.fixAll.jiaodui` action on the active document and applies it. */
async function fixAll(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (editor === undefined || !LANGUAGES.includes(editor.document.languageId)) {
    void vscode.window.showInformationMessage("jiaodui: open a plain-text or Markdown document first.");
    return;
  }
  const running = client;
  if (running === undefined || running.state !== State.Running) {
    void vscode.window.showErrorMessage(serverProblem ?? "The jiaodui server is not running.");
    return;
  }
  const document = editor.document;
  const last = document.lineAt(document.lineCount - 1);
  const whole = new vscode.Range(new vscode.Position(0, 0), last.range.end);
  const result = await running.sendRequest(CodeActionRequest.type, {
    textDocument: running.code2ProtocolConverter.asTextDocumentIdentifier(document),
    range: running.code2ProtocolConverter.asRange(whole),
    context: {
      diagnostics: [],
      only: [FIX_ALL_KIND.value],
      triggerKind: CodeActionTriggerKind.Invoked,
    },
  });
  let applied = 0;
  for (const item of result ?? []) {
    if (Command.is(item)) {
      await vscode.commands.executeCommand(item.command, ...(item.arguments ?? []));
      applied += 1;
      continue;
    }
    let action: CodeAction = item;
    if (action.kind !== undefined && !isFixAllKind(action.kind)) {
      continue;
    }
    if (action.edit === undefined && action.command === undefined && action.data !== undefined) {
      action = await running.sendRequest(CodeActionResolveRequest.type, action);
    }
    if (action.edit !== undefined) {
      const edit = await running.protocol2CodeConverter.asWorkspaceEdit(action.edit);
      if (await vscode.workspace.applyEdit(edit)) {
        applied += 1;
      }
    }
    if (action.command !== undefined) {
      await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
      applied += 1;
    }
  }
  if (applied === 0) {
    void vscode.window.showInformationMessage("jiaodui: nothing to fix automatically.");
  }
}

function updateStatus(): void {
  const editor = vscode.window.activeTextEditor;
  if (editor === undefined || !LANGUAGES.includes(editor.document.languageId)) {
    status.hide();
    return;
  }
  if (serverProblem !== undefined) {
    status.text = "$(error) jiaodui";
    status.tooltip = serverProblem;
    status.command = "jiaodui.showOutput";
    status.show();
    return;
  }
  const findings = vscode.languages
    .getDiagnostics(editor.document.uri)
    .filter((diagnostic) => diagnostic.source === "jiaodui");
  status.text = findings.length === 0 ? "$(check) 校对 0" : `$(warning) 校对 ${findings.length}`;
  status.tooltip = `jiaodui: ${findings.length} finding${findings.length === 1 ? "" : "s"} in this document`;
  status.command = "workbench.actions.view.problems";
  status.show();
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel("jiaodui");
  status = vscode.window.createStatusBarItem("jiaodui.findings", vscode.StatusBarAlignment.Right, 100);
  status.name = "jiaodui findings";
  context.subscriptions.push(
    output,
    status,
    vscode.commands.registerCommand("jiaodui.restartServer", restartServer),
    vscode.commands.registerCommand("jiaodui.fixAll", fixAll),
    vscode.commands.registerCommand("jiaodui.showOutput", () => output.show(true)),
    vscode.languages.onDidChangeDiagnostics(updateStatus),
    vscode.window.onDidChangeActiveTextEditor(updateStatus),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration("jiaodui.path")) {
        void restartServer();
      }
    }),
  );
  await startClient();
}

export async function deactivate(): Promise<void> {
  await stopClient();
}

// A small LSP client over the real `jiaodui lsp` binary, built on the same protocol library
// that vscode-languageclient uses. It announces what VS Code announces: UTF-16 positions only.

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from "vscode-languageserver-protocol/node.js";

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, "../../..");
export const testdata = path.resolve(here, "../../testdata");

export function serverBinary() {
  const configured = process.env.JIAODUI_BIN ?? "target/debug/jiaodui";
  const binary = path.resolve(repoRoot, configured);
  if (!existsSync(binary)) {
    throw new Error(`no jiaodui binary at ${binary}: build it (cargo build) or set JIAODUI_BIN`);
  }
  return binary;
}

export function fileUri(file) {
  return pathToFileURL(file).href;
}

/** The client capabilities VS Code 1.82+ sends, trimmed to what jiaodui serves. */
function clientCapabilities(positionEncodings) {
  const capabilities = {
    workspace: {
      configuration: true,
      didChangeConfiguration: { dynamicRegistration: true },
      applyEdit: true,
      workspaceEdit: { documentChanges: true },
      symbol: {},
    },
    textDocument: {
      synchronization: { dynamicRegistration: true, didSave: true },
      publishDiagnostics: {
        relatedInformation: true,
        versionSupport: true,
        codeDescriptionSupport: true,
        dataSupport: true,
        tagSupport: { valueSet: [1, 2] },
      },
      hover: { contentFormat: ["markdown", "plaintext"] },
      documentSymbol: { hierarchicalDocumentSymbolSupport: true },
      codeAction: {
        dataSupport: true,
        isPreferredSupport: true,
        resolveSupport: { properties: ["edit"] },
        codeActionLiteralSupport: {
          codeActionKind: {
            valueSet: ["", "quickfix", "refactor", "source", "source.organizeImports", "source.fixAll"],
          },
        },
      },
      definition: {},
      references: {},
      rename: { prepareSupport: true },
      documentHighlight: {},
    },
    window: { workDoneProgress: true },
  };
  if (positionEncodings !== undefined) {
    capabilities.general = { positionEncodings };
  }
  return capabilities;
}

export class Server {
  /**
   * @param {object} options
   * @param {string[]|undefined} options.positionEncodings what the client offers (VS Code: utf-16 only)
   * @param {object|undefined} options.initializationOptions
   * @param {object|undefined} options.locale
   * @param {() => object} options.settings what a `workspace/configuration` pull answers
   */
  static async start(options = {}) {
    const server = new Server(options);
    await server.initialize(options);
    return server;
  }

  constructor(options) {
    this.settings = options.settings ?? (() => options.initializationOptions ?? {});
    this.stderr = "";
    this.child = spawn(serverBinary(), ["lsp"], { stdio: ["pipe", "pipe", "pipe"] });
    this.child.stderr.on("data", (chunk) => {
      this.stderr += chunk.toString("utf8");
    });
    this.exited = new Promise((resolve) => this.child.on("exit", (code, signal) => resolve({ code, signal })));
    this.connection = createProtocolConnection(
      new StreamMessageReader(this.child.stdout),
      new StreamMessageWriter(this.child.stdin),
    );
    /** uri → every publishDiagnostics params received, oldest first */
    this.published = new Map();
    this.waiters = [];
    this.connection.onNotification("textDocument/publishDiagnostics", (params) => {
      const list = this.published.get(params.uri) ?? [];
      list.push(params);
      this.published.set(params.uri, list);
      this.wake();
    });
    this.connection.onNotification(() => {});
    this.connection.onRequest((method, params) => {
      if (method === "workspace/configuration") {
        return params.items.map(() => this.settings());
      }
      return null;
    });
    this.connection.listen();
  }

  async initialize({ positionEncodings = ["utf-16"], initializationOptions, locale }) {
    this.initializeResult = await this.connection.sendRequest("initialize", {
      processId: process.pid,
      clientInfo: { name: "Visual Studio Code", version: "1.82.0" },
      locale,
      rootUri: null,
      workspaceFolders: null,
      capabilities: clientCapabilities(positionEncodings),
      initializationOptions,
    });
    await this.connection.sendNotification("initialized", {});
  }

  wake() {
    for (const waiter of [...this.waiters]) {
      waiter();
    }
  }

  /** Waits until `predicate(publishedForUri)` returns a value other than undefined/false. */
  waitFor(uri, predicate, what, timeoutMs = 15_000) {
    return new Promise((resolve, reject) => {
      const check = () => {
        const value = predicate(this.published.get(uri) ?? []);
        if (value !== undefined && value !== false) {
          cleanup();
          resolve(value);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        const last = (this.published.get(uri) ?? []).at(-1);
        reject(
          new Error(
            `timed out after ${timeoutMs} ms waiting for ${what}; last diagnostics: ${JSON.stringify(last)?.slice(0, 600)}`,
          ),
        );
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== check);
      };
      this.waiters.push(check);
      check();
    });
  }

  /** The diagnostics of the newest publication for `version` (or any version, if omitted). */
  diagnosticsFor(uri, version, timeoutMs) {
    return this.waitFor(
      uri,
      (list) => {
        const matching = list.filter((p) => version === undefined || p.version === version);
        return matching.length > 0 ? matching.at(-1).diagnostics : undefined;
      },
      `diagnostics for ${uri} version ${version}`,
      timeoutMs,
    );
  }

  open(uri, text, languageId = "plaintext", version = 1) {
    return this.connection.sendNotification("textDocument/didOpen", {
      textDocument: { uri, languageId, version, text },
    });
  }

  request(method, params) {
    return this.connection.sendRequest(method, params);
  }

  notify(method, params) {
    return this.connection.sendNotification(method, params);
  }

  async stop() {
    try {
      await Promise.race([
        this.connection.sendRequest("shutdown"),
        new Promise((_, reject) => setTimeout(() => reject(new Error("shutdown timed out")), 5000)),
      ]);
      await this.connection.sendNotification("exit");
    } catch {
      this.child.kill("SIGKILL");
    }
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 5000);
    const result = await this.exited;
    clearTimeout(timer);
    this.connection.dispose();
    return result;
  }
}

/** UTF-16 length, which is what JavaScript's `.length` counts. */
export function utf16(text) {
  return text.length;
}

/** UTF-16 range of the first occurrence of `needle` on `line` (0-based) of `text`. */
export function rangeOf(text, line, needle, from = 0) {
  const lineText = text.split("\n")[line];
  const start = lineText.indexOf(needle, from);
  if (start < 0) {
    throw new Error(`“${needle}” not on line ${line + 1}`);
  }
  return {
    start: { line, character: start },
    end: { line, character: start + needle.length },
  };
}

/** Applies LSP text edits (UTF-16 positions) to `text`, as VS Code would. */
export function applyEdits(text, edits) {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i += 1) {
    if (text[i] === "\n") {
      lineStarts.push(i + 1);
    }
  }
  const offset = ({ line, character }) => {
    if (line >= lineStarts.length) {
      return text.length;
    }
    return lineStarts[line] + character;
  };
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let result = text;
  for (const edit of sorted) {
    result = result.slice(0, offset(edit.range.start)) + edit.newText + result.slice(offset(edit.range.end));
  }
  return result;
}

/** The text edits of a workspace edit for one document, from `changes` or `documentChanges`. */
export function editsFor(workspaceEdit, uri) {
  if (workspaceEdit === undefined || workspaceEdit === null) {
    return [];
  }
  const edits = [...(workspaceEdit.changes?.[uri] ?? [])];
  for (const change of workspaceEdit.documentChanges ?? []) {
    if (change.textDocument?.uri === uri) {
      edits.push(...change.edits);
    }
  }
  return edits;
}

/** Plain text of a hover result, whatever shape its contents take. */
export function hoverText(hover) {
  if (hover === null || hover === undefined) {
    return "";
  }
  const flatten = (contents) => {
    if (typeof contents === "string") {
      return contents;
    }
    if (Array.isArray(contents)) {
      return contents.map(flatten).join("\n");
    }
    return contents?.value ?? "";
  };
  return flatten(hover.contents);
}

// Loads the bundled extension (dist/extension.js) with a stand-in for the `vscode` module,
// activates it against the real server, and reads what the server receives on its standard
// input: initializationOptions and workspace/didChangeConfiguration in the jiaodui.toml shape.
// Run `npm run bundle` first (scripts/test-editors does).

import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import Module, { createRequire } from "node:module";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { serverBinary } from "./lsp-client.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const bundle = path.resolve(here, "../dist/extension.js");
const workdir = mkdtempSync(path.join(tmpdir(), "jiaodui-activation-test-"));
after(() => rmSync(workdir, { recursive: true, force: true }));

/** What the extension did through the `vscode` API. */
const seen = { commands: new Map(), configurationListeners: [], diagnosticListeners: [], statusBar: undefined, output: [] };
/** The user's settings below `jiaodui.` */
const userSettings = new Map();

class EventEmitter {
  listeners = [];
  event = (listener) => {
    this.listeners.push(listener);
    return { dispose: () => (this.listeners = this.listeners.filter((l) => l !== listener)) };
  };
  fire(value) {
    for (const listener of this.listeners) {
      listener(value);
    }
  }
  dispose() {}
}

class Disposable {
  constructor(callback = () => {}) {
    this.callback = callback;
  }
  static from(...items) {
    return new Disposable(() => items.forEach((item) => item?.dispose?.()));
  }
  dispose() {
    this.callback();
  }
}

class CodeActionKind {
  constructor(value) {
    this.value = value;
  }
  append(part) {
    return new CodeActionKind(this.value ? `${this.value}.${part}` : part);
  }
  contains(other) {
    return this.value === other.value || other.value.startsWith(`${this.value}.`);
  }
}
CodeActionKind.Empty = new CodeActionKind("");
CodeActionKind.QuickFix = new CodeActionKind("quickfix");
CodeActionKind.Source = new CodeActionKind("source");
CodeActionKind.SourceFixAll = new CodeActionKind("source.fixAll");

const uri = (value) => ({
  scheme: value.split(":")[0],
  fsPath: value.replace(/^file:\/\//, ""),
  toString: () => value,
});

/** Anything the test does not model: callable, constructible, and every property of it too. */
function anything(name) {
  const target = function () {};
  return new Proxy(target, {
    get(_, property) {
      if (property === "then") {
        return undefined;
      }
      if (property === Symbol.toPrimitive) {
        return () => name;
      }
      if (property === "dispose") {
        return () => {};
      }
      return anything(`${name}.${String(property)}`);
    },
    apply: () => anything(`${name}()`),
    construct: () => anything(`new ${name}`),
  });
}

const listener = () => () => ({ dispose() {} });
const disposable = () => ({ dispose() {} });

const vscode = {
  version: "1.82.0",
  env: { language: "en", appName: "Visual Studio Code", openExternal: async () => true },
  EventEmitter,
  Disposable,
  CodeActionKind,
  CancellationError: class CancellationError extends Error {},
  CancellationTokenSource: class {
    token = { isCancellationRequested: false, onCancellationRequested: () => disposable() };
    cancel() {
      this.token.isCancellationRequested = true;
    }
    dispose() {}
  },
  StatusBarAlignment: { Left: 1, Right: 2 },
  ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
  Uri: { parse: uri, file: (p) => uri(`file://${p}`) },
  commands: {
    registerCommand: (id, callback) => {
      seen.commands.set(id, callback);
      return disposable();
    },
    executeCommand: async () => undefined,
  },
  workspace: {
    workspaceFolders: undefined,
    textDocuments: [],
    getConfiguration: (section) => ({
      get: (key, fallback) => {
        const full = section === undefined ? key : `${section}.${key}`;
        const name = full.startsWith("jiaodui.") ? full.slice("jiaodui.".length) : undefined;
        return name !== undefined && userSettings.has(name) ? userSettings.get(name) : fallback;
      },
      has: () => false,
      inspect: () => undefined,
      update: async () => {},
    }),
    onDidChangeConfiguration: (callback) => {
      seen.configurationListeners.push(callback);
      return disposable();
    },
    onDidOpenTextDocument: listener(),
    onDidCloseTextDocument: listener(),
    onDidChangeTextDocument: listener(),
    onDidSaveTextDocument: listener(),
    onWillSaveTextDocument: listener(),
    onDidChangeWorkspaceFolders: listener(),
    createFileSystemWatcher: () => anything("FileSystemWatcher"),
    applyEdit: async () => true,
  },
  window: {
    activeTextEditor: undefined,
    visibleTextEditors: [],
    tabGroups: { all: [], onDidChangeTabs: listener(), onDidChangeTabGroups: listener() },
    onDidChangeActiveTextEditor: listener(),
    onDidChangeVisibleTextEditors: listener(),
    createOutputChannel: (name) => ({
      name,
      append: (text) => seen.output.push(text),
      appendLine: (text) => seen.output.push(text),
      replace: () => {},
      clear: () => {},
      show: () => {},
      hide: () => {},
      dispose: () => {},
    }),
    createStatusBarItem: () => {
      seen.statusBar = {
        visible: false,
        show() {
          this.visible = true;
        },
        hide() {
          this.visible = false;
        },
        dispose() {},
      };
      return seen.statusBar;
    },
    showErrorMessage: async (message) => {
      seen.output.push(`error message: ${message}`);
      return undefined;
    },
    showWarningMessage: async () => undefined,
    showInformationMessage: async () => undefined,
    withProgress: async (_, task) => task({ report() {} }, vscode.CancellationTokenSource.prototype),
  },
  languages: {
    match: () => 0,
    getDiagnostics: () => [],
    onDidChangeDiagnostics: (callback) => {
      seen.diagnosticListeners.push(callback);
      return disposable();
    },
    createDiagnosticCollection: (name) => {
      const entries = new Map();
      return {
        name,
        set: (key, value) => entries.set(String(key), value),
        delete: (key) => entries.delete(String(key)),
        clear: () => entries.clear(),
        forEach: (callback) => entries.forEach((value, key) => callback(key, value)),
        get: (key) => entries.get(String(key)),
        has: (key) => entries.has(String(key)),
        dispose: () => entries.clear(),
      };
    },
  },
};
const stub = new Proxy(vscode, {
  get: (target, property) => (property in target ? target[property] : anything(`vscode.${String(property)}`)),
});
for (const area of ["workspace", "window", "languages", "commands", "env"]) {
  vscode[area] = new Proxy(vscode[area], {
    get: (target, property) =>
      property in target
        ? target[property]
        : String(property).startsWith("register")
          ? disposable
          : anything(`vscode.${area}.${String(property)}`),
  });
}

/** The JSON-RPC messages in a captured stdin stream. */
function messages(file) {
  if (!existsSync(file)) {
    return [];
  }
  const bytes = readFileSync(file);
  const found = [];
  let at = 0;
  while (at < bytes.length) {
    const headerEnd = bytes.indexOf("\r\n\r\n", at);
    if (headerEnd < 0) {
      break;
    }
    const length = Number(/Content-Length: *(\d+)/i.exec(bytes.subarray(at, headerEnd).toString())?.[1]);
    const start = headerEnd + 4;
    if (start + length > bytes.length) {
      break;
    }
    found.push(JSON.parse(bytes.subarray(start, start + length).toString("utf8")));
    at = start + length;
  }
  return found;
}

async function waitFor(what, predicate, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = predicate();
    if (value) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}; output: ${seen.output.join("\n").slice(0, 800)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test("the bundled extension activates, starts jiaodui and sends settings in the jiaodui.toml shape", async (t) => {
  if (!existsSync(bundle)) {
    t.skip("no dist/extension.js: run npm run bundle first");
    return;
  }
  // A wrapper that records what the extension writes to the server.
  const wire = path.join(workdir, "stdin.log");
  const wrapper = path.join(workdir, "jiaodui");
  writeFileSync(
    wrapper,
    [
      `#!${process.execPath}`,
      'const { spawn } = require("node:child_process");',
      'const { appendFileSync } = require("node:fs");',
      `const server = spawn(${JSON.stringify(serverBinary())}, process.argv.slice(2), { stdio: ["pipe", "inherit", "inherit"] });`,
      `process.stdin.on("data", (chunk) => { appendFileSync(${JSON.stringify(wire)}, chunk); server.stdin.write(chunk); });`,
      'process.stdin.on("end", () => server.stdin.end());',
      "server.on(\"exit\", (code) => process.exit(code ?? 1));",
      "",
    ].join("\n"),
  );
  chmodSync(wrapper, 0o755);
  userSettings.set("path", wrapper);
  userSettings.set("rules.traditional-char", "off");
  userSettings.set("rules.repeated-word", null);
  userSettings.set("locale", "en");

  const require = createRequire(import.meta.url);
  const load = Module._load;
  Module._load = function (request, ...rest) {
    return request === "vscode" ? stub : load.call(this, request, ...rest);
  };
  let extension;
  try {
    extension = require(bundle);
  } finally {
    Module._load = load;
  }
  const context = { subscriptions: [] };
  await extension.activate(context);

  assert.deepEqual(
    [...seen.commands.keys()].filter((id) => id.startsWith("jiaodui.")).sort(),
    ["jiaodui.fixAll", "jiaodui.restartServer", "jiaodui.showOutput"],
  );
  assert.ok(seen.output.some((line) => line.includes(`Starting ${wrapper} lsp`)), seen.output.join("\n"));

  const initialize = await waitFor("initialize", () => messages(wire).find((m) => m.method === "initialize"));
  assert.deepEqual(initialize.params.initializationOptions, { rules: { "traditional-char": "off" }, locale: "en" });
  assert.deepEqual(initialize.params.capabilities.general?.positionEncodings ?? ["utf-16"], ["utf-16"]);

  userSettings.set("locale", "zh");
  userSettings.set("rules.halfwidth-punctuation", "error");
  const event = { affectsConfiguration: (section) => ["jiaodui", "jiaodui.locale", "jiaodui.rules"].includes(section) };
  for (const callback of seen.configurationListeners) {
    callback(event);
  }
  const change = await waitFor("didChangeConfiguration with the new locale", () =>
    messages(wire).find((m) => m.method === "workspace/didChangeConfiguration" && m.params.settings?.locale === "zh"),
  );
  assert.deepEqual(change.params.settings, {
    rules: { "traditional-char": "off", "halfwidth-punctuation": "error" },
    locale: "zh",
  });

  // The status bar counts the active document's jiaodui findings.
  const document = { languageId: "plaintext", uri: uri("file:///tmp/a.txt") };
  vscode.window.activeTextEditor = { document };
  vscode.languages.getDiagnostics = (of) =>
    of === document.uri ? [{ source: "jiaodui" }, { source: "jiaodui" }, { source: "other" }] : [];
  seen.diagnosticListeners.forEach((callback) => callback({ uris: [document.uri] }));
  assert.equal(seen.statusBar.text, "$(warning) 校对 2");
  assert.equal(seen.statusBar.visible, true);
  vscode.window.activeTextEditor = { document: { languageId: "rust", uri: uri("file:///tmp/a.rs") } };
  seen.diagnosticListeners.forEach((callback) => callback({ uris: [] }));
  assert.equal(seen.statusBar.visible, false);

  await extension.deactivate();
  await waitFor("shutdown and exit", () => messages(wire).some((m) => m.method === "exit"));
});

// Drives the real `jiaodui lsp` as VS Code does (UTF-16 positions only) and checks what the
// extension relies on: diagnostics, quick fixes, fix-all, document symbols, hover, settings.

import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import {
  applyEdits,
  editsFor,
  fileUri,
  hoverText,
  rangeOf,
  Server,
  testdata,
} from "./lsp-client.mjs";

const FIXTURE = path.join(testdata, "hohhot-interviews-2026.txt");
const EXPECT = JSON.parse(readFileSync(path.join(testdata, "hohhot-interviews-2026.expect.json"), "utf8"));
const FIXTURE_TEXT = readFileSync(FIXTURE, "utf8");
const FIXTURE_LINES = FIXTURE_TEXT.split("\n");
const CJK = /[\u3400-\u9fff\u{20000}-\u{2ffff}]/u;

const workdir = mkdtempSync(path.join(tmpdir(), "jiaodui-vscode-test-"));
after(() => rmSync(workdir, { recursive: true, force: true }));

/** A document on disk (the server may look beside it for jiaodui.toml). */
function documentUri(name, text) {
  const file = path.join(workdir, name);
  writeFileSync(file, text);
  return fileUri(file);
}

function byRule(diagnostics, rule) {
  return diagnostics.filter((d) => d.code === rule);
}

/** Waits for a publication of `version` that holds a `rule` finding; then for the server to go quiet. */
async function settledDiagnostics(server, uri, version, rule) {
  await server.waitFor(
    uri,
    (list) => list.some((p) => p.version === version && byRule(p.diagnostics, rule).length > 0),
    `a ${rule} finding in version ${version} of ${uri}`,
  );
  let count = -1;
  while (count !== server.published.get(uri).length) {
    count = server.published.get(uri).length;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  return server.published.get(uri).filter((p) => p.version === version).at(-1).diagnostics;
}

async function resolved(server, action) {
  if (action.edit === undefined && action.data !== undefined) {
    return server.request("codeAction/resolve", action);
  }
  return action;
}

describe("initialize", () => {
  test("a client offering only UTF-16 gets UTF-16 and the advertised features", async () => {
    const server = await Server.start({ positionEncodings: ["utf-16"] });
    try {
      const caps = server.initializeResult.capabilities;
      assert.ok(
        caps.positionEncoding === undefined || caps.positionEncoding === "utf-16",
        `positionEncoding ${caps.positionEncoding}`,
      );
      const sync = typeof caps.textDocumentSync === "number" ? caps.textDocumentSync : caps.textDocumentSync?.change;
      assert.equal(sync, 2, "incremental text document sync");
      assert.ok(caps.hoverProvider, "hover");
      assert.ok(caps.documentSymbolProvider, "documentSymbol");
      const kinds = caps.codeActionProvider?.codeActionKinds ?? [];
      assert.ok(kinds.includes("quickfix"), `code action kinds ${JSON.stringify(kinds)}`);
      assert.ok(kinds.includes("source.fixAll.jiaodui"), `code action kinds ${JSON.stringify(kinds)}`);
    } finally {
      await server.stop();
    }
  });

  test("a client offering no encodings gets UTF-16", async () => {
    const server = await Server.start({ positionEncodings: undefined });
    try {
      const encoding = server.initializeResult.capabilities.positionEncoding;
      assert.ok(encoding === undefined || encoding === "utf-16", `positionEncoding ${encoding}`);
    } finally {
      await server.stop();
    }
  });
});

describe("a line with 𠮷 (outside the BMP)", () => {
  let server;
  before(async () => {
    server = await Server.start();
  });
  after(() => server.stop());

  test("traditional-char sits at UTF-16 3..4 and its quick fix writes 锋", async () => {
    const text = "𠮷先鋒。";
    const uri = documentUri("surrogate.txt", text);
    await server.open(uri, text);
    const diagnostics = await settledDiagnostics(server, uri, 1, "traditional-char");
    const [finding] = byRule(diagnostics, "traditional-char");
    assert.equal(finding.source, "jiaodui");
    assert.deepEqual(finding.range, { start: { line: 0, character: 3 }, end: { line: 0, character: 4 } });

    const actions = await server.request("textDocument/codeAction", {
      textDocument: { uri },
      range: finding.range,
      context: { diagnostics: [finding], triggerKind: 1 },
    });
    const quickFixes = (actions ?? []).filter((a) => a.kind === "quickfix");
    assert.ok(quickFixes.length > 0, `quick fixes offered: ${JSON.stringify(actions)}`);
    const fixes = await Promise.all(quickFixes.map((a) => resolved(server, a)));
    const results = fixes.map((a) => applyEdits(text, editsFor(a.edit, uri)));
    assert.ok(results.includes("𠮷先锋。"), `results of the quick fixes: ${JSON.stringify(results)}`);
    const fix = fixes[results.indexOf("𠮷先锋。")];
    assert.deepEqual(editsFor(fix.edit, uri), [
      { range: { start: { line: 0, character: 3 }, end: { line: 0, character: 4 } }, newText: "锋" },
    ]);
  });

  test("incremental edits in UTF-16 move the finding", async () => {
    const text = "𠮷先鋒。";
    const uri = documentUri("incremental.txt", text);
    await server.open(uri, text);
    await settledDiagnostics(server, uri, 1, "traditional-char");

    await server.notify("textDocument/didChange", {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: "𠮷" }],
    });
    let [finding] = byRule(await settledDiagnostics(server, uri, 2, "traditional-char"), "traditional-char");
    assert.deepEqual(finding.range, { start: { line: 0, character: 5 }, end: { line: 0, character: 6 } });

    await server.notify("textDocument/didChange", {
      textDocument: { uri, version: 3 },
      contentChanges: [
        { range: { start: { line: 0, character: 2 }, end: { line: 0, character: 4 } }, text: "" },
        { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: "第一段。\n" },
      ],
    });
    [finding] = byRule(await settledDiagnostics(server, uri, 3, "traditional-char"), "traditional-char");
    assert.deepEqual(finding.range, { start: { line: 1, character: 3 }, end: { line: 1, character: 4 } });
  });

  test("Markdown documents are checked too", async () => {
    const text = "# 标题\n\n𠮷先鋒。\n";
    const uri = documentUri("surrogate.md", text);
    await server.open(uri, text, "markdown");
    const [finding] = byRule(await settledDiagnostics(server, uri, 1, "traditional-char"), "traditional-char");
    assert.deepEqual(finding.range, { start: { line: 2, character: 3 }, end: { line: 2, character: 4 } });
  });

  test("a document that is not mostly Chinese gets no diagnostics", async () => {
    const text = "The quick brown fox, jumps (over) the lazy dog.\n";
    const uri = documentUri("english.txt", text);
    await server.open(uri, text);
    const diagnostics = await server.diagnosticsFor(uri, 1);
    assert.deepEqual(diagnostics, []);
  });
});

describe("the fixture round-up", () => {
  let server;
  let uri;
  let diagnostics;
  before(async () => {
    server = await Server.start();
    uri = documentUri("hohhot-interviews-2026.txt", FIXTURE_TEXT);
    await server.open(uri, FIXTURE_TEXT);
    diagnostics = await settledDiagnostics(server, uri, 1, "traditional-char");
  });
  after(() => server.stop());

  test("every finding carries source jiaodui and a rule id", () => {
    assert.ok(diagnostics.length > 0);
    for (const d of diagnostics) {
      assert.equal(d.source, "jiaodui");
      assert.match(String(d.code), /^[a-z]+(-[a-z]+)*$/);
      assert.ok(d.range.start.line < FIXTURE_LINES.length && d.range.end.line < FIXTURE_LINES.length + 1);
    }
  });

  test("traditional-char on 鋒 in line 63 at its UTF-16 column", () => {
    const expected = rangeOf(FIXTURE_TEXT, 62, "鋒");
    const found = byRule(diagnostics, "traditional-char").filter((d) => d.range.start.line === 62);
    assert.deepEqual(
      found.map((d) => d.range),
      [expected],
    );
  });

  test("messages are Chinese by default", () => {
    const [finding] = byRule(diagnostics, "traditional-char");
    assert.ok(CJK.test(finding.message.replace(/[鋒锋]/gu, "")), finding.message);
  });

  describe("must_flag findings arrive at the right UTF-16 ranges", () => {
    for (const expectation of EXPECT.must_flag) {
      const label = `${expectation.rule} at line ${expectation.line}${expectation.contains ? ` on “${expectation.contains}”` : ""}`;
      test(label, () => {
        const line = expectation.line - 1;
        let onLine = byRule(diagnostics, expectation.rule).filter((d) => d.range.start.line === line);
        if (expectation.contains !== undefined) {
          const lineText = FIXTURE_LINES[line];
          const spans = [];
          for (let i = lineText.indexOf(expectation.contains); i >= 0; i = lineText.indexOf(expectation.contains, i + 1)) {
            spans.push([i, i + expectation.contains.length]);
          }
          onLine = onLine.filter(({ range: { start, end } }) => {
            if (start.line === end.line && start.character === end.character) {
              return spans.some(([a, b]) => a <= start.character && start.character <= b);
            }
            return spans.some(
              ([a, b]) =>
                (start.line < line || start.character < b) && (end.line > line || end.character > a),
            );
          });
        }
        const low = expectation.count_min ?? expectation.count ?? 1;
        const high = expectation.count_max ?? expectation.count ?? Infinity;
        assert.ok(
          low <= onLine.length && onLine.length <= high,
          `wanted ${low}..${high}, found ${onLine.length}: ${JSON.stringify(onLine.map((d) => d.range))}`,
        );
      });
    }
  });

  test("duplicate-passage points at the other copy through related information", () => {
    const duplicates = byRule(diagnostics, "duplicate-passage");
    assert.ok(duplicates.length > 0, "no duplicate-passage finding");
    for (const d of duplicates) {
      assert.ok((d.relatedInformation ?? []).length > 0, `no related information: ${JSON.stringify(d)}`);
      for (const related of d.relatedInformation) {
        assert.equal(related.location.uri, uri);
        assert.notDeepEqual(related.location.range, d.range, "related information points at the finding itself");
      }
    }
  });

  test("documentSymbol lists the 15 interviewees under the article, in order", async () => {
    const symbols = await server.request("textDocument/documentSymbol", { textDocument: { uri } });
    assert.ok(Array.isArray(symbols) && symbols.length > 0, "no symbols");
    assert.ok("range" in symbols[0] && "selectionRange" in symbols[0], "hierarchical DocumentSymbol expected");
    const candidates = symbols.length === 1 ? symbols[0].children ?? [] : symbols;
    const names = EXPECT.outline.map((o) => o.name);
    const people = candidates.filter((s) => names.some((n) => s.name.includes(n)));
    assert.deepEqual(
      people.map((s) => names.find((n) => s.name.includes(n))),
      names,
      `symbols: ${JSON.stringify(candidates.map((s) => s.name))}`,
    );
    people.forEach((symbol, i) => {
      const bylineLine = EXPECT.outline[i].line - 1;
      assert.ok(
        symbol.range.start.line <= bylineLine && bylineLine <= symbol.range.end.line,
        `${symbol.name}: range ${JSON.stringify(symbol.range)} does not hold its byline (line ${bylineLine + 1})`,
      );
    });
  });

  for (const probe of EXPECT.hover) {
    test(`hover on ${probe.text} (line ${probe.line})`, async () => {
      const range = rangeOf(FIXTURE_TEXT, probe.line - 1, probe.text);
      const position = { line: range.start.line, character: range.start.character + Math.floor(probe.text.length / 2) };
      const text = hoverText(await server.request("textDocument/hover", { textDocument: { uri }, position }));
      assert.ok(text.trim().length > 0, "empty hover");
      for (const needle of probe.must_contain ?? []) {
        assert.ok(text.includes(needle), `hover lacks “${needle}”: ${text}`);
      }
      if (probe.must_contain_any !== undefined) {
        assert.ok(probe.must_contain_any.some((n) => text.includes(n)), `hover lacks all of ${probe.must_contain_any}: ${text}`);
      }
    });
  }

  test("source.fixAll.jiaodui replaces every 鋒", async () => {
    const lastLine = FIXTURE_LINES.length - 1;
    const actions = await server.request("textDocument/codeAction", {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: lastLine, character: FIXTURE_LINES[lastLine].length } },
      context: { diagnostics: [], only: ["source.fixAll.jiaodui"], triggerKind: 1 },
    });
    const fixAll = (actions ?? []).filter((a) => a.kind === "source.fixAll.jiaodui");
    assert.equal(fixAll.length, 1, `actions: ${JSON.stringify(actions)?.slice(0, 400)}`);
    const action = await resolved(server, fixAll[0]);
    const fixed = applyEdits(FIXTURE_TEXT, editsFor(action.edit, uri));
    assert.ok(!fixed.includes("鋒"), "鋒 is still there");
    assert.equal((fixed.match(/先锋/gu) ?? []).length, (FIXTURE_TEXT.match(/先[鋒锋]/gu) ?? []).length);
  });
});

describe("settings in the jiaodui.toml shape", () => {
  test("initializationOptions turn a rule off; didChangeConfiguration turns it back on as an error", async () => {
    const settings = { rules: { "traditional-char": "off" } };
    const server = await Server.start({ initializationOptions: settings, settings: () => settings });
    try {
      const text = "𠮷先鋒。";
      const uri = documentUri("settings.txt", text);
      await server.open(uri, text);
      const first = await server.diagnosticsFor(uri, 1);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const latest = server.published.get(uri).at(-1).diagnostics;
      assert.deepEqual(byRule(first, "traditional-char"), []);
      assert.deepEqual(byRule(latest, "traditional-char"), []);

      settings.rules["traditional-char"] = "error";
      await server.notify("workspace/didChangeConfiguration", { settings });
      const republished = await server.waitFor(
        uri,
        (list) => byRule(list.at(-1).diagnostics, "traditional-char").at(0),
        "traditional-char after didChangeConfiguration",
      );
      assert.equal(republished.severity, 1, "severity error");
      assert.deepEqual(republished.range, { start: { line: 0, character: 3 }, end: { line: 0, character: 4 } });
    } finally {
      await server.stop();
    }
  });

  test("locale en gives English messages", async () => {
    const settings = { locale: "en" };
    const server = await Server.start({ initializationOptions: settings, settings: () => settings });
    try {
      const text = "𠮷先鋒。";
      const uri = documentUri("english-messages.txt", text);
      await server.open(uri, text);
      const [finding] = byRule(await settledDiagnostics(server, uri, 1, "traditional-char"), "traditional-char");
      assert.match(finding.message, /[A-Za-z]{3,}/);
    } finally {
      await server.stop();
    }
  });
});

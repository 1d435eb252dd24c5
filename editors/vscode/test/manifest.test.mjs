// Checks the extension's contributions and the settings object it sends to the server,
// without VS Code: src/settings.ts and src/executable.ts import nothing from `vscode`.

import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as esbuild from "esbuild";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");
const manifest = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
const properties = manifest.contributes.configuration.properties;

const RULE_IDS = [
  "enum-count-mismatch", "enum-sequence", "enum-repeated-item", "enum-repetition-loop",
  "place-mismatch", "name-mismatch", "title-mismatch", "split-paragraph", "truncated-sentence",
  "quote-unbalanced", "quote-self-attribution", "duplicate-passage", "repeated-word",
  "traditional-char", "halfwidth-punctuation",
];

const workdir = mkdtempSync(path.join(tmpdir(), "jiaodui-manifest-test-"));
let settings;
let executable;

/** Compiles a TypeScript module of the extension to an ES module and imports it. */
async function load(entry) {
  const outfile = path.join(workdir, `${path.basename(entry, ".ts")}.mjs`);
  await esbuild.build({
    entryPoints: [path.join(root, entry)],
    bundle: true,
    platform: "node",
    format: "esm",
    outfile,
    logLevel: "warning",
  });
  return import(pathToFileURL(outfile).href);
}

before(async () => {
  settings = await load("src/settings.ts");
  executable = await load("src/executable.ts");
});
after(() => rmSync(workdir, { recursive: true, force: true }));

test("every rule has a severity setting that defaults to the server's choice", () => {
  assert.deepEqual([...settings.RULE_IDS], RULE_IDS);
  for (const id of RULE_IDS) {
    const property = properties[`jiaodui.rules.${id}`];
    assert.ok(property, `jiaodui.rules.${id} is not contributed`);
    assert.deepEqual(property.enum, [null, "off", "hint", "info", "warning", "error"]);
    assert.equal(property.default, null);
  }
  const ruleSettings = Object.keys(properties).filter((k) => k.startsWith("jiaodui.rules."));
  assert.equal(ruleSettings.length, RULE_IDS.length);
});

test("path, configFile and locale are contributed", () => {
  for (const key of ["jiaodui.path", "jiaodui.configFile", "jiaodui.locale"]) {
    assert.ok(properties[key], key);
  }
});

test("commands and activation", () => {
  const commands = manifest.contributes.commands.map((c) => c.command).sort();
  assert.deepEqual(commands, ["jiaodui.fixAll", "jiaodui.restartServer", "jiaodui.showOutput"]);
  assert.deepEqual(manifest.activationEvents.sort(), ["onLanguage:markdown", "onLanguage:plaintext"]);
  assert.equal(manifest.license, "MIT OR Apache-2.0");
  assert.equal(manifest.main, "./dist/extension.js");
});

test("settings are sent in the jiaodui.toml shape, unset values left out", () => {
  const values = {
    "rules.traditional-char": "off",
    "rules.halfwidth-punctuation": "error",
    "rules.repeated-word": null,
    "rules.quote-unbalanced": "loud",
    locale: "en",
    configFile: "conf/jiaodui.toml",
  };
  const built = settings.buildServerSettings((key) => values[key], "/work/space");
  assert.deepEqual(built, {
    rules: { "halfwidth-punctuation": "error", "traditional-char": "off" },
    locale: "en",
    config: path.resolve("/work/space", "conf/jiaodui.toml"),
  });
  assert.deepEqual(settings.buildServerSettings(() => undefined), {});
  assert.deepEqual(settings.buildServerSettings((key) => (key === "locale" ? null : "")), {});
  assert.equal(settings.resolveUserPath("~/x.toml"), path.join(homedir(), "x.toml"));
});

test("the executable comes from jiaodui.path, else PATH", () => {
  const bin = path.join(workdir, "bin");
  const fake = path.join(bin, "jiaodui");
  assert.equal(executable.findJiaodui(fake).found, false);
  mkdirSync(bin);
  writeFileSync(fake, "#!/bin/sh\n");
  assert.equal(executable.findJiaodui(fake).found, false, "a file that is not executable");
  chmodSync(fake, 0o755);
  assert.deepEqual(executable.findJiaodui(fake), { found: true, path: fake, source: "setting" });
  assert.deepEqual(executable.findJiaodui("bin/jiaodui", workdir), { found: true, path: fake, source: "setting" });
  assert.equal(executable.searchPath("jiaodui", { PATH: `/nonexistent${path.delimiter}${bin}` }), fake);
  assert.equal(executable.searchPath("jiaodui", { PATH: "/nonexistent" }), undefined);
});

test("the packaged .vsix holds the bundle, the manifest, the README and the licences", async (t) => {
  const vsix = path.join(root, "jiaodui.vsix");
  if (!existsSync(vsix)) {
    t.skip("no jiaodui.vsix: run npm run package first");
    return;
  }
  const { default: yauzl } = await import("yauzl");
  const names = await new Promise((resolve, reject) => {
    yauzl.open(vsix, { lazyEntries: false }, (error, zip) => {
      if (error) {
        reject(error);
        return;
      }
      const found = [];
      zip.on("entry", (entry) => found.push(entry.fileName));
      zip.on("end", () => resolve(found));
      zip.on("error", reject);
    });
  });
  for (const name of [
    "extension.vsixmanifest",
    "extension/package.json",
    "extension/readme.md",
    "extension/LICENSE.txt",
    "extension/LICENSE-MIT",
    "extension/LICENSE-APACHE",
    "extension/dist/extension.js",
    "extension/dist/THIRD-PARTY-NOTICES.txt",
  ]) {
    assert.ok(names.includes(name), `${name} missing from ${JSON.stringify(names)}`);
  }
  assert.ok(!names.some((n) => n.includes("node_modules") || n.includes("/src/")), JSON.stringify(names));
});

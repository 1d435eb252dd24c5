// Bundles the extension and its runtime dependencies into dist/extension.js, the one script the
// .vsix ships (`vscode` is provided by the editor at run time), and writes the licences of the
// bundled packages to dist/THIRD-PARTY-NOTICES.txt.
import * as esbuild from "esbuild";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";

const result = await esbuild.build({
  entryPoints: ["src/extension.ts"],
  bundle: true,
  outfile: "dist/extension.js",
  external: ["vscode"],
  format: "cjs",
  platform: "node",
  target: "node20",
  minify: true,
  sourcemap: false,
  legalComments: "none",
  metafile: true,
  logLevel: "warning",
});

const packages = new Map();
for (const input of Object.keys(result.metafile.inputs)) {
  const match = input.match(/^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//);
  if (match !== null) {
    packages.set(match[1], true);
  }
}
const notices = [...packages.keys()].sort().map((dir) => {
  const manifest = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
  const licenceFile = readdirSync(dir).find((name) => /^licen[cs]e/i.test(name));
  const text = licenceFile === undefined ? "" : readFileSync(path.join(dir, licenceFile), "utf8").trim();
  return `${manifest.name} ${manifest.version} (${manifest.license})\n\n${text}\n`;
});
writeFileSync(
  "dist/THIRD-PARTY-NOTICES.txt",
  `dist/extension.js bundles these packages.\n\n${notices.join("\n" + "-".repeat(72) + "\n\n")}`,
);

/**
 * Turns the `jiaodui.*` settings of VS Code into the object the server reads, which has the
 * shape of `jiaodui.toml`: `{"rules": {"rule-id": "off"}, "locale": "en", "config": "path"}`.
 *
 * This module must not import `vscode`: it is pure so that the test suite can load it.
 */

import * as os from "node:os";
import * as path from "node:path";

/** Every rule id of the contract, in the order of its catalogue. */
export const RULE_IDS = [
  "enum-count-mismatch",
  "enum-sequence",
  "enum-repeated-item",
  "enum-repetition-loop",
  "place-mismatch",
  "name-mismatch",
  "title-mismatch",
  "split-paragraph",
  "truncated-sentence",
  "quote-unbalanced",
  "quote-self-attribution",
  "duplicate-passage",
  "repeated-word",
  "traditional-char",
  "halfwidth-punctuation",
] as const;

export const SEVERITIES = ["off", "hint", "info", "warning", "error"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** What the server receives as `initializationOptions` and in `workspace/didChangeConfiguration`. */
export interface ServerSettings {
  rules?: Record<string, Severity>;
  locale?: string;
  config?: string;
}

/** Reads one setting below `jiaodui.`; `undefined` when the user left it unset. */
export type SettingReader = (key: string) => unknown;

/**
 * Builds the server settings. Unset values are left out, so the server (and `jiaodui.toml`)
 * decide them; a rule whose value is not a known severity is left out too.
 */
export function buildServerSettings(read: SettingReader, workspaceFolder?: string): ServerSettings {
  const settings: ServerSettings = {};
  const rules: Record<string, Severity> = {};
  for (const id of RULE_IDS) {
    const value = read(`rules.${id}`);
    if (typeof value === "string" && (SEVERITIES as readonly string[]).includes(value)) {
      rules[id] = value as Severity;
    }
  }
  if (Object.keys(rules).length > 0) {
    settings.rules = rules;
  }
  const locale = read("locale");
  if (typeof locale === "string" && locale.trim() !== "") {
    settings.locale = locale.trim();
  }
  const configFile = read("configFile");
  if (typeof configFile === "string" && configFile.trim() !== "") {
    settings.config = resolveUserPath(configFile.trim(), workspaceFolder);
  }
  return settings;
}

/** Expands a leading `~` and resolves a relative path against the workspace folder, if any. */
export function resolveUserPath(value: string, workspaceFolder?: string): string {
  let expanded = value;
  if (expanded === "~" || expanded.startsWith("~/") || expanded.startsWith("~\\")) {
    expanded = path.join(os.homedir(), expanded.slice(1));
  }
  if (!path.isAbsolute(expanded) && workspaceFolder !== undefined) {
    expanded = path.resolve(workspaceFolder, expanded);
  }
  return expanded;
}

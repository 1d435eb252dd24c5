/**
 * Finds the `jiaodui` executable: the configured `jiaodui.path`, else the first match on `PATH`.
 *
 * Pure Node (no `vscode` import), so the test suite can load it.
 */

import * as fs from "node:fs";
import * as path from "node:path";
import { resolveUserPath } from "./settings";

export type Lookup =
  | { found: true; path: string; source: "setting" | "PATH" }
  | { found: false; reason: string };

function isExecutable(file: string): boolean {
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) {
      return false;
    }
    if (process.platform === "win32") {
      return true;
    }
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Searches `PATH` (and `PATHEXT` on Windows) for `name`. */
export function searchPath(
  name: string,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const dirs = (env.PATH ?? env.Path ?? "").split(path.delimiter).filter((d) => d !== "");
  const extensions =
    process.platform === "win32"
      ? (env.PATHEXT ?? ".EXE;.CMD;.BAT;.COM").split(";").filter((e) => e !== "")
      : [""];
  for (const dir of dirs) {
    for (const extension of extensions) {
      const candidate = path.join(dir, name + extension);
      if (isExecutable(candidate)) {
        return candidate;
      }
    }
  }
  return undefined;
}

/** Resolves the executable from the `jiaodui.path` setting (may be empty) or `PATH`. */
export function findJiaodui(configured: string, workspaceFolder?: string): Lookup {
  const setting = configured.trim();
  if (setting !== "") {
    const resolved = resolveUserPath(setting, workspaceFolder);
    if (isExecutable(resolved)) {
      return { found: true, path: resolved, source: "setting" };
    }
    return {
      found: false,
      reason: `jiaodui.path is set to “${setting}”, but ${resolved} is not an executable file.`,
    };
  }
  const onPath = searchPath("jiaodui");
  if (onPath !== undefined) {
    return { found: true, path: onPath, source: "PATH" };
  }
  return {
    found: false,
    reason:
      "The jiaodui executable was not found on PATH. Install it (cargo install --path . in the jiaodui repository) or set jiaodui.path.",
  };
}

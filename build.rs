//! Generates the rule documentation from the rule modules' doc comments, so that rustdoc,
//! `jiaodui explain` and hover text share one source.
//!
//! A rule module (any file under `src/rules/` that declares `id: "…"`) opens with `//!` lines in
//! sections: English (`## What it does`, `## Why is this bad?`, `## Example`, `## Use instead`)
//! and then Chinese (`## 检查什么`, `## 为什么`, `## 错误示例`, `## 正确写法`). The English part
//! is everything before the first Chinese section.

use std::fmt::Write as _;
use std::path::Path;
use std::{env, fs};

const CHINESE_START: &str = "## 检查什么";

fn main() {
    println!("cargo::rerun-if-changed=src/rules");
    let mut docs = Vec::new();
    collect(Path::new("src/rules"), &mut docs);
    docs.sort();
    let mut out = String::from(
        "/// (rule id, English documentation, Chinese documentation)\npub static RULE_DOCS: &[(&str, &str, &str)] = &[\n",
    );
    for (id, en, zh) in docs {
        writeln!(out, "    ({id:?}, {en:?}, {zh:?}),").unwrap();
    }
    out.push_str("];\n");
    let target = Path::new(&env::var("OUT_DIR").unwrap()).join("rule_docs.rs");
    fs::write(target, out).unwrap();
}

fn collect(dir: &Path, docs: &mut Vec<(String, String, String)>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, docs);
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let Ok(source) = fs::read_to_string(&path) else {
            continue;
        };
        let Some(id) = declared_id(&source) else {
            continue;
        };
        let doc: Vec<&str> = source
            .lines()
            .take_while(|l| l.starts_with("//!"))
            .map(|l| {
                l.strip_prefix("//! ")
                    .unwrap_or(l.trim_start_matches("//!"))
            })
            .collect();
        let doc = doc.join("\n");
        let (en, zh) = match doc.find(CHINESE_START) {
            Some(at) => (doc[..at].trim().to_string(), doc[at..].trim().to_string()),
            None => (doc.trim().to_string(), doc.trim().to_string()),
        };
        docs.push((id, en, zh));
    }
}

/// The `id: "…"` of a `Rule` declaration.
fn declared_id(source: &str) -> Option<String> {
    let at = source.find("pub static RULE: Rule")?;
    let rest = &source[at..];
    let id_at = rest.find("id: \"")? + 5;
    let end = rest[id_at..].find('"')?;
    Some(rest[id_at..id_at + end].to_string())
}

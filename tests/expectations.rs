//! The fixtures' expectation files (`tests/fixtures/*.expect.json`), held against the built
//! binary the way `check-expectations.py` holds them: every must-flag line found, every
//! must-not-flag line silent, clean rules clean, the outline in order, the hover probes answered.

mod support;

use std::path::Path;
use std::process::Command;

use serde_json::{Value, json};

fn fixtures() -> Vec<std::path::PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut found: Vec<_> = std::fs::read_dir(root)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".expect.json"))
        .collect();
    found.sort();
    found
}

fn known(rule: &str) -> bool {
    jiaodui::rules::find(rule).is_some()
}

/// 1-based character columns [start, end) of every occurrence of `needle` in `line`.
fn columns_of(line: &str, needle: &str) -> Vec<(usize, usize)> {
    line.match_indices(needle)
        .map(|(at, _)| {
            let start = line[..at].chars().count() + 1;
            (start, start + needle.chars().count())
        })
        .collect()
}

fn overlaps(diagnostic: &Value, line: usize, spans: &[(usize, usize)]) -> bool {
    let point = |p: &Value| {
        (
            p["line"].as_u64().unwrap() as usize,
            p["column"].as_u64().unwrap() as usize,
        )
    };
    let (start, end) = (
        point(&diagnostic["range"]["start"]),
        point(&diagnostic["range"]["end"]),
    );
    if start == end {
        return start.0 == line && spans.iter().any(|&(a, b)| a <= start.1 && start.1 <= b);
    }
    spans
        .iter()
        .any(|&(a, b)| start < (line, b) && end > (line, a))
}

fn check(expect_path: &Path) -> (usize, Vec<String>) {
    let expect: Value =
        serde_json::from_str(&std::fs::read_to_string(expect_path).unwrap()).unwrap();
    let text_path = expect_path
        .parent()
        .unwrap()
        .join(expect["file"].as_str().unwrap());
    let text = std::fs::read_to_string(&text_path).unwrap();
    let lines: Vec<&str> = text.split('\n').collect();
    let output = Command::new(env!("CARGO_BIN_EXE_jiaodui"))
        .args(["check", "--format", "json", "--min-severity", "hint"])
        .arg(&text_path)
        .output()
        .unwrap();
    assert!(matches!(output.status.code(), Some(0 | 1)), "check failed");
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let diagnostics: Vec<Value> = report["files"][0]["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mut passed = 0;
    let mut failed = Vec::new();
    let mut verdict = |ok: bool, what: String| {
        if ok {
            passed += 1;
        } else {
            failed.push(what);
        }
    };
    let empty = Vec::new();
    for m in expect["must_flag"].as_array().unwrap_or(&empty) {
        let rule = m["rule"].as_str().unwrap();
        let line = m["line"].as_u64().unwrap() as usize;
        if !known(rule) {
            eprintln!("skipped: {rule} is not in the catalogue yet");
            continue;
        }
        let mut on_line: Vec<&Value> = diagnostics
            .iter()
            .filter(|d| d["rule"] == rule && d["range"]["start"]["line"] == json!(line))
            .collect();
        if let Some(needle) = m["contains"].as_str() {
            let spans = columns_of(lines[line - 1], needle);
            on_line.retain(|d| overlaps(d, line, &spans));
        }
        let low = m["count_min"].as_u64().or(m["count"].as_u64()).unwrap_or(1) as usize;
        let high = m["count_max"]
            .as_u64()
            .or(m["count"].as_u64())
            .map_or(usize::MAX, |h| h as usize);
        verdict(
            (low..=high).contains(&on_line.len()),
            format!(
                "must flag {rule} at line {line} {:?}: wanted {low}..{high}, found {}",
                m["contains"],
                on_line.len()
            ),
        );
    }
    for m in expect["must_not_flag"].as_array().unwrap_or(&empty) {
        let rules: Vec<&str> = m["rules"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_str().unwrap())
            .collect();
        let bad: Vec<String> = diagnostics
            .iter()
            .filter(|d| {
                rules.contains(&d["rule"].as_str().unwrap())
                    && m["lines"]
                        .as_array()
                        .unwrap()
                        .contains(&d["range"]["start"]["line"])
            })
            .map(|d| {
                format!(
                    "{}@{} {}",
                    d["rule"], d["range"]["start"]["line"], d["message"]
                )
            })
            .collect();
        verdict(
            bad.is_empty(),
            format!("must not flag {rules:?} on {}: {bad:?}", m["lines"]),
        );
    }
    if let Some(clean) = expect["clean_rules"].as_array() {
        let bad: Vec<String> = diagnostics
            .iter()
            .filter(|d| clean.contains(&d["rule"]))
            .map(|d| {
                format!(
                    "{}@{} {}",
                    d["rule"], d["range"]["start"]["line"], d["message"]
                )
            })
            .collect();
        verdict(bad.is_empty(), format!("clean rules: {bad:?}"));
    }
    if let Some(exclusive) = expect["exclusive_rules"].as_array() {
        let wanted: Vec<(Value, Value)> = expect["must_flag"]
            .as_array()
            .unwrap_or(&empty)
            .iter()
            .map(|m| (m["rule"].clone(), m["line"].clone()))
            .collect();
        let extra: Vec<String> = diagnostics
            .iter()
            .filter(|d| exclusive.contains(&d["rule"]))
            .filter(|d| !wanted.contains(&(d["rule"].clone(), d["range"]["start"]["line"].clone())))
            .map(|d| format!("{}@{}", d["rule"], d["range"]["start"]["line"]))
            .collect();
        verdict(
            extra.is_empty(),
            format!("findings beyond the expected ones: {extra:?}"),
        );
    }
    if let Some(want) = expect["outline"].as_array() {
        let output = Command::new(env!("CARGO_BIN_EXE_jiaodui"))
            .args(["outline", "--format", "json"])
            .arg(&text_path)
            .output()
            .unwrap();
        let outline: Value = serde_json::from_slice(&output.stdout).unwrap();
        let got = outline["sections"].as_array().cloned().unwrap_or_default();
        let names = |list: &[Value]| list.iter().map(|s| s["name"].clone()).collect::<Vec<_>>();
        verdict(
            names(&got) == names(want),
            format!("outline names: {:?}", names(&got)),
        );
        for w in want {
            let g = got.iter().find(|s| s["name"] == w["name"]);
            verdict(
                g.is_some_and(|g| g["byline"] == w["byline"] && g["place"] == w["place"]),
                format!(
                    "outline entry {}: {:?}",
                    w["name"],
                    g.map(|g| (&g["byline"], &g["place"]))
                ),
            );
        }
    }
    if let Some(probes) = expect["hover"].as_array() {
        let mut client = support::Client::start(Some(&["utf-16"]));
        let uri = format!("file://{}", text_path.display());
        client.open(&uri, "plaintext", &text);
        for probe in probes {
            let line = probe["line"].as_u64().unwrap() as usize;
            let needle = probe["text"].as_str().unwrap();
            let line_text = lines[line - 1];
            let at = line_text.find(needle).unwrap();
            let character = support::utf16_len(&line_text[..at]) + 1;
            let result = client.request(
                "textDocument/hover",
                json!({"textDocument": {"uri": uri}, "position": {"line": line - 1, "character": character}}),
            );
            let contents = if result.is_null() {
                String::new()
            } else {
                result.to_string()
            };
            let ok = match (
                probe["must_contain"].as_array(),
                probe["must_contain_any"].as_array(),
            ) {
                (Some(all), _) => all.iter().all(|s| contents.contains(s.as_str().unwrap())),
                (None, Some(any)) => any.iter().any(|s| contents.contains(s.as_str().unwrap())),
                (None, None) => true,
            };
            verdict(ok, format!("hover on {needle} at line {line}: {contents}"));
        }
        client.shutdown();
    }
    (passed, failed)
}

#[test]
fn fixtures_meet_their_expectations() {
    let files = fixtures();
    assert!(!files.is_empty());
    let mut report = Vec::new();
    for file in &files {
        let (passed, failed) = check(file);
        eprintln!(
            "{}: {passed} passed, {} failed",
            file.display(),
            failed.len()
        );
        for failure in failed {
            report.push(format!(
                "{}: {failure}",
                file.file_name().unwrap().to_string_lossy()
            ));
        }
    }
    assert!(
        report.is_empty(),
        "{} shortfall(s):\n{}",
        report.len(),
        report.join("\n")
    );
}

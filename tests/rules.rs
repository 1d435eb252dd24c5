//! Data-driven rule tests, in the manner of rust-analyzer's `test_data`.
//!
//! Every `tests/rules/<rule-id>/<case>.txt` (or `.md`) is analysed with the default settings; the
//! findings of that rule are rendered one per line and compared with `<case>.expected` beside
//! it. A clean counter-example has an empty `.expected`. After an intended change, run
//! `UPDATE_EXPECT=1 cargo test --test rules` and review the diff.

use std::fs;
use std::path::{Path, PathBuf};

use jiaodui::analysis::{DocumentKind, Finding, Locale, analyze};
use jiaodui::config::Settings;
use jiaodui::position::to_line_column;
use ropey::Rope;

fn render(text: &str, findings: &[&Finding]) -> String {
    let rope = Rope::from_str(text);
    let position = |byte: usize| {
        let (line, column) = to_line_column(&rope, byte);
        format!("{line}:{column}")
    };
    let mut out = String::new();
    for finding in findings {
        out.push_str(&format!(
            "{}-{} {} {} «{}»\n",
            position(finding.range.start),
            position(finding.range.end),
            finding.severity.as_str(),
            finding.message.get(Locale::Zh),
            &text[finding.range.clone()],
        ));
        for related in &finding.related {
            out.push_str(&format!(
                "    related {}: {}\n",
                position(related.range.start),
                related.message.get(Locale::Zh)
            ));
        }
        for fix in &finding.fixes {
            let edits: Vec<String> = fix
                .edits
                .iter()
                .map(|e| {
                    format!(
                        "{}-{} {:?}",
                        position(e.range.start),
                        position(e.range.end),
                        e.new_text
                    )
                })
                .collect();
            let safe = if fix.safe { "safe" } else { "unsafe" };
            out.push_str(&format!(
                "    fix ({safe}) {}: {}\n",
                fix.title.get(Locale::Zh),
                edits.join("; ")
            ));
        }
    }
    out
}

fn cases() -> Vec<(String, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rules");
    let mut cases = Vec::new();
    for rule_dir in fs::read_dir(&root).expect("tests/rules").flatten() {
        let rule = rule_dir.file_name().to_string_lossy().to_string();
        for file in fs::read_dir(rule_dir.path())
            .expect("rule folder")
            .flatten()
        {
            let path = file.path();
            let is_input = path.extension().is_some_and(|e| e == "txt" || e == "md");
            if is_input {
                cases.push((rule.clone(), path));
            }
        }
    }
    cases.sort();
    cases
}

#[test]
fn rule_cases_match_their_expectations() {
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut failures = Vec::new();
    let cases = cases();
    assert!(!cases.is_empty(), "no rule cases found");
    for (rule, path) in &cases {
        assert!(
            jiaodui::rules::find(rule).is_some(),
            "tests/rules/{rule} names no rule of the catalogue"
        );
        let text = fs::read_to_string(path).expect("case text");
        let kind = DocumentKind::from_path(&path.to_string_lossy());
        let analysis = analyze(&text, kind, &Settings::default());
        let findings: Vec<&Finding> = analysis
            .findings
            .iter()
            .filter(|f| f.rule == rule)
            .collect();
        let got = render(&text, &findings);
        let expected_path = path.with_extension("expected");
        if update {
            fs::write(&expected_path, &got).expect("write expectation");
            continue;
        }
        let expected = fs::read_to_string(&expected_path).unwrap_or_default();
        if got != expected {
            failures.push(format!(
                "{}\n--- expected\n{expected}--- got\n{got}",
                path.display()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} case(s) differ (UPDATE_EXPECT=1 to accept):\n\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Professionally edited copy must stay nearly silent: at most one warning per 10,000
/// characters over the clean corpus, all rules together.
#[test]
fn clean_articles_stay_nearly_silent() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/clean");
    let mut characters = 0usize;
    let mut warnings = Vec::new();
    for file in fs::read_dir(&root).expect("tests/clean").flatten() {
        let path = file.path();
        let Ok(text) = fs::read_to_string(&path) else {
            continue;
        };
        characters += text.chars().count();
        let kind = DocumentKind::from_path(&path.to_string_lossy());
        for finding in analyze(&text, kind, &Settings::default()).findings {
            if finding.severity >= jiaodui::analysis::Severity::Warning {
                let rope = Rope::from_str(&text);
                let (line, column) = to_line_column(&rope, finding.range.start);
                warnings.push(format!(
                    "{}:{line}:{column} {} {}",
                    path.file_name().unwrap().to_string_lossy(),
                    finding.rule,
                    finding.message.get(Locale::Zh)
                ));
            }
        }
    }
    assert!(characters > 0, "the clean corpus is empty");
    let allowed = characters / 10_000;
    assert!(
        warnings.len() <= allowed,
        "{} warnings over {characters} characters of clean copy (at most {allowed}):\n{}",
        warnings.len(),
        warnings.join("\n")
    );
}

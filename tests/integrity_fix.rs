//! `check --fix` through the library on the real fixture: safe fixes applied in rounds reach a
//! fixed point, and no finding with a safe fix is left.

use std::fs;
use std::path::Path;

use jiaodui::analysis::{DocumentKind, analyze, fixes};
use jiaodui::config::Settings;

fn fix_until_stable(mut text: String) -> (String, usize) {
    let settings = Settings::default();
    for round in 0..20 {
        let analysis = analyze(&text, DocumentKind::Plain, &settings);
        let edits = fixes::safe_edits(&analysis.findings);
        if edits.is_empty() {
            return (text, round);
        }
        text = fixes::apply(&text, &edits);
    }
    panic!("safe fixes did not reach a fixed point in 20 rounds");
}

#[test]
fn safe_fixes_on_the_fixture_are_idempotent_and_leave_nothing_safe_behind() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hohhot-interviews-2026.txt");
    let original = fs::read_to_string(path).expect("fixture");
    let (fixed, rounds) = fix_until_stable(original.clone());
    assert!(rounds >= 1, "the fixture has safe fixes");
    assert_ne!(fixed, original);

    let (again, more_rounds) = fix_until_stable(fixed.clone());
    assert_eq!(more_rounds, 0, "a second --fix changes nothing");
    assert_eq!(again, fixed);

    let analysis = analyze(&fixed, DocumentKind::Plain, &Settings::default());
    let left: Vec<String> = analysis
        .findings
        .iter()
        .filter(|f| f.fixes.iter().any(|fix| fix.safe))
        .map(|f| format!("{} {}", f.rule, f.message.zh))
        .collect();
    assert!(
        left.is_empty(),
        "findings with safe fixes remain: {left:#?}"
    );
    for rule in ["split-paragraph", "repeated-word", "traditional-char"] {
        assert!(
            analysis.findings.iter().all(|f| f.rule != rule),
            "{rule} still fires after --fix"
        );
    }
    // The layout cuts are joined, the doubled word and the traditional characters are gone.
    assert!(fixed.contains("赛罕区委副书记"));
    assert!(fixed.contains("创新多元消费新场景"));
    assert!(!fixed.contains('鋒'));
}

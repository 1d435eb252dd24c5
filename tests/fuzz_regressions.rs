//! Replays every saved fuzz finding (`fuzz/regressions/<target>/*`) through the fuzz target's
//! own code, as an ordinary test: a crash found once stays fixed.

#[path = "../fuzz/src/lib.rs"]
#[allow(dead_code)]
mod targets;

use std::path::Path;

/// A fuzz target's body.
type Target = fn(&[u8]);

/// The targets, by folder name, as in fuzz/Cargo.toml.
const TARGETS: &[(&str, Target)] = &[
    ("analyze_text", targets::analyze_text),
    ("decode_bytes", targets::decode_bytes),
    ("document_edits", targets::document_edits),
    ("config_toml", targets::config_toml),
    ("config_json", targets::config_json),
];

/// Runs each file of each target's folder, collecting failures so that one report names them
/// all.
#[test]
fn every_saved_fuzz_input_passes_its_target() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let mut failures = Vec::new();
    let mut replayed = 0;
    for (name, target) in TARGETS {
        let folder = root.join(name);
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        let mut files: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        files.sort();
        for file in files {
            let hidden = file
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'));
            if hidden || !file.is_file() {
                continue;
            }
            let data = std::fs::read(&file).expect("read a regression input");
            replayed += 1;
            let outcome = std::panic::catch_unwind(|| target(&data));
            if let Err(panic) = outcome {
                let message = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                failures.push(format!("{}: {message}", file.display()));
            }
        }
    }
    eprintln!("replayed {replayed} saved fuzz inputs");
    assert!(
        failures.is_empty(),
        "{} saved fuzz input(s) still fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The committed seeds run clean too: they are what every fuzzing run starts from.
#[test]
fn the_seeds_pass_their_targets() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds");
    for (name, target) in TARGETS {
        let Ok(entries) = std::fs::read_dir(root.join(name)) else {
            continue;
        };
        for entry in entries.flatten() {
            let data = std::fs::read(entry.path()).expect("read a seed");
            target(&data);
        }
    }
}

/// The naive model the document target compares against agrees with the examples the position
/// module documents.
#[test]
fn the_naive_position_model_clamps_as_documented() {
    use jiaodui::position::{Encoding, Position};
    let text = "ab\r\n𠮷鋒c\n\n末";
    let line_one = text.find('𠮷').unwrap();
    assert_eq!(
        targets::naive_offset(text, Position::new(0, 99), Encoding::Utf16),
        2
    );
    assert_eq!(
        targets::naive_offset(text, Position::new(9, 0), Encoding::Utf8),
        text.len()
    );
    assert_eq!(
        targets::naive_offset(text, Position::new(1, 1), Encoding::Utf16),
        line_one
    );
    assert_eq!(
        targets::naive_offset(text, Position::new(1, 2), Encoding::Utf8),
        line_one
    );
    let c = text.find('c').unwrap();
    assert_eq!(
        targets::naive_position(text, c, Encoding::Utf16),
        Position::new(1, 3)
    );
}

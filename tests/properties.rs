//! Properties of the analysis on random Chinese-ish text: pieces of the shipped articles, random
//! punctuation (full- and half-width), quotation marks, ordinals, bylines and Markdown markup.
//!
//! * every finding's range, related range and fix edit lies inside the text on character
//!   boundaries, and every fix gives valid text;
//! * `check --fix` (safe fixes in rounds, as src/cli/check.rs applies them) is idempotent:
//!   applying all safe fixes twice equals applying them once;
//! * the ranges the server publishes are inside the document in every negotiated encoding
//!   (checked at the library level through `jiaodui::position`, the server's only converter).

use std::ops::Range;
use std::path::Path;
use std::sync::LazyLock;

use jiaodui::analysis::{Analysis, DocumentKind, Engine, Finding, analyze, fixes};
use jiaodui::config::Settings;
use jiaodui::position::{self, Encoding};
use proptest::prelude::*;
use ropey::Rope;

/// Sentences and lines of the articles under tests/ (the fixture and the clean articles).
static FRAGMENTS: LazyLock<Vec<String>> = LazyLock::new(|| {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut files = vec![root.join("fixtures/hohhot-interviews-2026.txt")];
    if let Ok(entries) = std::fs::read_dir(root.join("clean")) {
        files.extend(entries.flatten().map(|e| e.path()));
    }
    let mut fragments = Vec::new();
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        for line in text.lines() {
            for sentence in line.split_inclusive(['。', '？', '！']) {
                let sentence = sentence.trim();
                if !sentence.is_empty() && sentence.chars().count() <= 120 {
                    fragments.push(sentence.to_string());
                }
            }
        }
    }
    assert!(
        fragments.len() > 50,
        "the articles under tests/ give fragments"
    );
    fragments
});

const PUNCTUATION: &[&str] = &[
    "，", "。", "、", "；", "：", "？", "！", ",", ".", ":", ";", "?", "!", "（", "）", "(", ")",
    "《", "》", "——", "…", "……", " ", "　", "\t",
];
const QUOTES: &[&str] = &["“", "”", "‘", "’", "\"", "'", "「", "」", "『", "』"];
const ORDINALS: &[&str] = &[
    "一是",
    "二是",
    "三是",
    "四是",
    "五是",
    "第一，",
    "第二，",
    "第三，",
    "（一）",
    "（二）",
    "（三）",
    "一、",
    "二、",
    "三、",
    "1.",
    "2.",
    "3.",
    "首先，",
    "其次，",
    "最后，",
    "四个方面",
    "三项",
    "5项",
    "两个",
];
const BYLINES: &[&str] = &[
    "——访呼和浩特市副市长王建国\n",
    "——访赛罕区委副书记、代区长杨朋飞\n",
    "——访某县县委书记李明\n",
    "（记者 张三）\n",
    "本报记者 李四\n",
];
const MARKUP: &[&str] = &[
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "# ",
    "## ",
    "> ",
    "- ",
    "* ",
    "1. ",
    "<!-- jiaodui-disable -->",
    "<!-- jiaodui-disable-next-line quote-unbalanced -->\n",
    "`",
    "**",
];
const SCRIPTS: &[&str] = &[
    "發展",
    "经济",
    "習近平",
    "𠮷",
    "😀",
    "👨\u{200d}👩\u{200d}👧",
    "مرحبا",
    "\u{200f}",
    "\u{feff}",
    "e\u{301}",
    "ABC",
    "2026年",
    "3.5%",
];

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(FRAGMENTS.clone()),
        3 => prop::sample::select(PUNCTUATION).prop_map(str::to_string),
        2 => prop::sample::select(QUOTES).prop_map(str::to_string),
        2 => prop::sample::select(ORDINALS).prop_map(str::to_string),
        1 => prop::sample::select(BYLINES).prop_map(str::to_string),
        2 => prop::sample::select(MARKUP).prop_map(str::to_string),
        1 => prop::sample::select(SCRIPTS).prop_map(str::to_string),
    ]
}

fn article() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..60).prop_map(|pieces| pieces.concat())
}

fn kind() -> impl Strategy<Value = DocumentKind> {
    prop::sample::select(vec![DocumentKind::Plain, DocumentKind::Markdown])
}

fn valid(text: &str, range: &Range<usize>) -> bool {
    range.start <= range.end
        && range.end <= text.len()
        && text.is_char_boundary(range.start)
        && text.is_char_boundary(range.end)
}

fn check_findings(text: &str, findings: &[Finding]) -> Result<(), TestCaseError> {
    for finding in findings {
        prop_assert!(
            valid(text, &finding.range),
            "{}: range {:?} outside the text or off a character boundary",
            finding.rule,
            finding.range
        );
        for related in &finding.related {
            prop_assert!(
                valid(text, &related.range),
                "{}: related range {:?}",
                finding.rule,
                related.range
            );
        }
        for fix in &finding.fixes {
            for edit in &fix.edits {
                prop_assert!(
                    valid(text, &edit.range),
                    "{}: fix edit {:?}",
                    finding.rule,
                    edit.range
                );
            }
            // Applied alone (as the editor's quick fix applies it), the fix gives text in which
            // every edit landed: the result has the expected length.
            let mut edits = fix.edits.clone();
            edits.sort_by_key(|e| (e.range.start, e.range.end));
            let disjoint = edits.windows(2).all(|w| w[0].range.end <= w[1].range.start);
            if disjoint {
                let fixed = fixes::apply(text, &edits);
                let expected_len = text.len() as isize
                    + edits
                        .iter()
                        .map(|e| e.new_text.len() as isize - e.range.len() as isize)
                        .sum::<isize>();
                prop_assert_eq!(fixed.len() as isize, expected_len, "{}", finding.rule);
            }
        }
    }
    Ok(())
}

/// Two analyses of one text agree on everything they report.
fn same_analysis(got: &Analysis, want: &Analysis, what: &str) -> Result<(), TestCaseError> {
    prop_assert_eq!(&got.findings, &want.findings, "{}: findings differ", what);
    prop_assert_eq!(got.article(), want.article(), "{}: articles differ", what);
    prop_assert_eq!(
        got.enumerations(),
        want.enumerations(),
        "{}: lists differ",
        what
    );
    prop_assert_eq!(got.mentions(), want.mentions(), "{}: mentions differ", what);
    Ok(())
}

/// An edit of a text: a range (on character boundaries) and what replaces it.
#[derive(Debug, Clone)]
struct TextEdit {
    /// Where the edit falls, as fractions of the text's length.
    at: (f64, f64),
    insert: String,
}

impl TextEdit {
    fn apply(&self, text: &str) -> String {
        let boundary = |fraction: f64| {
            let mut at = ((text.len() as f64) * fraction) as usize;
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            at
        };
        let (a, b) = (boundary(self.at.0), boundary(self.at.1));
        let (start, end) = (a.min(b), a.max(b));
        format!("{}{}{}", &text[..start], self.insert, &text[end..])
    }
}

fn text_edit() -> impl Strategy<Value = TextEdit> {
    (
        0.0..=1.0f64,
        0.0..=1.0f64,
        prop_oneof![
            3 => prop::sample::select(vec!["的", "，", "。", "发", "展", "\n", "“", "”", "一是", ""]).prop_map(str::to_string),
            2 => piece(),
        ],
    )
        .prop_map(|(a, b, insert)| TextEdit {
            // Mostly typing: a short range; sometimes cutting a longer stretch.
            at: (a, (a + (b - 0.5) * 0.05).clamp(0.0, 1.0)),
            insert,
        })
}

/// The number of cases a property runs: `default`, or `PROPTEST_CASES` when set.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default)
}

/// `check --fix`: safe fixes in rounds until stable.
fn fix_rounds(text: &str, kind: DocumentKind, settings: &Settings) -> String {
    fixes::fix_text(text, kind, settings).0
}

proptest! {
    // 200 cases a property; PROPTEST_CASES asks for more.
    #![proptest_config(ProptestConfig { cases: cases(200), ..ProptestConfig::default() })]

    #[test]
    fn findings_and_fixes_stay_inside_the_text(text in article(), kind in kind()) {
        let analysis = analyze(&text, kind, &Settings::default());
        check_findings(&text, &analysis.findings)?;
        let edits = fixes::safe_edits(&analysis.findings);
        for pair in edits.windows(2) {
            prop_assert!(pair[0].range.end <= pair[1].range.start, "safe edits overlap: {:?}", pair);
        }
    }

    #[test]
    fn applying_safe_fixes_twice_equals_applying_them_once(text in article(), kind in kind()) {
        let settings = Settings::default();
        let once = fix_rounds(&text, kind, &settings);
        let twice = fix_rounds(&once, kind, &settings);
        prop_assert_eq!(&twice, &once, "a second check --fix changed the text");
        check_findings(&once, &analyze(&once, kind, &settings).findings)?;
    }

    #[test]
    fn the_parts_of_a_document_analyse_as_the_whole(text in article(), kind in kind()) {
        let settings = Settings::default();
        let parts = Engine::new(kind).analyze(&text, &settings);
        let whole = Engine::whole(kind).analyze(&text, &settings);
        same_analysis(&parts, &whole, "parts vs whole")?;
        let once = Engine::once(kind).analyze(&text, &settings);
        same_analysis(&once, &whole, "single version vs whole")?;
    }

    #[test]
    fn after_every_edit_the_engine_equals_a_fresh_analysis(
        text in article(),
        kind in kind(),
        edits in prop::collection::vec(text_edit(), 1..12),
    ) {
        let settings = Settings::default();
        let mut engine = Engine::new(kind);
        let mut text = text;
        engine.analyze(&text, &settings);
        for (n, edit) in edits.iter().enumerate() {
            text = edit.apply(&text);
            let incremental = engine.analyze(&text, &settings);
            let fresh = Engine::whole(kind).analyze(&text, &settings);
            same_analysis(&incremental, &fresh, &format!("after edit {n}"))?;
        }
    }

    #[test]
    fn repeated_passages_are_found_after_every_edit_as_from_scratch(
        pool in prop::collection::vec(prop::sample::select(FRAGMENTS.clone()), 2..6),
        picks in prop::collection::vec((0..6usize, prop::sample::select(vec!["", "\n", "\n\n", "，", "——访赛罕区委副书记、代区长杨朋飞\n"])), 4..40),
        edits in prop::collection::vec(text_edit(), 1..10),
    ) {
        // Few sentences, many copies: duplicate-passage has much to find, with a short
        // minimum length so that edits make and break repeats.
        let (settings, errors) = Settings::from_toml("[rules.duplicate-passage]\nmin_chars = 8\n");
        prop_assert!(errors.is_empty());
        let mut text: String = picks
            .iter()
            .map(|(i, separator)| format!("{}{}", pool[i % pool.len()], separator))
            .collect();
        let mut engine = Engine::new(DocumentKind::Plain);
        engine.analyze(&text, &settings);
        for (n, edit) in edits.iter().enumerate() {
            text = edit.apply(&text);
            let incremental = engine.analyze(&text, &settings);
            let fresh = Engine::whole(DocumentKind::Plain).analyze(&text, &settings);
            prop_assert_eq!(
                &incremental.findings,
                &fresh.findings,
                "after edit {}", n
            );
            let once = Engine::once(DocumentKind::Plain).analyze(&text, &settings);
            prop_assert_eq!(&once.findings, &fresh.findings, "single version, after edit {}", n);
        }
    }

    #[test]
    fn published_ranges_are_inside_the_document_in_every_encoding(text in article(), kind in kind()) {
        let analysis = analyze(&text, kind, &Settings::default());
        let rope = Rope::from_str(&text);
        let lines = rope.len_lines();
        for finding in &analysis.findings {
            let ranges = std::iter::once(&finding.range)
                .chain(finding.related.iter().map(|r| &r.range))
                .chain(finding.fixes.iter().flat_map(|f| f.edits.iter().map(|e| &e.range)));
            for range in ranges {
                for encoding in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
                    let start = position::to_position(&rope, range.start, encoding);
                    let end = position::to_position(&rope, range.end, encoding);
                    prop_assert!(start <= end, "{}: {:?} > {:?}", finding.rule, start, end);
                    for (at, p) in [(range.start, start), (range.end, end)] {
                        let line = p.line as usize;
                        prop_assert!(line < lines, "{}: line {} of {}", finding.rule, line, lines);
                        let line_text = rope.line(line).to_string();
                        let units = match encoding {
                            Encoding::Utf8 => line_text.len(),
                            Encoding::Utf16 => line_text.encode_utf16().count(),
                            Encoding::Utf32 => line_text.chars().count(),
                        };
                        prop_assert!(
                            (p.character as usize) <= units,
                            "{}: column {} past the line's {} units ({:?})",
                            finding.rule, p.character, units, encoding
                        );
                        // The editor's position leads back to the same byte, except inside a
                        // CRLF pair (where no editor can put a cursor).
                        let inside_crlf = at > 0 && text.as_bytes().get(at - 1) == Some(&b'\r')
                            && text.as_bytes().get(at) == Some(&b'\n');
                        if !inside_crlf {
                            prop_assert_eq!(
                                position::to_offset(&rope, p, encoding), at,
                                "{}: {:?} does not lead back to byte {}", finding.rule, p, at
                            );
                        }
                    }
                }
            }
        }
    }
}

/// The language verdict is kept from version to version only while the text it read stands:
/// a part added after an English document can make it Chinese.
#[test]
fn the_engine_judges_the_language_again_when_what_it_read_changes() {
    let settings = Settings::default();
    let english = "Notes from the meeting, where the plan was discussed at length.\n".repeat(30);
    let chinese = "会议强调,要推动高质量发展,稳住经济增长。\n".repeat(150);
    let first = format!("Headline\n\n{english}\n——访赛罕区委副书记、代区长杨朋飞\n\n{english}");
    let versions = [
        first.clone(),
        // The parts of the first version, unchanged, and a Chinese part after them.
        format!("{first}——访武川县委书记哈达\n\n{chinese}"),
        first.clone(),
        format!("{chinese}{first}"),
        english.clone(),
    ];
    let mut engine = Engine::new(DocumentKind::Plain);
    for (n, text) in versions.iter().enumerate() {
        let incremental = engine.analyze(text, &settings);
        let fresh = Engine::whole(DocumentKind::Plain).analyze(text, &settings);
        assert_eq!(
            incremental.findings.len(),
            fresh.findings.len(),
            "version {n}"
        );
        assert_eq!(incremental.findings, fresh.findings, "version {n}");
    }
    assert!(
        !Engine::whole(DocumentKind::Plain)
            .analyze(&versions[1], &settings)
            .findings
            .is_empty()
    );
}

//! The fuzz targets' bodies, one function per target, taking the fuzzer's bytes.
//!
//! They depend on nothing but jiaodui, serde_json and std, so that `tests/fuzz_regressions.rs`
//! can include this file and replay every saved crash as an ordinary test. Each function panics
//! when jiaodui panics or breaks one of its invariants:
//!
//! * every range the analysis reports (findings, related places, fix edits, blocks, paragraph
//!   pieces) lies inside the text and on character boundaries;
//! * `check --fix` (safe fixes in rounds) settles: a second run changes nothing;
//! * the document model applies an edit script exactly as a naive `String` model with the
//!   documented clamping (past the line end → the line end; inside a character → its start;
//!   past the last line → the end of the text) does, in every position encoding.

use std::ops::Range;

use jiaodui::analysis::{self, Analysis, DocumentKind, Locale, fixes};
use jiaodui::config::Settings;
use jiaodui::document::Document;
use jiaodui::position::{self, Encoding, Position};

/// A short article in the registers the rules read: headline, byline, quotes, a numbered run, a
/// half-width comma, a traditional character. The configuration targets analyse it with the
/// settings they parsed.
pub const SAMPLE: &str = include_str!("sample.txt");

/// Fix rounds, as `check --fix` runs them.
const FIX_ROUNDS: usize = fixes::FIX_ROUNDS;

// ---------------------------------------------------------------------------------------------
// Targets

/// The whole analysis on arbitrary text, plain and Markdown. Bytes that are not UTF-8 are
/// replaced (U+FFFD) so that every input reaches the analysis.
pub fn analyze_text(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let settings = Settings::default();
    for kind in [DocumentKind::Plain, DocumentKind::Markdown] {
        let analysis = analysis::analyze(&text, kind, &settings);
        check_analysis(&text, &analysis);
        // Hover at a handful of offsets, boundaries or not: providers must not panic.
        for offset in sample_offsets(&text, data) {
            if let Some(info) =
                analysis::hover::hover(&text, &analysis, &settings, offset, Locale::Zh)
            {
                check_range(&text, &info.range, "hover range");
            }
        }
        let _ = analysis::outline::outline(&text, &analysis);
    }
}

/// Arbitrary bytes through the CLI's reading path (`check`): files with NUL bytes or invalid
/// UTF-8 are refused, the rest analysed and fixed as `check --fix` does; the fixes must settle.
pub fn decode_bytes(data: &[u8]) {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    // The CLI's `decode`: a NUL byte means binary; otherwise the text must be UTF-8.
    if bytes.contains(&0) {
        return;
    }
    let Ok(text) = String::from_utf8(bytes.to_vec()) else {
        return;
    };
    let kind = if selector & 1 == 0 {
        DocumentKind::Plain
    } else {
        DocumentKind::Markdown
    };
    let settings = Settings::default();
    let (fixed, findings) = fix_file(&text, kind, &settings);
    for finding in &findings {
        check_range(&fixed, &finding.range, "finding after fixes");
    }
    let (again, _) = fix_file(&fixed, kind, &settings);
    assert!(
        again == fixed,
        "check --fix did not settle: a second run changed the text\nfirst:  {fixed:?}\nsecond: {again:?}"
    );
}

/// An edit script on the document model, in one of the three encodings, against a naive model.
pub fn document_edits(data: &[u8]) {
    let mut input = Bytes(data);
    let encoding = match input.byte() % 3 {
        0 => Encoding::Utf8,
        1 => Encoding::Utf16,
        _ => Encoding::Utf32,
    };
    let initial = input.text();
    let mut expected = initial.clone();
    let mut document = Document::new(&initial, 0, DocumentKind::Plain);
    let mut steps = 0;
    while !input.is_empty() && steps < 64 {
        steps += 1;
        let op = input.byte();
        if op % 16 == 15 {
            // The whole text replaced (no range).
            let text = input.text();
            document
                .apply(None, &text, encoding)
                .expect("full replacement");
            expected = text;
        } else {
            let start = input.position(&expected);
            let end = if op & 0x10 != 0 {
                start
            } else {
                input.position(&expected)
            };
            let text = input.text();
            let from = naive_offset(&expected, start, encoding);
            let to = naive_offset(&expected, end, encoding);
            let result = document.apply(Some((start, end)), &text, encoding);
            if from > to {
                assert!(
                    result.is_err(),
                    "a reversed range {start:?}..{end:?} was accepted"
                );
            } else {
                assert!(
                    result.is_ok(),
                    "edit {start:?}..{end:?} refused: {result:?}"
                );
                expected.replace_range(from..to, &text);
            }
        }
        let actual = document.text();
        assert_eq!(
            actual, expected,
            "the document drifted from the naive model ({encoding:?})"
        );
        check_positions(&document, &expected, encoding, &mut input);
    }
}

/// `jiaodui.toml` as the CLI and the server read it, then an analysis under those settings.
pub fn config_toml(data: &[u8]) {
    let source = String::from_utf8_lossy(data);
    let (settings, errors) = Settings::from_toml(&source);
    for error in &errors {
        let _ = error.to_string();
        if let Some((line, column)) = error.position {
            assert!(line >= 1 && column >= 1, "positions are 1-based: {error:?}");
            assert!(
                line <= source.lines().count().max(1) + 1,
                "error line {line} past the end of the file"
            );
        }
    }
    run_settings(&settings);
}

/// Editor settings (`initializationOptions`, `didChangeConfiguration`) as JSON.
pub fn config_json(data: &[u8]) {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    let (settings, errors) = Settings::from_json(&value);
    for error in &errors {
        let _ = error.to_string();
    }
    run_settings(&settings);
    // Layered over a file's settings, as the server does.
    let (file, _) = Settings::from_toml("[rules]\nhalfwidth-punctuation = \"error\"\n");
    let merged = file.merged_with(&settings);
    run_settings(&merged);
}

// ---------------------------------------------------------------------------------------------
// Helpers shared by the targets

/// `check --fix`: safe fixes in rounds until stable, as src/cli/check.rs applies them.
pub fn fix_file(
    text: &str,
    kind: DocumentKind,
    settings: &Settings,
) -> (String, Vec<analysis::Finding>) {
    let mut text = text.to_string();
    let mut findings = analysis::analyze(&text, kind, settings).findings;
    check_findings(&text, &findings);
    for _ in 0..FIX_ROUNDS {
        let edits = fixes::safe_edits(&findings);
        if edits.is_empty() {
            break;
        }
        check_disjoint(&text, &edits);
        let fixed = fixes::apply(&text, &edits);
        if fixed == text {
            break;
        }
        text = fixed;
        findings = analysis::analyze(&text, kind, settings).findings;
        check_findings(&text, &findings);
    }
    (text, findings)
}

fn run_settings(settings: &Settings) {
    let _ = settings.knowledge();
    for kind in [DocumentKind::Plain, DocumentKind::Markdown] {
        let analysis = analysis::analyze(SAMPLE, kind, settings);
        check_analysis(SAMPLE, &analysis);
    }
}

/// Every range of an analysis lies inside the text, on character boundaries.
pub fn check_analysis(text: &str, analysis: &Analysis) {
    check_findings(text, &analysis.findings);
    let article = &analysis.article();
    for block in &article.blocks {
        for piece in &block.pieces {
            check_range(text, piece, "block piece");
        }
    }
    for paragraph in &article.paragraphs {
        for piece in &paragraph.pieces {
            check_range(text, &piece.source, "paragraph piece");
            assert!(
                paragraph.text.is_char_boundary(piece.at),
                "paragraph piece starts inside a character of the joined text"
            );
        }
        for (joined, _) in paragraph.text.char_indices() {
            let source = paragraph.to_source(joined);
            assert!(
                source <= text.len() && text.is_char_boundary(source),
                "paragraph offset {joined} maps to {source}, off a boundary"
            );
        }
    }
    for section in &article.sections {
        check_range(text, &section.range, "section");
    }
    for cut in &article.cuts {
        check_range(text, &cut.gap, "cut");
    }
}

/// Every finding's range, related range and fix edit lies inside the text on boundaries;
/// applying any one fix gives a text that still parses.
pub fn check_findings(text: &str, findings: &[analysis::Finding]) {
    let mut previous = 0;
    for finding in findings {
        let what = finding.rule;
        check_range(text, &finding.range, what);
        assert!(
            finding.range.start >= previous,
            "findings are not sorted by start ({what})"
        );
        previous = finding.range.start;
        for related in &finding.related {
            check_range(text, &related.range, what);
        }
        for fix in &finding.fixes {
            let mut edits = fix.edits.clone();
            for edit in &edits {
                check_range(text, &edit.range, what);
            }
            edits.sort_by_key(|e| (e.range.start, e.range.end));
            let _ = fixes::apply(text, &edits);
        }
    }
}

/// The edits `safe_edits` returns never overlap and are sorted.
fn check_disjoint(text: &str, edits: &[analysis::Edit]) {
    for pair in edits.windows(2) {
        assert!(
            pair[0].range.end <= pair[1].range.start,
            "safe edits overlap: {:?} and {:?}",
            pair[0].range,
            pair[1].range
        );
    }
    for edit in edits {
        check_range(text, &edit.range, "safe edit");
    }
}

pub fn check_range(text: &str, range: &Range<usize>, what: &str) {
    assert!(
        range.start <= range.end
            && range.end <= text.len()
            && text.is_char_boundary(range.start)
            && text.is_char_boundary(range.end),
        "{what}: range {range:?} is not a range of the text ({} bytes)",
        text.len()
    );
}

/// A few offsets to probe: the ends, and some picked by the input (not always boundaries).
fn sample_offsets(text: &str, data: &[u8]) -> Vec<usize> {
    let mut offsets = vec![0, text.len(), text.len() + 1];
    for chunk in data.chunks(97).take(4) {
        let seed = chunk
            .iter()
            .fold(0usize, |a, &b| a.wrapping_mul(31).wrapping_add(b as usize));
        if !text.is_empty() {
            offsets.push(seed % text.len());
        }
    }
    offsets
}

/// Positions of the document agree with the naive model both ways.
fn check_positions(document: &Document, text: &str, encoding: Encoding, input: &mut Bytes<'_>) {
    let rope = document.rope();
    let mut probes = vec![0, text.len()];
    for _ in 0..3 {
        if text.is_empty() {
            break;
        }
        probes.push(input.byte() as usize * text.len() / 255);
    }
    for byte in probes {
        let position = position::to_position(rope, byte, encoding);
        let expected = naive_position(text, byte, encoding);
        assert_eq!(
            position, expected,
            "to_position({byte}) in {encoding:?} of {text:?}"
        );
        let back = position::to_offset(rope, position, encoding);
        let start = floor_boundary(text, byte);
        let inside_crlf =
            start > 0 && text[..start].ends_with('\r') && text[start..].starts_with('\n');
        if !inside_crlf {
            assert_eq!(
                back, start,
                "to_offset(to_position({byte})) in {encoding:?} of {text:?}"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The naive model: lines split on CRLF, LF and CR, as the rope splits them.

/// `(start, end of content)` of every line.
pub fn naive_lines(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut lines = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                lines.push((start, i));
                i += 2;
                start = i;
            }
            b'\r' | b'\n' => {
                lines.push((start, i));
                i += 1;
                start = i;
            }
            _ => i += 1,
        }
    }
    lines.push((start, bytes.len()));
    lines
}

pub fn width(c: char, encoding: Encoding) -> usize {
    match encoding {
        Encoding::Utf8 => c.len_utf8(),
        Encoding::Utf16 => c.len_utf16(),
        Encoding::Utf32 => 1,
    }
}

/// The byte offset of a position, clamped as `jiaodui::position` documents.
pub fn naive_offset(text: &str, position: Position, encoding: Encoding) -> usize {
    let lines = naive_lines(text);
    let Some(&(start, end)) = lines.get(position.line as usize) else {
        return text.len();
    };
    let column = position.character as usize;
    let mut units = 0;
    for (at, c) in text[start..end].char_indices() {
        let w = width(c, encoding);
        if units + w > column {
            return start + at;
        }
        units += w;
    }
    end
}

/// The position of a byte offset: past the end is the end, inside a character its start.
pub fn naive_position(text: &str, byte: usize, encoding: Encoding) -> Position {
    let byte = floor_boundary(text, byte);
    let lines = naive_lines(text);
    let line = lines
        .iter()
        .rposition(|&(start, _)| start <= byte)
        .unwrap_or(0);
    let start = lines[line].0;
    let column: usize = text[start..byte].chars().map(|c| width(c, encoding)).sum();
    Position::new(line as u32, column as u32)
}

fn floor_boundary(text: &str, byte: usize) -> usize {
    let mut byte = byte.min(text.len());
    while !text.is_char_boundary(byte) {
        byte -= 1;
    }
    byte
}

/// The fuzzer's bytes read as a script: small numbers, positions and texts.
pub struct Bytes<'a>(pub &'a [u8]);

/// Pieces that make edits interesting: surrogate pairs, line ends of every kind, a BOM,
/// combining marks, full-width punctuation.
const PIECES: &[&str] = &[
    "", "a", "𠮷", "鋒", "\r\n", "\n", "\r", "，", "一是", "\u{feff}", "e\u{301}", "“", "”", "😀",
    "\u{200f}", "。\r",
];

impl Bytes<'_> {
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn byte(&mut self) -> u8 {
        match self.0.split_first() {
            Some((&b, rest)) => {
                self.0 = rest;
                b
            }
            None => 0,
        }
    }

    /// A text: pieces from the palette, or raw bytes (lossily decoded).
    fn text(&mut self) -> String {
        let header = self.byte();
        let count = (header & 0x0f) as usize;
        if header & 0x80 != 0 {
            let n = count.min(self.0.len());
            let (raw, rest) = self.0.split_at(n);
            self.0 = rest;
            return String::from_utf8_lossy(raw).into_owned();
        }
        (0..count)
            .map(|_| PIECES[self.byte() as usize % PIECES.len()])
            .collect()
    }

    /// A position: mostly on existing lines with small columns, sometimes far past the line end
    /// or the last line.
    fn position(&mut self, text: &str) -> Position {
        let kind = self.byte();
        let lines = naive_lines(text).len() as u32;
        let line = match kind >> 6 {
            0 | 1 => self.byte() as u32 % lines.max(1),
            2 => lines + self.byte() as u32 % 3,
            _ => u32::MAX - self.byte() as u32 % 2,
        };
        let character = match kind & 0x3 {
            0 | 1 => self.byte() as u32 % 24,
            2 => 100 + self.byte() as u32,
            _ => u32::MAX - self.byte() as u32 % 2,
        };
        Position::new(line, character)
    }
}

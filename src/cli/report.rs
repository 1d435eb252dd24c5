//! Printing findings: human snippets with carets under double-width characters, JSON in the
//! shape of the spec, and SARIF 2.1.0. JSON and SARIF are streamed file by file.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::ops::Range;

use ropey::Rope;
use serde_json::{Value, json};
use unicode_width::UnicodeWidthChar;

use super::check::Format;
use super::is_failure;
use crate::analysis::outline::Outline;
use crate::analysis::{Finding, Locale, Severity};
use crate::position::{Encoding, PositionTable, line_columns, line_end_in, to_line_column};
use crate::rules;

/// One checked file, ready to render.
pub struct Checked {
    pub name: String,
    pub text: String,
    pub findings: Vec<Finding>,
    pub locale: Locale,
}

/// One file's report, rendered where it was checked, so that printing in input order is only
/// writing bytes.
pub struct Rendered {
    /// The human text or the file's JSON object (empty for SARIF).
    bytes: Vec<u8>,
    /// SARIF results, nested into the log at the end.
    sarif: Vec<Value>,
    /// Findings per severity, hint to error.
    counts: [usize; 4],
    locale: Locale,
}

impl Rendered {
    /// Was anything found at warning or above?
    pub fn fails(&self) -> bool {
        SEVERITIES
            .iter()
            .zip(self.counts)
            .any(|(severity, count)| count > 0 && is_failure(*severity))
    }
}

const SEVERITIES: [Severity; 4] = [
    Severity::Hint,
    Severity::Info,
    Severity::Warning,
    Severity::Error,
];

/// Where a severity is counted: its place in [`SEVERITIES`].
fn slot(severity: Severity) -> usize {
    match severity {
        Severity::Hint => 0,
        Severity::Info => 1,
        Severity::Warning => 2,
        Severity::Error => 3,
    }
}

/// Renders a checked file in the given format.
pub fn render(format: Format, checked: &Checked) -> Rendered {
    let mut counts = [0; 4];
    for finding in &checked.findings {
        counts[slot(finding.severity)] += 1;
    }
    let mut bytes = Vec::new();
    let mut sarif = Vec::new();
    match format {
        // Writing to a Vec<u8> cannot fail.
        Format::Human => {
            let starts = checked.findings.iter().flat_map(|f| {
                std::iter::once(f.range.start).chain(f.related.iter().map(|r| r.range.start))
            });
            let positions = PositionTable::new(&checked.text, starts, Encoding::Utf32);
            let _ = human(&mut bytes, checked, &positions);
        }
        Format::Json => {
            let positions = line_columns(&checked.text, &offsets(checked));
            bytes.reserve(JSON_BYTES_PER_FINDING * checked.findings.len());
            file_json(&mut bytes, checked, &positions);
        }
        Format::Sarif => sarif = sarif_results(checked, &positions(checked)),
    }
    Rendered {
        bytes,
        sarif,
        counts,
        locale: checked.locale,
    }
}

/// Every offset that a file's findings name, in the order the JSON report writes them: for
/// each finding its range, its related ranges and its fixes' edits, start then end.
fn offsets(checked: &Checked) -> Vec<usize> {
    let ranges = |f: &Finding| {
        f.related.len() + 1 + f.fixes.iter().map(|fix| fix.edits.len()).sum::<usize>()
    };
    let mut offsets = Vec::with_capacity(2 * checked.findings.iter().map(ranges).sum::<usize>());
    for f in &checked.findings {
        offsets.extend([f.range.start, f.range.end]);
        for r in &f.related {
            offsets.extend([r.range.start, r.range.end]);
        }
        for e in f.fixes.iter().flat_map(|fix| &fix.edits) {
            offsets.extend([e.range.start, e.range.end]);
        }
    }
    offsets
}

/// The lines and columns of every offset that a file's findings name, converted together.
fn positions(checked: &Checked) -> PositionTable<'_> {
    PositionTable::new(&checked.text, offsets(checked), Encoding::Utf32)
}

/// About what one finding takes in the JSON report, to size its buffer once.
const JSON_BYTES_PER_FINDING: usize = 512;

/// A run of one rule with more findings than this (at hint or info) is shown by its first few
/// and a count.
const GROUP_AFTER: usize = 5;
const GROUP_SHOWN: usize = 3;

/// Characters of context shown around a finding on long lines.
const CONTEXT_CHARS: usize = 24;
const RANGE_CHARS: usize = 40;

/// Writes rendered files in order, then the summary (or the SARIF log).
pub struct Printer<W: Write> {
    format: Format,
    out: W,
    files: usize,
    counts: [usize; 4],
    results: Vec<Value>,
    locale: Locale,
    /// The first error writing the output; nothing more is written after it.
    error: Option<io::Error>,
}

impl<W: Write> Printer<W> {
    pub fn new(format: Format, out: W) -> Printer<W> {
        Printer {
            format,
            out,
            files: 0,
            counts: [0; 4],
            results: Vec::new(),
            locale: Locale::Zh,
            error: None,
        }
    }

    /// Writes one file's report and flushes it, so that reports stream as files are done.
    pub fn file(&mut self, rendered: Rendered) {
        self.locale = rendered.locale;
        for (total, count) in self.counts.iter_mut().zip(rendered.counts) {
            *total += count;
        }
        let prefix: &[u8] = match self.format {
            Format::Json if self.files == 0 => b"{\"files\": [\n",
            Format::Json => b",\n",
            Format::Human | Format::Sarif => b"",
        };
        self.files += 1;
        self.results.extend(rendered.sarif);
        if self.error.is_none()
            && let Err(error) = self
                .out
                .write_all(prefix)
                .and_then(|()| self.out.write_all(&rendered.bytes))
                .and_then(|()| self.out.flush())
        {
            self.error = Some(error);
        }
    }

    pub fn finish(mut self) -> io::Result<()> {
        if let Some(error) = self.error {
            return Err(error);
        }
        let counts: BTreeMap<Severity, usize> = SEVERITIES
            .into_iter()
            .zip(self.counts)
            .filter(|(_, count)| *count > 0)
            .collect();
        let total: usize = self.counts.iter().sum();
        match self.format {
            Format::Human => {
                let line = summary_line(self.locale, self.files, total, &counts);
                writeln!(self.out, "{line}")?;
            }
            Format::Json => {
                let opening = if self.files == 0 {
                    "{\"files\": [\n"
                } else {
                    "\n"
                };
                let summary = json!({"files": self.files, "diagnostics": total});
                writeln!(self.out, "{opening}], \"summary\": {summary}}}")?;
            }
            Format::Sarif => {
                let log = sarif_log(std::mem::take(&mut self.results), self.locale);
                writeln!(
                    self.out,
                    "{}",
                    serde_json::to_string_pretty(&log).unwrap_or_default()
                )?;
            }
        }
        self.out.flush()
    }
}

fn summary_line(
    locale: Locale,
    files: usize,
    total: usize,
    counts: &BTreeMap<Severity, usize>,
) -> String {
    let parts: Vec<String> = [
        Severity::Error,
        Severity::Warning,
        Severity::Info,
        Severity::Hint,
    ]
    .iter()
    .filter_map(|s| counts.get(s).map(|n| (s, n)))
    .map(|(s, n)| match locale {
        Locale::Zh => format!("{}{n}", severity_zh(*s)),
        Locale::En => format!("{n} {}", s.as_str()),
    })
    .collect();
    match locale {
        Locale::Zh if total == 0 => format!("检查了{files}个文件，未发现问题。"),
        Locale::Zh => format!(
            "检查了{files}个文件，发现{total}处问题（{}）。",
            parts.join("，")
        ),
        Locale::En if total == 0 => format!("Checked {files} file(s): no findings."),
        Locale::En => format!(
            "Checked {files} file(s): {total} finding(s) ({}).",
            parts.join(", ")
        ),
    }
}

fn severity_zh(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "错误",
        Severity::Warning => "警告",
        Severity::Info => "提示",
        Severity::Hint => "建议",
    }
}

fn human(out: &mut impl Write, checked: &Checked, positions: &PositionTable) -> io::Result<()> {
    let mut per_rule: BTreeMap<&str, usize> = BTreeMap::new();
    for finding in &checked.findings {
        *per_rule.entry(finding.rule).or_default() += 1;
    }
    let grouped = |f: &Finding| f.severity <= Severity::Info && per_rule[f.rule] > GROUP_AFTER;
    let mut shown: BTreeMap<&str, usize> = BTreeMap::new();
    for finding in &checked.findings {
        if grouped(finding) {
            let count = shown.entry(finding.rule).or_default();
            *count += 1;
            if *count > GROUP_SHOWN {
                continue;
            }
        }
        snippet(out, checked, positions, finding)?;
    }
    for (rule, count) in per_rule {
        let shown = shown.get(rule).copied().unwrap_or(0);
        if shown > GROUP_SHOWN {
            let more = count - GROUP_SHOWN;
            match checked.locale {
                Locale::Zh => writeln!(
                    out,
                    "{}: 另有{more}处 {rule}（`--format json` 可列出全部，`--fix` 可一并修复）\n",
                    checked.name
                )?,
                Locale::En => writeln!(
                    out,
                    "{}: {more} more {rule} (`--format json` lists them all, `--fix` fixes them)\n",
                    checked.name
                )?,
            }
        }
    }
    Ok(())
}

fn snippet(
    out: &mut impl Write,
    checked: &Checked,
    positions: &PositionTable,
    finding: &Finding,
) -> io::Result<()> {
    let locale = checked.locale;
    let (line, column) = positions.line_column(finding.range.start);
    writeln!(
        out,
        "{}:{line}:{column}: {}[{}] {}",
        checked.name,
        finding.severity.as_str(),
        finding.rule,
        finding.message.get(locale)
    )?;
    let (_, line_start) = positions.line_start(finding.range.start);
    let (source, carets) = excerpt(&checked.text, line_start, finding.range.clone());
    let gutter = " ".repeat(line.to_string().len());
    writeln!(out, "{gutter} |")?;
    writeln!(out, "{line} | {source}")?;
    writeln!(out, "{gutter} | {carets}")?;
    for related in &finding.related {
        let (l, c) = positions.line_column(related.range.start);
        writeln!(out, "{gutter} = {l}:{c}: {}", related.message.get(locale))?;
    }
    if let Some(fix) = finding.fixes.first() {
        let label = match locale {
            Locale::Zh => "修复",
            Locale::En => "fix",
        };
        writeln!(out, "{gutter} = {label}: {}", fix.title.get(locale))?;
    }
    writeln!(out)
}

/// The finding's line (the one starting at `line_start`), cut to a window around the range on
/// long lines, and a caret line whose carets stand under the range, counting display width (two
/// columns for CJK).
fn excerpt(text: &str, line_start: usize, range: Range<usize>) -> (String, String) {
    let line_end = line_end_in(text, line_start);
    let content = &text[line_start..line_end];
    let start = range.start - line_start;
    let end = range.end.clamp(range.start, line_end) - line_start;
    let before: Vec<char> = content[..start].chars().collect();
    let inside: Vec<char> = content[start..end].chars().collect();
    let after: Vec<char> = content[end..].chars().collect();
    let before_shown = &before[before.len().saturating_sub(CONTEXT_CHARS)..];
    let inside_shown = &inside[..inside.len().min(RANGE_CHARS)];
    let after_shown = &after[..after.len().min(CONTEXT_CHARS)];
    let mut source = String::new();
    let mut pad = 0;
    if before_shown.len() < before.len() {
        source.push('…');
        pad += 1;
    }
    source.extend(before_shown);
    source.extend(inside_shown);
    if inside_shown.len() < inside.len() {
        source.push('…');
    } else {
        source.extend(after_shown);
        if after_shown.len() < after.len() {
            source.push('…');
        }
    }
    let width = |chars: &[char]| chars.iter().map(|c| c.width().unwrap_or(0)).sum::<usize>();
    pad += width(before_shown);
    let marks = width(inside_shown).max(1);
    let carets = format!("{}{}", " ".repeat(pad), "^".repeat(marks));
    (source, carets)
}

fn range_json(rope: &Rope, range: &Range<usize>) -> Value {
    let (start_line, start_column) = to_line_column(rope, range.start);
    let (end_line, end_column) = to_line_column(rope, range.end);
    json!({"start": {"line": start_line, "column": start_column}, "end": {"line": end_line, "column": end_column}})
}

// The JSON report of one file, written straight from the findings into the file's buffer:
// the keys as the bytes they are, the strings escaped by serde_json, the fields in the order of
// the spec. The bytes are those serde_json gives for the same structure in compact form.

/// `{"path":…,"diagnostics":[…]}` for one file.
/// A file's JSON object. `positions` are the line and column of each of [`offsets`], in its
/// order.
fn file_json(out: &mut Vec<u8>, checked: &Checked, positions: &[(usize, usize)]) {
    let locale = checked.locale;
    let mut positions = positions.iter().copied();
    let mut strings = Strings::default();
    out.extend_from_slice(b"{\"path\":");
    json_string(out, &checked.name);
    out.extend_from_slice(b",\"diagnostics\":[");
    for (i, finding) in checked.findings.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"rule\":");
        strings.write(out, finding.rule);
        out.extend_from_slice(b",\"severity\":");
        strings.write(out, finding.severity.as_str());
        out.extend_from_slice(b",\"message\":");
        strings.write(out, finding.message.get(locale));
        out.extend_from_slice(b",\"range\":");
        json_range(out, &mut positions);
        out.extend_from_slice(b",\"related\":[");
        for (j, related) in finding.related.iter().enumerate() {
            if j > 0 {
                out.push(b',');
            }
            out.extend_from_slice(b"{\"message\":");
            strings.write(out, related.message.get(locale));
            out.extend_from_slice(b",\"range\":");
            json_range(out, &mut positions);
            out.push(b'}');
        }
        out.extend_from_slice(b"],\"fixes\":[");
        for (j, fix) in finding.fixes.iter().enumerate() {
            if j > 0 {
                out.push(b',');
            }
            out.extend_from_slice(b"{\"title\":");
            strings.write(out, fix.title.get(locale));
            out.extend_from_slice(if fix.safe {
                b",\"safe\":true,\"edits\":["
            } else {
                b",\"safe\":false,\"edits\":["
            });
            for (k, edit) in fix.edits.iter().enumerate() {
                if k > 0 {
                    out.push(b',');
                }
                out.extend_from_slice(b"{\"range\":");
                json_range(out, &mut positions);
                out.extend_from_slice(b",\"new_text\":");
                strings.write(out, &edit.new_text);
                out.push(b'}');
            }
            out.extend_from_slice(b"]}");
        }
        out.extend_from_slice(b"]}");
    }
    out.extend_from_slice(b"]}");
    debug_assert!(positions.next().is_none(), "a position left unwritten");
}

/// `{"start":{"line":…,"column":…},"end":{"line":…,"column":…}}`, 1-based: the next two
/// positions.
fn json_range(out: &mut Vec<u8>, positions: &mut impl Iterator<Item = (usize, usize)>) {
    let (start_line, start_column) = positions.next().unwrap_or((1, 1));
    let (end_line, end_column) = positions.next().unwrap_or((1, 1));
    out.extend_from_slice(b"{\"start\":{\"line\":");
    json_number(out, start_line);
    out.extend_from_slice(b",\"column\":");
    json_number(out, start_column);
    out.extend_from_slice(b"},\"end\":{\"line\":");
    json_number(out, end_line);
    out.extend_from_slice(b",\"column\":");
    json_number(out, end_column);
    out.extend_from_slice(b"}}");
}

fn json_string(out: &mut Vec<u8>, text: &str) {
    // Writing to a Vec<u8> cannot fail, and a string always serialises.
    let _ = serde_json::to_writer(&mut *out, text);
}

/// The strings of one file's report already written, by the address of their text: a rule's
/// findings share their message, fix title and replacement text (one allocation each, made
/// once), and each is escaped once and then copied. Two strings with the same address and
/// length while the file's findings live are the same string.
#[derive(Default)]
struct Strings {
    /// Direct-mapped by address: (address, length, where its JSON stands in the output).
    recent: [(usize, usize, Range<usize>); Strings::SLOTS],
}

impl Strings {
    const SLOTS: usize = 16;

    fn write(&mut self, out: &mut Vec<u8>, text: &str) {
        let address = text.as_ptr() as usize;
        let slot = &mut self.recent[(address >> 3) % Strings::SLOTS];
        if slot.0 == address && slot.1 == text.len() && !slot.2.is_empty() {
            out.extend_from_within(slot.2.clone());
            return;
        }
        let start = out.len();
        json_string(out, text);
        *slot = (address, text.len(), start..out.len());
    }
}

fn json_number(out: &mut Vec<u8>, value: usize) {
    out.extend_from_slice(itoa::Buffer::new().format(value).as_bytes());
}

fn sarif_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
    }
}

fn sarif_region(positions: &PositionTable, range: &Range<usize>) -> Value {
    let (start_line, start_column) = positions.line_column(range.start);
    let (end_line, end_column) = positions.line_column(range.end);
    json!({"startLine": start_line, "startColumn": start_column, "endLine": end_line, "endColumn": end_column})
}

fn sarif_results(checked: &Checked, positions: &PositionTable) -> Vec<Value> {
    let locale = checked.locale;
    let location = |range: &Range<usize>| json!({"physicalLocation": {"artifactLocation": {"uri": checked.name}, "region": sarif_region(positions, range)}});
    checked
        .findings
        .iter()
        .map(|f| {
            json!({
                "ruleId": f.rule,
                "level": sarif_level(f.severity),
                "message": {"text": f.message.get(locale)},
                "locations": [location(&f.range)],
                "relatedLocations": f.related.iter().enumerate().map(|(i, r)| {
                    let mut value = location(&r.range);
                    value["id"] = json!(i);
                    value["message"] = json!({"text": r.message.get(locale)});
                    value
                }).collect::<Vec<_>>(),
                "fixes": f.fixes.iter().map(|fix| json!({
                    "description": {"text": fix.title.get(locale)},
                    "artifactChanges": [{
                        "artifactLocation": {"uri": checked.name},
                        "replacements": fix.edits.iter().map(|e| json!({
                            "deletedRegion": sarif_region(positions, &e.range),
                            "insertedContent": {"text": &*e.new_text},
                        })).collect::<Vec<_>>(),
                    }],
                })).collect::<Vec<_>>(),
            })
        })
        .collect()
}

fn sarif_log(results: Vec<Value>, locale: Locale) -> Value {
    let rules: Vec<Value> = rules::catalogue()
        .map(|rule| {
            json!({
                "id": rule.id,
                "shortDescription": {"text": rule.summary().get(locale)},
                "fullDescription": {"text": rule.documentation(locale)},
                "defaultConfiguration": {"level": sarif_level(rule.default_severity)},
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "jiaodui",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    })
}

/// The outline in the spec's JSON shape.
pub fn outline_json(outline: &Outline, rope: &Rope) -> Value {
    let sections: Vec<Value> = outline
        .entries
        .iter()
        .map(|entry| {
            json!({
                "name": entry.name,
                "byline": entry.byline,
                "titles": entry.titles,
                "place": entry.place,
                "headline": entry.headline,
                "range": range_json(rope, &entry.range),
                "lists": entry.children.iter().map(|(label, range)| json!({
                    "label": label,
                    "range": range_json(rope, range),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({"title": outline.title, "sections": sections})
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;

    use crate::analysis::{DocumentKind, Edit, Fix, Localized, Related, analyze};
    use crate::config::Settings;

    // The JSON report of one file as serde derives it: what `file_json` must write.

    #[derive(Serialize)]
    struct PositionJson {
        line: usize,
        column: usize,
    }

    #[derive(Serialize)]
    struct RangeJson {
        start: PositionJson,
        end: PositionJson,
    }

    fn position_serde(positions: &PositionTable, byte: usize) -> PositionJson {
        let (line, column) = positions.line_column(byte);
        PositionJson { line, column }
    }

    fn range_serde(positions: &PositionTable, range: &Range<usize>) -> RangeJson {
        RangeJson {
            start: position_serde(positions, range.start),
            end: position_serde(positions, range.end),
        }
    }

    /// A slice serialised as a JSON array of what `F` makes of each item.
    struct Each<'a, T, F>(&'a [T], F);

    impl<'a, T, S: Serialize, F: Fn(&'a T) -> S> Serialize for Each<'a, T, F> {
        fn serialize<Z: serde::Serializer>(&self, serializer: Z) -> Result<Z::Ok, Z::Error> {
            serializer.collect_seq(self.0.iter().map(&self.1))
        }
    }

    #[derive(Serialize)]
    struct FileJson<'a, D: Serialize> {
        path: &'a str,
        diagnostics: D,
    }

    /// `{"path": …, "diagnostics": […]}` for one file.
    fn file_json_serde<'a>(
        checked: &'a Checked,
        positions: &'a PositionTable<'a>,
    ) -> impl Serialize + 'a {
        let locale = checked.locale;
        FileJson {
            path: &checked.name,
            diagnostics: Each(&checked.findings, move |f: &'a Finding| DiagnosticJson {
                rule: f.rule,
                severity: f.severity.as_str(),
                message: f.message.get(locale),
                range: range_serde(positions, &f.range),
                related: Each(&f.related, move |r: &'a Related| RelatedJson {
                    message: r.message.get(locale),
                    range: range_serde(positions, &r.range),
                }),
                fixes: Each(&f.fixes, move |fix: &'a Fix| FixJson {
                    title: fix.title.get(locale),
                    safe: fix.safe,
                    edits: Each(&fix.edits, move |e: &'a Edit| EditJson {
                        range: range_serde(positions, &e.range),
                        new_text: &e.new_text,
                    }),
                }),
            }),
        }
    }

    #[derive(Serialize)]
    struct DiagnosticJson<'a, R: Serialize, X: Serialize> {
        rule: &'a str,
        severity: &'a str,
        message: &'a str,
        range: RangeJson,
        related: R,
        fixes: X,
    }

    #[derive(Serialize)]
    struct RelatedJson<'a> {
        message: &'a str,
        range: RangeJson,
    }

    #[derive(Serialize)]
    struct FixJson<'a, E: Serialize> {
        title: &'a str,
        safe: bool,
        edits: E,
    }

    #[derive(Serialize)]
    struct EditJson<'a> {
        range: RangeJson,
        new_text: &'a str,
    }

    #[test]
    fn carets_stand_under_double_width_characters() {
        let text = "ab先鋒c";
        let start = text.find('鋒').unwrap();
        let (source, carets) = excerpt(text, 0, start..start + '鋒'.len_utf8());
        assert_eq!(source, text);
        assert_eq!(carets, "    ^^");
    }

    #[test]
    fn long_lines_are_cut_around_the_range() {
        let text = format!("{}鋒{}", "一".repeat(100), "二".repeat(100));
        let start = text.find('鋒').unwrap();
        let (source, carets) = excerpt(&text, 0, start..start + 3);
        assert!(source.starts_with('…') && source.ends_with('…'));
        assert_eq!(carets.trim_start().len(), 2);
        assert_eq!(carets.len() - 2, 1 + 2 * CONTEXT_CHARS);
    }

    fn assert_json_as_serde_writes_it(checked: &Checked) {
        let positions = positions(checked);
        let mut written = Vec::new();
        file_json(
            &mut written,
            checked,
            &line_columns(&checked.text, &offsets(checked)),
        );
        let derived = serde_json::to_vec(&file_json_serde(checked, &positions)).unwrap();
        assert_eq!(
            String::from_utf8(written).unwrap(),
            String::from_utf8(derived).unwrap()
        );
    }

    #[test]
    fn json_is_what_serde_writes_for_the_fixture() {
        let text = include_str!("../../tests/fixtures/hohhot-interviews-2026.txt");
        let analysis = analyze(text, DocumentKind::Plain, &Settings::default());
        let findings = analysis.findings.clone();
        assert!(findings.iter().any(|f| !f.related.is_empty()));
        assert!(findings.iter().any(|f| !f.fixes.is_empty()));
        for locale in [Locale::Zh, Locale::En] {
            assert_json_as_serde_writes_it(&Checked {
                name: "稿件/hohhot.txt".to_string(),
                text: text.to_string(),
                findings: findings.clone(),
                locale,
            });
        }
    }

    #[test]
    fn json_escapes_what_serde_escapes() {
        let text = "第一行\r\n𠮷鋒\"c\\\r末\n\n尾";
        let odd = "引号\"反斜杠\\换行\n回车\r制表\t\u{1}\u{8}\u{c}\u{1f}\u{7f}\u{2028}/𠮷";
        let message = || Localized::new(odd, "en \"quoted\"");
        let at = |c: char| text.find(c).unwrap();
        let finding = |range: Range<usize>, severity| Finding {
            rule: "test-rule",
            severity,
            range,
            message: message(),
            related: Vec::new(),
            fixes: Default::default(),
        };
        let fix = |safe, edits: Vec<Edit>| Fix {
            title: message(),
            edits: edits.into(),
            safe,
        };
        let findings = vec![
            finding(at('鋒')..at('c'), Severity::Error)
                .with_related(0..3, message())
                .with_related(at('末')..text.len(), message())
                .with_fix(fix(
                    true,
                    vec![Edit::replace(at('𠮷')..at('鋒'), odd), Edit::delete(0..0)],
                ))
                .with_fix(fix(false, Vec::new())),
            finding(at('尾')..text.len() + 7, Severity::Hint),
            finding(at('𠮷') + 1..at('𠮷') + 2, Severity::Info)
                .with_fix(fix(false, vec![Edit::insert(text.len(), "")])),
        ];
        for locale in [Locale::Zh, Locale::En] {
            for findings in [Vec::new(), findings.clone()] {
                assert_json_as_serde_writes_it(&Checked {
                    name: odd.to_string(),
                    text: text.to_string(),
                    findings,
                    locale,
                });
            }
        }
    }

    #[test]
    fn strings_written_once_are_copied_only_for_the_same_text() {
        // Two rule ids at one address, of different lengths; messages shared and not.
        static RULES: &str = "rule-a-longer";
        let text = "一二三四五六七八九十";
        let shared = Localized::new("共用的说明", "shared");
        let finding = |rule: &'static str, at: usize, message: Localized| Finding {
            rule,
            severity: Severity::Hint,
            range: at..at + 3,
            message,
            related: Vec::new(),
            fixes: Default::default(),
        };
        let findings = vec![
            finding(&RULES[..6], 0, shared.clone()),
            finding(RULES, 3, shared.clone()),
            finding(&RULES[..6], 6, Localized::new("共用的", "shared")),
            finding(&RULES[..4], 9, shared),
        ];
        for locale in [Locale::Zh, Locale::En] {
            assert_json_as_serde_writes_it(&Checked {
                name: "a.txt".to_string(),
                text: text.to_string(),
                findings: findings.clone(),
                locale,
            });
        }
    }

    #[test]
    fn numbers_are_written_as_serde_writes_them() {
        for value in [0, 1, 9, 10, 99, 100, 12_345, u32::MAX as usize, usize::MAX] {
            let mut written = Vec::new();
            json_number(&mut written, value);
            assert_eq!(written, serde_json::to_vec(&value).unwrap());
        }
    }
}

//! Printing findings: human snippets with carets under double-width characters, JSON in the
//! shape of the spec, and SARIF 2.1.0. JSON and SARIF are streamed file by file.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};
use std::ops::Range;

use ropey::Rope;
use serde::Serialize;
use serde_json::{Value, json};
use unicode_width::UnicodeWidthChar;

use super::check::Format;
use super::is_failure;
use crate::analysis::outline::Outline;
use crate::analysis::{Edit, Finding, Fix, Locale, Related, Severity};
use crate::position::to_line_column;
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
    let rope = Rope::from_str(&checked.text);
    let mut bytes = Vec::new();
    let mut sarif = Vec::new();
    match format {
        // Writing to a Vec<u8> cannot fail.
        Format::Human => {
            let _ = human(&mut bytes, checked, &rope);
        }
        Format::Json => {
            let positions = Positions::new(&rope);
            let _ = serde_json::to_writer(&mut bytes, &file_json(checked, &positions));
        }
        Format::Sarif => sarif = sarif_results(checked, &rope),
    }
    Rendered {
        bytes,
        sarif,
        counts,
        locale: checked.locale,
    }
}

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

fn human(out: &mut impl Write, checked: &Checked, rope: &Rope) -> io::Result<()> {
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
        snippet(out, checked, rope, finding)?;
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
    rope: &Rope,
    finding: &Finding,
) -> io::Result<()> {
    let locale = checked.locale;
    let (line, column) = to_line_column(rope, finding.range.start);
    writeln!(
        out,
        "{}:{line}:{column}: {}[{}] {}",
        checked.name,
        finding.severity.as_str(),
        finding.rule,
        finding.message.get(locale)
    )?;
    let (source, carets) = excerpt(&checked.text, rope, finding.range.clone());
    let gutter = " ".repeat(line.to_string().len());
    writeln!(out, "{gutter} |")?;
    writeln!(out, "{line} | {source}")?;
    writeln!(out, "{gutter} | {carets}")?;
    for related in &finding.related {
        let (l, c) = to_line_column(rope, related.range.start);
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

/// The finding's line, cut to a window around the range on long lines, and a caret line whose
/// carets stand under the range, counting display width (two columns for CJK).
fn excerpt(text: &str, rope: &Rope, range: Range<usize>) -> (String, String) {
    let line = rope.byte_to_line(range.start.min(text.len()));
    let line_start = rope.line_to_byte(line);
    let line_end = crate::position::line_content_end(rope, line);
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

// The JSON report of one file, serialised straight from the findings, without building a
// `Value` for each. The fields come in the order of the spec.

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

/// The lines and columns of one file's offsets, each converted once: a finding, its fixes and
/// its related ranges often share their ends.
struct Positions<'a> {
    rope: &'a Rope,
    known: RefCell<HashMap<usize, (usize, usize)>>,
}

impl<'a> Positions<'a> {
    fn new(rope: &'a Rope) -> Positions<'a> {
        Positions {
            rope,
            known: RefCell::default(),
        }
    }

    fn position(&self, byte: usize) -> PositionJson {
        let (line, column) = *self
            .known
            .borrow_mut()
            .entry(byte)
            .or_insert_with(|| to_line_column(self.rope, byte));
        PositionJson { line, column }
    }

    fn range(&self, range: &Range<usize>) -> RangeJson {
        RangeJson {
            start: self.position(range.start),
            end: self.position(range.end),
        }
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
fn file_json<'a>(checked: &'a Checked, positions: &'a Positions<'a>) -> impl Serialize + 'a {
    let locale = checked.locale;
    FileJson {
        path: &checked.name,
        diagnostics: Each(&checked.findings, move |f: &'a Finding| DiagnosticJson {
            rule: f.rule,
            severity: f.severity.as_str(),
            message: f.message.get(locale),
            range: positions.range(&f.range),
            related: Each(&f.related, move |r: &'a Related| RelatedJson {
                message: r.message.get(locale),
                range: positions.range(&r.range),
            }),
            fixes: Each(&f.fixes, move |fix: &'a Fix| FixJson {
                title: fix.title.get(locale),
                safe: fix.safe,
                edits: Each(&fix.edits, move |e: &'a Edit| EditJson {
                    range: positions.range(&e.range),
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

fn sarif_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
    }
}

fn sarif_region(rope: &Rope, range: &Range<usize>) -> Value {
    let (start_line, start_column) = to_line_column(rope, range.start);
    let (end_line, end_column) = to_line_column(rope, range.end);
    json!({"startLine": start_line, "startColumn": start_column, "endLine": end_line, "endColumn": end_column})
}

fn sarif_results(checked: &Checked, rope: &Rope) -> Vec<Value> {
    let locale = checked.locale;
    let location = |range: &Range<usize>| json!({"physicalLocation": {"artifactLocation": {"uri": checked.name}, "region": sarif_region(rope, range)}});
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
                            "deletedRegion": sarif_region(rope, &e.range),
                            "insertedContent": {"text": e.new_text},
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

    #[test]
    fn carets_stand_under_double_width_characters() {
        let text = "ab先鋒c";
        let rope = Rope::from_str(text);
        let start = text.find('鋒').unwrap();
        let (source, carets) = excerpt(text, &rope, start..start + '鋒'.len_utf8());
        assert_eq!(source, text);
        assert_eq!(carets, "    ^^");
    }

    #[test]
    fn long_lines_are_cut_around_the_range() {
        let text = format!("{}鋒{}", "一".repeat(100), "二".repeat(100));
        let rope = Rope::from_str(&text);
        let start = text.find('鋒').unwrap();
        let (source, carets) = excerpt(&text, &rope, start..start + 3);
        assert!(source.starts_with('…') && source.ends_with('…'));
        assert_eq!(carets.trim_start().len(), 2);
        assert_eq!(carets.len() - 2, 1 + 2 * CONTEXT_CHARS);
    }
}

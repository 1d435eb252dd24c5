//! Printing findings: human snippets with carets under double-width characters, JSON in the
//! shape of the spec, and SARIF 2.1.0. JSON and SARIF are streamed file by file.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::ops::Range;

use ropey::Rope;
use serde_json::{Value, json};
use unicode_width::UnicodeWidthChar;

use super::check::Format;
use crate::analysis::outline::Outline;
use crate::analysis::{Finding, Locale, Severity};
use crate::position::to_line_column;
use crate::rules;

/// One checked file, ready to print.
pub struct Checked {
    pub name: String,
    pub text: String,
    pub findings: Vec<Finding>,
    pub locale: Locale,
}

/// A run of one rule with more findings than this (at hint or info) is shown by its first few
/// and a count.
const GROUP_AFTER: usize = 5;
const GROUP_SHOWN: usize = 3;

/// Characters of context shown around a finding on long lines.
const CONTEXT_CHARS: usize = 24;
const RANGE_CHARS: usize = 40;

pub struct Printer<W: Write> {
    format: Format,
    out: W,
    files: usize,
    counts: BTreeMap<Severity, usize>,
    results: Vec<Value>,
    locale: Locale,
}

impl<W: Write> Printer<W> {
    pub fn new(format: Format, out: W) -> Printer<W> {
        Printer {
            format,
            out,
            files: 0,
            counts: BTreeMap::new(),
            results: Vec::new(),
            locale: Locale::Zh,
        }
    }

    pub fn file(&mut self, checked: &Checked) {
        self.locale = checked.locale;
        for finding in &checked.findings {
            *self.counts.entry(finding.severity).or_default() += 1;
        }
        let rope = Rope::from_str(&checked.text);
        let written = match self.format {
            Format::Human => human(&mut self.out, checked, &rope),
            Format::Json => {
                let prefix = if self.files == 0 {
                    "{\"files\": [\n"
                } else {
                    ",\n"
                };
                let value = file_json(checked, &rope);
                write!(
                    self.out,
                    "{prefix}{}",
                    serde_json::to_string(&value).unwrap_or_default()
                )
            }
            Format::Sarif => {
                self.results.extend(sarif_results(checked, &rope));
                Ok(())
            }
        };
        self.files += 1;
        let _ = written;
    }

    pub fn finish(mut self) -> io::Result<()> {
        let total: usize = self.counts.values().sum();
        match self.format {
            Format::Human => {
                let line = summary_line(self.locale, self.files, total, &self.counts);
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

fn file_json(checked: &Checked, rope: &Rope) -> Value {
    let locale = checked.locale;
    let diagnostics: Vec<Value> = checked
        .findings
        .iter()
        .map(|f| {
            json!({
                "rule": f.rule,
                "severity": f.severity.as_str(),
                "message": f.message.get(locale),
                "range": range_json(rope, &f.range),
                "related": f.related.iter().map(|r| json!({
                    "message": r.message.get(locale),
                    "range": range_json(rope, &r.range),
                })).collect::<Vec<_>>(),
                "fixes": f.fixes.iter().map(|fix| json!({
                    "title": fix.title.get(locale),
                    "safe": fix.safe,
                    "edits": fix.edits.iter().map(|e| json!({
                        "range": range_json(rope, &e.range),
                        "new_text": e.new_text,
                    })).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({"path": checked.name, "diagnostics": diagnostics})
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

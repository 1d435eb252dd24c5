//! Conversions between the analysis's byte ranges and LSP types, through [`crate::position`].

use std::collections::HashMap;
use std::ops::Range;

use ropey::Rope;
use tower_lsp_server::ls_types as lsp;

use crate::analysis::{Edit, Finding, Locale, Severity};
use crate::position::{self, Encoding, Position, PositionTable};

/// The encoding negotiated with the client: UTF-8 when offered, else UTF-16.
pub fn negotiate(offered: Option<&[lsp::PositionEncodingKind]>) -> Encoding {
    let offered = offered.unwrap_or(&[]);
    if offered.contains(&lsp::PositionEncodingKind::UTF8) {
        Encoding::Utf8
    } else {
        Encoding::Utf16
    }
}

pub fn encoding_kind(encoding: Encoding) -> lsp::PositionEncodingKind {
    match encoding {
        Encoding::Utf8 => lsp::PositionEncodingKind::UTF8,
        Encoding::Utf16 => lsp::PositionEncodingKind::UTF16,
        Encoding::Utf32 => lsp::PositionEncodingKind::UTF32,
    }
}

pub fn to_lsp_position(position: Position) -> lsp::Position {
    lsp::Position::new(position.line, position.character)
}

pub fn from_lsp_position(position: lsp::Position) -> Position {
    Position::new(position.line, position.character)
}

pub fn range(rope: &Rope, range: &Range<usize>, encoding: Encoding) -> lsp::Range {
    lsp::Range::new(
        to_lsp_position(position::to_position(rope, range.start, encoding)),
        to_lsp_position(position::to_position(rope, range.end, encoding)),
    )
}

pub fn offset(rope: &Rope, position: lsp::Position, encoding: Encoding) -> usize {
    position::to_offset(rope, from_lsp_position(position), encoding)
}

pub fn byte_range(rope: &Rope, range: lsp::Range, encoding: Encoding) -> Range<usize> {
    let start = offset(rope, range.start, encoding);
    let end = offset(rope, range.end, encoding);
    start.min(end)..end.max(start)
}

fn severity(severity: Severity) -> lsp::DiagnosticSeverity {
    match severity {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
        Severity::Hint => lsp::DiagnosticSeverity::HINT,
    }
}

pub fn diagnostic(
    finding: &Finding,
    uri: &lsp::Uri,
    rope: &Rope,
    encoding: Encoding,
    locale: Locale,
) -> lsp::Diagnostic {
    diagnostic_with(finding, uri, locale, |r| range(rope, r, encoding))
}

/// The diagnostics of all of a document's findings, in their order. Their ranges are converted
/// together, in one sweep over the text, which is much cheaper than one rope look-up per end
/// for the thousands of findings of a large document; the ranges are those [`diagnostic`]
/// gives.
pub fn diagnostics(
    findings: &[Finding],
    uri: &lsp::Uri,
    text: &str,
    encoding: Encoding,
    locale: Locale,
) -> Vec<lsp::Diagnostic> {
    let count = findings.iter().map(|f| 2 * (1 + f.related.len())).sum();
    let mut offsets = Vec::with_capacity(count);
    for finding in findings {
        offsets.extend([finding.range.start, finding.range.end]);
        for related in &finding.related {
            offsets.extend([related.range.start, related.range.end]);
        }
    }
    let positions = PositionTable::new(text, offsets, encoding);
    let range = |r: &Range<usize>| {
        lsp::Range::new(
            to_lsp_position(positions.position(r.start)),
            to_lsp_position(positions.position(r.end)),
        )
    };
    findings
        .iter()
        .map(|finding| diagnostic_with(finding, uri, locale, range))
        .collect()
}

fn diagnostic_with(
    finding: &Finding,
    uri: &lsp::Uri,
    locale: Locale,
    range: impl Fn(&Range<usize>) -> lsp::Range,
) -> lsp::Diagnostic {
    let related = finding
        .related
        .iter()
        .map(|related| lsp::DiagnosticRelatedInformation {
            location: lsp::Location::new(uri.clone(), range(&related.range)),
            message: related.message.get(locale).to_string(),
        })
        .collect::<Vec<_>>();
    lsp::Diagnostic {
        range: range(&finding.range),
        severity: Some(severity(finding.severity)),
        code: Some(lsp::NumberOrString::String(finding.rule.to_string())),
        code_description: None,
        source: Some("jiaodui".to_string()),
        message: finding.message.get(locale).to_string(),
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}

pub fn text_edits(rope: &Rope, edits: &[Edit], encoding: Encoding) -> Vec<lsp::TextEdit> {
    edits
        .iter()
        .map(|edit| {
            lsp::TextEdit::new(
                range(rope, &edit.range, encoding),
                edit.new_text.to_string(),
            )
        })
        .collect()
}

pub fn workspace_edit(uri: &lsp::Uri, edits: Vec<lsp::TextEdit>) -> lsp::WorkspaceEdit {
    lsp::WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), edits)])),
        ..lsp::WorkspaceEdit::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Localized;

    #[test]
    fn diagnostics_convert_as_one_diagnostic_at_a_time() {
        let text = "第一行\r\n𠮷鋒c\r末\n\n尾";
        let rope = Rope::from_str(text);
        let uri: lsp::Uri = "file:///tmp/a.txt".parse().unwrap();
        let at = |c: char| text.find(c).unwrap();
        let message = || Localized::new("中", "en");
        let finding = |range: Range<usize>| Finding {
            rule: "test-rule",
            severity: Severity::Warning,
            range,
            message: message(),
            related: Vec::new(),
            fixes: Default::default(),
        };
        let findings = vec![
            finding(at('鋒')..at('c')).with_related(0..3, message()),
            finding(at('末')..text.len() + 4),
            finding(0..at('尾')).with_related(at('c')..at('c') + 1, message()),
            finding(at('𠮷') + 1..at('𠮷') + 2),
        ];
        for encoding in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            let one_by_one: Vec<_> = findings
                .iter()
                .map(|f| diagnostic(f, &uri, &rope, encoding, Locale::En))
                .collect();
            assert_eq!(
                diagnostics(&findings, &uri, text, encoding, Locale::En),
                one_by_one
            );
        }
    }
}

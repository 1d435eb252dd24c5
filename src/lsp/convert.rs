//! Conversions between the analysis's byte ranges and LSP types, through [`crate::position`].

use std::collections::HashMap;
use std::ops::Range;

use ropey::Rope;
use tower_lsp_server::ls_types as lsp;

use crate::analysis::{Edit, Finding, Locale, Severity};
use crate::position::{self, Encoding, Position};

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
    let related = finding
        .related
        .iter()
        .map(|related| lsp::DiagnosticRelatedInformation {
            location: lsp::Location::new(uri.clone(), range(rope, &related.range, encoding)),
            message: related.message.get(locale).to_string(),
        })
        .collect::<Vec<_>>();
    lsp::Diagnostic {
        range: range(rope, &finding.range, encoding),
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
        .map(|edit| lsp::TextEdit::new(range(rope, &edit.range, encoding), edit.new_text.clone()))
        .collect()
}

pub fn workspace_edit(uri: &lsp::Uri, edits: Vec<lsp::TextEdit>) -> lsp::WorkspaceEdit {
    lsp::WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), edits)])),
        ..lsp::WorkspaceEdit::default()
    }
}

//! Inline suppression markers, written as HTML comments so that Markdown renders nothing:
//!
//! * `<!-- jiaodui-disable -->` or `<!-- jiaodui-disable rule-a, rule-b -->` silences the rules
//!   (all of them when none is named) from the marker to a matching `<!-- jiaodui-enable … -->`
//!   or the end of the document;
//! * `<!-- jiaodui-disable-next-line rule-a -->` silences them on the next non-blank line.

use std::ops::Range;

use crate::analysis::Finding;

const OPEN: &str = "<!--";
const CLOSE: &str = "-->";

/// What every marker holds: a text without it has none. It holds no line break, so a part of
/// a document (whole lines) holds all of a marker or none of it.
pub const MARKER: &str = "jiaodui-";

/// A stretch of text where some rules (or all, when `rules` is empty) are silent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    pub rules: Vec<String>,
    pub range: Range<usize>,
}

impl Suppression {
    fn covers(&self, finding: &Finding) -> bool {
        (self.rules.is_empty() || self.rules.iter().any(|r| r == finding.rule))
            && self.range.start <= finding.range.start
            && finding.range.start < self.range.end
    }
}

/// The marker text that silences a rule for a whole document.
pub fn disable_marker(rule: &str) -> String {
    format!("{OPEN} jiaodui-disable {rule} {CLOSE}")
}

/// Every suppression written in the text.
pub fn suppressions(text: &str) -> Vec<Suppression> {
    let mut found: Vec<Suppression> = Vec::new();
    let mut open: Vec<Suppression> = Vec::new();
    let mut at = 0;
    let opening = memchr::memmem::Finder::new(OPEN);
    while let Some(start) = opening.find(&text.as_bytes()[at..]).map(|i| at + i) {
        // The comment closes after its opening: `<!-->` is an opening, not an empty comment.
        let body_start = start + OPEN.len();
        let Some(end) = text[body_start..]
            .find(CLOSE)
            .map(|i| body_start + i + CLOSE.len())
        else {
            break;
        };
        at = end;
        let body = text[body_start..end - CLOSE.len()].trim();
        let mut words = body
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|w| !w.is_empty());
        let directive = words.next().unwrap_or_default();
        let rules: Vec<String> = words.map(str::to_string).collect();
        match directive {
            "jiaodui-disable" => open.push(Suppression {
                rules,
                range: end..text.len(),
            }),
            "jiaodui-enable" => {
                for mut suppression in open.extract_if(.., |s| rules.is_empty() || s.rules == rules)
                {
                    suppression.range.end = start;
                    found.push(suppression);
                }
            }
            "jiaodui-disable-next-line" => {
                let rest = &text[end..];
                let skipped = rest.len() - rest.trim_start().len();
                let line_start = end + skipped;
                let line_end = text[line_start..]
                    .find(['\n', '\r'])
                    .map_or(text.len(), |i| line_start + i);
                found.push(Suppression {
                    rules,
                    range: line_start..line_end.max(line_start + 1),
                });
            }
            _ => {}
        }
    }
    found.extend(open);
    found
}

/// Drops the findings that a marker silences. Worth calling only on a text that holds
/// [`MARKER`]: the engine tells that part by part, as it first reads them.
pub fn apply(text: &str, findings: &mut Vec<Finding>) {
    let suppressions = suppressions(text);
    findings.retain(|finding| !suppressions.iter().any(|s| s.covers(finding)));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{DocumentKind, analyze};
    use crate::config::Settings;

    #[test]
    fn a_comment_that_closes_at_its_opening_is_no_marker() {
        // `<!-->`: the `-->` overlaps the opening and closes nothing.
        assert!(suppressions("<!-->").is_empty());
        assert!(suppressions("前文<!-->后文").is_empty());
        let text = "<!-->文字<!-- jiaodui-disable -->";
        let found = suppressions(text);
        assert_eq!(found.len(), 0, "{found:?}");
    }

    fn rules_found(text: &str) -> Vec<&'static str> {
        analyze(text, DocumentKind::Markdown, &Settings::default())
            .findings
            .iter()
            .map(|f| f.rule)
            .collect()
    }

    #[test]
    fn a_disable_marker_silences_its_rule_until_enabled() {
        let text = "# 标题\n\n<!-- jiaodui-disable halfwidth-punctuation -->\n\n他说:好。\n\n<!-- jiaodui-enable halfwidth-punctuation -->\n\n她说:好。\n";
        assert_eq!(rules_found(text), ["halfwidth-punctuation"]);
        assert!(
            analyze(text, DocumentKind::Markdown, &Settings::default()).findings[0]
                .range
                .start
                > text.find("她说").unwrap()
        );
    }

    #[test]
    fn a_bare_marker_silences_every_rule_and_other_rules_stay() {
        assert!(rules_found("# 标题\n\n<!-- jiaodui-disable -->\n\n他说:好。\n").is_empty());
        let other = "# 标题\n\n<!-- jiaodui-disable some-other-rule -->\n\n他说:好。\n";
        assert_eq!(rules_found(other), ["halfwidth-punctuation"]);
    }

    #[test]
    fn next_line_markers_cover_one_line() {
        let text = "# 标题\n\n<!-- jiaodui-disable-next-line halfwidth-punctuation -->\n他说:好。\n\n她说:好。\n";
        let findings = analyze(text, DocumentKind::Markdown, &Settings::default()).findings;
        assert_eq!(findings.len(), 1);
        assert!(findings[0].range.start > text.find("她说").unwrap());
    }

    #[test]
    fn the_disable_marker_round_trips() {
        let marker = disable_marker("traditional-char");
        let found = suppressions(&marker);
        assert_eq!(found[0].rules, ["traditional-char"]);
    }
}

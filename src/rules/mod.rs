//! The rule catalogue.
//!
//! A rule is a module that opens with its documentation (see `build.rs` for the sections), then
//! declares `pub static RULE: Rule`, then holds its check. Rules come in families that share an
//! analysis (all four enumeration rules read the same lists); a family registers its rules and
//! one `check` function in [`FAMILIES`], in a stable order.
//!
//! Architecture invariant: rules read the [`Context`] and push [`Finding`]s into a [`Sink`];
//! they do no IO and know nothing of editors.

pub mod enumeration;
pub mod integrity;
pub mod people;
pub mod suppression;
pub mod typography;

use crate::analysis::mentions::Directory;
use crate::analysis::{Article, Enumeration, Finding, Localized, Mentions, Severity};
use crate::config::Settings;
use crate::knowledge::Knowledge;

include!(concat!(env!("OUT_DIR"), "/rule_docs.rs"));

/// Whether a rule can repair what it finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixAvailability {
    None,
    Sometimes,
    Always,
}

/// A rule's identity and defaults.
#[derive(Debug)]
pub struct Rule {
    /// The stable id, e.g. `enum-count-mismatch`.
    pub id: &'static str,
    pub default_severity: Severity,
    pub fix: FixAvailability,
    /// One line, Chinese.
    pub summary_zh: &'static str,
    /// One line, English.
    pub summary_en: &'static str,
}

impl Rule {
    pub fn summary(&self) -> Localized {
        Localized::new(self.summary_zh, self.summary_en)
    }

    /// The rule's documentation in the given language: what it does, why, a wrong and a right
    /// example.
    pub fn documentation(&self, locale: crate::analysis::Locale) -> &'static str {
        RULE_DOCS
            .iter()
            .find(|(id, _, _)| *id == self.id)
            .map_or("", |(_, en, zh)| match locale {
                crate::analysis::Locale::En => en,
                crate::analysis::Locale::Zh => zh,
            })
    }
}

/// A group of rules that share one analysis.
pub struct Family {
    pub name: &'static str,
    pub rules: &'static [&'static Rule],
    pub check: fn(&Context<'_>, &mut Sink<'_>),
}

/// Every family, in the order findings are produced.
pub static FAMILIES: &[&Family] = &[
    &enumeration::FAMILY,
    &typography::FAMILY,
    &integrity::FAMILY,
    &people::FAMILY,
];

/// Every rule, in catalogue order.
pub fn catalogue() -> impl Iterator<Item = &'static Rule> {
    FAMILIES.iter().flat_map(|f| f.rules.iter().copied())
}

/// The rule with this id.
pub fn find(id: &str) -> Option<&'static Rule> {
    catalogue().find(|r| r.id == id)
}

/// What a rule sees: the text, the article model, the shared analyses and the settings.
///
/// The text may be one part of a larger document (see [`crate::analysis::article::parts`]):
/// then `article`, `enumerations` and `mentions` are the part's, while the `directory` (the
/// people and places every byline of the document defines) is the document's, with document
/// ranges. Rules turn a directory range into a range of `text` with [`Context::local`].
pub struct Context<'a> {
    pub text: &'a str,
    pub article: &'a Article,
    pub settings: &'a Settings,
    pub knowledge: &'a Knowledge,
    pub enumerations: &'a [Enumeration],
    pub mentions: &'a Mentions,
    pub directory: &'a Directory,
    /// Where `text` starts in the document.
    pub base: usize,
    /// Nothing follows `text` in the document.
    pub last_part: bool,
}

impl Context<'_> {
    /// A range of the directory (a byline, a person's name) as a range of `text`, for a
    /// finding's related places. A range in another part's section comes back marked as such
    /// ([`crate::analysis::engine::foreign`]): the directory may keep the offsets of an earlier
    /// version, which are exact only relative to their sections.
    pub fn local(&self, range: &std::ops::Range<usize>) -> std::ops::Range<usize> {
        let starts = &self.directory.section_starts;
        let section = starts
            .partition_point(|&s| s <= range.start)
            .saturating_sub(1);
        if self.article.section(section).is_some() {
            return range.start.wrapping_sub(self.base)..range.end.wrapping_sub(self.base);
        }
        let start = starts.get(section).copied().unwrap_or(0);
        crate::analysis::engine::foreign(section, range.start - start..range.end - start)
    }

    /// Is the rule on? Rules skip their work when it is not.
    pub fn enabled(&self, rule: &Rule) -> bool {
        self.settings.severity(rule).is_some()
    }

    /// The rule's options table from the configuration (`[rules.duplicate-passage]`).
    pub fn options(&self, rule: &Rule) -> Option<&toml::Table> {
        self.settings.rule_options(rule.id)
    }
}

/// Collects findings, applying the configured severity and dropping rules that are off.
pub struct Sink<'a> {
    settings: &'a Settings,
    /// Each rule id seen so far, with its levels.
    severities: Vec<Levels>,
    findings: Vec<Finding>,
}

/// A rule id known to a [`Sink`]: by the address and length of the `&'static str`, so that a
/// lookup neither hashes nor compares text (an id written out twice is simply known twice).
struct Levels {
    id: (usize, usize),
    /// The configured severity and the rule's default; `None` when the rule is off or unknown.
    levels: Option<(Severity, Severity)>,
}

impl<'a> Sink<'a> {
    pub fn new(settings: &'a Settings) -> Sink<'a> {
        Sink {
            settings,
            severities: Vec::new(),
            findings: Vec::new(),
        }
    }

    /// The configured severity and the default of the rule with this id.
    fn severity(&mut self, id: &'static str) -> Option<(Severity, Severity)> {
        let key = (id.as_ptr() as usize, id.len());
        if let Some(known) = self.severities.iter().find(|known| known.id == key) {
            return known.levels;
        }
        let settings = self.settings;
        let levels = find(id).and_then(|rule| {
            settings
                .severity(rule)
                .map(|severity| (severity, rule.default_severity))
        });
        self.severities.push(Levels { id: key, levels });
        levels
    }

    pub fn push(&mut self, mut finding: Finding) {
        if let Some((severity, default)) = self.severity(finding.rule) {
            // A finding its rule marked below the rule's default (a hint among warnings) keeps
            // that demotion under any configured level.
            finding.severity = if finding.severity < default {
                finding.severity.min(severity)
            } else {
                severity
            };
            self.findings.push(finding);
        }
    }

    pub fn into_findings(self) -> Vec<Finding> {
        self.findings
    }
}

/// Builds what the rules load lazily (the knowledge tables, the segmenter's dictionary), so
/// that the first analysis does not pay for it. Adapters call it in the background.
pub fn preload() {
    let _ = Knowledge::builtin();
    integrity::repeated_word::preload();
}

/// Runs every family on one part of a document (see [`Context`]); returns the part's tally
/// of traditional characters for [`run_document`].
pub fn run_part(context: &Context<'_>, sink: &mut Sink<'_>) -> integrity::traditional_char::Tally {
    for family in FAMILIES {
        if family.rules.iter().any(|rule| context.enabled(rule)) {
            (family.check)(context, sink);
        }
    }
    if context.enabled(&integrity::traditional_char::RULE) {
        integrity::traditional_char::check_part(context, sink)
    } else {
        integrity::traditional_char::Tally::default()
    }
}

/// Runs `duplicate-passage` on the paragraphs of the whole document. It reads nothing of the
/// parts' analyses, so it may run beside them.
pub(crate) fn run_duplicates(
    text: &str,
    entries: &[integrity::duplicate_passage::Entry<'_>],
    settings: &Settings,
    duplicates: &mut integrity::duplicate_passage::Index,
) -> Vec<Finding> {
    let mut sink = Sink::new(settings);
    duplicates.check(text, entries, settings, &mut sink);
    sink.into_findings()
}

/// Runs the rest of the rules that read the whole document, given its parts and the findings
/// of [`run_part`] on each (in the document's frame).
pub(crate) fn run_document(
    parts: &[crate::analysis::engine::PartView],
    settings: &Settings,
    findings: &mut Vec<Finding>,
    sink: &mut Sink<'_>,
) {
    use integrity::traditional_char;
    if settings.severity(&traditional_char::RULE).is_some() {
        let tallies = parts
            .iter()
            .map(|part| (part.offsets.bytes, part.result.traditional));
        if let Some(verdict) = traditional_char::whole_text(tallies) {
            findings.retain(|f| f.rule != traditional_char::RULE.id);
            sink.push(verdict);
        }
    }
}

/// Helpers shared by the rules' unit tests.
#[cfg(test)]
pub(crate) mod testing {
    use super::Rule;
    use crate::analysis::{DocumentKind, Finding, analyze};
    use crate::config::Settings;

    /// One rule's findings on a plain text.
    pub fn findings(rule: &Rule, text: &str, settings: &Settings) -> Vec<Finding> {
        analyze(text, DocumentKind::Plain, settings)
            .findings
            .into_iter()
            .filter(|f| f.rule == rule.id)
            .collect()
    }

    /// The text each of one rule's findings covers, with the default settings.
    pub fn flagged(rule: &Rule, text: &str) -> Vec<String> {
        findings(rule, text, &Settings::default())
            .into_iter()
            .map(|f| text[f.range].to_string())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids_are_unique_and_documented() {
        let mut ids: Vec<&str> = catalogue().map(|r| r.id).collect();
        let count = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), count, "duplicate rule ids");
        for rule in catalogue() {
            for locale in [crate::analysis::Locale::En, crate::analysis::Locale::Zh] {
                let doc = rule.documentation(locale);
                assert!(!doc.is_empty(), "{} has no documentation", rule.id);
            }
            let en = rule.documentation(crate::analysis::Locale::En);
            for section in [
                "## What it does",
                "## Why is this bad?",
                "## Example",
                "## Use instead",
            ] {
                assert!(en.contains(section), "{} lacks {section}", rule.id);
            }
            let zh = rule.documentation(crate::analysis::Locale::Zh);
            for section in ["## 检查什么", "## 为什么", "## 错误示例", "## 正确写法"]
            {
                assert!(zh.contains(section), "{} lacks {section}", rule.id);
            }
        }
    }
}

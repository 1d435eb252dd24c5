//! What a rule reports: a [`Finding`] with byte ranges, related places and fixes.
//!
//! Findings carry their message in both languages the product speaks ([`Localized`]), so that
//! an adapter can pick the user's language without asking the rule again.

use std::ops::Range;
use std::sync::Arc;

use serde::Serialize;
use smallvec::SmallVec;

/// The user's language for messages, hover text and documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    #[default]
    Zh,
    En,
}

impl Locale {
    /// `en`, `en-US`, `en_GB` … are English; everything else is Chinese.
    pub fn from_tag(tag: &str) -> Locale {
        if tag.to_ascii_lowercase().starts_with("en") {
            Locale::En
        } else {
            Locale::Zh
        }
    }
}

/// A text in Chinese and English. Shared, not copied, when a finding is cloned.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Localized {
    pub zh: Arc<str>,
    pub en: Arc<str>,
}

impl Localized {
    pub fn new(zh: impl Into<Arc<str>>, en: impl Into<Arc<str>>) -> Localized {
        Localized {
            zh: zh.into(),
            en: en.into(),
        }
    }

    pub fn get(&self, locale: Locale) -> &str {
        match locale {
            Locale::Zh => &self.zh,
            Locale::En => &self.en,
        }
    }
}

/// How serious a finding is. Ordered from least to most severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Hint,
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Hint => "hint",
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(name: &str) -> Option<Severity> {
        match name {
            "hint" => Some(Severity::Hint),
            "info" | "information" => Some(Severity::Info),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

/// One replacement of a byte range of the analysed text. The text is shared, not copied, when
/// an edit is cloned.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Edit {
    pub range: Range<usize>,
    pub new_text: Arc<str>,
}

impl Edit {
    pub fn replace(range: Range<usize>, new_text: impl Into<Arc<str>>) -> Edit {
        Edit {
            range,
            new_text: new_text.into(),
        }
    }

    pub fn delete(range: Range<usize>) -> Edit {
        Edit::replace(range, "")
    }

    pub fn insert(at: usize, new_text: impl Into<Arc<str>>) -> Edit {
        Edit::replace(at..at, new_text)
    }
}

/// The edits of a fix: most fixes make one, kept in place.
pub type Edits = SmallVec<[Edit; 1]>;

/// A set of edits that together repair a finding.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Fix {
    pub title: Localized,
    pub edits: Edits,
    /// Safe fixes are applied by `check --fix` and `source.fixAll`; the others are offered
    /// in the editor only, where a person decides.
    pub safe: bool,
}

/// Another place in the text that explains a finding (the earlier copy, the byline …).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Related {
    pub range: Range<usize>,
    pub message: Localized,
}

/// A problem found in the text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Finding {
    pub rule: &'static str,
    pub severity: Severity,
    pub range: Range<usize>,
    pub message: Localized,
    pub related: Vec<Related>,
    /// Most findings offer one fix, kept in place: cloning a finding, as the language server's
    /// engine does for every finding of the parts it keeps, then allocates nothing.
    pub fixes: SmallVec<[Fix; 1]>,
}

impl Finding {
    /// A finding at the rule's default severity; the configured one is applied when it is
    /// collected.
    pub fn new(
        rule: &'static crate::rules::Rule,
        range: Range<usize>,
        message: Localized,
    ) -> Finding {
        Finding {
            rule: rule.id,
            severity: rule.default_severity,
            range,
            message,
            related: Vec::new(),
            fixes: SmallVec::new(),
        }
    }

    pub fn with_related(mut self, range: Range<usize>, message: Localized) -> Finding {
        self.related.push(Related { range, message });
        self
    }

    pub fn with_fix(mut self, fix: Fix) -> Finding {
        self.fixes.push(fix);
        self
    }
}

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

/// A text a finding carries: a literal of the program, or one made at run time and shared.
/// Cloning either allocates nothing, and a literal's clone touches no counter: the language
/// server's engine clones every finding of the parts an edit left alone, keystroke after
/// keystroke.
#[derive(Clone)]
pub enum Text {
    Static(&'static str),
    Shared(Arc<str>),
}

impl Text {
    pub fn as_str(&self) -> &str {
        match self {
            Text::Static(text) => text,
            Text::Shared(text) => text,
        }
    }
}

impl Default for Text {
    fn default() -> Text {
        Text::Static("")
    }
}

impl std::ops::Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

/// Texts are equal by their characters, however they are held.
impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Text {}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl std::hash::Hash for Text {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl From<&'static str> for Text {
    fn from(text: &'static str) -> Text {
        Text::Static(text)
    }
}

impl From<String> for Text {
    fn from(text: String) -> Text {
        Text::Shared(text.into())
    }
}

impl From<Arc<str>> for Text {
    fn from(text: Arc<str>) -> Text {
        Text::Shared(text)
    }
}

/// A text in Chinese and English. Shared, not copied, when a finding is cloned.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Localized {
    pub zh: Text,
    pub en: Text,
}

impl Localized {
    pub fn new(zh: impl Into<Text>, en: impl Into<Text>) -> Localized {
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
    pub new_text: Text,
}

impl Edit {
    pub fn replace(range: Range<usize>, new_text: impl Into<Text>) -> Edit {
        Edit {
            range,
            new_text: new_text.into(),
        }
    }

    pub fn delete(range: Range<usize>) -> Edit {
        Edit::replace(range, "")
    }

    pub fn insert(at: usize, new_text: impl Into<Text>) -> Edit {
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::{BuildHasher, RandomState};

    #[test]
    fn a_text_is_its_characters_however_it_is_held() {
        let literal = Text::from("改为“：”");
        let made = Text::from(format!("改为“{}”", '：'));
        assert!(matches!(literal, Text::Static(_)));
        assert!(matches!(made, Text::Shared(_)));
        assert_eq!(literal, made);
        let hasher = RandomState::new();
        assert_eq!(hasher.hash_one(&literal), hasher.hash_one(&made));
        assert_eq!(made.to_string(), "改为“：”");
        assert_eq!(&*made, "改为“：”");
        assert_ne!(literal, Text::from("改为“，”"));
        assert_eq!(Text::default(), "");
    }

    #[test]
    fn a_cloned_finding_shares_its_texts() {
        let finding = Finding::new(
            crate::rules::catalogue().next().expect("a rule"),
            0..3,
            Localized::new(format!("第{}项", 2), "item 2"),
        );
        let copy = finding.clone();
        assert_eq!(copy, finding);
        let (Text::Shared(a), Text::Shared(b)) = (&finding.message.zh, &copy.message.zh) else {
            panic!("a made text is shared");
        };
        assert!(Arc::ptr_eq(a, b));
        let (Text::Static(a), Text::Static(b)) = (&finding.message.en, &copy.message.en) else {
            panic!("a literal stays a literal");
        };
        assert!(std::ptr::eq(*a, *b));
    }
}

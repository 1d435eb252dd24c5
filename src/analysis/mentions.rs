//! Mentions of people, places and organisations, resolved to the byline or the gazetteer entry
//! that defines them.

use super::Article;
use crate::config::Settings;

/// Every mention of the article.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Mentions {}

/// Finds and resolves the mentions of an article.
pub fn resolve(text: &str, article: &Article, settings: &Settings) -> Mentions {
    let _ = (text, article, settings);
    Mentions::default()
}

/// A person (or other named thing) under the cursor: where it is defined and every mention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct References {
    pub name: String,
    pub definition: std::ops::Range<usize>,
    /// Every mention, the definition included, in text order.
    pub mentions: Vec<std::ops::Range<usize>>,
}

/// The references of the person mentioned at a byte offset.
pub fn references_at(text: &str, mentions: &Mentions, offset: usize) -> Option<References> {
    let _ = (text, mentions, offset);
    None
}

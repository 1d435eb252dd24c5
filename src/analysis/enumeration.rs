//! Enumerations: announced counts (四个方面) and the ordinal lists (一是 … 四是) that follow them.

use super::Article;
use crate::knowledge::Knowledge;

/// A list found in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enumeration {}

/// Finds every enumeration of the article.
pub fn extract(text: &str, article: &Article, knowledge: &Knowledge) -> Vec<Enumeration> {
    let _ = (text, article, knowledge);
    Vec::new()
}

//! Hover: what the text under the cursor is — an official title, a person, a place, an
//! organisation, a formulation, an announced count. Markdown, in the user's language.

use std::ops::Range;

use super::{Analysis, Locale};
use crate::config::Settings;

/// What to show, and the range of text it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoverInfo {
    pub markdown: String,
    pub range: Range<usize>,
}

/// What a hover provider sees.
pub struct HoverContext<'a> {
    pub text: &'a str,
    pub analysis: &'a Analysis,
    pub settings: &'a Settings,
    pub offset: usize,
    pub locale: Locale,
}

/// Providers in order of precedence: the most specific first.
const PROVIDERS: &[fn(&HoverContext<'_>) -> Option<HoverInfo>] =
    &[super::enumeration::hover, super::people_hover::hover];

/// The hover for a byte offset, if anything there is known.
pub fn hover(
    text: &str,
    analysis: &Analysis,
    settings: &Settings,
    offset: usize,
    locale: Locale,
) -> Option<HoverInfo> {
    let context = HoverContext {
        text,
        analysis,
        settings,
        offset,
        locale,
    };
    PROVIDERS.iter().find_map(|provider| provider(&context))
}

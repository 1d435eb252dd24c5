//! The analysis core: text in, article model and findings out.
//!
//! Architecture invariant: nothing here does IO, knows about LSP or the terminal, or fails.
//! Every range is a byte range of the analysed text, on character boundaries.

pub mod article;
pub mod byline;
pub mod enumeration;
pub mod finding;
pub mod fixes;
pub mod hover;
pub mod mentions;
pub mod outline;
pub mod people_hover;
pub mod text;

pub use article::{Article, Block, BlockKind, Cut, DocumentKind, Paragraph, Section};
pub use byline::{Byline, Person};
pub use enumeration::Enumeration;
pub use finding::{Edit, Finding, Fix, Locale, Localized, Related, Severity};
pub use mentions::Mentions;

use crate::config::Settings;
use crate::rules;

/// Share of Han characters below which a document is not checked: the server stays quiet on
/// English notes and code that happen to be opened as text.
const MIN_HAN_SHARE: f64 = 0.3;

/// The result of analysing one text.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    pub article: Article,
    pub enumerations: Vec<Enumeration>,
    pub mentions: Mentions,
    /// Sorted by start offset, then rule id.
    pub findings: Vec<Finding>,
}

/// Analyses a text with the given settings.
pub fn analyze(text: &str, kind: DocumentKind, settings: &Settings) -> Analysis {
    let knowledge = settings.knowledge();
    let article = Article::parse(text, kind, knowledge);
    let enumerations = enumeration::extract(text, &article, knowledge);
    let mentions = mentions::resolve(text, &article, settings);
    let mut findings = Vec::new();
    if is_chinese(text, &article) {
        let context = rules::Context {
            text,
            article: &article,
            settings,
            knowledge,
            enumerations: &enumerations,
            mentions: &mentions,
        };
        findings = rules::run(&context);
    }
    Analysis {
        article,
        enumerations,
        mentions,
        findings,
    }
}

/// Is the prose of the article mostly Chinese? Markup, code and comments do not count; the
/// first 64 KiB of prose are enough to tell.
fn is_chinese(text: &str, article: &Article) -> bool {
    const SAMPLE: usize = 64 * 1024;
    let mut sample = String::new();
    for piece in article.blocks.iter().flat_map(|b| &b.pieces) {
        sample.push_str(&text[piece.clone()]);
        if sample.len() >= SAMPLE {
            break;
        }
    }
    text::han_share(&sample) >= MIN_HAN_SHARE
}

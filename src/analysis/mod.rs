//! The analysis core: text in, article model and findings out.
//!
//! Architecture invariant: nothing here does IO, knows about LSP or the terminal, or fails.
//! Every range is a byte range of the analysed text, on character boundaries.

pub mod article;
pub mod byline;
pub mod engine;
pub mod enumeration;
pub mod finding;
pub mod fixes;
pub mod hover;
pub mod mentions;
pub mod outline;
pub mod people_hover;
pub mod shift;
pub mod text;

pub use article::{Article, Block, BlockKind, Cut, DocumentKind, Paragraph, Section};
pub use byline::{Byline, Person};
pub use engine::Engine;
pub use enumeration::Enumeration;
pub use finding::{Edit, Finding, Fix, Locale, Localized, Related, Severity};
pub use mentions::Mentions;

use std::sync::{Arc, OnceLock};

use crate::config::Settings;
use mentions::Directory;

/// Share of Han characters below which a document is not checked: the server stays quiet on
/// English notes and code that happen to be opened as text.
const MIN_HAN_SHARE: f64 = 0.3;

/// The result of analysing one text: the findings, and the article model, lists and mentions
/// (put together from the document's parts when first asked for).
#[derive(Clone, Default)]
pub struct Analysis {
    /// Sorted by start offset, then rule id.
    pub findings: Vec<Finding>,
    parts: Arc<Vec<engine::PartView>>,
    directory: Option<Arc<Directory>>,
    merged: Arc<OnceLock<Merged>>,
}

/// The document's article model, lists and mentions.
#[derive(Debug, Clone, Default)]
pub(crate) struct Merged {
    pub article: Article,
    pub enumerations: Vec<Enumeration>,
    pub mentions: Mentions,
}

impl std::fmt::Debug for Analysis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analysis")
            .field("findings", &self.findings)
            .field("parts", &self.parts.len())
            .finish_non_exhaustive()
    }
}

impl Analysis {
    fn new(
        findings: Vec<Finding>,
        parts: Vec<engine::PartView>,
        directory: Arc<Directory>,
    ) -> Analysis {
        Analysis {
            findings,
            parts: Arc::new(parts),
            directory: Some(directory),
            merged: Arc::new(OnceLock::new()),
        }
    }

    fn merged(&self) -> &Merged {
        self.merged.get_or_init(|| match &self.directory {
            Some(directory) => engine::merge(&self.parts, directory),
            None => Merged::default(),
        })
    }

    /// The article model of the whole document.
    pub fn article(&self) -> &Article {
        &self.merged().article
    }

    /// Every list of the document.
    pub fn enumerations(&self) -> &[Enumeration] {
        &self.merged().enumerations
    }

    /// Every mention of the document.
    pub fn mentions(&self) -> &Mentions {
        &self.merged().mentions
    }

    /// How many parts the document was analysed in.
    pub fn part_count(&self) -> usize {
        self.parts.len()
    }
}

/// Analyses a text with the given settings.
pub fn analyze(text: &str, kind: DocumentKind, settings: &Settings) -> Analysis {
    Engine::once(kind).analyze(text, settings)
}

/// Is the prose of the article mostly Chinese? Markup, code and comments do not count; the
/// first 64 KiB of prose are enough to tell. `parts`: each part's text and article. Also
/// returns how many parts were read when they held the whole sample: the verdict depends on
/// these alone (`None`: on every part).
fn is_chinese<'a>(parts: impl Iterator<Item = (&'a str, &'a Article)>) -> (bool, Option<usize>) {
    const SAMPLE: usize = 64 * 1024;
    let mut letters = text::Letters::default();
    let mut sampled = 0;
    let mut read = 0;
    'parts: for (text, article) in parts {
        read += 1;
        for piece in article.blocks.iter().flat_map(|b| &b.pieces) {
            letters.count(&text[piece.clone()]);
            sampled += piece.len();
            if sampled >= SAMPLE {
                break 'parts;
            }
        }
    }
    let whole_sample = (sampled >= SAMPLE).then_some(read);
    (letters.han_share() >= MIN_HAN_SHARE, whole_sample)
}

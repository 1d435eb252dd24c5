//! The analysis of a document as the analysis of its parts, cached.
//!
//! A document falls into parts at every section that opens with a byline (see
//! [`article::parts`]). Each part is parsed, its lists and mentions found and its rules run on
//! its own text; what crosses parts is small and recomputed every time: the [`Directory`] of
//! people and places the bylines define, the rules that read the whole document
//! (`duplicate-passage`, the whole-text verdict of `traditional-char`), and the suppression
//! markers. An [`Engine`] keeps the parts of the last analysis, keyed by their text: after an
//! edit, only the parts whose text changed are parsed and checked again, and the others are
//! checked again only when the directory changed (a byline was edited). The result is the
//! same as a fresh analysis, by construction and by test (`tests/properties.rs`).
//!
//! The work is spread over rayon's threads: the stale parts are analysed side by side, and
//! `duplicate-passage`, which reads only the parts' paragraphs, runs beside them; within a
//! part, lists and mentions are found at the same time. Findings are put in order at the
//! end, so the result does not depend on the number of threads.
//!
//! Part results are kept in the part's own frame (offsets from its start), so that an edit
//! before a part does not invalidate it. A finding that points into another part (the byline
//! of another interviewee) keeps that place as an offset from its section's start, and is put
//! back into the document's frame when the findings are collected.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;
use std::sync::{Arc, Mutex, OnceLock};

use rayon::prelude::*;
use rustc_hash::FxHasher;

use super::article::{self, Article, DocumentKind, Part};
use super::byline::Byline;
use super::enumeration::{self, Enumeration};
use super::finding::Finding;
use super::mentions::{self, Directory, Mentions};
use super::shift::{Offsets, Shift};
use super::{Analysis, Merged, is_chinese};
use crate::config::Settings;
use crate::rules::integrity::duplicate_passage::{self, Prepared};
use crate::rules::{self, Sink, suppression};

type FxBuild = BuildHasherDefault<FxHasher>;

/// Marks the ids [`Engine::name_paragraphs`] makes, apart from those made of a part's id and
/// a paragraph's index.
const FRESH_PARAGRAPH: u64 = 1 << 63;

/// Analyses the versions of one document, re-using what an edit left unchanged.
///
/// Every call must use the same settings; make a new engine when they change.
pub struct Engine {
    kind: DocumentKind,
    /// Split the document into parts (off: the whole document is one part, the reference the
    /// tests compare with).
    partition: bool,
    cache: HashMap<PartKey, Vec<Arc<Cached>>, FxBuild>,
    /// The parts of the last version.
    parts: Vec<Arc<Cached>>,
    /// Counts the versions whose bylines differ from the version before.
    generation: u64,
    /// What the directory of the current generation derived from the bylines.
    shared: Option<Arc<mentions::Shared>>,
    /// The directory of the current generation, and where each part started when it was made.
    directory: Option<Arc<Directory>>,
    directory_bases: Vec<usize>,
    /// Ids for new parts.
    next_id: u64,
    /// Ids for new paragraphs (with [`FRESH_PARAGRAPH`]).
    next_paragraph_id: u64,
    /// The last verdict on the language.
    language: Option<Language>,
    duplicates: duplicate_passage::Index,
    /// Keep the parts' analyses for the next version (off: a single version is analysed).
    keep: bool,
}

/// A verdict on the language of a version, and what it read.
#[derive(Debug)]
struct Language {
    /// The ids of the parts it read, from the first.
    parts: Vec<u64>,
    /// They held the whole sample: parts after them do not count.
    whole_sample: bool,
    chinese: bool,
}

impl Language {
    /// Does the verdict stand for a version of these parts?
    fn stands_for(&self, parts: &[(Range<usize>, Arc<Cached>)]) -> bool {
        let count_ok = if self.whole_sample {
            self.parts.len() <= parts.len()
        } else {
            self.parts.len() == parts.len()
        };
        count_ok && self.parts.iter().zip(parts).all(|(&id, (_, c))| c.id == id)
    }
}

/// A part's text hash ([`hash_text`]) and how it was parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct PartKey {
    hash: u64,
    part: Part,
}

/// Do two versions' parts hold the same bylines, at the same places in their parts? Then
/// their directories hold the same people and places, whatever the parts' offsets.
fn same_bylines(old: &[Arc<Cached>], new: &[Arc<Cached>]) -> bool {
    fn sections(part: &Cached) -> impl Iterator<Item = (usize, &Option<Byline>)> {
        part.article
            .sections
            .iter()
            .map(|s| (s.range.start, &s.byline))
    }
    old.len() == new.len()
        && old
            .iter()
            .zip(new)
            .all(|(a, b)| Arc::ptr_eq(a, b) || sections(a).eq(sections(b)))
}

/// A parsed part, and its analysis for one generation of the directory.
#[derive(Debug)]
struct Cached {
    /// Unique in the engine: names the part's paragraphs from version to version.
    id: u64,
    key: PartKey,
    /// The text holds a suppression marker.
    markers: bool,
    text: Box<str>,
    article: Article,
    /// The analysis, for a generation of the directory and the verdict on the language.
    analysed: Mutex<Option<(Validity, Arc<PartResult>)>>,
    /// The paragraphs as `duplicate-passage` compares them.
    prepared: OnceLock<Vec<Arc<Prepared>>>,
    /// The paragraphs' ids (see [`Engine::name_paragraphs`]).
    paragraph_ids: OnceLock<Vec<u64>>,
}

/// What a part's analysis depends on besides its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Validity {
    /// The generation of the directory.
    generation: u64,
    /// The text is Chinese (else no rule runs).
    chinese: bool,
    /// Nothing follows the part.
    last: bool,
}

/// One part's analysis, in the part's frame.
#[derive(Debug, Default)]
pub(crate) struct PartResult {
    pub enumerations: Vec<Enumeration>,
    pub mentions: Mentions,
    pub units: usize,
    /// Findings of the rules that read one part.
    findings: Vec<Finding>,
    /// Places in findings that lie in other parts: (finding, related index, section, offset
    /// from the section's start).
    foreign: Vec<Foreign>,
    pub traditional: rules::integrity::traditional_char::Tally,
}

#[derive(Debug, Clone)]
struct Foreign {
    finding: usize,
    related: usize,
    section: usize,
    range: Range<usize>,
}

/// A part of the analysed document: where it starts and its analysis.
#[derive(Debug, Clone)]
pub(crate) struct PartView {
    pub offsets: Offsets,
    article: Arc<Cached>,
    pub result: Arc<PartResult>,
}

impl PartView {
    pub fn article(&self) -> &Article {
        &self.article.article
    }
}

impl Cached {
    /// The part's paragraphs as `duplicate-passage` reads them, the part starting at byte
    /// `base` of the document.
    fn paragraphs<'a>(
        &'a self,
        base: usize,
        settings: &Settings,
    ) -> impl Iterator<Item = duplicate_passage::Entry<'a>> + 'a {
        let prepared = self.prepared.get_or_init(|| {
            self.article
                .paragraphs
                .iter()
                .map(|p| Arc::new(Prepared::new(&p.text, settings)))
                .collect()
        });
        self.article
            .paragraphs
            .iter()
            .zip(prepared)
            .enumerate()
            .map(
                move |(index, (paragraph, prepared))| duplicate_passage::Entry {
                    id: self
                        .paragraph_ids
                        .get()
                        .and_then(|ids| ids.get(index).copied())
                        .unwrap_or((self.id << 24) | index as u64),
                    prepared: Arc::clone(prepared),
                    paragraph,
                    base,
                },
            )
    }
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("kind", &self.kind)
            .field("partition", &self.partition)
            .field("parts", &self.parts.len())
            .field("generation", &self.generation)
            .finish_non_exhaustive()
    }
}

impl Engine {
    pub fn new(kind: DocumentKind) -> Engine {
        Engine {
            kind,
            partition: true,
            cache: HashMap::default(),
            parts: Vec::new(),
            generation: 0,
            shared: None,
            directory: None,
            directory_bases: Vec::new(),
            next_id: 0,
            next_paragraph_id: 0,
            language: None,
            duplicates: duplicate_passage::Index::default(),
            keep: true,
        }
    }

    /// An engine that analyses every document as one part: no caching across parts. The
    /// reference that partitioned analyses are tested against.
    pub fn whole(kind: DocumentKind) -> Engine {
        Engine {
            partition: false,
            ..Engine::new(kind)
        }
    }

    /// An engine for a single version of a document (a batch check): nothing is kept for a
    /// next version, which makes the one analysis cheaper. The document is one part: parts pay
    /// off from the second version on, and a single analysis in parts takes about a tenth
    /// longer (the parts' text copies, directory views and merge: 58 against 52 ms on the 1 MB
    /// benchmark article).
    pub fn once(kind: DocumentKind) -> Engine {
        Engine {
            duplicates: duplicate_passage::Index::once(),
            keep: false,
            partition: false,
            ..Engine::new(kind)
        }
    }

    pub fn kind(&self) -> DocumentKind {
        self.kind
    }

    /// Gives the paragraphs of the new parts of a version their ids. A part parsed again
    /// after an edit keeps the ids (and the prepared forms) of the paragraphs it shares, at its
    /// start and at its end, with the part it replaces: `duplicate-passage` then compares again
    /// only the paragraphs that changed, not all of the part's. Ids are unique in a version:
    /// a part that replaces another is named after it only when that one is gone.
    fn name_paragraphs(&mut self, parts: &[(Range<usize>, Arc<Cached>)], settings: &Settings) {
        let replaced = (self.parts.len() == parts.len()).then_some(&self.parts);
        for (index, (_, cached)) in parts.iter().enumerate() {
            if cached.paragraph_ids.get().is_some() {
                continue;
            }
            let old = replaced.and_then(|old| old.get(index)).filter(|old| {
                old.paragraph_ids.get().is_some()
                    && !parts.iter().any(|(_, part)| Arc::ptr_eq(part, old))
            });
            let new = &cached.article.paragraphs;
            // For each new paragraph, the index of the old one it is.
            let mut same: Vec<Option<usize>> = vec![None; new.len()];
            if let Some(old) = old {
                let before = &old.article.paragraphs;
                let prefix = before
                    .iter()
                    .zip(new)
                    .take_while(|(a, b)| a.text == b.text)
                    .count();
                let suffix = before
                    .iter()
                    .rev()
                    .zip(new.iter().rev())
                    .take((before.len() - prefix).min(new.len() - prefix))
                    .take_while(|(a, b)| a.text == b.text)
                    .count();
                for (k, kept) in same.iter_mut().enumerate().take(prefix) {
                    *kept = Some(k);
                }
                for k in 0..suffix {
                    same[new.len() - 1 - k] = Some(before.len() - 1 - k);
                }
            }
            let old_ids = old.and_then(|old| old.paragraph_ids.get());
            let ids = same
                .iter()
                .map(|kept| match (kept, old_ids) {
                    (Some(k), Some(ids)) => ids[*k],
                    _ => {
                        self.next_paragraph_id += 1;
                        FRESH_PARAGRAPH | self.next_paragraph_id
                    }
                })
                .collect();
            let _ = cached.paragraph_ids.set(ids);
            if let Some(old_prepared) = old.and_then(|old| old.prepared.get()) {
                let prepared = new
                    .iter()
                    .zip(&same)
                    .map(|(paragraph, kept)| match kept {
                        Some(k) => Arc::clone(&old_prepared[*k]),
                        None => Arc::new(Prepared::new(&paragraph.text, settings)),
                    })
                    .collect();
                let _ = cached.prepared.set(prepared);
            }
        }
    }

    /// Analyses a version of the document.
    pub fn analyze(&mut self, text: &str, settings: &Settings) -> Analysis {
        let knowledge = settings.knowledge();
        // Where the parts start, and, when an edit inside one part told them, which part that
        // was: the others hold the text they held.
        let (starts, edited) = if self.partition {
            let before: Vec<&str> = self.parts.iter().map(|part| &*part.text).collect();
            let (starts, edited) = match article::parts_after_edit(&before, text, self.kind) {
                Some(told) => (told.starts, Some(told.edited)),
                None => (article::parts(text, self.kind), None),
            };
            debug_assert_eq!(starts, article::parts(text, self.kind));
            (starts, edited)
        } else {
            (vec![0], None)
        };
        let unchanged = |index: usize| edited.is_some_and(|edited| edited != Some(index));

        // Parse every part, re-using the parts of the last version.
        let mut cache: HashMap<PartKey, Vec<Arc<Cached>>, FxBuild> =
            HashMap::with_capacity_and_hasher(starts.len(), FxBuild::default());
        let mut parts: Vec<(Range<usize>, Arc<Cached>)> = Vec::with_capacity(starts.len());
        let mut section_base = 0;
        for (index, &start) in starts.iter().enumerate() {
            let end = starts.get(index + 1).copied().unwrap_or(text.len());
            let part_text = &text[start..end];
            let part = Part {
                first: index == 0,
                section_base,
            };
            // A part the edit left alone is the part at its index before, unless the sections
            // before it changed in number; any other is looked up by its text.
            let same = unchanged(index)
                .then(|| self.parts.get(index))
                .flatten()
                .filter(|old| old.key.part == part);
            let key = same.map_or_else(
                || PartKey {
                    hash: hash_text(part_text),
                    part,
                },
                |old| old.key,
            );
            let found = same
                .or_else(|| {
                    self.cache
                        .get(&key)
                        .and_then(|entries| entries.iter().find(|c| &*c.text == part_text))
                })
                .or_else(|| {
                    cache
                        .get(&key)
                        .and_then(|entries| entries.iter().find(|c| &*c.text == part_text))
                })
                .cloned();
            let cached = found.unwrap_or_else(|| {
                self.next_id += 1;
                Arc::new(Cached {
                    id: self.next_id,
                    key,
                    markers: part_text.contains(suppression::MARKER),
                    text: part_text.into(),
                    article: Article::parse_part(part_text, self.kind, knowledge, part),
                    analysed: Mutex::new(None),
                    prepared: OnceLock::new(),
                    paragraph_ids: OnceLock::new(),
                })
            });
            section_base += cached.article.sections.len();
            let entries = cache.entry(key).or_default();
            if !entries.iter().any(|c| Arc::ptr_eq(c, &cached)) {
                entries.push(Arc::clone(&cached));
            }
            parts.push((start..end, cached));
        }
        self.cache = cache;

        self.name_paragraphs(&parts, settings);

        // The directory, and whether it changed since the last version.
        let current: Vec<Arc<Cached>> = parts.iter().map(|(_, c)| Arc::clone(c)).collect();
        let same = same_bylines(&self.parts, &current);
        if !same {
            self.generation += 1;
            self.shared = None;
            self.directory = None;
        }
        self.parts = current;
        // The verdict on the language stands while the parts it read stand (all of them, when
        // they held less than the sample).
        let chinese = match &self.language {
            Some(language) if language.stands_for(&parts) => language.chinese,
            _ => {
                let (chinese, whole_sample) = is_chinese(
                    parts
                        .iter()
                        .map(|(range, cached)| (&text[range.clone()], &cached.article)),
                );
                let read = whole_sample.unwrap_or(parts.len());
                self.language = Some(Language {
                    parts: parts[..read].iter().map(|(_, c)| c.id).collect(),
                    whole_sample: whole_sample.is_some(),
                    chinese,
                });
                chinese
            }
        };
        let count = parts.len();
        let validity = |index: usize| Validity {
            generation: self.generation,
            chinese,
            last: index + 1 == count,
        };
        let bases: Vec<usize> = parts.iter().map(|(range, _)| range.start).collect();
        // The last directory serves while the bylines read the same and every part to analyse
        // stands where it stood when the directory was made: the directory's offsets are those
        // of that version, and a part analysis sees them only relative to its own start or to
        // their sections.
        let fits = parts.iter().enumerate().all(|(index, (_, cached))| {
            let current = lock(&cached.analysed)
                .as_ref()
                .is_some_and(|(valid, _)| *valid == validity(index));
            current || self.directory_bases.get(index) == Some(&bases[index])
        });
        let directory = match &self.directory {
            Some(directory) if fits => Arc::clone(directory),
            _ => {
                let directory = Arc::new(self.directory(&parts, section_base, settings));
                self.directory = Some(Arc::clone(&directory));
                self.directory_bases = bases;
                directory
            }
        };

        // Analyse the parts the directory or an edit made stale, and beside them compare the
        // paragraphs of the whole document for `duplicate-passage`, which reads nothing else.
        let keep = self.keep;
        let duplicates = &mut self.duplicates;
        let compare = chinese && settings.severity(&duplicate_passage::RULE).is_some();
        let (results, repeats) = rayon::join(
            || {
                parts
                    .par_iter()
                    .enumerate()
                    .map(|(index, (range, cached))| {
                        let validity = validity(index);
                        let mut slot = lock(&cached.analysed);
                        match &*slot {
                            Some((valid, result)) if *valid == validity => Arc::clone(result),
                            _ => {
                                let result = Arc::new(analyse_part(
                                    &cached.text,
                                    &cached.article,
                                    &directory,
                                    range.start,
                                    validity,
                                    settings,
                                ));
                                if keep {
                                    *slot = Some((validity, Arc::clone(&result)));
                                }
                                result
                            }
                        }
                    })
                    .collect::<Vec<_>>()
            },
            || {
                compare.then(|| {
                    let entries: Vec<duplicate_passage::Entry<'_>> = parts
                        .iter()
                        .flat_map(|(range, cached)| cached.paragraphs(range.start, settings))
                        .collect();
                    rules::run_duplicates(text, &entries, settings, duplicates)
                })
            },
        );
        let mut views = Vec::with_capacity(parts.len());
        let mut offsets = Offsets::default();
        for ((range, cached), result) in parts.into_iter().zip(results) {
            offsets.bytes = range.start;
            let units = result.units;
            let (blocks, paragraphs) =
                (cached.article.blocks.len(), cached.article.paragraphs.len());
            views.push(PartView {
                offsets,
                article: cached,
                result,
            });
            offsets.blocks += blocks;
            offsets.paragraphs += paragraphs;
            offsets.units += units;
        }

        let findings = if chinese {
            collect_findings(text, &mut views, settings, repeats.unwrap_or_default())
        } else {
            Vec::new()
        };
        Analysis::new(findings, views, directory)
    }

    /// The directory of a version: every section's byline and start, in the document's frame.
    fn directory(
        &self,
        parts: &[(Range<usize>, Arc<Cached>)],
        sections: usize,
        settings: &Settings,
    ) -> Directory {
        let mut bylines = Vec::with_capacity(sections);
        let mut section_starts = Vec::with_capacity(sections);
        for (range, cached) in parts {
            let by = Offsets {
                bytes: range.start,
                ..Offsets::default()
            };
            for section in &cached.article.sections {
                let mut byline = section.byline.clone();
                byline.shift(&by);
                bylines.push(byline);
                section_starts.push(range.start + section.range.start);
            }
        }
        Directory::with_shared(bylines, section_starts, settings, self.shared.clone())
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Where every section starts now, by section id.
fn section_starts(views: &[PartView]) -> Vec<usize> {
    views
        .iter()
        .flat_map(|view| {
            view.article()
                .sections
                .iter()
                .map(move |s| view.offsets.bytes + s.range.start)
        })
        .collect()
}

/// A hash of a part's length and of its two ends: enough to tell parts apart, cheap on a
/// whole document every keystroke. Equal hashes are compared in full.
fn hash_text(text: &str) -> u64 {
    const END: usize = 256;
    let bytes = text.as_bytes();
    let mut hasher = FxHasher::default();
    hasher.write_usize(bytes.len());
    hasher.write(&bytes[..bytes.len().min(END)]);
    hasher.write(&bytes[bytes.len().saturating_sub(END)..]);
    hasher.finish()
}

/// Runs the lists, mentions and rules of one part.
fn analyse_part(
    text: &str,
    article: &Article,
    directory: &Directory,
    base: usize,
    validity: Validity,
    settings: &Settings,
) -> PartResult {
    let knowledge = settings.knowledge();
    // Neither reads the other.
    let (enumerations, mentions) = rayon::join(
        || enumeration::extract(text, article, knowledge),
        || mentions::resolve_part(text, article, directory, base, settings),
    );
    let units = mentions::unit_count(article);
    let mut result = PartResult {
        units,
        ..PartResult::default()
    };
    if validity.chinese {
        let context = rules::Context {
            text,
            article,
            settings,
            knowledge,
            enumerations: &enumerations,
            mentions: &mentions,
            directory,
            base,
            last_part: validity.last,
        };
        let mut sink = Sink::new(settings);
        result.traditional = rules::run_part(&context, &mut sink);
        result.findings = sink.into_findings();
        // In order already, the findings of all parts need only a merge.
        result.findings.sort_by(by_position);
        result.foreign = foreign_places(&mut result.findings);
    }
    result.enumerations = enumerations;
    result.mentions = mentions;
    result
}

/// Marks a range of section `section` (offsets from its start) as a place in another part:
/// the mark sets the top bit, which no offset of a text has. See [`foreign_places`].
pub(crate) fn foreign(section: usize, range: Range<usize>) -> Range<usize> {
    let mark = |offset: usize| FOREIGN | (section << 32) | (offset & 0xffff_ffff);
    mark(range.start)..mark(range.end)
}

const FOREIGN: usize = 1 << (usize::BITS - 1);

/// Takes the places in other parts (see [`foreign`]) out of the findings into [`Foreign`]s.
fn foreign_places(findings: &mut [Finding]) -> Vec<Foreign> {
    let mut foreign = Vec::new();
    for (index, finding) in findings.iter_mut().enumerate() {
        for (related_index, related) in finding.related.iter_mut().enumerate() {
            if related.range.start & FOREIGN == 0 {
                continue;
            }
            let unmark = |offset: usize| offset & 0xffff_ffff;
            foreign.push(Foreign {
                finding: index,
                related: related_index,
                section: (related.range.start & !FOREIGN) >> 32,
                range: unmark(related.range.start)..unmark(related.range.end),
            });
            related.range = 0..0;
        }
    }
    foreign
}

/// The findings of every part in the document's frame, with those of the rules that read the
/// whole document; suppressed ones dropped, sorted.
fn collect_findings(
    text: &str,
    views: &mut [PartView],
    settings: &Settings,
    repeats: Vec<Finding>,
) -> Vec<Finding> {
    let starts = section_starts(views);
    let total: usize = views.iter().map(|v| v.result.findings.len()).sum();
    let mut findings: Vec<Finding> = Vec::with_capacity(total + 16);
    for view in views.iter_mut() {
        let first = findings.len();
        // A part analysis kept for nobody else gives its findings up; a kept one lends them,
        // cloned straight into their place.
        match Arc::get_mut(&mut view.result) {
            Some(result) => findings.append(&mut result.findings),
            None => findings.extend_from_slice(&view.result.findings),
        }
        for finding in &mut findings[first..] {
            finding.shift(&view.offsets);
        }
        for foreign in &view.result.foreign {
            let start = starts.get(foreign.section).copied().unwrap_or(0);
            findings[first + foreign.finding].related[foreign.related].range =
                start + foreign.range.start..start + foreign.range.end;
        }
    }
    findings.extend(repeats);
    let mut sink = Sink::new(settings);
    rules::run_document(views, settings, &mut findings, &mut sink);
    findings.extend(sink.into_findings());
    if views.iter().any(|view| view.article.markers) {
        suppression::apply(text, &mut findings);
    }
    findings.sort_by(by_position);
    // Equal findings are next to each other; most neighbours differ in place already.
    findings.dedup_by(|a, b| a.range == b.range && a == b);
    findings
}

/// The order of findings: by position, then rule id.
fn by_position(a: &Finding, b: &Finding) -> std::cmp::Ordering {
    (a.range.start, a.range.end, a.rule).cmp(&(b.range.start, b.range.end, b.rule))
}

/// The part analyses put together into the document's article, lists and mentions.
pub(crate) fn merge(views: &[PartView], directory: &Directory) -> Merged {
    let mut article = Article::default();
    let mut enumerations = Vec::new();
    let mut mentions = Vec::new();
    for view in views {
        article.append(view.article(), &view.offsets);
        for list in &view.result.enumerations {
            let mut list = list.clone();
            list.shift(&view.offsets);
            enumerations.push(list);
        }
        for mention in &view.result.mentions.mentions {
            let mut mention = mention.clone();
            mention.shift(&view.offsets);
            mentions.push(mention);
        }
    }
    // The directory may be that of an earlier version: its people's places move with their
    // sections.
    let starts = section_starts(views);
    let moved = |range: &mut Range<usize>, section: usize| {
        if let (Some(&now), Some(&then)) =
            (starts.get(section), directory.section_starts.get(section))
        {
            range.start = range.start + now - then;
            range.end = range.end + now - then;
        }
    };
    let people = if starts == directory.section_starts {
        Arc::clone(&directory.people)
    } else {
        let mut people = (*directory.people).clone();
        for person in &mut people {
            let Some(section) = person.section else {
                continue;
            };
            if let Some(range) = &mut person.definition {
                moved(range, section);
            }
            if let Some((_, range)) = &mut person.byline {
                moved(range, section);
            }
        }
        Arc::new(people)
    };
    Merged {
        article,
        enumerations,
        mentions: Mentions {
            people,
            mentions,
            section_places: Arc::clone(&directory.section_places),
        },
    }
}

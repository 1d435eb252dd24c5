//! Enumerations: announced counts (四个方面) and the ordinal lists (一是 … 四是) that follow them.
//!
//! Copy editors check lists by counting: the sentence announces 四个方面, four items must follow,
//! numbered 一是 … 四是 in one family. This module finds the lists of an article once, for the
//! four enumeration rules, the hover on an announcement and the outline:
//!
//! - ordinals of every family (一是/一要/一抓, 第一, 首先/其次/最后, 其一, 一方面/另一方面, and
//!   the heading levels of GB/T 9704: 一、 （一） 1. （1） ①), read on logical paragraphs so that
//!   a layout cut does not break a list;
//! - lists built from them: one per family and section, continued across paragraphs, ended by a
//!   heading or a new section, restarted by a new 一;
//! - announcements (numeral + measure word + noun) linked to the list that follows them, or to
//!   the inline list just before them (生物制造、新能源新材料和现代装备制造三大主导产业);
//! - for each list, the items that repeat earlier ones and the loop they may form.
//!
//! Architecture invariant: nothing here reports; the rules decide what is wrong. The word lists
//! are data (`data/enumerations.toml`); fixed formulations (四个自信) come from the knowledge.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

use serde::Deserialize;

use super::Article;
use super::article::BlockKind;
use super::text::{is_alphanumeric, is_closing_mark, is_han};
use crate::knowledge::{CharSet, Knowledge};

const WORDS: &str = include_str!("../../data/enumerations.toml");

/// The word lists of `data/enumerations.toml`.
#[derive(Debug, Default, Deserialize)]
struct Words {
    ordinal_heads: Vec<String>,
    not_ordinal: WordList,
    not_after: WordList,
    classifiers: WordList,
    nouns: WordList,
    item_prefixes: WordList,
    item_suffixes: WordList,
    sequence_words: HashMap<String, u32>,
    /// The characters a sentence-level ordinal starts with (see [`marker_at`]).
    #[serde(skip)]
    marker_initials: Box<CharSet>,
    /// Those and [`NUMERALS`]: where [`Candidates`] stop.
    #[serde(skip)]
    starts: Box<CharSet>,
}

fn words() -> &'static Words {
    static WORDS_CELL: OnceLock<Words> = OnceLock::new();
    WORDS_CELL.get_or_init(|| {
        // The file is compiled in and checked by a unit test; an unreadable copy gives no lists
        // rather than a crash.
        let mut words: Words = toml::from_str(WORDS).unwrap_or_default();
        for list in [
            &mut words.nouns,
            &mut words.item_prefixes,
            &mut words.item_suffixes,
            &mut words.not_after,
        ] {
            list.words.sort_by_key(|w| std::cmp::Reverse(w.len()));
        }
        // 另一方面, 第一, 其一, 一是 … 十是, and the sequence words (首先).
        let mut initials = CHINESE_DIGITS.clone();
        for c in ['另', '第', '其'] {
            initials.insert(c);
        }
        for c in words.sequence_words.keys().filter_map(|w| w.chars().next()) {
            initials.insert(c);
        }
        let mut starts = initials.clone();
        for c in NUMERAL_CHARS {
            starts.insert(c);
        }
        words.marker_initials = Box::new(initials);
        words.starts = Box::new(starts);
        words
    })
}

/// A list of words and the characters they start and end with: one character rules most texts
/// out before any word is compared.
#[derive(Debug, Default, Deserialize)]
#[serde(from = "Vec<String>")]
struct WordList {
    words: Vec<String>,
    // Boxed: a character set is 8 KiB, and a struct of several lists is moved around whole
    // while it is deserialised (deep stacks in unoptimised builds).
    initials: Box<CharSet>,
    finals: Box<CharSet>,
    /// An empty word matches any text: then no character rules one out.
    has_empty: bool,
}

impl From<Vec<String>> for WordList {
    fn from(words: Vec<String>) -> WordList {
        let mut initials = CharSet::default();
        let mut finals = CharSet::default();
        for word in &words {
            if let (Some(first), Some(last)) = (word.chars().next(), word.chars().next_back()) {
                initials.insert(first);
                finals.insert(last);
            }
        }
        let has_empty = words.iter().any(String::is_empty);
        WordList {
            words,
            initials: Box::new(initials),
            finals: Box::new(finals),
            has_empty,
        }
    }
}

impl WordList {
    /// The words `text` starts with, in list order.
    fn prefixes_of<'a>(&'a self, text: &'a str) -> impl Iterator<Item = &'a str> {
        let possible = self.has_empty
            || text
                .chars()
                .next()
                .is_some_and(|c| self.initials.contains(c));
        self.candidates(possible)
            .filter(move |w| text.starts_with(w))
    }

    /// The words `text` ends with, in list order.
    fn suffixes_of<'a>(&'a self, text: &'a str) -> impl Iterator<Item = &'a str> {
        let possible = self.has_empty
            || text
                .chars()
                .next_back()
                .is_some_and(|c| self.finals.contains(c));
        self.candidates(possible).filter(move |w| text.ends_with(w))
    }

    fn candidates(&self, possible: bool) -> impl Iterator<Item = &str> {
        let words = if possible { &self.words[..] } else { &[] };
        words.iter().map(String::as_str)
    }
}

/// The kind of numbering an ordinal belongs to. Items of one list share a family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OrdinalFamily {
    /// 一是/二是, 一要/二要, 一抓/二抓 …: the character after the numeral.
    Shi(char),
    /// 第一，第二，
    Di,
    /// 首先、其次、再次、最后
    Sequence,
    /// 其一、其二
    Qi,
    /// 一方面、另一方面
    Side,
    /// Heading levels after GB/T 9704: 1 一、 2 （一） 3 1. 4 （1） 5 ①
    Heading(u8),
}

impl OrdinalFamily {
    fn is_heading(self) -> bool {
        matches!(self, OrdinalFamily::Heading(_))
    }
}

/// One ordinal marker: 二是, 第三, 其次, （四）.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ordinal {
    pub family: OrdinalFamily,
    /// The position it claims; `None` for 最后 (the last, whatever its number).
    pub value: Option<u32>,
    /// The marker, e.g. `二是`.
    pub range: Range<usize>,
    /// The part that carries the number (`二`, `其次`, `4`), what renumbering replaces.
    pub numeral: Range<usize>,
    pub text: String,
}

/// One item of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub ordinal: Option<Ordinal>,
    /// From the marker (or the item's start) to the end of its first clause.
    pub range: Range<usize>,
    /// The item's first clause after the marker, up to its sentence end.
    pub content: Range<usize>,
    pub text: String,
    /// The content without punctuation: two items with equal keys are the same item.
    pub key: String,
    /// The key without the stock verbs and heads items share (聚焦, 构建 … 体系): two items with
    /// equal cores are nearly the same item.
    pub core: String,
    pub paragraph: Option<usize>,
    /// Where a deletion of this item starts: the separator before its marker, when the previous
    /// item stands just before it in the same paragraph.
    pub separator: Option<usize>,
    /// Where the item's body ends, before the separator of the next item or its sentence end.
    pub body_end: usize,
    /// The item is one clause: deleting it loses nothing but the repetition.
    pub single_clause: bool,
}

/// A count that introduces a list: 四个方面, 五个体系, 三大主导产业.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Announcement {
    pub range: Range<usize>,
    pub text: String,
    pub count: u32,
    /// The numeral, e.g. `四` or `3`, what a fix replaces.
    pub numeral: Range<usize>,
    pub arabic: bool,
}

/// What goes wrong in a numbering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SequenceProblem {
    /// A number is missing: 一是 … 三是.
    Skipped { expected: u32 },
    /// The same number again: 二是 … 二是.
    Repeated,
    /// A smaller number after a larger one: 三是 … 二是.
    OutOfOrder { expected: u32 },
    /// The list starts at a later number: 二是 … 三是 with no 一是.
    LateStart,
    /// Another family goes on with the list: 首先 … 其次 … 三是.
    FamilySwitch { from: OrdinalFamily },
}

/// A numbering problem at one item of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SequenceIssue {
    pub item: usize,
    /// The item before it, for related information.
    pub previous: Option<usize>,
    pub problem: SequenceProblem,
}

/// An item that repeats an earlier one of the same list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Repeat {
    pub item: usize,
    pub earlier: usize,
    /// Equal keys (the same words), not only equal cores.
    pub exact: bool,
}

/// A run of items that cycles through the same phrases: items `start..end` repeat with
/// `period`; the first cycle is `start..start + period`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cycle {
    pub start: usize,
    pub period: usize,
    pub end: usize,
}

/// How a list is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKind {
    /// Numbered items of one family (the family of the first item).
    Ordinal(OrdinalFamily),
    /// Items separated by 、 and 和 just before the announcement.
    Inline {
        /// The last item may hold a 和 inside it: one item fewer is a match too.
        ambiguous: bool,
    },
}

/// A list found in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enumeration {
    pub kind: ListKind,
    pub section: Option<usize>,
    pub announcement: Option<Announcement>,
    pub items: Vec<Item>,
    pub issues: Vec<SequenceIssue>,
    pub repeats: Vec<Repeat>,
    pub cycle: Option<Cycle>,
}

impl Enumeration {
    /// Does the number of items match the announcement (if any)?
    pub fn count_matches(&self) -> bool {
        let Some(announcement) = &self.announcement else {
            return true;
        };
        let count = announcement.count as usize;
        match self.kind {
            ListKind::Inline { ambiguous } => {
                count == self.items.len() || (ambiguous && count + 1 == self.items.len())
            }
            ListKind::Ordinal(_) => count == self.items.len(),
        }
    }

    /// From the announcement (or the first item) to the end of the last item.
    pub fn span(&self) -> Range<usize> {
        let mut start = self.items.first().map_or(0, |i| i.range.start);
        let mut end = self.items.last().map_or(start, |i| i.range.end);
        if let Some(a) = &self.announcement {
            start = start.min(a.range.start);
            end = end.max(a.range.end);
        }
        start..end
    }

    /// Is item `index` part of a loop or a repeat of (or repeated by) another item?
    pub fn is_degenerate(&self, index: usize) -> bool {
        self.cycle
            .is_some_and(|c| c.start <= index && index < c.end)
            || self
                .repeats
                .iter()
                .any(|r| r.item == index || r.earlier == index)
    }

    /// The source range that deletes items `items` (and their separators), when they stand in
    /// one paragraph right after the item before them.
    pub fn removal(&self, items: Range<usize>) -> Option<Range<usize>> {
        if items.is_empty() || items.start == 0 || items.end > self.items.len() {
            return None;
        }
        let paragraph = self.items[items.start - 1].paragraph?;
        let all_together = self.items[items.clone()]
            .iter()
            .all(|i| i.paragraph == Some(paragraph) && i.separator.is_some());
        if !all_together {
            return None;
        }
        let start = self.items[items.start].separator?;
        let end = self.items[items.end - 1].body_end;
        (start < end).then_some(start..end)
    }

    /// A short label for the outline: 四方面 · 20项.
    pub fn label(&self) -> String {
        let head = match &self.announcement {
            Some(a) => a.text.clone(),
            None => match (self.items.first(), self.items.last()) {
                (Some(first), Some(last)) => format!(
                    "{}…{}",
                    first.ordinal.as_ref().map_or("", |o| o.text.as_str()),
                    last.ordinal.as_ref().map_or("", |o| o.text.as_str())
                ),
                _ => String::new(),
            },
        };
        format!("{head} · {}项", self.items.len())
    }
}

/// How an ordinal of `family` at position `value` is written: 三是, 第三, 其三, 再次, （三）, 3.
/// `None` where the family has no form for it (首先 … 再次 stop at three).
pub fn ordinal_text(family: OrdinalFamily, value: u32) -> Option<String> {
    Some(match family {
        OrdinalFamily::Shi(head) => format!("{}{head}", chinese_numeral(value)),
        OrdinalFamily::Di => format!("第{}", chinese_numeral(value)),
        OrdinalFamily::Qi => format!("其{}", chinese_numeral(value)),
        OrdinalFamily::Side => match value {
            1 => "一方面".to_string(),
            2 => "另一方面".to_string(),
            _ => return None,
        },
        OrdinalFamily::Sequence => {
            let words = words();
            let mut found: Vec<&String> = words
                .sequence_words
                .iter()
                .filter(|&(_, &v)| v == value)
                .map(|(w, _)| w)
                .collect();
            found.sort();
            found.first().map(|w| w.to_string())?
        }
        OrdinalFamily::Heading(level) => match level {
            1 => format!("{}、", chinese_numeral(value)),
            2 => format!("（{}）", chinese_numeral(value)),
            3 => format!("{value}."),
            4 => format!("（{value}）"),
            _ => char::from_u32(0x2460 + value.checked_sub(1)?)
                .filter(|_| value <= 20)?
                .to_string(),
        },
    })
}

/// The numeral part of [`ordinal_text`]: what renumbering writes into [`Ordinal::numeral`].
pub fn numeral_text(family: OrdinalFamily, value: u32) -> Option<String> {
    match family {
        OrdinalFamily::Shi(_) | OrdinalFamily::Di | OrdinalFamily::Qi => {
            Some(chinese_numeral(value))
        }
        OrdinalFamily::Heading(1 | 2) => Some(chinese_numeral(value)),
        OrdinalFamily::Heading(3 | 4) => Some(value.to_string()),
        OrdinalFamily::Heading(_) | OrdinalFamily::Sequence | OrdinalFamily::Side => {
            ordinal_text(family, value)
        }
    }
}

/// Finds every enumeration of the article.
pub fn extract(text: &str, article: &Article, knowledge: &Knowledge) -> Vec<Enumeration> {
    let mut builder = Builder::default();
    let mut section = None;
    for (index, block) in article.blocks.iter().enumerate() {
        if block.section != section {
            section = block.section;
            builder.open.clear();
            let bylined = section
                .and_then(|s| article.section(s))
                .is_some_and(|s| s.byline.is_some());
            if bylined || section.is_none() {
                builder.headings.clear();
                builder.closed_headings.clear();
            }
        }
        match block.kind {
            BlockKind::Headline | BlockKind::Heading { .. } => {
                builder.open.clear();
                if let Some(piece) = block.pieces.first() {
                    let content = &text[piece.clone()];
                    if let Some(marker) = heading_marker(content) {
                        let item = heading_item(content, piece.start, marker, None);
                        builder.push_heading(item, section);
                    }
                }
            }
            BlockKind::Title | BlockKind::Byline => builder.open.clear(),
            BlockKind::Body | BlockKind::Quote => {
                let Some(p) = block.paragraph else { continue };
                if article.paragraphs[p].blocks.start != index {
                    continue;
                }
                builder.scan_paragraph(article, p, section, knowledge);
            }
            BlockKind::Aside => {}
        }
    }
    builder.finish(text, article)
}

/// A list under construction.
struct Draft {
    family: OrdinalFamily,
    section: Option<usize>,
    items: Vec<Item>,
    issues: Vec<SequenceIssue>,
    /// The value of the last item (0 for 最后).
    last: u32,
}

/// An announcement waiting for its list.
struct PendingAnnouncement {
    announcement: Announcement,
    paragraph: usize,
    /// End of the announcement in the paragraph's joined text.
    joined_end: usize,
    inline: Option<(Vec<Item>, bool)>,
    /// Followed by 等: an open list, nothing to check.
    open_ended: bool,
}

#[derive(Default)]
struct Builder {
    drafts: Vec<Draft>,
    /// Open sentence-level lists of the current section, by family.
    open: HashMap<OrdinalFamily, usize>,
    /// Open heading lists by level.
    headings: HashMap<u8, usize>,
    /// The last value of heading lists closed by a higher heading: government documents often
    /// number （一）…（五） under 一、 and go on with （六） under 二、.
    closed_headings: HashMap<u8, u32>,
    announcements: Vec<PendingAnnouncement>,
}

impl Builder {
    fn push_heading(&mut self, item: Item, section: Option<usize>) {
        let Some(ordinal) = &item.ordinal else { return };
        let OrdinalFamily::Heading(level) = ordinal.family else {
            return;
        };
        let closed: Vec<(u8, usize)> = self
            .headings
            .iter()
            .filter(|&(&l, _)| l > level)
            .map(|(&l, &d)| (l, d))
            .collect();
        for (closed_level, draft) in closed {
            self.closed_headings
                .insert(closed_level, self.drafts[draft].last);
        }
        self.headings.retain(|&l, _| l <= level);
        let value = ordinal.value.unwrap_or(0);
        match self.headings.get(&level).copied() {
            Some(draft) if value != 1 => self.append(draft, item, value),
            _ => {
                let continues = value > 1 && self.closed_headings.get(&level) == Some(&(value - 1));
                let draft = self.start(ordinal.family, section, item, value);
                if continues {
                    self.drafts[draft].issues.clear();
                }
                self.headings.insert(level, draft);
            }
        }
    }

    fn start(
        &mut self,
        family: OrdinalFamily,
        section: Option<usize>,
        item: Item,
        value: u32,
    ) -> usize {
        let mut issues = Vec::new();
        if value > 1 {
            issues.push(SequenceIssue {
                item: 0,
                previous: None,
                problem: SequenceProblem::LateStart,
            });
        }
        self.drafts.push(Draft {
            family,
            section,
            items: vec![item],
            issues,
            last: value,
        });
        self.drafts.len() - 1
    }

    fn append(&mut self, draft: usize, item: Item, value: u32) {
        let list = &mut self.drafts[draft];
        let index = list.items.len();
        let previous = Some(index - 1);
        let expected = list.last + 1;
        let problem = if value == 0 || list.last == 0 || value == expected {
            None
        } else if value == list.last {
            Some(SequenceProblem::Repeated)
        } else if value > expected {
            Some(SequenceProblem::Skipped { expected })
        } else {
            Some(SequenceProblem::OutOfOrder { expected })
        };
        if let Some(problem) = problem {
            list.issues.push(SequenceIssue {
                item: index,
                previous,
                problem,
            });
        }
        let family = item.ordinal.as_ref().map(|o| o.family);
        if let Some(from) = family.filter(|&f| f != list.family) {
            list.issues.push(SequenceIssue {
                item: index,
                previous,
                problem: SequenceProblem::FamilySwitch { from },
            });
        }
        list.items.push(item);
        if value != 0 {
            list.last = value;
        }
    }

    /// A sentence-level ordinal: continue a list, start one, or drop a word that only looks
    /// like an ordinal.
    fn push_sentence(&mut self, item: Item, section: Option<usize>) {
        let Some(ordinal) = &item.ordinal else { return };
        let family = ordinal.family;
        let value = ordinal.value.unwrap_or(0);
        if value == 1 {
            let draft = self.start(family, section, item, value);
            self.open.insert(family, draft);
            return;
        }
        if value == 0 {
            if let Some(&draft) = self.open.get(&family) {
                self.append(draft, item, value);
            }
            return;
        }
        let own = self.open.get(&family).copied();
        if let Some(draft) = own.filter(|&d| self.drafts[d].last + 1 == value) {
            self.append(draft, item, value);
            return;
        }
        if family == OrdinalFamily::Side {
            if let Some(draft) = own {
                self.append(draft, item, value);
            }
            return;
        }
        // Another family's list that this item continues in order: 首先 … 其次 … 三是.
        let switched = self
            .open
            .values()
            .copied()
            .filter(|&d| {
                let draft = &self.drafts[d];
                draft.family != OrdinalFamily::Side && draft.last + 1 == value
            })
            .max_by_key(|&d| self.drafts[d].items.last().map_or(0, |i| i.range.start));
        if let Some(draft) = switched.or(own) {
            self.append(draft, item, value);
            return;
        }
        if family == OrdinalFamily::Sequence {
            return;
        }
        let draft = self.start(family, section, item, value);
        self.open.insert(family, draft);
    }

    fn scan_paragraph(
        &mut self,
        article: &Article,
        p: usize,
        section: Option<usize>,
        knowledge: &Knowledge,
    ) {
        let paragraph = &article.paragraphs[p];
        let joined = paragraph.text.as_str();
        let candidates = Candidates::of(joined);
        let mut markers: Vec<Marker> = Vec::new();
        for (n, piece) in paragraph.pieces.iter().enumerate() {
            let end = paragraph
                .pieces
                .get(n + 1)
                .map_or(joined.len(), |next| next.at);
            let mut from = piece.at;
            if let Some(mut marker) = heading_marker(&joined[piece.at..end]) {
                marker.shift(piece.at);
                marker.limit = Some(end);
                from = marker.content;
                markers.push(marker);
            }
            markers.extend(sentence_markers(joined, &candidates, from, end));
        }
        let items = paragraph_items(article, p, &markers);
        for (marker, item) in markers.iter().zip(items) {
            if marker.family.is_heading() {
                self.open.clear();
                self.push_heading(item, section);
            } else {
                self.push_sentence(item, section);
            }
        }
        self.announcements
            .extend(announcements(article, p, &candidates, knowledge));
    }

    fn finish(self, text: &str, article: &Article) -> Vec<Enumeration> {
        let mut lists: Vec<Enumeration> = Vec::new();
        let mut firsts: Vec<(usize, Option<usize>, usize)> = Vec::new();
        for draft in self.drafts {
            if draft.items.len() < 2 {
                continue;
            }
            let first = &draft.items[0];
            let starts_at_one = first.ordinal.as_ref().is_some_and(|o| o.value == Some(1));
            if starts_at_one {
                firsts.push((lists.len(), first.paragraph, first.range.start));
            }
            lists.push(Enumeration {
                kind: ListKind::Ordinal(draft.family),
                section: draft.section,
                announcement: None,
                items: draft.items,
                issues: draft.issues,
                repeats: Vec::new(),
                cycle: None,
            });
        }
        // The announcement nearest a list is its own: 共20条，分为五个部分：一、…
        for pending in self.announcements.into_iter().rev() {
            if pending.open_ended {
                continue;
            }
            if let Some((items, ambiguous)) = pending.inline {
                lists.push(Enumeration {
                    kind: ListKind::Inline { ambiguous },
                    section: article.paragraphs[pending.paragraph].section,
                    announcement: Some(pending.announcement),
                    items,
                    issues: Vec::new(),
                    repeats: Vec::new(),
                    cycle: None,
                });
                continue;
            }
            let limit = follow_limit(text, article, &pending);
            let linked = firsts.iter().position(|&(list, paragraph, start)| {
                (pending.announcement.range.end..=limit).contains(&start)
                    && lists[list].announcement.is_none()
                    && follows(text, article, &pending, paragraph, start)
            });
            if let Some(found) = linked {
                let (list, _, _) = firsts.remove(found);
                lists[list].announcement = Some(pending.announcement);
            }
        }
        for list in &mut lists {
            if matches!(list.kind, ListKind::Ordinal(_)) {
                list.repeats = repeats(&list.items);
                list.cycle = cycle(&list.items);
            }
        }
        lists.sort_by_key(|l| l.span().start);
        lists
    }
}

/// Where a list that [`follows`] an announcement starts at the latest: in the announcement's
/// paragraph, on a heading line after nothing but white space, or in the paragraph right after.
/// Ruling out the lists beyond it by their offset keeps a long document linear.
fn follow_limit(text: &str, article: &Article, pending: &PendingAnnouncement) -> usize {
    let own_end = article.paragraphs[pending.paragraph].span().end;
    let gap = text[own_end..]
        .find(|c: char| !(c.is_whitespace() || c == '#'))
        .map_or(text.len(), |at| own_end + at);
    let next = article
        .paragraphs
        .get(pending.paragraph + 1)
        .map_or(0, |next| next.span().end);
    gap.max(next).max(own_end)
}

/// Does a list whose first item starts at `start` (in paragraph `paragraph`) come right after
/// the announcement: in the same paragraph at most one sentence later, or at the start of the
/// next paragraph when the announcement ends its own?
fn follows(
    text: &str,
    article: &Article,
    pending: &PendingAnnouncement,
    paragraph: Option<usize>,
    start: usize,
) -> bool {
    let own = &article.paragraphs[pending.paragraph];
    if paragraph == Some(pending.paragraph) {
        let Some(at) = own.from_source(start) else {
            return false;
        };
        if at < pending.joined_end {
            return false;
        }
        let between = &own.text[pending.joined_end..at];
        // A closing quote and an attribution may stand between: 。”某某说：“某某表示，一是
        return between.chars().filter(|&c| is_full_stop(c)).count() <= 2
            && between.chars().count() <= 100;
    }
    // The announcement ends its paragraph's last sentence (tested last: the tests on the gap
    // rule out most lists at once).
    let last_sentence = || {
        own.text[pending.joined_end..]
            .trim_end_matches(|c: char| is_closing_mark(c) || is_full_stop(c) || c.is_whitespace())
            .chars()
            .all(|c| !is_full_stop(c))
    };
    match paragraph {
        // A heading line right after the announcement's paragraph.
        None => {
            text.get(own.span().end..start)
                .is_some_and(|gap| gap.chars().all(|c| c.is_whitespace() || c == '#'))
                && last_sentence()
        }
        // The first sentence of the next paragraph.
        Some(next) => {
            let next = &article.paragraphs[next];
            let adjacent = text
                .get(own.span().end..next.span().start)
                .is_some_and(|gap| gap.chars().all(char::is_whitespace));
            if !adjacent {
                return false;
            }
            let Some(at) = next.from_source(start) else {
                return false;
            };
            !next.text[..at].chars().any(is_full_stop) && last_sentence()
        }
    }
}

fn is_full_stop(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '!' | '?')
}

/// Ends an item's first clause.
fn is_item_end(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '!' | '?' | '；' | ';')
}

/// A marker found in a text: byte offsets in that text.
#[derive(Debug, Clone)]
struct Marker {
    family: OrdinalFamily,
    value: Option<u32>,
    start: usize,
    end: usize,
    numeral: Range<usize>,
    /// Where the content starts (after 是/要 or the comma of 第一，).
    content: usize,
    /// Where the item must end at the latest (a heading ends with its line).
    limit: Option<usize>,
}

impl Marker {
    fn shift(&mut self, by: usize) {
        self.start += by;
        self.end += by;
        self.numeral = self.numeral.start + by..self.numeral.end + by;
        self.content += by;
    }
}

/// 〇 to 十, and 两.
static CHINESE_DIGITS: CharSet = CharSet::new(&[
    '〇', '零', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '两',
]);

fn is_chinese_digit(c: char) -> bool {
    CHINESE_DIGITS.contains(c)
}

/// The characters a count starts with: Chinese and ASCII digits.
static NUMERALS: CharSet = CharSet::new(&NUMERAL_CHARS);

const NUMERAL_CHARS: [char; 23] = [
    '〇', '零', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '两', '0', '1', '2',
    '3', '4', '5', '6', '7', '8', '9',
];

fn digit_value(c: char) -> Option<u32> {
    Some(match c {
        '〇' | '零' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

/// Parses a Chinese numeral from 一 to 九十九 (also 〇, 两): 十一 → 11, 二十 → 20.
pub fn parse_numeral(numeral: &str) -> Option<u32> {
    let mut chars = ['\0'; 3];
    let mut count = 0;
    for c in numeral.chars() {
        *chars.get_mut(count)? = c;
        count += 1;
    }
    match &chars[..count] {
        ['十'] => Some(10),
        [d] => digit_value(*d),
        ['十', d] => Some(10 + digit_value(*d).filter(|&v| v > 0)?),
        [t, '十'] => Some(digit_value(*t).filter(|&v| v > 1)? * 10),
        [t, '十', d] => {
            Some(digit_value(*t).filter(|&v| v > 1)? * 10 + digit_value(*d).filter(|&v| v > 0)?)
        }
        _ => None,
    }
}

/// Writes 1 ..= 99 as a Chinese numeral.
pub fn chinese_numeral(value: u32) -> String {
    const DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    match value {
        0..=9 => DIGITS[value as usize].to_string(),
        10 => "十".to_string(),
        11..=19 => format!("十{}", DIGITS[(value % 10) as usize]),
        _ if value.is_multiple_of(10) && value < 100 => {
            format!("{}十", DIGITS[(value / 10) as usize])
        }
        _ if value < 100 => format!(
            "{}十{}",
            DIGITS[(value / 10) as usize],
            DIGITS[(value % 10) as usize]
        ),
        _ => value.to_string(),
    }
}

/// The end of the run of Chinese digits starting at `at`.
fn numeral_end(text: &str, at: usize) -> usize {
    at + text[at..]
        .chars()
        .take_while(|&c| is_chinese_digit(c))
        .map(char::len_utf8)
        .sum::<usize>()
}

/// The end of the run of ASCII digits starting at `at`.
fn digits_end(text: &str, at: usize) -> usize {
    at + text[at..].bytes().take_while(u8::is_ascii_digit).count()
}

/// A heading-level marker at the start of a line or paragraph: 一、 （一） 1. （1） ①.
fn heading_marker(text: &str) -> Option<Marker> {
    let first = text.chars().next()?;
    let marker = |level: u8, value: u32, numeral: Range<usize>, end: usize| {
        (value > 0).then_some(Marker {
            family: OrdinalFamily::Heading(level),
            value: Some(value),
            start: 0,
            end,
            numeral,
            content: end,
            limit: None,
        })
    };
    if ('①'..='⑳').contains(&first) {
        let value = first as u32 - '①' as u32 + 1;
        return marker(5, value, 0..first.len_utf8(), first.len_utf8());
    }
    if first == '（' || first == '(' {
        let open = first.len_utf8();
        let (numeral_end, level) = if text[open..].starts_with(|c: char| c.is_ascii_digit()) {
            (digits_end(text, open), 4)
        } else {
            (numeral_end(text, open), 2)
        };
        let close = text[numeral_end..].chars().next()?;
        if numeral_end == open || !(close == '）' || close == ')') {
            return None;
        }
        let value = if level == 4 {
            text[open..numeral_end].parse().ok()?
        } else {
            parse_numeral(&text[open..numeral_end])?
        };
        return marker(
            level,
            value,
            open..numeral_end,
            numeral_end + close.len_utf8(),
        );
    }
    if first.is_ascii_digit() {
        let end = digits_end(text, 0);
        let mark = text[end..].chars().next()?;
        let after = text[end + mark.len_utf8()..].chars().next();
        if end > 2
            || !matches!(mark, '.' | '．' | '、')
            || after.is_some_and(|c| c.is_ascii_digit())
        {
            return None;
        }
        return marker(3, text[..end].parse().ok()?, 0..end, end + mark.len_utf8());
    }
    let end = numeral_end(text, 0);
    if end > 0
        && text[end..].starts_with('、')
        && !text[end + '、'.len_utf8()..].starts_with(is_chinese_digit)
    {
        return marker(
            1,
            parse_numeral(&text[..end])?,
            0..end,
            end + '、'.len_utf8(),
        );
    }
    None
}

/// Punctuation that opens a clause.
static CLAUSE_BREAKS: CharSet = CharSet::new(&[
    '。', '；', ';', '：', ':', '，', ',', '“', '‘', '「', '『', '（', '(', '！', '？', '!', '?',
]);

/// Can an ordinal start here: at the start, after punctuation that opens a clause, or after a
/// closing quote that ends a sentence?
fn clause_start(text: &str, at: usize) -> bool {
    let mut before = text[..at].chars().rev();
    match before.next() {
        None => true,
        Some(c) if c.is_whitespace() || CLAUSE_BREAKS.contains(c) => true,
        Some('”' | '’') => before.next().is_some_and(is_full_stop),
        _ => false,
    }
}

/// The characters of a paragraph that a list marker or an announcement can start with (the
/// union of the marker initials and [`NUMERALS`]), with their offsets: the paragraph is read
/// once for both scans, which then look at these alone.
struct Candidates(Vec<(usize, char)>);

impl Candidates {
    fn of(text: &str) -> Candidates {
        let initials = &words().starts;
        Candidates(
            text.char_indices()
                .filter(|&(_, c)| initials.contains(c))
                .collect(),
        )
    }

    /// The candidates in `range`, in order.
    fn within(&self, range: Range<usize>) -> impl Iterator<Item = (usize, char)> + '_ {
        let from = self.0.partition_point(|&(at, _)| at < range.start);
        self.0[from..]
            .iter()
            .copied()
            .take_while(move |&(at, _)| at < range.end)
    }
}

/// Ordinals that open clauses in running text.
fn sentence_markers(text: &str, candidates: &Candidates, from: usize, to: usize) -> Vec<Marker> {
    let words = words();
    let mut markers = Vec::new();
    // Where the next marker may start: after the head of the last one.
    let mut free = from;
    for (at, c) in candidates.within(from..to) {
        if at < free || !words.marker_initials.contains(c) || !clause_start(text, at) {
            continue;
        }
        if let Some(marker) = marker_at(text, at, words) {
            free = marker.content.max(at + c.len_utf8());
            markers.push(marker);
        }
    }
    markers
}

fn marker_at(text: &str, at: usize, words: &Words) -> Option<Marker> {
    let rest = &text[at..];
    let make = |family, value, numeral: Range<usize>, end: usize, content: usize| Marker {
        family,
        value,
        start: at,
        end,
        numeral,
        content,
        limit: None,
    };
    if rest.starts_with("另一方面") {
        let end = at + "另一方面".len();
        return Some(make(
            OrdinalFamily::Side,
            Some(2),
            at..end,
            end,
            skip_comma(text, end),
        ));
    }
    if rest.starts_with("一方面") {
        let end = at + "一方面".len();
        return Some(make(
            OrdinalFamily::Side,
            Some(1),
            at..end,
            end,
            skip_comma(text, end),
        ));
    }
    for (word, &value) in &words.sequence_words {
        if let Some(after) = rest.strip_prefix(word.as_str()) {
            let next = after.chars().next()?;
            if !(matches!(next, '，' | ',' | '：' | ':' | '、' | '是' | '要')) {
                return None;
            }
            let end = at + word.len();
            let value = (value > 0).then_some(value);
            return Some(make(
                OrdinalFamily::Sequence,
                value,
                at..end,
                end,
                skip_head(text, end),
            ));
        }
    }
    for (lead, family) in [("第", OrdinalFamily::Di), ("其", OrdinalFamily::Qi)] {
        if let Some(after) = rest.strip_prefix(lead) {
            let start = at + lead.len();
            let end = numeral_end(text, start);
            let value = parse_numeral(&text[start..end]).filter(|&v| v > 0)?;
            if after.starts_with('两') {
                return None;
            }
            let next = text[end..].chars().next()?;
            if !matches!(next, '，' | ',' | '：' | ':' | '、' | '是') {
                return None;
            }
            return Some(make(
                family,
                Some(value),
                start..end,
                end,
                skip_head(text, end),
            ));
        }
    }
    if rest.starts_with(|c: char| is_chinese_digit(c) && c != '两' && c != '〇' && c != '零') {
        let end = numeral_end(text, at);
        let value = parse_numeral(&text[at..end]).filter(|&v| v > 0)?;
        let head = text[end..].chars().next()?;
        let head_text = &text[end..end + head.len_utf8()];
        if !words.ordinal_heads.iter().any(|h| h == head_text) {
            return None;
        }
        if words.not_ordinal.prefixes_of(&text[end..]).next().is_some() {
            return None;
        }
        let marker_end = end + head.len_utf8();
        return Some(make(
            OrdinalFamily::Shi(head),
            Some(value),
            at..end,
            marker_end,
            marker_end,
        ));
    }
    None
}

/// Past a comma or colon after a marker.
fn skip_comma(text: &str, at: usize) -> usize {
    match text[at..].chars().next() {
        Some(c @ ('，' | ',' | '：' | ':' | '、')) => at + c.len_utf8(),
        _ => at,
    }
}

/// Past 是/要 and a comma after a marker: 首先是, 第一，.
fn skip_head(text: &str, at: usize) -> usize {
    let at = match text[at..].chars().next() {
        Some(c @ ('是' | '要')) => at + c.len_utf8(),
        _ => at,
    };
    skip_comma(text, at)
}

/// The items of a paragraph's markers.
fn paragraph_items(article: &Article, p: usize, markers: &[Marker]) -> Vec<Item> {
    let paragraph = &article.paragraphs[p];
    let text = paragraph.text.as_str();
    let mut items = Vec::with_capacity(markers.len());
    for (n, marker) in markers.iter().enumerate() {
        let next = markers.get(n + 1).map(|m| m.start);
        let limit = next.map_or(text.len(), |next| {
            separator_before(text, next).unwrap_or(next)
        });
        let limit = limit.max(marker.content);
        let sentence_end = text[marker.content..limit]
            .char_indices()
            .find(|&(_, c)| is_item_end(c))
            .map_or(limit, |(i, _)| marker.content + i);
        let content = marker.content..sentence_end;
        let separator = (n > 0 && !marker.family.is_heading())
            .then(|| separator_before(text, marker.start))
            .flatten()
            .filter(|&s| s >= markers[n - 1].content);
        let (body_end, single_clause) = match next {
            Some(_) => (limit, sentence_end == limit),
            None => {
                let after = &text[sentence_end..];
                let tail_empty = after
                    .chars()
                    .all(|c| is_item_end(c) || is_closing_mark(c) || c.is_whitespace());
                (sentence_end, tail_empty)
            }
        };
        let source = |r: Range<usize>| paragraph.range_to_source(r);
        let item_text = text[content.clone()].to_string();
        let (key, core) = keys(&item_text);
        let range = source(marker.start..sentence_end.max(marker.end));
        items.push(Item {
            ordinal: Some(Ordinal {
                family: marker.family,
                value: marker.value,
                range: source(marker.start..marker.end),
                numeral: source(marker.numeral.clone()),
                text: text[marker.start..marker.end].to_string(),
            }),
            range,
            content: source(content),
            text: item_text,
            key,
            core,
            paragraph: Some(p),
            separator: separator.map(|s| paragraph.to_source(s)),
            body_end: paragraph.to_source_end(body_end),
            single_clause,
        });
    }
    items
}

/// The offset of the punctuation mark right before `at`, if one is there.
fn separator_before(text: &str, at: usize) -> Option<usize> {
    let c = text[..at].chars().next_back()?;
    (c.is_whitespace() || "。；;：:，,！？!?、".contains(c)).then(|| at - c.len_utf8())
}

/// An item of a heading line (not a running-text paragraph).
fn heading_item(content: &str, offset: usize, marker: Marker, paragraph: Option<usize>) -> Item {
    let end = content[marker.content..]
        .char_indices()
        .find(|&(_, c)| is_item_end(c))
        .map_or(content.len(), |(i, _)| marker.content + i);
    let text = content[marker.content..end].to_string();
    let (key, core) = keys(&text);
    let shift = |r: Range<usize>| r.start + offset..r.end + offset;
    Item {
        ordinal: Some(Ordinal {
            family: marker.family,
            value: marker.value,
            range: shift(marker.start..marker.end),
            numeral: shift(marker.numeral.clone()),
            text: content[marker.start..marker.end].to_string(),
        }),
        range: shift(marker.start..end.max(marker.end)),
        content: shift(marker.content..end),
        text,
        key,
        core,
        paragraph,
        separator: None,
        body_end: offset + end,
        single_clause: false,
    }
}

/// The comparison key (letters only) and the core (without stock verbs and heads).
fn keys(content: &str) -> (String, String) {
    let mut key = String::with_capacity(content.len());
    key.extend(content.chars().filter(|&c| is_han(c) || is_alphanumeric(c)));
    let words = words();
    let mut core = key.as_str();
    if let Some(prefix) = words.item_prefixes.prefixes_of(core).next() {
        core = &core[prefix.len()..];
    }
    if let Some(suffix) = words.item_suffixes.suffixes_of(core).next() {
        core = &core[..core.len() - suffix.len()];
    }
    let core = if core.chars().nth(1).is_some() {
        core.to_string()
    } else {
        key.clone()
    };
    (key, core)
}

/// Items that repeat an earlier item: same key (exact) or same core (near).
fn repeats(items: &[Item]) -> Vec<Repeat> {
    let mut found = Vec::new();
    for (index, item) in items.iter().enumerate() {
        if item.key.is_empty() {
            continue;
        }
        let exact = items[..index].iter().position(|e| e.key == item.key);
        let near = items[..index].iter().position(|e| e.core == item.core);
        if let Some(earlier) = exact.or(near) {
            found.push(Repeat {
                item: index,
                earlier,
                exact: exact.is_some(),
            });
        }
    }
    found
}

/// The longest run of items that repeats with a fixed period for at least two full cycles.
fn cycle(items: &[Item]) -> Option<Cycle> {
    let keys: Vec<&str> = items.iter().map(|i| i.core.as_str()).collect();
    let mut best: Option<Cycle> = None;
    for period in 1..=keys.len() / 2 {
        let mut index = period;
        while index < keys.len() {
            if keys[index] != keys[index - period] || keys[index].is_empty() {
                index += 1;
                continue;
            }
            let run_start = index;
            while index < keys.len() && keys[index] == keys[index - period] {
                index += 1;
            }
            let start = run_start - period;
            let length = index - start;
            let cycles_ok = if period == 1 {
                length >= 3
            } else {
                length >= 2 * period
            };
            let distinct = {
                let mut first: Vec<&str> = keys[start..start + period].to_vec();
                first.sort_unstable();
                first.dedup();
                first.len() == period
            };
            if cycles_ok && distinct && best.is_none_or(|b| length > b.end - b.start) {
                best = Some(Cycle {
                    start,
                    period,
                    end: index,
                });
            }
        }
    }
    best
}

/// The announcements of a paragraph, with the inline list before each, if any.
fn announcements(
    article: &Article,
    p: usize,
    candidates: &Candidates,
    knowledge: &Knowledge,
) -> Vec<PendingAnnouncement> {
    let paragraph = &article.paragraphs[p];
    let text = paragraph.text.as_str();
    let words = words();
    let formulations = knowledge.formulations();
    let mut found = Vec::new();
    // Where the next announcement may start: after the numeral or the noun of the last one.
    let mut free = 0;
    for (at, c) in candidates.within(0..text.len()) {
        if at < free || !NUMERALS.contains(c) {
            continue;
        }
        let step = c.len_utf8();
        let (end, count, arabic) = if c.is_ascii_digit() {
            let end = digits_end(text, at);
            (end, text[at..end].parse::<u32>().ok(), true)
        } else {
            let end = numeral_end(text, at);
            (end, parse_numeral(&text[at..end]), false)
        };
        let next_at = end.max(at + step);
        let before = &text[..at];
        let Some(count) = count.filter(|n| (2..=30).contains(n)) else {
            free = next_at;
            continue;
        };
        let after_number = before.ends_with(|c: char| c.is_ascii_digit() || c == '.' || c == '第');
        let referring = || words.not_after.suffixes_of(before).any(|w| w != "等");
        if after_number || referring() {
            free = next_at;
            continue;
        }
        let Some(noun_end) = announced_noun(text, end, words) else {
            free = next_at;
            continue;
        };
        let covered = formulations.contains_at(text, at).is_some()
            || formulations
                .contains_at(text, noun_end - 1)
                .is_some_and(|(r, _)| r.start <= at);
        if covered {
            free = next_at;
            continue;
        }
        let range = at..noun_end;
        let open_ended = before.ends_with('等') || clause_is_open_ended(before);
        let inline = if open_ended {
            None
        } else {
            inline_list(article, p, at)
        };
        found.push(PendingAnnouncement {
            announcement: Announcement {
                range: paragraph.range_to_source(range.clone()),
                text: text[range].to_string(),
                count,
                numeral: paragraph.range_to_source(at..end),
                arabic,
            },
            paragraph: p,
            joined_end: noun_end,
            inline,
            open_ended,
        });
        free = noun_end;
    }
    found
}

/// Does the clause before an announcement end an open list (A、B等关键技术12项)?
fn clause_is_open_ended(before: &str) -> bool {
    let clause_start = before
        .char_indices()
        .rev()
        .find(|&(_, c)| "。；;：:，,！？!?".contains(c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let clause = &before[clause_start..];
    let last_item = clause.rfind('、').map_or(0, |i| i + '、'.len_utf8());
    clause.contains('、') && clause[last_item..].contains('等')
}

/// After a numeral: a measure word and a noun of the list (个方面, 大主导产业, 项任务), or 方面
/// alone. Returns the end of the noun.
fn announced_noun(text: &str, at: usize, words: &Words) -> Option<usize> {
    let rest = &text[at..];
    if rest.starts_with("方面") {
        return Some(at + "方面".len());
    }
    let classifier = words.classifiers.prefixes_of(rest).next()?;
    let noun_at = at + classifier.len();
    let noun = words.nouns.prefixes_of(&text[noun_at..]).next();
    match noun {
        Some(noun) => Some(noun_at + noun.len()),
        // 三点：, 两条，一是…: the measure word is the noun, when a list follows at once.
        // Without that it counts things (突破关键技术12项，…).
        None if matches!(classifier, "点" | "条" | "项") && introduces_list(&text[noun_at..]) => {
            Some(noun_at)
        }
        None => None,
    }
}

/// A colon, or a comma or full stop followed at once by a first ordinal.
fn introduces_list(rest: &str) -> bool {
    if rest.starts_with(['：', ':']) {
        return true;
    }
    let Some(after) = rest.strip_prefix(['，', ',', '。']) else {
        return false;
    };
    ["一是", "一要", "第一", "首先", "其一", "一方面", "一、"]
        .iter()
        .any(|first| after.starts_with(first))
}

/// The items named just before an announcement in its clause: 生物制造、新能源新材料和现代装备制造
/// (三大主导产业). Only a clause with a 、 is taken for a list.
fn inline_list(article: &Article, p: usize, at: usize) -> Option<(Vec<Item>, bool)> {
    let paragraph = &article.paragraphs[p];
    let text = paragraph.text.as_str();
    let clause_start = text[..at]
        .char_indices()
        .rev()
        .find(|&(_, c)| "。；;：:，,！？!?“”‘’（）()《》".contains(c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let clause = &text[clause_start..at];
    if !clause.contains('、') || clause.is_empty() {
        return None;
    }
    let mut items = Vec::new();
    let mut start = clause_start;
    let pieces: Vec<&str> = clause.split('、').collect();
    let last = pieces.len() - 1;
    let mut ambiguous = false;
    for (n, piece) in pieces.iter().enumerate() {
        let end = start + piece.len();
        let mut parts: Vec<Range<usize>> = std::iter::once(start..end).collect();
        if n == last
            && let Some((i, conj)) = ["以及", "和", "及", "与"]
                .iter()
                .find_map(|c| piece.find(c).map(|i| (i, *c)))
            && i > 0
        {
            parts = vec![start..start + i, start + i + conj.len()..end];
            ambiguous = true;
        }
        for part in parts {
            if part.is_empty() {
                return None;
            }
            let content = text[part.clone()].to_string();
            let (key, core) = keys(&content);
            let source = paragraph.range_to_source(part);
            items.push(Item {
                ordinal: None,
                range: source.clone(),
                content: source.clone(),
                text: content,
                key,
                core,
                paragraph: Some(p),
                separator: None,
                body_end: source.end,
                single_clause: true,
            });
        }
        start = end + '、'.len_utf8();
    }
    Some((items, ambiguous))
}

/// Hover on an announcement: how many items it announces, how many follow, which repeat.
pub fn hover(context: &super::hover::HoverContext<'_>) -> Option<super::hover::HoverInfo> {
    let offset = context.offset;
    let list = context.analysis.enumerations().iter().find(|l| {
        l.announcement
            .as_ref()
            .is_some_and(|a| a.range.start <= offset && offset < a.range.end)
    })?;
    let announcement = list.announcement.as_ref()?;
    let announced = announcement.count;
    let listed = list.items.len();
    let repeated: Vec<usize> = (0..listed)
        .filter(|&i| list.repeats.iter().any(|r| r.item == i))
        .collect();
    let runs = runs(&repeated);
    let mark = if list.count_matches() { "✓" } else { "✗" };
    let markdown = match context.locale {
        super::Locale::Zh => {
            let mut out = format!(
                "**“{}”** {mark} 宣布 {announced} 项 · 列出 {listed} 项",
                announcement.text
            );
            if !runs.is_empty() {
                out.push_str(&format!("（第{}项与前面的项重复）", runs.join("、")));
            }
            out
        }
        super::Locale::En => {
            let mut out = format!(
                "**“{}”** {mark} announced {announced} · listed {listed}",
                announcement.text
            );
            if !runs.is_empty() {
                out.push_str(&format!(
                    " (items {} repeat earlier items)",
                    runs.join(", ")
                ));
            }
            out
        }
    };
    Some(super::hover::HoverInfo {
        markdown,
        range: announcement.range.clone(),
    })
}

/// 1-based runs of indices: [9, 10, 11, 14] → ["10–12", "15"].
fn runs(indices: &[usize]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut start = None;
    for (n, &index) in indices.iter().enumerate() {
        let first = *start.get_or_insert(index);
        let continues = indices.get(n + 1) == Some(&(index + 1));
        if !continues {
            out.push(if first == index {
                format!("{}", index + 1)
            } else {
                format!("{}–{}", first + 1, index + 1)
            });
            start = None;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::DocumentKind;

    fn lists(text: &str) -> Vec<Enumeration> {
        let knowledge = Knowledge::builtin();
        let article = Article::parse(text, DocumentKind::Plain, knowledge);
        extract(text, &article, knowledge)
    }

    #[test]
    fn the_candidates_hold_every_character_either_scan_starts_at() {
        let words = words();
        let text: String = (0..0x11000u32)
            .filter_map(char::from_u32)
            .filter(|&c| c != '\n')
            .collect();
        let candidates = Candidates::of(&text);
        let expected: Vec<(usize, char)> = text
            .char_indices()
            .filter(|&(_, c)| words.marker_initials.contains(c) || NUMERALS.contains(c))
            .collect();
        assert!(expected.len() > 20);
        assert_eq!(candidates.0, expected);
        let middle = expected[expected.len() / 2].0;
        let within: Vec<_> = candidates.within(middle..text.len()).collect();
        assert_eq!(within, expected[expected.len() / 2..]);
    }

    #[test]
    fn the_word_lists_load() {
        let words: Words = toml::from_str(WORDS).expect("data/enumerations.toml");
        assert!(words.ordinal_heads.iter().any(|h| h == "是"));
        assert_eq!(words.sequence_words.get("其次"), Some(&2));
    }

    #[test]
    fn numerals_parse_and_print() {
        for (text, value) in [
            ("一", 1),
            ("十", 10),
            ("十一", 11),
            ("二十", 20),
            ("九十九", 99),
            ("两", 2),
        ] {
            assert_eq!(parse_numeral(text), Some(value), "{text}");
        }
        assert_eq!(parse_numeral("一二"), None);
        assert_eq!(parse_numeral("一十"), None);
        for value in 1..100 {
            assert_eq!(parse_numeral(&chinese_numeral(value)), Some(value));
        }
    }

    #[test]
    fn a_list_follows_its_announcement() {
        let found = lists("他说，将从三个方面发力：一是抓项目。二是抓产业。三是抓民生。\n");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].items.len(), 3);
        assert_eq!(found[0].announcement.as_ref().map(|a| a.count), Some(3));
        assert!(found[0].count_matches());
    }

    #[test]
    fn false_ordinals_are_not_items() {
        let found = lists(
            "全市统一是前提，唯一是目标，第一次会议和第一季度，全国第一。推进一二三产融合，一要素。\n",
        );
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn inline_lists_count_their_items() {
        let found = lists("紧盯生物制造、新能源新材料和现代装备制造三大主导产业，推进升级。\n");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].items.len(), 3);
        assert!(found[0].count_matches());
        let open = lists("实施老旧小区、再生水管网建设等8大类城市更新项目。\n");
        assert!(open.is_empty());
    }

    #[test]
    fn headings_nest() {
        let text = "一、总体要求\n（一）坚持稳中求进\n（二）坚持改革创新\n二、重点任务\n（一）扩大内需\n（二）发展产业\n";
        let found = lists(text);
        let counts: Vec<usize> = found.iter().map(|l| l.items.len()).collect();
        assert_eq!(counts, [2, 2, 2]);
        assert!(found.iter().all(|l| l.issues.is_empty()));
    }

    #[test]
    fn hover_on_an_announcement_counts() {
        let text = "郭菊颖表示，重点做好两方面工作：一是聚焦目标定位。二是聚焦项目支撑。三是聚焦目标定位。\n";
        let settings = crate::config::Settings::default();
        let analysis = crate::analysis::analyze(text, DocumentKind::Plain, &settings);
        let at = text.find("两方面").expect("announcement");
        for (locale, wanted) in [
            (
                crate::analysis::Locale::En,
                "announced 2 · listed 3 (items 3 repeat",
            ),
            (crate::analysis::Locale::Zh, "宣布 2 项 · 列出 3 项"),
        ] {
            let info = crate::analysis::hover::hover(text, &analysis, &settings, at + 3, locale)
                .expect("hover");
            assert!(info.markdown.contains(wanted), "{}", info.markdown);
        }
    }

    #[test]
    fn runs_are_compressed() {
        assert_eq!(runs(&[9, 10, 11, 14]), ["10–12", "15"]);
        assert!(runs(&[]).is_empty());
    }

    #[test]
    fn loops_are_found() {
        let text = "一是聚焦甲乙。二是聚焦丙丁。三是聚焦戊己。四是聚焦庚辛。五是聚焦丙丁。六是聚焦戊己。七是聚焦庚辛。八是聚焦丙丁。\n";
        let found = lists(text);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].cycle,
            Some(Cycle {
                start: 1,
                period: 3,
                end: 8
            })
        );
        assert_eq!(found[0].repeats.len(), 4);
    }
}

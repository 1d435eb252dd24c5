//! ## What it does
//! Finds a passage of 30 or more characters (`min_chars`) that repeats, verbatim, text found
//! earlier in the article; one finding on each later copy, with related information pointing
//! at the first. Names and stock phrases that recur across the article (the conference's full
//! title, other meetings, fixed formulations) do not count towards the length: only what a
//! copy adds beyond them does.
//!
//! ## Why is this bad?
//! A round-up assembled from many interviews invites copy and paste: a paragraph of one
//! interviewee's plans turns up word for word in another's section, or a sentence is pasted
//! twice. Readers notice, and so do the people quoted. A short standalone paragraph that
//! repeats a sentence of the body (a pull quote printed twice by layout) is reported as a
//! hint only.
//!
//! ## Example
//! ```text
//! 赵永刚表示，紧盯生物制造、新能源新材料和现代装备制造三大主导产业，推进产业智能化升级改造。
//! ……
//! 刘占英表示，紧盯生物制造、新能源新材料和现代装备制造三大主导产业，推进产业智能化升级改造。
//! ```
//!
//! ## Use instead
//! ```text
//! 赵永刚表示，紧盯生物制造、新能源新材料和现代装备制造三大主导产业，推进产业智能化升级改造。
//! ……
//! 刘占英表示，经开区将围绕三大主导产业补链强链，年内新增规上工业企业20家。
//! ```
//!
//! Configure the length with `[rules.duplicate-passage] min_chars = 40`.
//!
//! ## 检查什么
//! 与前文逐字相同、长度在30字以上（可用 `min_chars` 设置）的文字；每个后出现的副本报告一次，并
//! 指向最早出现的位置。全文反复出现的名称和固定说法（会议全称、其他会议名称、固定提法）不计入
//! 长度，只看副本在这些之外还重复了多少文字。
//!
//! ## 为什么
//! 由多篇访谈拼成的综述稿很容易复制粘贴出错：一位受访者的工作打算原封不动地出现在另一位受访者的
//! 部分，或者同一句话粘贴了两次。读者看得出来，受访者本人更看得出来。单独成段、重复正文中一句话
//! 的短段落（排版时重复印出的提要、引语）只作为提示。
//!
//! ## 错误示例
//! ```text
//! 赵永刚表示，紧盯生物制造、新能源新材料和现代装备制造三大主导产业，推进产业智能化升级改造。
//! ……
//! 刘占英表示，紧盯生物制造、新能源新材料和现代装备制造三大主导产业，推进产业智能化升级改造。
//! ```
//!
//! ## 正确写法
//! ```text
//! 赵永刚表示，紧盯生物制造、新能源新材料和现代装备制造三大主导产业，推进产业智能化升级改造。
//! ……
//! 刘占英表示，经开区将围绕三大主导产业补链强链，年内新增规上工业企业20家。
//! ```

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::{Arc, LazyLock, OnceLock};

use regex::Regex;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::analysis::text::{is_alphanumeric, is_han, is_white_space};
use crate::analysis::{Edit, Finding, Fix, Localized, Paragraph, Severity};
use crate::config::Settings;
use crate::knowledge::Knowledge;
use crate::rules::{FixAvailability, Rule, Sink};

pub static RULE: Rule = Rule {
    id: "duplicate-passage",
    default_severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    summary_zh: "大段文字与前文重复",
    summary_en: "A passage repeats earlier text verbatim",
};

const DEFAULT_MIN_CHARS: usize = 30;
/// The window whose hash finds candidate copies.
const WINDOW: usize = 12;
/// A window that recurs this often is a name or a stock phrase of this article.
const STOCK_OCCURRENCES: usize = 5;
/// Earlier occurrences of a window tried as the source of a copy.
const CANDIDATES: usize = 8;
/// Windows that may recur, per bucket of the sort that finds which do.
const BUCKET: usize = 4;

/// Names of meetings and sessions: 市委十三届十一次全会, 中央经济工作会议, 全区经济工作会议.
static MEETING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:中共中央|中央|全国|国务院|自治区党委|自治区|省委|市委|区委|县委|旗委|州委|党委|党组|全省|全区|全市|全县|全旗|全州)[^\s，。、；：,;:“”‘’（）()！？]{0,24}?(?:全会|全体会议|代表大会|工作会议|常委会会议|常务会议|会议)",
    )
    .expect("meeting pattern")
});

/// The keys are hashes already.
#[derive(Default)]
struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }
}

type HashTable<V> = HashMap<u64, V, BuildHasherDefault<PassThrough>>;

/// The stock characters of each paragraph judged in one check (by slot), worked out once: the
/// windows' occurrences do not change while the paragraphs are searched.
type Stocks = FxHashMap<u32, Arc<[bool]>>;

/// Full-width and half-width punctuation compare equal.
fn normalise(c: char) -> u32 {
    (match c {
        ',' => '，',
        ':' => '：',
        ';' => '；',
        '!' => '！',
        '?' => '？',
        '(' => '（',
        ')' => '）',
        c => c,
    }) as u32
}

fn min_chars(settings: &Settings) -> usize {
    settings
        .rule_options(RULE.id)
        .and_then(|t| t.get("min_chars"))
        .and_then(|v| v.as_integer())
        .and_then(|n| usize::try_from(n).ok())
        .filter(|&n| n >= 4)
        .unwrap_or(DEFAULT_MIN_CHARS)
}

/// One paragraph as the rule compares it: its characters without white space and the hash of
/// every window. Depends on the paragraph's text alone, so a document's parts keep it.
#[derive(Debug, Default)]
pub struct Prepared {
    sequence: Vec<u32>,
    /// `hashes[k]`: the window that starts at character `k`.
    hashes: Vec<u64>,
    /// Made for the few paragraphs that take part in a repeat, when one is judged.
    detail: OnceLock<Detail>,
}

/// Where a paragraph's characters stand, and which of them are stock by themselves (meeting
/// names, long formulations).
#[derive(Debug)]
struct Detail {
    /// Byte offset of each character in the paragraph's joined text.
    at: Vec<u32>,
    stock: Vec<bool>,
}

impl Prepared {
    pub fn new(text: &str, settings: &Settings) -> Prepared {
        let window = WINDOW.min(min_chars(settings));
        // Chinese text takes three bytes a character.
        let mut sequence = Vec::with_capacity(text.len() / 3 + 8);
        sequence.extend(text.chars().filter(|&c| !is_white_space(c)).map(normalise));
        // Rolling hashes of every window: each from the one before, less the character that
        // leaves it, with the character that comes in.
        const BASE: u64 = 0x100_0000_01b3;
        let power = (1..window).fold(1u64, |p, _| p.wrapping_mul(BASE));
        let mut hashes = Vec::new();
        if let Some(first) = sequence.get(..window) {
            let mut hash = first.iter().fold(0u64, |h, &c| {
                h.wrapping_mul(BASE).wrapping_add(u64::from(c))
            });
            hashes = Vec::with_capacity(sequence.len() - window + 1);
            hashes.push(hash);
            let rolled = sequence
                .iter()
                .zip(&sequence[window..])
                .map(|(&out, &new)| {
                    hash = hash
                        .wrapping_sub(u64::from(out).wrapping_mul(power))
                        .wrapping_mul(BASE)
                        .wrapping_add(u64::from(new));
                    hash
                });
            hashes.extend(rolled);
        }
        Prepared {
            sequence,
            hashes,
            detail: OnceLock::new(),
        }
    }

    fn len(&self) -> usize {
        self.sequence.len()
    }

    /// The offsets and stock characters of the paragraph, whose text is `text`.
    fn detail(&self, text: &str, knowledge: &Knowledge) -> &Detail {
        self.detail.get_or_init(|| Detail::new(text, knowledge))
    }

    /// The joined-text range of characters `from..to`.
    fn joined(
        &self,
        text: &str,
        knowledge: &Knowledge,
        from: usize,
        to: usize,
    ) -> std::ops::Range<usize> {
        let at = &self.detail(text, knowledge).at;
        let start = at[from] as usize;
        let last = at[to - 1] as usize;
        let len = text[last..].chars().next().map_or(0, char::len_utf8);
        start..last + len
    }
}

impl Detail {
    fn new(text: &str, knowledge: &Knowledge) -> Detail {
        let at: Vec<u32> = text
            .char_indices()
            .filter(|&(_, c)| !is_white_space(c))
            .map(|(at, _)| at as u32)
            .collect();
        let mut stock = vec![false; at.len()];
        let mut mark = |range: std::ops::Range<usize>| {
            let first = at.partition_point(|&o| (o as usize) < range.start);
            let last = at.partition_point(|&o| (o as usize) < range.end);
            for flag in &mut stock[first..last] {
                *flag = true;
            }
        };
        if text.contains('会') {
            for found in MEETING.find_iter(text) {
                mark(found.range());
            }
        }
        // Long formulations are names (铸牢中华民族共同体意识); short ones (高质量发展) are words.
        for (range, _) in knowledge.formulations().find_all(text) {
            if text[range.clone()].chars().count() >= 8 {
                mark(range);
            }
        }
        Detail { at, stock }
    }
}

/// A paragraph of the document being checked: its identity (the same paragraph text in the
/// same part keeps its id from version to version), its prepared form, its paragraph (ranges
/// of its part) and where its part starts.
pub struct Entry<'a> {
    pub id: u64,
    pub prepared: Arc<Prepared>,
    pub paragraph: &'a Paragraph,
    pub base: usize,
}

/// A window occurrence: a paragraph (slot) and a character of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Occurrence {
    slot: u32,
    at: u32,
}

/// The occurrences of one window, in document order. Most windows occur once: they take no
/// allocation of their own.
#[derive(Debug, Clone)]
enum Occurrences {
    One(Occurrence),
    Many(Vec<Occurrence>),
}

impl Occurrences {
    fn as_slice(&self) -> &[Occurrence] {
        match self {
            Occurrences::One(one) => std::slice::from_ref(one),
            Occurrences::Many(many) => many,
        }
    }

    fn len(&self) -> usize {
        self.as_slice().len()
    }

    fn insert(&mut self, position: usize, occurrence: Occurrence) {
        match self {
            Occurrences::One(one) => {
                let mut many = vec![*one];
                many.insert(position.min(1), occurrence);
                *self = Occurrences::Many(many);
            }
            Occurrences::Many(many) => many.insert(position, occurrence),
        }
    }

    /// Removes an occurrence; returns where it stood, and whether the list is now empty.
    fn remove(&mut self, occurrence: Occurrence) -> (Option<usize>, bool) {
        match self {
            Occurrences::One(one) => {
                let found = (*one == occurrence).then_some(0);
                (found, found.is_some())
            }
            Occurrences::Many(many) => {
                let found = many.iter().position(|o| *o == occurrence);
                if let Some(position) = found {
                    many.remove(position);
                }
                (found, many.is_empty())
            }
        }
    }
}

/// A repeat found in a paragraph.
#[derive(Debug, Clone)]
struct Repeat {
    /// The copy, as a range of the paragraph's joined text, and its length in characters.
    copy: std::ops::Range<usize>,
    length: usize,
    /// The paragraph (slot) of the first occurrence, and its joined range.
    source: u32,
    source_range: std::ops::Range<usize>,
    /// The copy is a paragraph standing alone that repeats part of another (or the reverse).
    pull_quote: bool,
}

#[derive(Debug)]
struct Slot {
    prepared: Arc<Prepared>,
    /// Position in the document.
    rank: u32,
    /// A single-version index: the number of windows of the paragraphs before this one.
    first: u32,
    repeats: Vec<Repeat>,
    /// The paragraphs whose text and stock the last search of this one compared against at
    /// length: when they change, this one is searched again.
    consulted: Vec<u32>,
    /// For each window: does it occur elsewhere too? Most windows do not, and a search skips
    /// them without looking them up. (A single-version index reads it from its runs.)
    recurs: Vec<bool>,
}

/// The windows of one version of a document sorted by hash: the occurrences of a window that
/// recurs form a run, in document order. Cheaper to make than a table when the windows are
/// checked once and dropped.
#[derive(Debug, Default)]
struct Runs {
    /// For each window of the document (paragraph by paragraph, character by character): where
    /// its run starts in `occurrences`, or [`Runs::ALONE`].
    run_of: Vec<u32>,
    /// The runs, one after another, each a head that holds its length (in `at`) followed by
    /// its occurrences: a window's length and first occurrences share a cache line.
    occurrences: Vec<Occurrence>,
}

impl Runs {
    const ALONE: u32 = u32::MAX;

    /// Sorts the windows of the paragraphs (in document order; slot = rank) into runs.
    fn new<'p>(paragraphs: impl Iterator<Item = &'p Prepared> + Clone) -> Runs {
        Runs::in_partitions(paragraphs, Runs::PARTITION)
    }

    /// [`Runs::new`], sorting at most about `partition` windows at once.
    fn in_partitions<'p>(
        paragraphs: impl Iterator<Item = &'p Prepared> + Clone,
        partition: usize,
    ) -> Runs {
        // Where each paragraph's windows start among the document's.
        let firsts: Vec<u32> = paragraphs
            .clone()
            .scan(0u32, |first, p| {
                let this = *first;
                *first += p.hashes.len() as u32;
                Some(this)
            })
            .collect();
        let total: usize = paragraphs.clone().map(|p| p.hashes.len()).sum();
        let mut runs = Runs {
            run_of: vec![Runs::ALONE; total],
            occurrences: Vec::new(),
        };
        let windows = || {
            paragraphs.clone().enumerate().flat_map(|(slot, prepared)| {
                prepared.hashes.iter().enumerate().map(move |(at, &hash)| {
                    let occurrence = Occurrence {
                        slot: slot as u32,
                        at: at as u32,
                    };
                    (hash, occurrence)
                })
            })
        };
        // A long document's windows are first dealt into partitions by hash, in document
        // order, each small enough for its sorting to stay in a core's cache: equal windows
        // fall into the same partition.
        let bits = (total / partition.max(1))
            .next_power_of_two()
            .trailing_zeros();
        if bits == 0 {
            runs.sort(windows(), total, &firsts);
            return runs;
        }
        let partition =
            |hash: u64| (hash.wrapping_mul(0xA076_1D64_78BD_642F) >> (64 - bits)) as usize;
        let mut ends = vec![0usize; (1 << bits) + 1];
        for prepared in paragraphs.clone() {
            for &hash in &prepared.hashes {
                ends[partition(hash) + 1] += 1;
            }
        }
        for k in 1..ends.len() {
            ends[k] += ends[k - 1];
        }
        let mut next = ends.clone();
        let mut dealt = vec![(0u64, Occurrence { slot: 0, at: 0 }); total];
        for (hash, occurrence) in windows() {
            let k = partition(hash);
            dealt[next[k]] = (hash, occurrence);
            next[k] += 1;
        }
        for bounds in ends.windows(2) {
            let part = &dealt[bounds[0]..bounds[1]];
            runs.sort(part.iter().copied(), part.len(), &firsts);
        }
        runs
    }

    /// Windows sorted at once, at most about: those of 400 KB of text. The bit sets and bucket
    /// counts of a partition then take half a megabyte, which a core's cache holds.
    const PARTITION: usize = 1 << 17;

    /// Sorts windows (`count` of them, in document order) into runs; `firsts` tells where the
    /// windows of each paragraph start.
    fn sort(
        &mut self,
        windows: impl Iterator<Item = (u64, Occurrence)> + Clone,
        count: usize,
        firsts: &[u32],
    ) {
        // Most windows occur once. Two bit sets of eight bits a window tell them apart from
        // the few that may recur (a bit seen twice; some windows that share a bit by chance),
        // and only those few are sorted. The sets are interleaved word by word, [seen once,
        // seen twice]: a window's two words share a cache line.
        let bits = (count * 8).next_power_of_two().max(64);
        let shift = 64 - bits.trailing_zeros();
        let bit = |hash: u64| (hash.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> shift) as usize;
        let mut seen = vec![[0u64; 2]; bits / 64];
        // Windows whose bit was seen before: at least half of those that may recur.
        let mut hits = 0;
        for (hash, _) in windows.clone() {
            let b = bit(hash);
            let ([once, twice], mask) = (&mut seen[b / 64], 1u64 << (b % 64));
            hits += usize::from(*once & mask != 0);
            *twice |= *once & mask;
            *once |= mask;
        }
        // (hash, occurrence) of the windows that may recur, in document order.
        // (A tenth to a third of an article's windows, nearly all in one that repeats itself.)
        let mut maybe: Vec<(u64, Occurrence)> = Vec::with_capacity((2 * hits).min(count));
        maybe.extend(windows.filter(|&(hash, _)| {
            let b = bit(hash);
            seen[b / 64][1] & (1u64 << (b % 64)) != 0
        }));
        drop(seen);
        // Then into buckets by other bits of the hash, about [`BUCKET`] windows each (counted,
        // then filled in document order), and each bucket sorted by hash, then document order.
        // Few buckets keep the counts in the caches; a bucket is small enough to sort in place.
        let bits = (maybe.len() / BUCKET)
            .next_power_of_two()
            .trailing_zeros()
            .max(1);
        let bucket = |hash: u64| (hash.wrapping_mul(0xD6E8_FEB8_6659_FD93) >> (64 - bits)) as usize;
        let mut ends = vec![0u32; (1usize << bits) + 1];
        for &(hash, _) in &maybe {
            ends[bucket(hash) + 1] += 1;
        }
        let mut sum = 0;
        for end in &mut ends {
            sum += *end;
            *end = sum;
        }
        let mut next = ends.clone();
        let mut sorted = vec![(0u64, Occurrence { slot: 0, at: 0 }); maybe.len()];
        for item in maybe {
            let b = bucket(item.0);
            sorted[next[b] as usize] = item;
            next[b] += 1;
        }
        drop(next);
        self.occurrences.reserve(sorted.len() + sorted.len() / 2);
        for bounds in ends.windows(2) {
            let bucket = &mut sorted[bounds[0] as usize..bounds[1] as usize];
            if bucket.len() < 2 {
                continue;
            }
            bucket.sort_unstable_by_key(|&(hash, o)| (hash, o.slot, o.at));
            for group in bucket.chunk_by(|a, b| a.0 == b.0) {
                if group.len() < 2 {
                    continue;
                }
                let head = self.occurrences.len() as u32;
                self.occurrences.push(Occurrence {
                    slot: Runs::ALONE,
                    at: group.len() as u32,
                });
                for &(_, occurrence) in group {
                    let window = firsts[occurrence.slot as usize] + occurrence.at;
                    self.run_of[window as usize] = head;
                    self.occurrences.push(occurrence);
                }
            }
        }
    }

    /// The occurrences of a window, when it recurs.
    fn of(&self, window: usize) -> &[Occurrence] {
        match self.run_of.get(window) {
            Some(&head) if head != Runs::ALONE => {
                let first = head as usize + 1;
                let length = self.occurrences[head as usize].at as usize;
                &self.occurrences[first..first + length]
            }
            _ => &[],
        }
    }
}

/// The windows of every paragraph of the document, kept from one version to the next: an
/// edit removes the windows of the paragraphs it replaced and adds those of the new ones,
/// and only the paragraphs whose windows (or whose sources') counts or first occurrences
/// changed are searched again. The repeats found are the same as a search of the whole
/// document from scratch.
#[derive(Debug, Default)]
pub struct Index {
    slots: Vec<Option<Slot>>,
    free: Vec<u32>,
    by_id: FxHashMap<u64, u32>,
    /// Every occurrence of each window, in document order.
    table: HashTable<Occurrences>,
    /// Checks one version only: its windows go into `runs`, not into `table`, and nothing is
    /// kept for the next version.
    once: bool,
    runs: Runs,
}

/// What the searches of one check share: the settings and the paragraphs.
struct Pass<'e> {
    window: usize,
    min_chars: usize,
    entries: &'e [Entry<'e>],
    knowledge: &'e Knowledge,
    /// By slot, what a search compares a paragraph with.
    sources: Vec<Source<'e>>,
}

impl<'e> Pass<'e> {
    fn new(slots: &[Option<Slot>], entries: &'e [Entry<'e>], settings: &'e Settings) -> Pass<'e> {
        let min_chars = min_chars(settings);
        let sources = slots
            .iter()
            .map(|slot| match slot {
                Some(slot) => Source {
                    rank: slot.rank,
                    sequence: {
                        let prepared = &entries[slot.rank as usize].prepared;
                        // The same paragraph: the same id, the same text.
                        debug_assert!(
                            Arc::ptr_eq(prepared, &slot.prepared)
                                || prepared.sequence == slot.prepared.sequence
                        );
                        &prepared.sequence
                    },
                },
                None => Source {
                    rank: Source::GONE,
                    sequence: &[],
                },
            })
            .collect();
        Pass {
            window: WINDOW.min(min_chars),
            min_chars,
            entries,
            knowledge: settings.knowledge(),
            sources,
        }
    }
}

/// A paragraph as a search compares against it: where it stands, and its characters. Kept
/// side by side for all paragraphs, so that trying an earlier occurrence reads one small
/// record before the characters, not a slot and its prepared form.
#[derive(Clone, Copy)]
struct Source<'e> {
    rank: u32,
    sequence: &'e [u32],
}

impl Source<'_> {
    /// The rank of a slot no paragraph holds.
    const GONE: u32 = u32::MAX;
}

impl Index {
    /// An index for a single version of a document: each check starts afresh, and is cheaper
    /// for it. Finds the same repeats.
    pub fn once() -> Index {
        Index {
            once: true,
            ..Index::default()
        }
    }

    /// Brings the index to a new version of the document and reports its repeats.
    pub fn check(
        &mut self,
        text: &str,
        entries: &[Entry<'_>],
        settings: &Settings,
        sink: &mut Sink<'_>,
    ) {
        let mut stocks = Stocks::default();
        if self.once {
            self.fill(entries);
            let pass = Pass::new(&self.slots, entries, settings);
            for index in 0..self.slots.len() as u32 {
                let (repeats, _) = self.search(&pass, index, &mut stocks);
                if let Some(slot) = &mut self.slots[index as usize] {
                    slot.repeats = repeats;
                }
            }
            let ranked: Vec<u32> = (0..self.slots.len() as u32).collect();
            self.report(text, &ranked, entries, sink);
            return;
        }
        let (changed, added, removed) = self.update(entries);
        // New paragraphs, paragraphs whose windows changed in what a search sees, and those
        // whose last search compared against one of these.
        let mut dirty: Vec<bool> = vec![false; self.slots.len()];
        for hash in &changed {
            if let Some(list) = self.table.get(hash) {
                for occurrence in list.as_slice() {
                    dirty[occurrence.slot as usize] = true;
                }
            }
        }
        for index in added.iter().chain(&removed) {
            dirty[*index as usize] = true;
        }
        let touched = dirty.clone();
        for (index, slot) in self.slots.iter().enumerate() {
            if let Some(slot) = slot
                && slot.consulted.iter().any(|&c| touched[c as usize])
            {
                dirty[index] = true;
            }
        }
        let ranked: Vec<u32> = entries.iter().map(|e| self.by_id[&e.id]).collect();
        let pass = Pass::new(&self.slots, entries, settings);
        for &index in &ranked {
            if dirty[index as usize] {
                let (repeats, consulted) = self.search(&pass, index, &mut stocks);
                if let Some(slot) = &mut self.slots[index as usize] {
                    slot.repeats = repeats;
                    slot.consulted = consulted;
                }
            }
        }
        self.report(text, &ranked, entries, sink);
    }

    /// A single version's paragraphs, each in the slot of its rank, and their windows' runs.
    fn fill(&mut self, entries: &[Entry<'_>]) {
        self.runs = Runs::new(entries.iter().map(|e| &*e.prepared));
        self.slots.clear();
        self.slots.reserve(entries.len());
        let mut first = 0u32;
        for (rank, entry) in entries.iter().enumerate() {
            self.slots.push(Some(Slot {
                prepared: Arc::clone(&entry.prepared),
                rank: rank as u32,
                first,
                repeats: Vec::new(),
                consulted: Vec::new(),
                recurs: Vec::new(),
            }));
            first += entry.prepared.hashes.len() as u32;
        }
    }

    /// Does the window at character `at` of a paragraph occur elsewhere too?
    fn recurs(&self, slot: &Slot, at: usize) -> bool {
        if self.once {
            self.runs.run_of[slot.first as usize + at] != Runs::ALONE
        } else {
            slot.recurs[at]
        }
    }

    /// Every occurrence of the window at character `at` of a paragraph (`hash`), in document
    /// order; empty for a window found nowhere else (in a single-version index).
    fn occurrences(&self, slot: &Slot, at: usize, hash: u64) -> &[Occurrence] {
        if self.once {
            self.runs.of(slot.first as usize + at)
        } else {
            self.table.get(&hash).map_or(&[][..], Occurrences::as_slice)
        }
    }

    /// The findings of the paragraphs' repeats, in document order.
    fn report(&self, text: &str, ranked: &[u32], entries: &[Entry<'_>], sink: &mut Sink<'_>) {
        let mut lines = LineIndex::default();
        for &index in ranked {
            let Some(slot) = &self.slots[index as usize] else {
                continue;
            };
            for repeat in &slot.repeats {
                let copy = &entries[slot.rank as usize];
                let source = self.slots[repeat.source as usize]
                    .as_ref()
                    .map(|s| &entries[s.rank as usize]);
                let Some(source) = source else { continue };
                sink.push(finding(text, &mut lines, copy, source, repeat));
            }
        }
    }

    /// Takes the new version's paragraphs in. Returns the windows whose occurrences changed in a
    /// way a search can see (among the first [`CANDIDATES`], or in being stock or not), the
    /// slots of new paragraphs, and the slots of the paragraphs that left.
    fn update(&mut self, entries: &[Entry<'_>]) -> (Vec<u64>, Vec<u32>, Vec<u32>) {
        let mut changed: Vec<u64> = Vec::new();
        // On a first version every paragraph is new and searched: nothing else to tell.
        let fresh = self.by_id.is_empty();
        let present: FxHashSet<u64> = entries.iter().map(|e| e.id).collect();
        // Out with the paragraphs the edit replaced.
        let gone: Vec<u64> = self
            .by_id
            .keys()
            .copied()
            .filter(|id| !present.contains(id))
            .collect();
        let mut removed = Vec::with_capacity(gone.len());
        for id in gone {
            let Some(index) = self.by_id.remove(&id) else {
                continue;
            };
            let Some(slot) = self.slots[index as usize].take() else {
                continue;
            };
            for (at, hash) in slot.prepared.hashes.iter().enumerate() {
                let Some(list) = self.table.get_mut(hash) else {
                    continue;
                };
                // Stock no more: every paragraph with the window sees it.
                let was_stock = list.len() == STOCK_OCCURRENCES;
                let (position, empty) = list.remove(Occurrence {
                    slot: index,
                    at: at as u32,
                });
                if was_stock || position.is_some_and(|p| p < CANDIDATES) {
                    changed.push(*hash);
                }
                if let [alone] = list.as_slice()
                    && let Some(slot) = &mut self.slots[alone.slot as usize]
                {
                    slot.recurs[alone.at as usize] = false;
                }
                if empty {
                    self.table.remove(hash);
                }
            }
            self.free.push(index);
            removed.push(index);
        }
        // Every paragraph gets its place in the document; new ones their slot.
        let mut added: Vec<u32> = Vec::new();
        for (rank, entry) in entries.iter().enumerate() {
            if let Some(&index) = self.by_id.get(&entry.id) {
                if let Some(slot) = &mut self.slots[index as usize] {
                    slot.rank = rank as u32;
                }
                continue;
            }
            let slot = Slot {
                prepared: Arc::clone(&entry.prepared),
                rank: rank as u32,
                first: 0,
                repeats: Vec::new(),
                consulted: Vec::new(),
                recurs: vec![false; entry.prepared.hashes.len()],
            };
            let index = match self.free.pop() {
                Some(index) => {
                    self.slots[index as usize] = Some(slot);
                    index
                }
                None => {
                    self.slots.push(Some(slot));
                    (self.slots.len() - 1) as u32
                }
            };
            self.by_id.insert(entry.id, index);
            added.push(index);
        }
        // In with the new paragraphs' windows, each list kept in document order.
        if fresh {
            let windows: usize = entries.iter().map(|e| e.prepared.hashes.len()).sum();
            self.table.reserve(windows);
        }
        for &index in &added {
            let Some(prepared) = self.slots[index as usize]
                .as_ref()
                .map(|s| Arc::clone(&s.prepared))
            else {
                continue;
            };
            for (at, hash) in prepared.hashes.iter().enumerate() {
                let occurrence = Occurrence {
                    slot: index,
                    at: at as u32,
                };
                let list = match self.table.entry(*hash) {
                    std::collections::hash_map::Entry::Vacant(vacant) => {
                        vacant.insert(Occurrences::One(occurrence));
                        continue;
                    }
                    std::collections::hash_map::Entry::Occupied(occupied) => occupied.into_mut(),
                };
                // A first version comes in document order: each window goes last.
                let position = if fresh {
                    list.len()
                } else {
                    let slots = &self.slots;
                    let rank = |o: &Occurrence| {
                        (
                            slots[o.slot as usize].as_ref().map_or(u32::MAX, |s| s.rank),
                            o.at,
                        )
                    };
                    let key = rank(&occurrence);
                    list.as_slice().partition_point(|o| rank(o) < key)
                };
                list.insert(position, occurrence);
                // Stock now: every paragraph with the window sees it.
                let now_stock = list.len() == STOCK_OCCURRENCES;
                if !fresh && (now_stock || position < CANDIDATES) {
                    changed.push(*hash);
                }
                let others: &[Occurrence] = if list.len() == 2 {
                    list.as_slice()
                } else {
                    std::slice::from_ref(&list.as_slice()[position])
                };
                for o in others {
                    if let Some(slot) = &mut self.slots[o.slot as usize] {
                        slot.recurs[o.at as usize] = true;
                    }
                }
            }
        }
        changed.sort_unstable();
        changed.dedup();
        (changed, added, removed)
    }

    /// Which characters of a paragraph are stock: by themselves, or inside a window that the
    /// document repeats again and again.
    fn stock(
        &self,
        index: u32,
        window: usize,
        entries: &[Entry<'_>],
        knowledge: &Knowledge,
        stocks: &mut Stocks,
    ) -> Arc<[bool]> {
        if let Some(stock) = stocks.get(&index) {
            return Arc::clone(stock);
        }
        let Some(slot) = &self.slots[index as usize] else {
            return Arc::from([]);
        };
        let text = &entries[slot.rank as usize].paragraph.text;
        let prepared = &slot.prepared;
        let mut stock = prepared.detail(text, knowledge).stock.clone();
        if window >= WINDOW {
            for (k, hash) in prepared.hashes.iter().enumerate() {
                if self.recurs(slot, k)
                    && self.occurrences(slot, k, *hash).len() >= STOCK_OCCURRENCES
                {
                    for flag in &mut stock[k..k + window] {
                        *flag = true;
                    }
                }
            }
        }
        let stock: Arc<[bool]> = stock.into();
        stocks.insert(index, Arc::clone(&stock));
        stock
    }

    /// Searches one paragraph for passages that repeat earlier text.
    fn search(&self, pass: &Pass<'_>, index: u32, stocks: &mut Stocks) -> (Vec<Repeat>, Vec<u32>) {
        let Pass {
            window,
            min_chars,
            entries,
            knowledge,
            ref sources,
        } = *pass;
        let Some(slot) = &self.slots[index as usize] else {
            return (Vec::new(), Vec::new());
        };
        let prepared = &slot.prepared;
        let own_rank = slot.rank;
        let n = prepared.len();
        let mut repeats = Vec::new();
        let mut consulted = Vec::new();
        let mut stock: Option<Arc<[bool]>> = None;
        // The candidates compared at the previous character and how far each matched: the
        // same candidate one character on matches at least one character less, so its
        // comparison starts there.
        let mut previous: Vec<(Occurrence, usize)> = Vec::with_capacity(CANDIDATES);
        let mut current: Vec<(Occurrence, usize)> = Vec::with_capacity(CANDIDATES);
        let mut previous_at = usize::MAX;
        let mut i = 0;
        while i < n {
            let Some(&hash) = prepared.hashes.get(i) else {
                break;
            };
            // A window found nowhere else has no earlier occurrence.
            if !self.recurs(slot, i) {
                i += 1;
                continue;
            }
            let follows = previous_at.wrapping_add(1) == i;
            current.clear();
            let mut best = (0usize, None);
            let candidates = self.occurrences(slot, i, hash);
            for candidate in candidates.iter().take(CANDIDATES) {
                let source = sources[candidate.slot as usize];
                if source.rank == Source::GONE {
                    continue;
                }
                // Earlier occurrences only.
                let earlier = (source.rank, candidate.at) < (own_rank, i as u32);
                if !earlier {
                    break;
                }
                let j = candidate.at as usize;
                let same = candidate.slot == index;
                let other = source.sequence;
                let mut length = if follows {
                    previous
                        .iter()
                        .find(|(o, _)| o.slot == candidate.slot && o.at + 1 == candidate.at)
                        .map_or(0, |(_, matched)| matched.saturating_sub(1))
                } else {
                    0
                };
                while i + length < n
                    && j + length < other.len()
                    && (!same || j + length < i)
                    && other[j + length] == prepared.sequence[i + length]
                {
                    length += 1;
                }
                current.push((*candidate, length));
                if length > best.0 {
                    best = (length, Some(*candidate));
                }
            }
            std::mem::swap(&mut previous, &mut current);
            previous_at = i;
            let (length, Some(source)) = best else {
                i += 1;
                continue;
            };
            if length < min_chars {
                i += 1;
                continue;
            }
            let stock =
                stock.get_or_insert_with(|| self.stock(index, window, entries, knowledge, stocks));
            if !consulted.contains(&source.slot) {
                consulted.push(source.slot);
            }
            if let Some(repeat) = self.repeat(
                index, stock, i, source, length, min_chars, window, entries, knowledge, stocks,
            ) {
                repeats.push(repeat);
            }
            i += length;
        }
        (repeats, consulted)
    }

    /// Judges a repeat: long enough beyond stock phrases, not a list repeating its items.
    #[allow(clippy::too_many_arguments)]
    fn repeat(
        &self,
        index: u32,
        stock: &[bool],
        mut i: usize,
        source: Occurrence,
        mut length: usize,
        min_chars: usize,
        window: usize,
        entries: &[Entry<'_>],
        knowledge: &Knowledge,
        stocks: &mut Stocks,
    ) -> Option<Repeat> {
        let copy = self.slots[index as usize].as_ref()?;
        let origin = self.slots[source.slot as usize].as_ref()?;
        let prepared = &copy.prepared;
        let other = &origin.prepared;
        let mut j = source.at as usize;
        // A copy starts with a word, not with the mark that ends the sentence before it.
        while length > 0 && is_punctuation(prepared.sequence[i]) {
            i += 1;
            j += 1;
            length -= 1;
        }
        let paragraph = entries[copy.rank as usize].paragraph;
        let source_paragraph = entries[origin.rank as usize].paragraph;
        let source_stock = if source.slot == index {
            None
        } else {
            Some(self.stock(source.slot, window, entries, knowledge, stocks))
        };
        let source_stock = source_stock.as_deref().unwrap_or(stock);
        let novel = (0..length)
            .filter(|&k| !stock[i + k] && !source_stock[j + k])
            .count();
        if novel < min_chars || length == 0 {
            return None;
        }
        let copy_range = prepared.joined(&paragraph.text, knowledge, i, i + length);
        let source_range = other.joined(&source_paragraph.text, knowledge, j, j + length);
        // Items of one list that repeat each other are the enumeration rules' business.
        if source.slot == index {
            let span = &paragraph.text[source_range.start..copy_range.end];
            let ordinals = span
                .char_indices()
                .filter(|&(k, c)| {
                    matches!(c, '是' | '要')
                        && span[..k]
                            .chars()
                            .last()
                            .is_some_and(|p| "一二三四五六七八九十".contains(p))
                })
                .count();
            if ordinals >= 3 {
                return None;
            }
        }
        let whole = |text: &str, range: &std::ops::Range<usize>| {
            text[..range.start]
                .chars()
                .chain(text[range.end..].chars())
                .all(|c| is_punctuation(c as u32))
        };
        let copy_whole = whole(&paragraph.text, &copy_range);
        let source_whole = whole(&source_paragraph.text, &source_range);
        Some(Repeat {
            copy: copy_range,
            length,
            source: source.slot,
            source_range,
            pull_quote: copy_whole != source_whole,
        })
    }
}

/// The finding for a repeat, in the document's frame.
fn finding(
    text: &str,
    lines: &mut LineIndex,
    copy: &Entry<'_>,
    source: &Entry<'_>,
    repeat: &Repeat,
) -> Finding {
    let shift = |range: std::ops::Range<usize>, base: usize| range.start + base..range.end + base;
    let range = shift(
        copy.paragraph.range_to_source(repeat.copy.clone()),
        copy.base,
    );
    let source_range = shift(
        source
            .paragraph
            .range_to_source(repeat.source_range.clone()),
        source.base,
    );
    let length = repeat.length;
    let line = lines.line_of(text, source_range.start);
    let mut finding = Finding::new(
        &RULE,
        range.clone(),
        Localized::new(
            format!("这段{length}字的文字与第{line}行的文字完全相同"),
            format!("these {length} characters repeat line {line} word for word"),
        ),
    )
    .with_related(
        source_range,
        Localized::new("最早出现在这里", "first written here"),
    );
    if repeat.pull_quote {
        // A short paragraph standing alone that repeats a sentence of the body: a pull quote.
        finding.severity = Severity::Hint;
        finding.message = Localized::new(
            format!("这段{length}字的文字与第{line}行相同（单独成段的提要或引语可以保留）"),
            format!(
                "these {length} characters repeat line {line} (a pull quote standing alone may stay)"
            ),
        );
    } else {
        finding = finding.with_fix(Fix {
            title: Localized::new("删除重复的文字", "Delete the repeated text"),
            edits: smallvec::smallvec![Edit::delete(range)],
            safe: false,
        });
    }
    finding
}

/// Line numbers of offsets, from the line starts found once.
#[derive(Default)]
struct LineIndex {
    /// Offsets just after each `\n`; built on first use.
    starts: Option<Vec<usize>>,
}

impl LineIndex {
    /// The 1-based line of an offset, counting `\n`s before it.
    fn line_of(&mut self, text: &str, offset: usize) -> usize {
        let starts = self.starts.get_or_insert_with(|| {
            memchr::memchr_iter(b'\n', text.as_bytes())
                .map(|i| i + 1)
                .collect()
        });
        starts.partition_point(|&s| s <= offset) + 1
    }
}

fn is_punctuation(c: u32) -> bool {
    char::from_u32(c).is_some_and(|c| !is_han(c) && !is_alphanumeric(c))
}

#[cfg(test)]
mod tests {

    use super::{Prepared, Runs};
    use crate::analysis::{DocumentKind, analyze};
    use crate::config::Settings;

    fn found(text: &str) -> Vec<(String, String)> {
        crate::rules::testing::findings(&super::RULE, text, &Settings::default())
            .into_iter()
            .map(|f| (text[f.range].to_string(), f.severity.as_str().to_string()))
            .collect()
    }

    const PASSAGE: &str = "紧盯生物制造、新能源新材料和现代装备制造三大主导产业，推进产业智能化、绿色化、融合化升级改造。";

    #[test]
    fn a_passage_copied_into_another_section() {
        let text = format!(
            "标题\n\n赵永刚表示，{PASSAGE}\n\n刘占英表示，要做强做优新质生产力。{PASSAGE}\n"
        );
        let got = found(&text);
        assert_eq!(got, [(PASSAGE.to_string(), "warning".to_string())]);
    }

    #[test]
    fn meeting_names_are_not_passages() {
        let text = "标题\n\n会议深入贯彻落实中央经济工作会议和自治区党委十一届十一次全会暨全区经济工作会议精神，部署全年工作。\n\n全会全面贯彻中央经济工作会议和自治区党委十一届十一次全会暨全区经济工作会议精神，作出安排。\n";
        assert!(found(text).is_empty(), "{:?}", found(text));
    }

    #[test]
    fn a_pull_quote_is_a_hint() {
        let quote =
            "“我们就是要拿出冲劲来，把定下的目标一项项落实好，为全市经济社会高质量发展作出贡献。”";
        let text = format!("标题\n\n{quote}\n\n刘占英表示：{quote}她说，经开区已经做好准备。\n");
        let got = found(&text);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].1, "hint");
    }

    #[test]
    fn runs_are_the_same_sorted_at_once_or_in_partitions() {
        // Paragraphs of a two-character alphabet: most windows recur, some many times.
        let settings = Settings::default();
        let mut seed = 11u64;
        let paragraphs: Vec<Prepared> = (0..300)
            .map(|n| {
                let text: String = (0..20 + n % 40)
                    .map(|_| {
                        seed = seed
                            .wrapping_mul(6364136223846793005)
                            .wrapping_add(1442695040888963407);
                        ['改', '革'][(seed >> 40) as usize % 2]
                    })
                    .collect();
                Prepared::new(&text, &settings)
            })
            .collect();
        let total: usize = paragraphs.iter().map(|p| p.hashes.len()).sum();
        let hashes: Vec<u64> = paragraphs.iter().flat_map(|p| p.hashes.clone()).collect();
        let at_once = Runs::in_partitions(paragraphs.iter(), usize::MAX);
        for partition in [1, 64, 1000] {
            let parted = Runs::in_partitions(paragraphs.iter(), partition);
            for window in 0..total {
                assert_eq!(at_once.of(window), parted.of(window), "window {window}");
            }
        }
        // Every occurrence of a recurring window, in document order, and nothing else.
        let mut recurring = 0;
        for window in 0..total {
            let same: Vec<usize> = (0..total)
                .filter(|&w| hashes[w] == hashes[window])
                .collect();
            let found: Vec<usize> = at_once
                .of(window)
                .iter()
                .map(|o| {
                    let first: usize = paragraphs[..o.slot as usize]
                        .iter()
                        .map(|p| p.hashes.len())
                        .sum();
                    first + o.at as usize
                })
                .collect();
            if same.len() > 1 {
                recurring += 1;
                assert_eq!(found, same, "window {window}");
            } else {
                assert!(found.is_empty(), "window {window}");
            }
        }
        assert!(recurring > total / 2);
    }

    #[test]
    fn a_copy_is_found_in_a_megabyte_of_text() {
        let mut text = String::from("标题\n\n");
        let mut seed = 7u64;
        while text.len() < 1_000_000 {
            for _ in 0..60 {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let c = char::from_u32(0x4E00 + ((seed >> 33) % 3000) as u32).unwrap();
                text.push(c);
                if seed.is_multiple_of(7) {
                    text.push('，');
                }
            }
            text.push_str("。\n\n");
        }
        text.push_str(PASSAGE);
        text.push_str("\n\n");
        text.push_str(PASSAGE);
        let mut settings = Settings::default();
        for rule in crate::rules::catalogue().filter(|r| r.id != super::RULE.id) {
            settings.set_level(rule.id, None);
        }
        let analysis = analyze(&text, DocumentKind::Plain, &settings);
        assert_eq!(analysis.findings.len(), 1);
    }
}

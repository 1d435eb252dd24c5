//! A leftmost-longest multi-pattern matcher shared by every lexicon.
//!
//! Duplicate patterns (several entries may share a name — 新城区 is a district of Hohhot and
//! of Xi'an) are folded into one pattern whose value indexes a group of entry ids.
//!
//! Patterns are short and most positions of a text start none, so the index looks only where
//! one may start and compares there the few patterns that begin with the same two characters,
//! longest first (one hash lookup and a comparison or two). Where one may start is found over
//! the bytes of the text by a shift-or filter of the patterns' first bytes for a small lexicon
//! (the titles, the people of an article), and by a filter of the first two characters for a
//! large one (the places of China), whose first bytes let most positions through. Nothing is
//! compiled: building an index costs a sort and a map of the pairs, cheap enough to be done
//! for the few names of every article.

use std::ops::Range;

use aho_corasick::packed;
use rustc_hash::FxHashMap;

use super::characters::CharSet;

/// Patterns mapped to groups of entry ids, matched leftmost-longest.
pub(crate) struct PhraseIndex<T> {
    /// The distinct patterns, by group.
    keys: Vec<Box<str>>,
    groups: Vec<Vec<T>>,
    /// Longest pattern in bytes: bounds the text [`PhraseIndex::match_covering`] looks at.
    max_pattern_bytes: usize,
    /// The patterns of two characters or more, by their first two characters ([`pair_key`]):
    /// a range of `by_length`.
    pairs: FxHashMap<u64, (u32, u32)>,
    /// Groups of the patterns of two characters or more, ordered by their first two
    /// characters and, for each pair, longest first.
    by_length: Vec<u32>,
    /// The one-character patterns.
    singles: FxHashMap<char, u32>,
    /// For a large lexicon: where its patterns may start.
    starts: Option<StartFilter>,
    /// For a small one: the patterns' first bytes, found with SIMD where the processor has it.
    packed: Option<packed::Searcher>,
    /// For a small one without `packed`: where its patterns may start, found over the bytes of
    /// the text.
    grams: Option<GramFilter>,
    /// The first characters of the patterns: a lookup at any other character is over before
    /// a pattern is compared. Boxed, as in [`PhraseSet`], so that moving an index does not
    /// copy the bitmap.
    firsts: Box<CharSet>,
}

/// From this many patterns on, most characters of a text are the first character of some
/// pattern, and a filter of the first two characters rules out more positions: the 6,300
/// place names take ~1.2 ms per MB with it.
const FILTERED_LEXICON: usize = 1000;

/// One match: byte range in the haystack and the ids sharing that pattern.
pub(crate) struct PhraseMatch<'a, T> {
    pub range: Range<usize>,
    pub ids: &'a [T],
}

/// The key of a pair of characters.
fn pair_key(first: char, second: char) -> u64 {
    (first as u64) << 32 | second as u64
}

impl<T: Copy + PartialEq> PhraseIndex<T> {
    /// Builds the index. Empty patterns are ignored; repeated patterns gather
    /// their ids (each id once, in insertion order).
    pub fn build<'p>(patterns: impl IntoIterator<Item = (&'p str, T)>) -> Self {
        Self::build_filtered(patterns, |count| count >= FILTERED_LEXICON)
    }

    /// [`PhraseIndex::build`], with a start filter when `filtered` says so for the number of
    /// patterns.
    fn build_filtered<'p>(
        patterns: impl IntoIterator<Item = (&'p str, T)>,
        filtered: impl FnOnce(usize) -> bool,
    ) -> Self {
        let (keys, groups) = gather(patterns);
        let max_pattern_bytes = keys.iter().map(|k| k.len()).max().unwrap_or(0);
        let starts = filtered(keys.len()).then(|| StartFilter::new(&keys));
        let packed = match starts {
            Some(_) => None,
            None => packed_prefixes(&keys),
        };
        let grams = match (&starts, &packed) {
            (None, None) => GramFilter::new(&keys, false),
            _ => None,
        };
        let mut firsts = Box::<CharSet>::default();
        let mut singles = FxHashMap::default();
        let mut paired: Vec<(u64, usize, u32)> = Vec::with_capacity(keys.len());
        for (group, key) in keys.iter().enumerate() {
            let mut chars = key.chars();
            let (Some(first), second) = (chars.next(), chars.next()) else {
                continue;
            };
            firsts.insert(first);
            match second {
                Some(second) => paired.push((pair_key(first, second), key.len(), group as u32)),
                None => {
                    singles.insert(first, group as u32);
                }
            }
        }
        // By pair, then longest first: of two patterns that both start a text, the longer
        // holds the shorter, so the first that matches is the longest.
        paired.sort_unstable_by_key(|&(pair, length, _)| (pair, std::cmp::Reverse(length)));
        let mut pairs = FxHashMap::default();
        pairs.reserve(paired.len());
        let mut start = 0;
        while start < paired.len() {
            let pair = paired[start].0;
            let end = start + paired[start..].partition_point(|p| p.0 == pair);
            pairs.insert(pair, (start as u32, end as u32));
            start = end;
        }
        PhraseIndex {
            keys: keys.into_iter().map(Box::from).collect(),
            groups,
            max_pattern_bytes,
            pairs,
            by_length: paired.into_iter().map(|(_, _, group)| group).collect(),
            singles,
            starts,
            packed,
            grams,
            firsts,
        }
    }

    /// Non-overlapping leftmost-longest matches, in text order: from left to right, the
    /// longest pattern that starts at a position, then on after it.
    pub fn find_iter<'s>(&'s self, text: &str) -> impl Iterator<Item = PhraseMatch<'s, T>> {
        let mut from = 0;
        std::iter::from_fn(move || {
            while let Some(at) = self.next_start(text, from) {
                if let Some((length, group)) = self.longest_at(&text[at..]) {
                    from = at + length;
                    return Some(PhraseMatch {
                        range: at..from,
                        ids: &self.groups[group as usize],
                    });
                }
                from = at + text[at..].chars().next().map_or(1, char::len_utf8);
            }
            from = text.len();
            None
        })
    }

    /// The first position from `from` on where a pattern may start.
    fn next_start(&self, text: &str, from: usize) -> Option<usize> {
        if let Some(starts) = &self.starts {
            return starts.next(text, from);
        }
        if let Some(packed) = &self.packed {
            // A match of a pattern's first bytes starts a character: they start one.
            return packed
                .find(text.as_bytes().get(from..)?)
                .map(|m| from + m.start());
        }
        if let Some(grams) = &self.grams {
            return grams.next(text, from);
        }
        text.get(from..)?
            .char_indices()
            .find(|&(_, c)| self.firsts.contains(c))
            .map(|(at, _)| from + at)
    }

    /// The length and group of the longest pattern that `text` starts with.
    fn longest_at(&self, text: &str) -> Option<(usize, u32)> {
        let mut chars = text.chars();
        let first = chars.next()?;
        if !self.firsts.contains(first) {
            return None;
        }
        if let Some(second) = chars.next()
            && let Some(&(start, end)) = self.pairs.get(&pair_key(first, second))
        {
            let longest = self.by_length[start as usize..end as usize]
                .iter()
                .find(|&&group| {
                    text.as_bytes()
                        .starts_with(self.keys[group as usize].as_bytes())
                });
            if let Some(&group) = longest {
                return Some((self.keys[group as usize].len(), group));
            }
        }
        let group = *self.singles.get(&first)?;
        Some((first.len_utf8(), group))
    }

    /// The longest pattern that starts exactly at the beginning of `text`.
    pub fn longest_prefix<'s>(&'s self, text: &str) -> Option<PhraseMatch<'s, T>> {
        let (length, group) = self.longest_at(text)?;
        Some(PhraseMatch {
            range: 0..length,
            ids: &self.groups[group as usize],
        })
    }

    /// The match that covers byte `at` of `text`, looking only at a window
    /// around it (patterns are short, texts may be long).
    pub fn match_covering<'s>(&'s self, text: &str, at: usize) -> Option<PhraseMatch<'s, T>> {
        if at >= text.len() || self.keys.is_empty() {
            return None;
        }
        let start = floor_char_boundary(text, at.saturating_sub(self.max_pattern_bytes));
        let end = floor_char_boundary(
            text,
            at.saturating_add(self.max_pattern_bytes).saturating_add(4),
        );
        let window = &text[start..end];
        self.find_iter(window)
            .map(|m| PhraseMatch {
                range: (start + m.range.start)..(start + m.range.end),
                ids: m.ids,
            })
            .take_while(|m| m.range.start <= at)
            .find(|m| m.range.contains(&at))
    }
}

/// Patterns mapped to groups of entry ids, like [`PhraseIndex`], but found wherever they occur,
/// overlapping ones included. Meant for a few patterns: a position is looked at only when its
/// character begins one (a bit test), and then each pattern with that first character is
/// compared there.
pub(crate) struct PhraseSet<T> {
    /// The first characters of the patterns. Boxed: a set is built for each article and moved
    /// into what holds it, and its bitmap is 8 KB.
    firsts: Box<CharSet>,
    /// The patterns' first bytes, found with SIMD where the processor has it: then only the
    /// positions where they stand are looked at.
    packed: Option<packed::Searcher>,
    /// The patterns (by group) that begin with each first character.
    by_first: FxHashMap<char, Vec<u32>>,
    keys: Vec<Box<str>>,
    groups: Vec<Vec<T>>,
}

impl<T: Copy + PartialEq> PhraseSet<T> {
    /// Builds the set. Empty patterns are ignored; repeated patterns gather their ids (each id
    /// once, in insertion order).
    pub fn build<'p>(patterns: impl IntoIterator<Item = (&'p str, T)>) -> Self {
        let (keys, groups) = gather(patterns);
        let mut firsts = Box::<CharSet>::default();
        let mut by_first: FxHashMap<char, Vec<u32>> = FxHashMap::default();
        for (group, key) in keys.iter().enumerate() {
            if let Some(first) = key.chars().next() {
                firsts.insert(first);
                by_first.entry(first).or_default().push(group as u32);
            }
        }
        PhraseSet {
            firsts,
            packed: packed_prefixes(&keys),
            by_first,
            keys: keys.into_iter().map(Box::from).collect(),
            groups,
        }
    }

    /// Every occurrence of every pattern in `text`, overlapping ones included, in one pass: by
    /// start, and at one start in the order the patterns were first given.
    pub fn find_overlapping_iter<'s>(
        &'s self,
        text: &'s str,
    ) -> impl Iterator<Item = PhraseMatch<'s, T>> {
        self.starts(text)
            .filter_map(|at| text[at..].chars().next().map(|c| (at, c)))
            .filter(|&(_, c)| self.firsts.contains(c))
            .flat_map(move |(at, c)| {
                let rest = &text[at..];
                self.by_first
                    .get(&c)
                    .map_or(&[][..], Vec::as_slice)
                    .iter()
                    .filter(move |&&group| rest.starts_with(&*self.keys[group as usize]))
                    .map(move |&group| PhraseMatch {
                        range: at..at + self.keys[group as usize].len(),
                        ids: &self.groups[group as usize],
                    })
            })
    }
}

impl<T> PhraseSet<T> {
    /// The positions of `text` where a pattern may start, in order: where the patterns' first
    /// bytes stand, or every character when they cannot be searched for together.
    fn starts<'s>(&'s self, text: &'s str) -> Starts<'s> {
        match &self.packed {
            _ if self.keys.is_empty() => Starts::None,
            None => Starts::Every(text.char_indices()),
            Some(packed) => Starts::Packed {
                packed,
                bytes: text.as_bytes(),
                from: 0,
            },
        }
    }
}

/// What [`PhraseSet::starts`] gives.
enum Starts<'s> {
    None,
    Every(std::str::CharIndices<'s>),
    Packed {
        packed: &'s packed::Searcher,
        bytes: &'s [u8],
        from: usize,
    },
}

impl Iterator for Starts<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        match self {
            Starts::None => None,
            Starts::Every(chars) => chars.next().map(|(at, _)| at),
            Starts::Packed {
                packed,
                bytes,
                from,
            } => {
                // A pattern's first byte opens a character: a match of the first bytes starts
                // one.
                let at = *from + packed.find(bytes.get(*from..)?)?.start();
                *from = at + 1;
                Some(at)
            }
        }
    }
}

/// The distinct non-empty patterns in first-seen order, and the ids of each (each id once, in
/// insertion order).
fn gather<'p, T: Copy + PartialEq>(
    patterns: impl IntoIterator<Item = (&'p str, T)>,
) -> (Vec<&'p str>, Vec<Vec<T>>) {
    let mut group_of: FxHashMap<&str, u32> = FxHashMap::default();
    let mut groups: Vec<Vec<T>> = Vec::new();
    let mut keys: Vec<&str> = Vec::new();
    for (pattern, id) in patterns {
        if pattern.is_empty() {
            continue;
        }
        let group = *group_of.entry(pattern).or_insert_with(|| {
            groups.push(Vec::new());
            keys.push(pattern);
            (groups.len() - 1) as u32
        });
        let ids = &mut groups[group as usize];
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    (keys, groups)
}

/// Where a pattern may start: the first two characters of every pattern (the character of
/// one-character patterns), the pairs as bits of a hashed table. It may take a position for
/// one where no pattern starts (the automaton then finds none), never the other way round.
struct StartFilter {
    pairs: Vec<u64>,
    singles: CharSet,
    has_singles: bool,
}

impl StartFilter {
    /// Bits of the pair table: with some thousands of patterns, few positions of a text hit
    /// a pair by chance.
    const PAIR_BITS: u32 = 20;

    fn new(patterns: &[&str]) -> StartFilter {
        let mut filter = StartFilter {
            pairs: vec![0; 1 << (Self::PAIR_BITS - 6)],
            singles: CharSet::default(),
            has_singles: false,
        };
        for pattern in patterns {
            let mut chars = pattern.chars();
            match (chars.next(), chars.next()) {
                (Some(first), Some(second)) => {
                    let bit = Self::pair_bit(first, second);
                    filter.pairs[bit >> 6] |= 1 << (bit & 63);
                }
                (Some(only), None) => {
                    filter.singles.insert(only);
                    filter.has_singles = true;
                }
                _ => {}
            }
        }
        filter
    }

    fn pair_bit(first: char, second: char) -> usize {
        const K: u64 = 0x9E37_79B9_7F4A_7C15;
        let hash = ((first as u64).wrapping_mul(K) ^ second as u64).wrapping_mul(K);
        (hash >> (64 - Self::PAIR_BITS)) as usize
    }

    /// The first position from `from` on where a pattern may start.
    fn next(&self, text: &str, from: usize) -> Option<usize> {
        let mut chars = text.get(from..)?.char_indices();
        let (mut at, mut c) = chars.next()?;
        loop {
            if self.has_singles && self.singles.contains(c) {
                return Some(from + at);
            }
            let (next_at, next) = chars.next()?;
            let bit = Self::pair_bit(c, next);
            if self.pairs[bit >> 6] >> (bit & 63) & 1 != 0 {
                return Some(from + at);
            }
            (at, c) = (next_at, next);
        }
    }
}

/// Where a pattern may start, read from the bytes of a text without decoding it: a shift-or
/// automaton over the 2-byte grams of the patterns' first bytes (SOG, Salmela, Tarhio and
/// Kytöjoki, "Multipattern string matching with q-grams", 2006). Taken for a lexicon whose
/// grams rule out most positions; like [`StartFilter`], it may take a position for one where
/// no pattern starts, never the other way round.
struct GramFilter {
    /// By gram: bit `i` is clear when the gram stands at offset `i` of some pattern's window.
    table: Box<[u8]>,
    /// The window: the shortest pattern's length in bytes, at most 9 (8 grams).
    window: usize,
}

impl GramFilter {
    const MAX_WINDOW: usize = 9;

    /// The filter of `patterns`, unless some pattern is a single byte or the grams would let
    /// through more than one position in sixteen of a random text (`any_rate`: however many).
    fn new(patterns: &[&str], any_rate: bool) -> Option<GramFilter> {
        let shortest = patterns.iter().map(|p| p.len()).min()?;
        if shortest < 2 {
            return None;
        }
        let window = shortest.min(Self::MAX_WINDOW);
        let mut table = vec![u8::MAX; 1 << 16].into_boxed_slice();
        // How many grams each offset lets through.
        let mut taken = [0u32; Self::MAX_WINDOW - 1];
        for pattern in patterns {
            for (offset, gram) in pattern.as_bytes()[..window].windows(2).enumerate() {
                let entry = &mut table[usize::from(gram[0]) << 8 | usize::from(gram[1])];
                if *entry & 1 << offset != 0 {
                    *entry &= !(1 << offset);
                    taken[offset] += 1;
                }
            }
        }
        let rate: f64 = taken[..window - 1]
            .iter()
            .map(|&n| f64::from(n) / f64::from(1u32 << 16))
            .product();
        (any_rate || rate <= 1.0 / 16.0).then_some(GramFilter { table, window })
    }

    /// The first character boundary from `from` on where a pattern may start.
    fn next(&self, text: &str, mut from: usize) -> Option<usize> {
        let bytes = text.as_bytes();
        let hit = 1u8 << (self.window - 2);
        loop {
            let mut previous = *bytes.get(from)?;
            let mut state = u8::MAX;
            let mut found = None;
            for (i, &byte) in bytes.iter().enumerate().skip(from + 1) {
                state = state << 1 | self.table[usize::from(previous) << 8 | usize::from(byte)];
                if state & hit == 0 {
                    found = Some(i + 1 - self.window);
                    break;
                }
                previous = byte;
            }
            let at = found?;
            if text.is_char_boundary(at) {
                return Some(at);
            }
            from = at + 1;
        }
    }
}

/// The bytes of a pattern that [`packed_prefixes`] looks for: enough to rule out most
/// positions, few enough that patterns share them.
const PACKED_PREFIX: usize = 9;

/// A searcher for the first bytes of the patterns (Teddy, over 16 or 32 bytes of text at a
/// time), when the processor has the instructions for it and the prefixes are few enough;
/// several times faster than [`GramFilter`] on Chinese text.
fn packed_prefixes(patterns: &[&str]) -> Option<packed::Searcher> {
    let mut prefixes: Vec<&[u8]> = patterns
        .iter()
        .map(|p| &p.as_bytes()[..p.len().min(PACKED_PREFIX)])
        .filter(|p| !p.is_empty())
        .collect();
    prefixes.sort_unstable();
    prefixes.dedup();
    if prefixes.is_empty() {
        return None;
    }
    packed::Config::new()
        .match_kind(packed::MatchKind::LeftmostFirst)
        .builder()
        .extend(prefixes)
        .build()
}

/// The largest char boundary of `text` not above `index`.
pub(crate) fn floor_char_boundary(text: &str, index: usize) -> usize {
    if index >= text.len() {
        return text.len();
    }
    (0..=index)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use std::ops::Range;

    use daachorse::{
        CharwiseDoubleArrayAhoCorasick, CharwiseDoubleArrayAhoCorasickBuilder, MatchKind,
    };

    use super::{GramFilter, PhraseIndex, PhraseSet};
    use crate::testing::random;

    #[test]
    fn a_phrase_set_finds_every_occurrence() {
        let set = PhraseSet::build([("经开区", 0), ("开区", 1), ("经开区", 2), ("", 3)]);
        let text = "经开区和经开区区";
        let mut found: Vec<_> = set
            .find_overlapping_iter(text)
            .map(|m| (m.range, m.ids.to_vec()))
            .collect();
        found.sort_by_key(|(range, _)| (range.start, range.end));
        let at = |s: &str| text.find(s).unwrap();
        let second = "经开区和".len();
        assert_eq!(
            found,
            [
                (0..9, vec![0, 2]),
                (at("开区")..9, vec![1]),
                (second..second + 9, vec![0, 2]),
                (second + 3..second + 9, vec![1]),
            ]
        );
        assert_eq!(
            PhraseSet::<u8>::build([])
                .find_overlapping_iter("经开区")
                .count(),
            0
        );
    }

    /// Leftmost-longest matches as an Aho–Corasick automaton finds them.
    fn automaton_matches(patterns: &[&str], text: &str) -> Vec<(Range<usize>, Vec<usize>)> {
        let index =
            PhraseIndex::build_filtered(patterns.iter().enumerate().map(|(i, p)| (*p, i)), |_| {
                false
            });
        let keys: Vec<&str> = index.keys.iter().map(|k| &**k).collect();
        if keys.is_empty() {
            return Vec::new();
        }
        let automaton: CharwiseDoubleArrayAhoCorasick<u32> =
            CharwiseDoubleArrayAhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .build_with_values(keys.iter().enumerate().map(|(i, k)| (*k, i as u32)))
                .expect("automaton");
        automaton
            .leftmost_find_iter(text)
            .map(|m| (m.start()..m.end(), index.groups[m.value() as usize].clone()))
            .collect()
    }

    /// Everything the index answers, for comparison.
    fn answers(index: &PhraseIndex<usize>, text: &str) -> Vec<String> {
        let mut found = vec![format!(
            "{:?}",
            index
                .find_iter(text)
                .map(|m| (m.range, m.ids.to_vec()))
                .collect::<Vec<_>>()
        )];
        for (at, _) in text.char_indices() {
            let prefix = index
                .longest_prefix(&text[at..])
                .map(|m| (m.range, m.ids.to_vec()));
            let covering = index
                .match_covering(text, at)
                .map(|m| (m.range, m.ids.to_vec()));
            found.push(format!("{at}: {prefix:?} {covering:?}"));
        }
        found
    }

    #[test]
    fn the_index_finds_what_an_automaton_finds() {
        let patterns = [
            "新城",
            "新城区",
            "赛罕区",
            "呼和浩特",
            "和",
            "区长",
            "A1",
            "土默特左旗",
            "新城",
            "",
            "城区区",
        ];
        let texts = [
            "",
            "和",
            "新城区长赛罕区区长和林格尔",
            "呼和浩特市新城区",
            "xA1和A1",
            "土默特左旗委副书记",
            "新城新城区区",
            "新城区区区长",
        ];
        let numbered = || patterns.iter().enumerate().map(|(i, p)| (*p, i));
        let filtered = PhraseIndex::build_filtered(numbered(), |_| true);
        let direct = PhraseIndex::build_filtered(numbered(), |_| false);
        let [grams, plain] = without_packed(&patterns);
        for text in texts {
            let found: Vec<_> = direct
                .find_iter(text)
                .map(|m| (m.range, m.ids.to_vec()))
                .collect();
            assert_eq!(found, automaton_matches(&patterns, text), "{text}");
            assert_eq!(answers(&filtered, text), answers(&direct, text), "{text}");
            assert_eq!(answers(&plain, text), answers(&direct, text), "{text}");
            assert_eq!(answers(&grams, text), answers(&direct, text), "{text}");
        }
    }

    /// The index of `patterns` found by its gram filter (however many positions it lets
    /// through), and by the first characters alone.
    fn without_packed(patterns: &[&str]) -> [PhraseIndex<usize>; 2] {
        let numbered = || patterns.iter().enumerate().map(|(i, p)| (*p, i));
        let mut grams = PhraseIndex::build_filtered(numbered(), |_| false);
        grams.packed = None;
        let keys: Vec<&str> = grams.keys.iter().map(|k| &**k).collect();
        grams.grams = GramFilter::new(&keys, true);
        let mut plain = PhraseIndex::build_filtered(numbered(), |_| false);
        plain.packed = None;
        plain.grams = None;
        [grams, plain]
    }

    #[test]
    fn the_packed_prefixes_are_used_where_the_processor_has_them() {
        let titles = ["书记", "副书记", "区长", "代区长", "局长"];
        let index = PhraseIndex::build(titles.iter().map(|t| (*t, ())));
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("ssse3") {
            assert!(index.packed.is_some());
        }
        let text = "市统计局党组书记、局长马芸芸表示，代区长杨朋飞";
        let found: Vec<&str> = index.find_iter(text).map(|m| &text[m.range]).collect();
        assert_eq!(found, ["书记", "局长", "代区长"]);
    }

    /// Where [`GramFilter::next`] must stop, by its definition: the first character boundary
    /// from `from` on whose window has each of its grams at the same offset in some pattern.
    fn gram_starts(filter: &GramFilter, text: &str, from: usize) -> Option<usize> {
        let bytes = text.as_bytes();
        (from..=bytes.len().saturating_sub(filter.window)).find(|&at| {
            at + filter.window <= bytes.len()
                && text.is_char_boundary(at)
                && (0..filter.window - 1).all(|offset| {
                    let gram =
                        usize::from(bytes[at + offset]) << 8 | usize::from(bytes[at + offset + 1]);
                    filter.table[gram] & 1 << offset == 0
                })
        })
    }

    #[test]
    fn the_gram_filter_stops_where_its_definition_says() {
        // Han characters share their first bytes, so grams of different patterns combine; 喰
        // and 新, 帀 and 一 share their last two bytes.
        let alphabet: Vec<char> = "新城区和林格尔书记长A、喰一帀".chars().collect();
        let mut next = random(0x9e37_79b9_7f4a_7c15);
        let word = |next: &mut dyn FnMut(usize) -> usize, shortest: usize, longest: usize| {
            let length = shortest + next(longest - shortest + 1);
            (0..length)
                .map(|_| alphabet[next(alphabet.len())])
                .collect::<String>()
        };
        for _ in 0..400 {
            let count = 1 + next(6);
            let patterns: Vec<String> = (0..count).map(|_| word(&mut next, 1, 4)).collect();
            let patterns: Vec<&str> = patterns.iter().map(String::as_str).collect();
            let Some(filter) = GramFilter::new(&patterns, true) else {
                continue;
            };
            for _ in 0..4 {
                let text = word(&mut next, 0, 30);
                for from in 0..=text.len() {
                    assert_eq!(
                        filter.next(&text, from),
                        gram_starts(&filter, &text, from),
                        "{patterns:?} in {text:?} from {from}"
                    );
                }
            }
        }
    }

    #[test]
    fn random_lexicons_match_as_an_automaton_does() {
        // A small alphabet, so that patterns overlap, nest and repeat.
        let alphabet: Vec<char> = "新城区和林格尔A".chars().collect();
        let mut next = random(0x2545_f491_4f6c_dd1d);
        let word = |next: &mut dyn FnMut(usize) -> usize, longest: usize| -> String {
            let length = 1 + next(longest);
            (0..length)
                .map(|_| alphabet[next(alphabet.len())])
                .collect()
        };
        for _ in 0..300 {
            let count = 1 + next(12);
            let patterns: Vec<String> = (0..count).map(|_| word(&mut next, 4)).collect();
            let patterns: Vec<&str> = patterns.iter().map(String::as_str).collect();
            let numbered = || patterns.iter().enumerate().map(|(i, p)| (*p, i));
            let filtered = PhraseIndex::build_filtered(numbered(), |_| true);
            let direct = PhraseIndex::build_filtered(numbered(), |_| false);
            let [grams, plain] = without_packed(&patterns);
            let set = PhraseSet::build(numbered());
            let mut unpacked_set = PhraseSet::build(numbered());
            unpacked_set.packed = None;
            for _ in 0..4 {
                let text = word(&mut next, 24);
                let found: Vec<_> = direct
                    .find_iter(&text)
                    .map(|m| (m.range, m.ids.to_vec()))
                    .collect();
                assert_eq!(
                    found,
                    automaton_matches(&patterns, &text),
                    "{patterns:?} {text}"
                );
                assert_eq!(answers(&filtered, &text), answers(&direct, &text), "{text}");
                assert_eq!(answers(&plain, &text), answers(&direct, &text), "{text}");
                assert_eq!(answers(&grams, &text), answers(&direct, &text), "{text}");
                // Every occurrence, overlapping ones included, at every position.
                let mut every: Vec<(Range<usize>, Vec<usize>)> = Vec::new();
                for (at, _) in text.char_indices() {
                    for (i, pattern) in patterns.iter().enumerate() {
                        if !text[at..].starts_with(pattern) {
                            continue;
                        }
                        match every
                            .iter_mut()
                            .find(|(r, _)| r.start == at && r.len() == pattern.len())
                        {
                            Some((_, ids)) => ids.push(i),
                            None => every.push((at..at + pattern.len(), vec![i])),
                        }
                    }
                }
                every.sort_by_key(|(range, _)| (range.start, range.end));
                for set in [&set, &unpacked_set] {
                    let mut overlapping: Vec<_> = set
                        .find_overlapping_iter(&text)
                        .map(|m| (m.range, m.ids.to_vec()))
                        .collect();
                    overlapping.sort_by_key(|(range, _)| (range.start, range.end));
                    assert_eq!(overlapping, every, "{patterns:?} {text}");
                }
            }
        }
    }
}

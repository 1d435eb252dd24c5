//! A leftmost-longest multi-pattern matcher shared by every lexicon.
//!
//! It wraps daachorse's character-wise double-array Aho–Corasick automaton and
//! adds what the automaton refuses: duplicate patterns (several entries may
//! share a name — 新城区 is a district of Hohhot and of Xi'an) are folded into
//! one pattern whose value indexes a group of entry ids.

use std::collections::HashMap;
use std::ops::Range;

use daachorse::{CharwiseDoubleArrayAhoCorasick, CharwiseDoubleArrayAhoCorasickBuilder, MatchKind};

/// Patterns mapped to groups of entry ids, matched leftmost-longest.
pub(crate) struct PhraseIndex<T> {
    automaton: Option<CharwiseDoubleArrayAhoCorasick<u32>>,
    groups: Vec<Vec<T>>,
    /// Longest pattern in bytes: bounds the text a prefix lookup has to scan.
    max_pattern_bytes: usize,
}

/// One match: byte range in the haystack and the ids sharing that pattern.
pub(crate) struct PhraseMatch<'a, T> {
    pub range: Range<usize>,
    pub ids: &'a [T],
}

impl<T: Copy + PartialEq> PhraseIndex<T> {
    /// Builds the index. Empty patterns are ignored; repeated patterns gather
    /// their ids (each id once, in insertion order).
    pub fn build<'p>(patterns: impl IntoIterator<Item = (&'p str, T)>) -> Self {
        let mut group_of: HashMap<&str, u32> = HashMap::new();
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
        let max_pattern_bytes = keys.iter().map(|k| k.len()).max().unwrap_or(0);
        let automaton = if keys.is_empty() {
            None
        } else {
            let built = CharwiseDoubleArrayAhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .build_with_values(keys.iter().enumerate().map(|(i, k)| (*k, i as u32)));
            // Patterns are non-empty and unique, so building only fails when the
            // automaton outgrows daachorse's limits; then nothing matches rather than the
            // analysis failing.
            built.ok()
        };
        PhraseIndex {
            automaton,
            groups,
            max_pattern_bytes,
        }
    }

    /// Non-overlapping leftmost-longest matches, in text order.
    pub fn find_iter<'s>(&'s self, text: &str) -> impl Iterator<Item = PhraseMatch<'s, T>> {
        self.automaton
            .iter()
            .flat_map(move |automaton| automaton.leftmost_find_iter(text))
            .map(move |m| PhraseMatch {
                range: m.start()..m.end(),
                ids: &self.groups[m.value() as usize],
            })
    }

    /// The longest pattern that starts exactly at the beginning of `text`.
    pub fn longest_prefix<'s>(&'s self, text: &str) -> Option<PhraseMatch<'s, T>> {
        let window = &text[..floor_char_boundary(text, self.max_pattern_bytes)];
        let automaton = self.automaton.as_ref()?;
        let m = automaton.leftmost_find_iter(window).next()?;
        (m.start() == 0).then(|| PhraseMatch {
            range: 0..m.end(),
            ids: &self.groups[m.value() as usize],
        })
    }

    /// The match that covers byte `at` of `text`, looking only at a window
    /// around it (patterns are short, texts may be long).
    pub fn match_covering<'s>(&'s self, text: &str, at: usize) -> Option<PhraseMatch<'s, T>> {
        if at >= text.len() {
            return None;
        }
        let start = floor_char_boundary(text, at.saturating_sub(self.max_pattern_bytes));
        let end = floor_char_boundary(
            text,
            at.saturating_add(self.max_pattern_bytes).saturating_add(4),
        );
        let window = &text[start..end];
        let automaton = self.automaton.as_ref()?;
        automaton
            .leftmost_find_iter(window)
            .map(|m| ((start + m.start())..(start + m.end()), m.value()))
            .take_while(|(range, _)| range.start <= at)
            .find(|(range, _)| range.contains(&at))
            .map(|(range, group)| PhraseMatch {
                range,
                ids: &self.groups[group as usize],
            })
    }
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

//! Who says what: speech verbs (X表示, X说), the clauses they attribute to a speaker, quotations,
//! and the cues that make a place the actor of a clause (武川县将…). The words live in
//! `data/attribution.toml`.

use std::ops::Range;
use std::sync::LazyLock;

use rustc_hash::FxHashMap;
use serde::Deserialize;

use crate::knowledge::CharSet;
use crate::knowledge::phrases::PhraseSet;

const ATTRIBUTION: &str = include_str!("../../../data/attribution.toml");

#[derive(Debug, Default, Deserialize)]
struct AttributionData {
    #[serde(default)]
    speech_verbs: Vec<String>,
    #[serde(default)]
    pronouns: Vec<String>,
    #[serde(default)]
    actor_cues: Vec<String>,
    #[serde(default)]
    address_forms: Vec<String>,
}

/// Parsed once; a broken file gives empty lists (and fails the unit test below).
static DATA: LazyLock<AttributionData> = LazyLock::new(|| {
    let mut data: AttributionData = toml::from_str(ATTRIBUTION).unwrap_or_default();
    data.speech_verbs
        .sort_by_key(|v| std::cmp::Reverse(v.len()));
    data
});

/// The speech verbs by their first character, longest first, behind a one-bit test of that
/// character: most characters of a text begin no speech verb.
struct VerbsByFirst {
    firsts: CharSet,
    verbs: FxHashMap<char, Vec<&'static str>>,
}

/// The pronouns, found by their bytes.
static PRONOUNS: LazyLock<PhraseSet<()>> =
    LazyLock::new(|| PhraseSet::build(DATA.pronouns.iter().map(|p| (p.as_str(), ()))));

/// The speech verbs, found by their bytes: most of a text holds none.
static SPEECH_VERBS: LazyLock<PhraseSet<()>> =
    LazyLock::new(|| PhraseSet::build(DATA.speech_verbs.iter().map(|v| (v.as_str(), ()))));

static VERBS_BY_FIRST: LazyLock<VerbsByFirst> = LazyLock::new(|| {
    let mut index = VerbsByFirst {
        firsts: CharSet::default(),
        verbs: FxHashMap::default(),
    };
    for verb in &DATA.speech_verbs {
        if let Some(first) = verb.chars().next() {
            index.firsts.insert(first);
            index.verbs.entry(first).or_default().push(verb.as_str());
        }
    }
    index
});

/// How far after a name a speech verb may stand (在接受记者采访时说): characters.
const SPEECH_REACH: usize = 16;

/// Punctuation that ends a clause; ASCII forms count, as layout systems leave them.
pub fn ends_clause(c: char) -> bool {
    matches!(
        c,
        '，' | ','
            | '。'
            | '；'
            | ';'
            | '：'
            | ':'
            | '！'
            | '!'
            | '？'
            | '?'
            | '“'
            | '”'
            | '‘'
            | '’'
            | '"'
            | '（'
            | '('
            | '）'
            | ')'
            | '、'
            | '…'
    )
}

/// Does a clause begin at `at`? The start of the text or just after clause punctuation.
pub fn is_clause_start(text: &str, at: usize) -> bool {
    match text[..at].chars().next_back() {
        None => true,
        Some(c) => ends_clause(c) && c != '、' || c.is_whitespace(),
    }
}

/// The speech verb starting at `at`, if any.
pub fn speech_verb_at(text: &str, at: usize) -> Option<Range<usize>> {
    let rest = &text[at..];
    let first = rest.chars().next()?;
    let index = &*VERBS_BY_FIRST;
    if !index.firsts.contains(first) {
        return None;
    }
    index
        .verbs
        .get(&first)?
        .iter()
        .find(|v| rest.starts_with(*v))
        .map(|v| at..at + v.len())
}

/// A speech verb in the clause that starts at `from` (right after a speaker's name), within a
/// short reach: 杨朋飞表示, 杨朋飞在接受记者采访时说.
pub fn speech_after(text: &str, from: usize) -> Option<Range<usize>> {
    for (count, (i, c)) in text[from..].char_indices().enumerate() {
        if count > SPEECH_REACH || ends_clause(c) {
            return None;
        }
        if let Some(verb) = speech_verb_at(text, from + i) {
            return Some(verb);
        }
    }
    None
}

/// Every speech verb of the text, from left to right, each search going on after the verb
/// found.
pub fn speech_verbs(text: &str) -> Vec<Range<usize>> {
    let mut found: Vec<Range<usize>> = Vec::new();
    // At one start the longest verb comes first, as the verbs are sorted: what
    // [`speech_verb_at`] finds there.
    for verb in SPEECH_VERBS.find_overlapping_iter(text) {
        if found.last().is_none_or(|last| verb.range.start >= last.end) {
            found.push(verb.range);
        }
    }
    found
}

/// A third-person pronoun standing at `at` (他表示).
pub fn pronoun_at(text: &str, at: usize) -> Option<Range<usize>> {
    DATA.pronouns
        .iter()
        .find(|p| text[at..].starts_with(p.as_str()))
        .map(|p| at..at + p.len())
}

/// The pronouns that open a clause (他表示 after a comma), in text order.
pub fn clause_pronouns(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    // At one start the pronoun listed first comes first: what [`pronoun_at`] finds there.
    let mut last = None;
    PRONOUNS
        .find_overlapping_iter(text)
        .filter(move |m| last.replace(m.range.start) != Some(m.range.start))
        .map(|m| m.range)
        .filter(|range| is_clause_start(text, range.start))
}

/// Does an actor cue (将, 要, 坚持…) follow at `at`?
pub fn actor_cue_at(text: &str, at: usize) -> bool {
    let rest = &text[at..];
    DATA.actor_cues
        .iter()
        .any(|cue| rest.starts_with(cue.as_str()))
}

/// Is `rest` (what follows a surname) a form of address, as in 汪总, 李老, 王局长?
pub fn is_address_form(rest: &str) -> bool {
    DATA.address_forms
        .iter()
        .any(|form| rest.starts_with(form.as_str()))
}

/// The clause before `at`: from the last clause punctuation (or the text's start) to `at`.
pub fn clause_start_before(text: &str, at: usize) -> usize {
    text[..at]
        .char_indices()
        .rev()
        .find(|&(_, c)| ends_clause(c))
        .map_or(0, |(i, c)| i + c.len_utf8())
}

/// Quotations of the text: what stands between “ and ”, to the end of the text when a quotation
/// never closes.
pub fn quotations(text: &str) -> Vec<Range<usize>> {
    const OPEN: [u8; 3] = *b"\xE2\x80\x9C"; // “
    const CLOSE: [u8; 3] = *b"\xE2\x80\x9D"; // ”
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut open: Option<usize> = None;
    // Both marks begin with the byte E2, which in UTF-8 only ever begins a character.
    for i in memchr::memchr_iter(0xE2, bytes) {
        match bytes.get(i..i + 3) {
            Some(mark) if mark == OPEN && open.is_none() => open = Some(i + OPEN.len()),
            Some(mark) if mark == CLOSE => {
                if let Some(start) = open.take() {
                    found.push(start..i);
                }
            }
            _ => {}
        }
    }
    if let Some(start) = open {
        found.push(start..text.len());
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_loads() {
        assert!(DATA.speech_verbs.len() > 5);
        assert!(!DATA.pronouns.is_empty());
        // The phrase sets ignore empty patterns.
        assert!(DATA.pronouns.iter().all(|p| !p.is_empty()));
        assert!(!DATA.actor_cues.is_empty());
        assert!(!DATA.address_forms.is_empty());
    }

    /// The verbs and the clause pronouns, found at every character of random texts: what the
    /// phrase sets find must be the same.
    #[test]
    fn verbs_and_pronouns_are_found_wherever_they_stand() {
        let alphabet = [
            '表', '示', '说', '道', '告', '诉', '记', '者', '他', '她', '们', '，', '。', '“', 'a',
            ' ',
        ];
        let mut next = crate::testing::random(0x0A77_1B07);
        for _ in 0..3000 {
            let text = crate::testing::random_text(&mut next, &alphabet, 30);
            let mut verbs = Vec::new();
            let mut from = 0;
            for (at, _) in text.char_indices() {
                if at >= from
                    && let Some(verb) = speech_verb_at(&text, at)
                {
                    from = verb.end;
                    verbs.push(verb);
                }
            }
            assert_eq!(speech_verbs(&text), verbs, "{text}");
            let pronouns: Vec<_> = text
                .char_indices()
                .filter(|&(at, _)| is_clause_start(&text, at))
                .filter_map(|(at, _)| pronoun_at(&text, at))
                .collect();
            assert_eq!(
                clause_pronouns(&text).collect::<Vec<_>>(),
                pronouns,
                "{text}"
            );
        }
    }

    #[test]
    fn speech_after_a_name() {
        let text = "杨朋飞在接受记者采访时说：“好。”";
        let verb = speech_after(text, "杨朋飞".len()).expect("a verb");
        assert_eq!(&text[verb], "说");
        assert!(speech_after("杨朋飞，赛罕区将", "杨朋飞".len()).is_none());
    }

    #[test]
    fn quotation_marks_are_read_from_bytes() {
        let text = "他说：“一是‘好’，二是…”又说“没完";
        let found: Vec<&str> = quotations(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(found, ["一是‘好’，二是…", "没完"]);
        assert!(quotations("”“").iter().all(|r| r.start == "”“".len()));
    }

    #[test]
    fn clause_starts_and_quotations() {
        let text = "他表示，武川县将推进。“我们要干”";
        assert!(is_clause_start(text, text.find("武川县").unwrap()));
        assert!(actor_cue_at(text, text.find("将").unwrap()));
        assert_eq!(quotations(text).len(), 1);
    }
}

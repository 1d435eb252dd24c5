//! Applying fixes to a text: the safe ones together, never two that overlap.

use std::ops::Range;

use super::{DocumentKind, Edit, Finding, analyze};
use crate::config::Settings;

/// Rounds of fixing: a fix can reveal another (a list renumbered after a deleted item).
pub const FIX_ROUNDS: usize = 4;

/// What `check --fix` does to a text: safe fixes in rounds until none is left or a round
/// changes nothing. Returns the fixed text and the findings that remain on it.
pub fn fix_text(text: &str, kind: DocumentKind, settings: &Settings) -> (String, Vec<Finding>) {
    let mut text = text.to_string();
    let mut findings = analyze(&text, kind, settings).findings;
    for _ in 0..FIX_ROUNDS {
        let edits = safe_edits(&findings);
        if edits.is_empty() {
            break;
        }
        let fixed = apply(&text, &edits);
        if fixed == text {
            break;
        }
        text = fixed;
        findings = analyze(&text, kind, settings).findings;
    }
    (text, findings)
}

/// The edits of every safe fix that can go together, in text order. A fix is taken whole or not
/// at all; one that touches a range another accepted fix touches is left for a later round.
pub fn safe_edits(findings: &[Finding]) -> Vec<Edit> {
    let fixes = findings
        .iter()
        .flat_map(|f| f.fixes.iter().filter(|fix| fix.safe).take(1));
    compatible_edits(fixes.map(|fix| fix.edits.as_slice()))
}

/// Merges groups of edits (one group per fix), skipping any group that overlaps an earlier one.
pub fn compatible_edits<'a>(groups: impl Iterator<Item = &'a [Edit]>) -> Vec<Edit> {
    let mut taken: Vec<Edit> = Vec::new();
    for group in groups {
        let clashes = group.iter().any(|edit| {
            taken
                .iter()
                .any(|other| overlaps(&edit.range, &other.range))
                || group
                    .iter()
                    .filter(|e| overlaps(&e.range, &edit.range))
                    .count()
                    > 1
        });
        if !clashes {
            taken.extend(group.iter().cloned());
        }
    }
    taken.sort_by_key(|e| (e.range.start, e.range.end));
    taken
}

/// Two ranges touch the same text; two insertions at one point also clash (their order would be
/// a guess).
fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    if a.is_empty() && b.is_empty() {
        return a.start == b.start;
    }
    a.start < b.end && b.start < a.end
        || (a.is_empty() && b.start < a.start && a.start < b.end)
        || (b.is_empty() && a.start < b.start && b.start < a.end)
}

/// Applies non-overlapping edits sorted by position. Edits whose ranges do not lie on character
/// boundaries inside the text are skipped: a fix never corrupts a text.
pub fn apply(text: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for edit in edits {
        let range = &edit.range;
        let valid = range.start >= at
            && range.start <= range.end
            && range.end <= text.len()
            && text.is_char_boundary(range.start)
            && text.is_char_boundary(range.end);
        if !valid {
            continue;
        }
        out.push_str(&text[at..range.start]);
        out.push_str(&edit.new_text);
        at = range.end;
    }
    out.push_str(&text[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_apply_in_order_and_shorter_replacements_do_not_corrupt() {
        let text = "一二三四五";
        let edits = [Edit::replace(3..9, "x"), Edit::replace(12..15, "")];
        assert_eq!(apply(text, &edits), "一x四");
    }

    #[test]
    fn overlapping_fixes_are_left_out_whole() {
        let first = [Edit::replace(0..3, "a")];
        let second = [Edit::replace(2..6, "b"), Edit::replace(9..12, "c")];
        let third = [Edit::replace(6..9, "d")];
        let got = compatible_edits([&first[..], &second[..], &third[..]].into_iter());
        assert_eq!(
            got,
            vec![Edit::replace(0..3, "a"), Edit::replace(6..9, "d")]
        );
    }

    #[test]
    fn edits_off_character_boundaries_are_skipped() {
        assert_eq!(apply("一二", &[Edit::replace(1..2, "x")]), "一二");
        assert_eq!(apply("一二", &[Edit::replace(3..99, "x")]), "一二");
    }
}

//! The forward sweep of `jiaodui::position` (`PositionTable`, `Sweep`) against the rope-based
//! conversions, on random texts of ASCII, CJK, astral characters (𠮷, emoji), `\r\n`, lone
//! `\r`, `\n` and empty lines, at every byte offset: on boundaries, inside characters, between
//! `\r` and `\n`, and past the end.

use jiaodui::position::{self, Encoding, PositionTable, Sweep};
use proptest::prelude::*;
use ropey::Rope;

const ENCODINGS: [Encoding; 3] = [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32];

const PIECES: &[&str] = &[
    "a", "Z", " ", "中", "鋒", "。", "é", "𠮷", "😀", "\r\n", "\r", "\n", "\n\n", "\r\r",
    "\r\n\r\n", "\n\r",
];

fn text(pieces: Vec<usize>) -> String {
    pieces.into_iter().map(|i| PIECES[i]).collect()
}

/// Short texts, and long ones that span several of the rope's chunks.
fn texts() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::collection::vec(0..PIECES.len(), 0..40).prop_map(text),
        1 => prop::collection::vec(0..PIECES.len(), 0..3000).prop_map(text),
    ]
}

/// Every offset from the start to a little past the end.
fn all_offsets(text: &str) -> impl Iterator<Item = usize> + Clone {
    0..=text.len() + 2
}

fn check_table(text: &str, table_offsets: &[usize], asked: &[usize]) {
    let rope = Rope::from_str(text);
    for encoding in ENCODINGS {
        let table = PositionTable::new(text, table_offsets.iter().copied(), encoding);
        for &byte in asked {
            let expected = position::to_position(&rope, byte, encoding);
            assert_eq!(table.position(byte), expected, "{encoding:?} at {byte}");
            let (line, start) = table.line_start(byte);
            assert_eq!(line, expected.line as usize, "line at {byte}");
            assert_eq!(start, rope.line_to_byte(line), "line start at {byte}");
            assert_eq!(
                position::line_end_in(text, start),
                position::line_content_end(&rope, line),
                "line end at {byte}"
            );
        }
    }
    let table = PositionTable::new(text, table_offsets.iter().copied(), Encoding::Utf32);
    for &byte in asked {
        assert_eq!(
            table.line_column(byte),
            position::to_line_column(&rope, byte),
            "line and column at {byte}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn a_table_of_every_offset_agrees_with_the_rope(text in texts()) {
        let offsets: Vec<usize> = all_offsets(&text).collect();
        check_table(&text, &offsets, &offsets);
    }

    #[test]
    fn offsets_missing_from_the_table_are_still_answered(
        text in texts(),
        kept in prop::collection::vec(any::<prop::sample::Index>(), 0..20),
    ) {
        let offsets: Vec<usize> = all_offsets(&text).collect();
        let kept: Vec<usize> = kept.iter().map(|i| *i.get(&offsets)).collect();
        check_table(&text, &kept, &offsets);
    }

    #[test]
    fn a_table_takes_offsets_in_any_order_with_repeats(
        text in texts(),
        picks in prop::collection::vec(any::<prop::sample::Index>(), 1..40),
    ) {
        let offsets: Vec<usize> = all_offsets(&text).collect();
        let asked: Vec<usize> = picks.iter().map(|i| *i.get(&offsets)).collect();
        check_table(&text, &asked, &asked);
    }

    #[test]
    fn a_sweep_agrees_with_the_rope_forwards_and_backwards(
        text in texts(),
        picks in prop::collection::vec(any::<prop::sample::Index>(), 1..40),
    ) {
        let rope = Rope::from_str(&text);
        let offsets: Vec<usize> = all_offsets(&text).collect();
        for encoding in ENCODINGS {
            let mut sweep = Sweep::new(&text, encoding);
            for &byte in &offsets {
                prop_assert_eq!(sweep.position(byte), position::to_position(&rope, byte, encoding));
            }
            let mut sweep = Sweep::new(&text, encoding);
            for pick in &picks {
                let byte = *pick.get(&offsets);
                prop_assert_eq!(sweep.position(byte), position::to_position(&rope, byte, encoding));
            }
        }
    }
}

#[test]
fn line_breaks_are_the_ropes() {
    for text in [
        "", "\r", "\n", "\r\n", "\n\r", "a\rb", "a\r\nb", "a\n\rb", "\r\r\n\n", "𠮷\r", "末\r\n",
    ] {
        let offsets: Vec<usize> = all_offsets(text).collect();
        check_table(text, &offsets, &offsets);
    }
}

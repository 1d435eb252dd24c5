//! The editor's copy of a document: a rope that takes incremental edits in order.
//!
//! Architecture invariant: an edit is applied completely or not at all. A range that ends before
//! it starts is refused rather than guessed at, so that the server's text never silently drifts
//! from the editor's.

use ropey::Rope;

use crate::analysis::DocumentKind;
use crate::position::{self, Encoding, Position};

/// A refused edit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("the edit's range ends before it starts ({start:?} > {end:?})")]
    Reversed { start: Position, end: Position },
}

/// An open document.
#[derive(Debug, Clone)]
pub struct Document {
    rope: Rope,
    pub version: i32,
    pub kind: DocumentKind,
}

impl Document {
    pub fn new(text: &str, version: i32, kind: DocumentKind) -> Document {
        Document {
            rope: Rope::from_str(text),
            version,
            kind,
        }
    }

    /// Applies one content change: a range and its replacement, or (no range) the whole text.
    pub fn apply(
        &mut self,
        range: Option<(Position, Position)>,
        text: &str,
        encoding: Encoding,
    ) -> Result<(), EditError> {
        let Some((start, end)) = range else {
            self.rope = Rope::from_str(text);
            return Ok(());
        };
        let from = position::to_offset(&self.rope, start, encoding);
        let to = position::to_offset(&self.rope, end, encoding);
        if from > to {
            return Err(EditError::Reversed { start, end });
        }
        let from_char = self.rope.byte_to_char(from);
        let to_char = self.rope.byte_to_char(to);
        self.rope.remove(from_char..to_char);
        self.rope.insert(from_char, text);
        Ok(())
    }

    pub fn rope(&self) -> &Rope {
        &self.rope
    }

    pub fn text(&self) -> String {
        self.rope.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn doc(text: &str) -> Document {
        Document::new(text, 0, DocumentKind::Plain)
    }

    #[test]
    fn edits_land_where_the_editor_means_in_every_encoding() {
        for (encoding, column) in [
            (Encoding::Utf8, 4),
            (Encoding::Utf16, 2),
            (Encoding::Utf32, 1),
        ] {
            let mut d = doc("𠮷鋒\r\n下一行");
            let after = Position::new(0, column);
            let end = Position::new(0, column + if encoding == Encoding::Utf8 { 3 } else { 1 });
            d.apply(Some((after, end)), "锋", encoding).unwrap();
            assert_eq!(d.text(), "𠮷锋\r\n下一行", "{encoding:?}");
        }
    }

    #[test]
    fn a_reversed_range_is_refused_and_changes_nothing() {
        let mut d = doc("一二三");
        let result = d.apply(
            Some((Position::new(0, 2), Position::new(0, 1))),
            "x",
            Encoding::Utf16,
        );
        assert!(result.is_err());
        assert_eq!(d.text(), "一二三");
    }

    #[test]
    fn a_range_past_the_line_end_stays_on_its_line() {
        let mut d = doc("一\n二");
        d.apply(
            Some((Position::new(0, 9), Position::new(0, 12))),
            "x",
            Encoding::Utf16,
        )
        .unwrap();
        assert_eq!(d.text(), "一x\n二");
    }

    /// An edit script step: replace characters `start..start+len` of the current text.
    #[derive(Debug, Clone)]
    struct Step {
        start: usize,
        len: usize,
        insert: String,
    }

    fn step() -> impl Strategy<Value = Step> {
        let piece =
            prop::sample::select(vec!["", "a", "𠮷", "鋒", "\r\n", "\n", "\r", "，", "一是"]);
        (0usize..64, 0usize..4, prop::collection::vec(piece, 0..4)).prop_map(
            |(start, len, parts)| Step {
                start,
                len,
                insert: parts.concat(),
            },
        )
    }

    /// The position of character index `at` of `text`, computed the slow and obvious way.
    fn naive_position(text: &str, at: usize, encoding: Encoding) -> Position {
        let before: String = text.chars().take(at).collect();
        let mut line = 0;
        let mut line_start = 0;
        let bytes = before.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                i += 2;
            } else if bytes[i] == b'\n' || bytes[i] == b'\r' {
                i += 1;
            } else {
                i += 1;
                continue;
            }
            line += 1;
            line_start = i;
        }
        let column = &before[line_start..];
        let character = match encoding {
            Encoding::Utf8 => column.len(),
            Encoding::Utf16 => column.encode_utf16().count(),
            Encoding::Utf32 => column.chars().count(),
        };
        Position::new(line, character as u32)
    }

    proptest! {
        #[test]
        fn edit_scripts_on_the_rope_equal_edits_on_a_string(
            steps in prop::collection::vec(step(), 1..40),
            encoding in prop::sample::select(vec![Encoding::Utf8, Encoding::Utf16, Encoding::Utf32]),
        ) {
            let mut expected = String::from("𠮷一\r\n二");
            let mut document = doc(&expected);
            for step in steps {
                let count = expected.chars().count();
                let start = step.start.min(count);
                let end = (start + step.len).min(count);
                // Never split a CRLF pair: editors do not either.
                let inside_crlf = |at: usize| at > 0 && at < count
                    && expected.chars().nth(at - 1) == Some('\r') && expected.chars().nth(at) == Some('\n');
                if inside_crlf(start) || inside_crlf(end) {
                    continue;
                }
                let from = naive_position(&expected, start, encoding);
                let to = naive_position(&expected, end, encoding);
                document.apply(Some((from, to)), &step.insert, encoding).unwrap();
                let byte = |at: usize| expected.char_indices().nth(at).map_or(expected.len(), |(b, _)| b);
                let (a, b) = (byte(start), byte(end));
                expected.replace_range(a..b, &step.insert);
                prop_assert_eq!(document.text(), expected.clone());
            }
        }
    }
}

//! Positions: the one place where byte offsets become editor positions and back.
//!
//! Editors count columns in UTF-16 code units (VS Code), UTF-8 bytes (Neovim, when offered) or
//! characters (the CLI, 1-based). Every conversion on the rope is O(log n): none rescans the
//! text from its start. Positions past a line's end or inside a character (half of a surrogate
//! pair, the middle of a UTF-8 sequence) are clamped to the line and to the character's start;
//! they never spill onto the next line.
//!
//! Many offsets of one text (every finding of a file) are converted together by a forward sweep
//! over the text instead ([`PositionTable`], [`Sweep`]), which gives the same positions as the
//! rope and needs no rope at all.

use ropey::Rope;

/// How columns are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Encoding {
    Utf8,
    #[default]
    Utf16,
    /// Unicode scalar values: characters.
    Utf32,
}

/// A zero-based line and column in some [`Encoding`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Position {
    pub line: u32,
    pub character: u32,
}

impl Position {
    pub fn new(line: u32, character: u32) -> Position {
        Position { line, character }
    }
}

/// The position of a byte offset. An offset past the end is taken as the end; one inside a
/// character as that character's start.
pub fn to_position(rope: &Rope, byte: usize, encoding: Encoding) -> Position {
    let byte = byte.min(rope.len_bytes());
    let char_index = rope.byte_to_char(byte);
    let line = rope.char_to_line(char_index);
    let line_char = rope.line_to_char(line);
    let character = match encoding {
        Encoding::Utf8 => rope.char_to_byte(char_index) - rope.line_to_byte(line),
        Encoding::Utf16 => rope.char_to_utf16_cu(char_index) - rope.char_to_utf16_cu(line_char),
        Encoding::Utf32 => char_index - line_char,
    };
    Position::new(saturate(line), saturate(character))
}

/// The byte offset of a position, clamped: a line past the last is the end of the text, a
/// column past the line's end is the line's end, a column inside a character is its start.
pub fn to_offset(rope: &Rope, position: Position, encoding: Encoding) -> usize {
    let line = position.line as usize;
    if line >= rope.len_lines() {
        return rope.len_bytes();
    }
    let line_start = rope.line_to_byte(line);
    let line_end = line_content_end(rope, line);
    let column = position.character as usize;
    let offset = match encoding {
        Encoding::Utf8 => {
            let byte = (line_start + column).min(line_end);
            rope.char_to_byte(rope.byte_to_char(byte))
        }
        Encoding::Utf16 => {
            let line_char = rope.line_to_char(line);
            let start_unit = rope.char_to_utf16_cu(line_char);
            let end_unit = rope.char_to_utf16_cu(rope.byte_to_char(line_end));
            let unit = (start_unit + column).min(end_unit);
            rope.char_to_byte(rope.utf16_cu_to_char(unit))
        }
        Encoding::Utf32 => {
            let line_char = rope.line_to_char(line);
            let end_char = rope.byte_to_char(line_end);
            rope.char_to_byte((line_char + column).min(end_char))
        }
    };
    offset.min(line_end)
}

/// The byte offset where a line's content ends, before its terminator.
pub fn line_content_end(rope: &Rope, line: usize) -> usize {
    if line + 1 >= rope.len_lines() {
        return rope.len_bytes();
    }
    let next = rope.line_to_byte(line + 1);
    let crlf = next >= 2 && rope.byte(next - 2) == b'\r' && rope.byte(next - 1) == b'\n';
    next - if crlf { 2 } else { 1 }
}

/// 1-based line and character column, as the CLI and JSON output count them.
pub fn to_line_column(rope: &Rope, byte: usize) -> (usize, usize) {
    let position = to_position(rope, byte, Encoding::Utf32);
    (position.line as usize + 1, position.character as usize + 1)
}

/// Where a forward sweep stands: a character boundary, its line, where that line starts and
/// the column there in the sweep's encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Mark {
    byte: usize,
    line: usize,
    line_start: usize,
    column: usize,
}

impl Mark {
    fn position(self) -> Position {
        Position::new(saturate(self.line), saturate(self.column))
    }

    /// The mark at `target` (a character boundary at or after this mark), found by reading
    /// only the bytes between the two. Line breaks are those of the rope: `\n`, `\r\n` and a
    /// lone `\r`; a `\r` whose `\n` lies at or past `target` does not end its line yet.
    fn advance(self, text: &str, target: usize, encoding: Encoding) -> Mark {
        let bytes = text.as_bytes();
        let (mut line, mut line_start) = (self.line, self.line_start);
        for i in memchr::memchr2_iter(b'\n', b'\r', &bytes[self.byte..target]) {
            let at = self.byte + i;
            if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') {
                continue;
            }
            line += 1;
            line_start = at + 1;
        }
        let column = if line == self.line {
            self.column + units(&bytes[self.byte..target], encoding)
        } else {
            units(&bytes[line_start..target], encoding)
        };
        Mark {
            byte: target,
            line,
            line_start,
            column,
        }
    }
}

/// Column units in whole characters of UTF-8.
fn units(bytes: &[u8], encoding: Encoding) -> usize {
    // A character starts at every byte that is not a continuation byte (0b10xx_xxxx), and takes
    // two UTF-16 units when its first byte announces four bytes (0b1111_0xxx).
    let starts = |bytes: &[u8]| bytes.iter().filter(|&&b| (b as i8) >= -0x40).count();
    match encoding {
        Encoding::Utf8 => bytes.len(),
        Encoding::Utf32 => starts(bytes),
        Encoding::Utf16 => starts(bytes) + bytes.iter().filter(|&&b| b >= 0xF0).count(),
    }
}

/// The character boundary that [`to_position`] takes an offset as: the end for one past it,
/// the character's start for one inside it.
fn boundary(text: &str, byte: usize) -> usize {
    text.floor_char_boundary(byte)
}

/// Converts the offsets of one text in a forward sweep, reading each byte of the text at most
/// once while the offsets come in increasing order; an offset before the previous one starts
/// the sweep again from the text's start. Gives what [`to_position`] gives on the text's rope.
#[derive(Debug, Clone)]
pub struct Sweep<'a> {
    text: &'a str,
    encoding: Encoding,
    at: Mark,
}

impl<'a> Sweep<'a> {
    pub fn new(text: &'a str, encoding: Encoding) -> Sweep<'a> {
        Sweep {
            text,
            encoding,
            at: Mark::default(),
        }
    }

    /// The position of a byte offset, as [`to_position`] gives it.
    pub fn position(&mut self, byte: usize) -> Position {
        let target = boundary(self.text, byte);
        if target < self.at.byte {
            self.at = Mark::default();
        }
        self.at = self.at.advance(self.text, target, self.encoding);
        self.at.position()
    }
}

/// The positions of a set of offsets of one text, all converted in one forward sweep when the
/// table is made, then looked up. An offset left out of the set is still answered correctly,
/// by sweeping on from the nearest offset before it.
#[derive(Debug, Clone)]
pub struct PositionTable<'a> {
    text: &'a str,
    encoding: Encoding,
    /// The offsets asked for, sorted and without repeats.
    offsets: Vec<usize>,
    /// Where each of `offsets` stands.
    marks: Vec<Mark>,
}

impl<'a> PositionTable<'a> {
    /// Converts `offsets` (in any order, repeats allowed) of `text`.
    pub fn new(
        text: &'a str,
        offsets: impl IntoIterator<Item = usize>,
        encoding: Encoding,
    ) -> PositionTable<'a> {
        let mut offsets: Vec<usize> = offsets.into_iter().collect();
        offsets.sort_unstable();
        offsets.dedup();
        let mut at = Mark::default();
        let marks = offsets
            .iter()
            .map(|&byte| {
                at = at.advance(text, boundary(text, byte), encoding);
                at
            })
            .collect();
        PositionTable {
            text,
            encoding,
            offsets,
            marks,
        }
    }

    fn mark(&self, byte: usize) -> Mark {
        match self.offsets.binary_search(&byte) {
            Ok(index) => self.marks[index],
            Err(index) => {
                let from = index
                    .checked_sub(1)
                    .map_or_else(Mark::default, |i| self.marks[i]);
                from.advance(self.text, boundary(self.text, byte), self.encoding)
            }
        }
    }

    /// The position of a byte offset, as [`to_position`] gives it.
    pub fn position(&self, byte: usize) -> Position {
        self.mark(byte).position()
    }

    /// 1-based line and column, as [`to_line_column`] gives them; the table counts in
    /// characters ([`Encoding::Utf32`]).
    pub fn line_column(&self, byte: usize) -> (usize, usize) {
        debug_assert_eq!(self.encoding, Encoding::Utf32);
        let position = self.mark(byte).position();
        (position.line as usize + 1, position.character as usize + 1)
    }

    /// The line of a byte offset and the byte where that line starts.
    pub fn line_start(&self, byte: usize) -> (usize, usize) {
        let mark = self.mark(byte);
        (mark.line, mark.line_start)
    }
}

/// The 1-based line and column (in characters) of each of `offsets`, in the order given, as
/// [`to_line_column`] gives them: found in one forward sweep over the text, without a lookup
/// per offset.
pub fn line_columns(text: &str, offsets: &[usize]) -> Vec<(usize, usize)> {
    let packed = offsets.len() < 1 << INDEX_BITS && (text.len() as u64) < 1 << (64 - INDEX_BITS);
    line_columns_sorted(text, offsets, packed)
}

/// Bits of an offset's index in [`line_columns_sorted`]'s packed keys.
const INDEX_BITS: u32 = 24;

/// [`line_columns`], the offsets sorted by the boundary each stands for: `packed`, with its
/// index in the low bits of one integer (a sort of plain integers, when both fit), or as pairs.
fn line_columns_sorted(text: &str, offsets: &[usize], packed: bool) -> Vec<(usize, usize)> {
    let mut order: Vec<(usize, usize)> = Vec::new();
    let mut keys: Vec<u64> = Vec::new();
    if packed {
        keys.extend(
            offsets
                .iter()
                .enumerate()
                .map(|(index, &byte)| (boundary(text, byte) as u64) << INDEX_BITS | index as u64),
        );
        keys.sort_unstable();
    } else {
        order.extend(
            offsets
                .iter()
                .enumerate()
                .map(|(index, &byte)| (boundary(text, byte), index)),
        );
        order.sort_unstable();
    }
    let unpack = |key: u64| {
        (
            (key >> INDEX_BITS) as usize,
            (key & ((1 << INDEX_BITS) - 1)) as usize,
        )
    };
    let mut found = vec![(0, 0); offsets.len()];
    let mut at = Mark::default();
    for (byte, index) in keys.into_iter().map(unpack).chain(order) {
        at = at.advance(text, byte, Encoding::Utf32);
        let position = at.position();
        found[index] = (position.line as usize + 1, position.character as usize + 1);
    }
    found
}

/// The byte offset where the content of the line starting at `line_start` ends, before its
/// terminator: what [`line_content_end`] gives, read from the text.
pub fn line_end_in(text: &str, line_start: usize) -> usize {
    memchr::memchr2(b'\n', b'\r', &text.as_bytes()[line_start..])
        .map_or(text.len(), |i| line_start + i)
}

fn saturate(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "ab\r\n𠮷鋒c\n\n末";

    #[test]
    fn columns_count_in_each_encoding() {
        let rope = Rope::from_str(TEXT);
        let c = TEXT.find('c').unwrap();
        assert_eq!(to_position(&rope, c, Encoding::Utf8), Position::new(1, 7));
        assert_eq!(to_position(&rope, c, Encoding::Utf16), Position::new(1, 3));
        assert_eq!(to_position(&rope, c, Encoding::Utf32), Position::new(1, 2));
        assert_eq!(to_line_column(&rope, c), (2, 3));
    }

    #[test]
    fn offsets_round_trip_on_character_boundaries() {
        let rope = Rope::from_str(TEXT);
        for (byte, _) in TEXT.char_indices() {
            for encoding in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
                let position = to_position(&rope, byte, encoding);
                let back = to_offset(&rope, position, encoding);
                let terminator = TEXT[byte..].starts_with('\n') && TEXT[..byte].ends_with('\r');
                if !terminator {
                    assert_eq!(back, byte, "{encoding:?} at {byte}");
                }
            }
        }
    }

    #[test]
    fn positions_are_clamped_to_their_line() {
        let rope = Rope::from_str(TEXT);
        let line_end = TEXT.find('\r').unwrap();
        for encoding in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            assert_eq!(to_offset(&rope, Position::new(0, 99), encoding), line_end);
            assert_eq!(to_offset(&rope, Position::new(9, 0), encoding), TEXT.len());
        }
        let line_one = TEXT.find('𠮷').unwrap();
        // Inside the surrogate pair of 𠮷: its start, not its end.
        assert_eq!(
            to_offset(&rope, Position::new(1, 1), Encoding::Utf16),
            line_one
        );
        // Inside its four UTF-8 bytes.
        assert_eq!(
            to_offset(&rope, Position::new(1, 2), Encoding::Utf8),
            line_one
        );
    }

    #[test]
    fn a_table_gives_what_the_rope_gives() {
        let rope = Rope::from_str(TEXT);
        let c = TEXT.find('c').unwrap();
        let offsets = [c, TEXT.len() + 3, 1, c, TEXT.find('𠮷').unwrap() + 2, 3];
        for encoding in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            let table = PositionTable::new(TEXT, offsets, encoding);
            let mut sweep = Sweep::new(TEXT, encoding);
            for byte in offsets.into_iter().chain(0..TEXT.len() + 2) {
                let expected = to_position(&rope, byte, encoding);
                assert_eq!(table.position(byte), expected, "{encoding:?} at {byte}");
                assert_eq!(sweep.position(byte), expected, "{encoding:?} at {byte}");
            }
        }
        let table = PositionTable::new(TEXT, offsets, Encoding::Utf32);
        assert_eq!(table.line_column(c), (2, 3));
        assert_eq!(table.line_start(c), (1, TEXT.find('𠮷').unwrap()));
        assert_eq!(line_end_in(TEXT, 0), TEXT.find('\r').unwrap());
    }

    #[test]
    fn line_columns_come_in_the_order_asked() {
        let rope = Rope::from_str(TEXT);
        let mut offsets: Vec<usize> = (0..TEXT.len() + 3).rev().collect();
        offsets.extend([3, 0, TEXT.len() + 9, 3]);
        let expected: Vec<(usize, usize)> = offsets
            .iter()
            .map(|&byte| to_line_column(&rope, byte))
            .collect();
        assert_eq!(line_columns(TEXT, &offsets), expected);
        assert_eq!(line_columns_sorted(TEXT, &offsets, false), expected);
        assert_eq!(line_columns("", &[0, 4]), vec![(1, 1), (1, 1)]);
    }

    #[test]
    fn the_empty_text_has_one_line() {
        let rope = Rope::from_str("");
        assert_eq!(to_position(&rope, 5, Encoding::Utf16), Position::new(0, 0));
        assert_eq!(to_offset(&rope, Position::new(3, 3), Encoding::Utf16), 0);
    }
}

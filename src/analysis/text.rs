//! Small character-level helpers shared by the article parser and the rules.

/// Sentence-final punctuation: a paragraph that ends with one of these is complete.
pub fn is_sentence_final(c: char) -> bool {
    matches!(
        c,
        '。' | '！' | '？' | '!' | '?' | '…' | '；' | ';' | '：' | ':' | '.' | '．' | '｡'
    )
}

/// Closing marks that may follow the final punctuation of a sentence: 。” 。） ……》
pub fn is_closing_mark(c: char) -> bool {
    matches!(
        c,
        '”' | '’' | '）' | ')' | '】' | '》' | '」' | '』' | '〕' | '"' | '\''
    )
}

/// Punctuation that belongs inside sentences; a headline has none of it.
pub fn is_sentence_punctuation(c: char) -> bool {
    is_sentence_final(c) || matches!(c, '，' | ',' | '、' | '；')
}

/// CJK ideographs (the unified blocks and their extensions, compatibility ideographs).
pub fn is_han(c: char) -> bool {
    // The common block first: most characters of a Chinese text are in it.
    (0x4E00..=0x9FFF).contains(&(c as u32))
        || matches!(c as u32,
        0x3400..=0x4DBF
        | 0xF900..=0xFAFF
        | 0x20000..=0x2A6DF
        | 0x2A700..=0x2EBEF
        | 0x2F800..=0x2FA1F
        | 0x30000..=0x323AF)
}

/// `char::is_whitespace`, answered without the Unicode tables for the characters of Chinese
/// text (every white space character lies below U+3001).
#[inline]
pub fn is_white_space(c: char) -> bool {
    match c as u32 {
        0..=0x7F => c.is_ascii_whitespace() || c == '\u{0B}',
        0x3001.. => false,
        _ => c.is_whitespace(),
    }
}

/// Does the text end a sentence? Trailing closing quotes and brackets are looked through, but
/// only when something final stands before them: `发展。”` ends, `“首府速度”` does not.
pub fn ends_sentence(text: &str) -> bool {
    let mut chars = text
        .trim_end()
        .chars()
        .rev()
        .skip_while(|&c| is_closing_mark(c));
    chars.next().is_some_and(is_sentence_final)
}

/// Number of characters (Unicode scalar values).
pub fn char_len(text: &str) -> usize {
    text.chars().count()
}

/// The high bit of each of eight bytes read as one word: set in every byte of a character
/// beyond ASCII.
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The ASCII bytes of a text and their offsets. Chinese text is mostly characters of three
/// bytes, none of them ASCII: eight bytes at a time without an ASCII byte are passed over at once.
pub fn ascii_bytes(text: &str) -> impl Iterator<Item = (usize, u8)> + '_ {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        loop {
            if let Some(chunk) = bytes.get(at..at + 8) {
                let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
                if word & HIGH == HIGH {
                    at += 8;
                    continue;
                }
            }
            let &byte = bytes.get(at)?;
            at += 1;
            if byte.is_ascii() {
                return Some((at - 1, byte));
            }
        }
    })
}

/// The letters of a text read in pieces, and how many of them are Han characters.
#[derive(Debug, Default, Clone, Copy)]
pub struct Letters {
    han: usize,
    all: usize,
}

impl Letters {
    pub fn count(&mut self, text: &str) {
        const NIBBLES: u64 = 0x0F0F_0F0F_0F0F_0F0F;
        let bytes = text.as_bytes();
        let mut at = 0;
        // Eight bytes at a time. Most characters of Chinese text are Han characters from U+4000
        // to U+9FFF, whose first bytes (E4..E9) are counted, flagged in bit 7 of each byte; the
        // other characters (ASCII, punctuation, other scripts) are looked at one by one.
        while let Some(chunk) = bytes.get(at..at + 8) {
            let w = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
            let ascii = !w & HIGH;
            // 11xx_xxxx: the first byte of a character of two bytes or more.
            let lead = w & (w << 1) & HIGH;
            // 1110_xxxx, and a low nibble from 4 to 9.
            let three = lead & (w << 2) & !(w << 3);
            let nibble = w & NIBBLES;
            let from_4 = (nibble + 0x0C0C_0C0C_0C0C_0C0C) << 3;
            let from_10 = (nibble + 0x0606_0606_0606_0606) << 3;
            let han = three & from_4 & !from_10 & HIGH;
            let common = han.count_ones() as usize;
            self.han += common;
            self.all += common;
            let mut others = ascii | (lead & !han);
            while others != 0 {
                let start = at + others.trailing_zeros() as usize / 8;
                others &= others - 1;
                self.count_char(text, start);
            }
            at += 8;
        }
        // The characters of U+4DC0..U+4DFF (E4 B7 ..: the Yijing hexagrams) are no letters.
        let hexagrams = memchr::memmem::find_iter(&bytes[..(at + 1).min(bytes.len())], b"\xE4\xB7")
            .filter(|&start| start < at)
            .count();
        self.han -= hexagrams;
        self.all -= hexagrams;
        // The last bytes, from the first character that starts among them.
        while at < bytes.len() && !text.is_char_boundary(at) {
            at += 1;
        }
        while at < bytes.len() {
            at += self.count_char(text, at);
        }
    }

    /// Counts the character at byte `at`; returns its length.
    fn count_char(&mut self, text: &str, at: usize) -> usize {
        let c = text[at..].chars().next().expect("at a character boundary");
        if is_han(c) {
            self.han += 1;
            self.all += 1;
        } else if is_letter(c) {
            self.all += 1;
        }
        c.len_utf8()
    }

    /// The share of Han characters among the letters counted, 0.0 ..= 1.0.
    pub fn han_share(&self) -> f64 {
        if self.all == 0 {
            0.0
        } else {
            self.han as f64 / self.all as f64
        }
    }
}

/// `char::is_alphabetic`, with the common punctuation of Chinese text answered at once (the
/// general lookup is slow for characters outside ASCII).
fn is_letter(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    !is_common_punctuation(c) && c.is_alphabetic()
}

/// `char::is_alphanumeric`, answered at once for Han characters, ASCII and the common
/// punctuation of Chinese text.
pub fn is_alphanumeric(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    (0x4E00..=0x9FFF).contains(&(c as u32)) || !is_common_punctuation(c) && c.is_alphanumeric()
}

/// Punctuation of Chinese text (dashes, quotes, the CJK marks, the full-width ASCII marks): no
/// letters or digits among them.
fn is_common_punctuation(c: char) -> bool {
    matches!(c, '\u{2010}'..='\u{2027}' | '\u{3000}'..='\u{3004}' | '\u{3008}'..='\u{3020}'
        | '\u{FF01}'..='\u{FF0F}' | '\u{FF1A}'..='\u{FF20}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{random, random_text};

    #[test]
    fn ascii_bytes_are_the_bytes_below_128() {
        let every: String = (0..=0x10FFFF)
            .step_by(97)
            .filter_map(char::from_u32)
            .collect();
        let mixed = "中文abc，  全角：d\n𠮷x";
        for text in [
            every.as_str(),
            mixed,
            "",
            "a",
            "中文中文中文中文中文",
            "中文中文中文中文中文a",
        ] {
            for start in 0..text.len().min(12) {
                let Some(text) = text.get(start..) else {
                    continue;
                };
                let expected: Vec<(usize, u8)> = text
                    .bytes()
                    .enumerate()
                    .filter(|(_, b)| b.is_ascii())
                    .collect();
                assert_eq!(
                    ascii_bytes(text).collect::<Vec<_>>(),
                    expected,
                    "{text:.20}"
                );
            }
        }
    }

    #[test]
    fn alphanumerics_are_what_the_standard_library_says() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    #[test]
    fn letters_are_counted_as_their_characters_say() {
        let by_characters = |text: &str| {
            let han = text.chars().filter(|&c| is_han(c)).count();
            let all = text.chars().filter(|&c| is_han(c) || is_letter(c)).count();
            (han, all)
        };
        let every: String = (0..=0x10FFFF).filter_map(char::from_u32).collect();
        // Every kind of character, mixed: ASCII, Han of every first byte and of the extensions,
        // hexagrams beside them, punctuation, kana, Latin, Cyrillic.
        let alphabet: Vec<char> = "a1 中丁鿿䀀㐀䷀䷿𠮷豈，。“あéЖ\n".chars().collect();
        let mut next = random(0x2545_f491_4f6c_dd1d);
        let mixed: Vec<String> = (0..500)
            .map(|_| random_text(&mut next, &alphabet, 40))
            .collect();
        let fixed = [every.as_str(), "中文abc，䷀䷿𠮷", "", "a", "　"];
        for text in fixed.into_iter().chain(mixed.iter().map(String::as_str)) {
            let mut letters = Letters::default();
            letters.count(text);
            assert_eq!(
                (letters.han, letters.all),
                by_characters(text),
                "{text:.20}"
            );
        }
    }

    #[test]
    fn white_space_is_what_the_standard_library_says() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(is_white_space(c), c.is_whitespace(), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn sentence_ends_look_through_closing_quotes() {
        assert!(ends_sentence("作出贡献。"));
        assert!(ends_sentence("抓执行。”"));
        assert!(ends_sentence("要抓以下几个方面："));
        assert!(!ends_sentence("稳住经济增"));
        assert!(!ends_sentence("部署扎实，"));
        assert!(!ends_sentence("称之为“首府速度”"));
        assert!(!ends_sentence(""));
    }

    #[test]
    fn letters_are_told_as_the_standard_library_tells_them() {
        for c in (0..0x3_0000).filter_map(char::from_u32) {
            assert_eq!(is_letter(c), c.is_alphabetic(), "{c:?}");
        }
    }

    fn han_share(text: &str) -> f64 {
        let mut letters = Letters::default();
        letters.count(text);
        letters.han_share()
    }

    #[test]
    fn han_share_ignores_digits_and_punctuation() {
        assert!(han_share("2026年，全市GDP增长") > 0.5);
        assert_eq!(han_share("hello world"), 0.0);
        assert_eq!(han_share("2026"), 0.0);
    }
}

//! Characters: traditional → simplified (OpenCC TSCharacters), the 8,105
//! standard characters of 通用规范汉字表, and the characters that are both.
//!
//! The table only answers questions about single characters; deciding
//! whether a character in context is an error is the rule's business.

use std::collections::HashMap;

use super::KnowledgeError;

const TS_CHARACTERS: &str = include_str!("../../data/characters/ts-characters.txt");
const TONGYONG: &str = include_str!("../../data/characters/tongyong-8105.txt");
const AMBIGUOUS: &str = include_str!("../../data/characters/ambiguous.txt");

pub struct CharacterTable {
    /// Traditional character → OpenCC's candidates, space-separated, default first.
    simplified: HashMap<char, Box<str>>,
    /// The keys of `simplified`: most characters of a simplified text are not among them.
    convertible: CharSet,
    standard: CharSet,
    ambiguous: CharSet,
}

impl CharacterTable {
    pub(crate) fn load() -> Result<CharacterTable, KnowledgeError> {
        let mut simplified = HashMap::with_capacity(4200);
        let mut convertible = CharSet::default();
        for line in data_lines(TS_CHARACTERS) {
            let (source, targets) = line.split_once('\t').ok_or_else(|| {
                KnowledgeError::data("ts-characters.txt", format!("no tab in {line:?}"))
            })?;
            let source = single_char(source, "ts-characters.txt")?;
            simplified.insert(source, targets.into());
            convertible.insert(source);
        }
        let mut standard = CharSet::default();
        for line in data_lines(TONGYONG) {
            standard.insert(single_char(line, "tongyong-8105.txt")?);
        }
        let mut ambiguous = CharSet::default();
        for line in data_lines(AMBIGUOUS) {
            let field = line.split('\t').next().unwrap_or(line);
            ambiguous.insert(single_char(field, "ambiguous.txt")?);
        }
        Ok(CharacterTable {
            simplified,
            convertible,
            standard,
            ambiguous,
        })
    }

    /// The simplified form OpenCC gives a traditional or variant character:
    /// its first candidate other than the character itself (鋒 → 锋; 乾 → 干).
    /// `None` for characters OpenCC does not convert.
    #[inline]
    pub fn simplified_of(&self, c: char) -> Option<&str> {
        if !self.convertible.contains(c) {
            return None;
        }
        let mut buffer = [0u8; 4];
        let own: &str = c.encode_utf8(&mut buffer);
        self.simplified_candidates(c)
            .find(|candidate| *candidate != own)
    }

    /// Every simplified candidate OpenCC lists for `c`, default first
    /// (乾: 干, 乾). Empty for characters OpenCC does not convert.
    pub fn simplified_candidates(&self, c: char) -> impl Iterator<Item = &str> {
        let targets = if self.convertible.contains(c) {
            self.simplified.get(&c)
        } else {
            None
        };
        targets.into_iter().flat_map(|targets| targets.split(' '))
    }

    /// Whether `c` is one of the 8,105 characters of 通用规范汉字表 (2013).
    pub fn is_standard(&self, c: char) -> bool {
        self.standard.contains(c)
    }

    /// Whether `c` is converted by OpenCC yet also a standard character in some
    /// uses (乾坤, 於姓, 甯, 著作, 麽): report at hint level at most.
    pub fn is_ambiguous(&self, c: char) -> bool {
        self.ambiguous.contains(c)
    }
}

/// A set of characters with a membership test of one bit lookup, for loops that look at every
/// character of a text: a hash lookup, or a `matches!` over a dozen scattered characters (a
/// chain of branches that Chinese text mispredicts), costs many times more.
#[derive(Clone)]
pub struct CharSet {
    /// One bit per character of the Basic Multilingual Plane.
    bits: [u64; 1024],
    /// Members beyond it.
    others: Vec<char>,
}

impl std::fmt::Debug for CharSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let bmp = (0..0x10000u32)
            .filter_map(char::from_u32)
            .filter(|&c| self.contains(c));
        f.debug_set().entries(bmp).entries(&self.others).finish()
    }
}

impl Default for CharSet {
    fn default() -> CharSet {
        CharSet::new(&[])
    }
}

impl CharSet {
    /// A set of characters of the Basic Multilingual Plane.
    pub const fn new(chars: &[char]) -> CharSet {
        let mut set = CharSet {
            bits: [0; 1024],
            others: Vec::new(),
        };
        let mut n = 0;
        while n < chars.len() {
            let c = chars[n] as usize;
            assert!(c < 0x10000, "CharSet::new takes characters of the BMP");
            set.bits[c >> 6] |= 1 << (c & 63);
            n += 1;
        }
        set
    }

    pub fn insert(&mut self, c: char) {
        let i = c as usize;
        if i < 0x10000 {
            self.bits[i >> 6] |= 1 << (i & 63);
        } else if !self.others.contains(&c) {
            self.others.push(c);
        }
    }

    /// Adds every character of `chars`.
    pub fn extend(&mut self, chars: impl IntoIterator<Item = char>) {
        for c in chars {
            self.insert(c);
        }
    }

    pub fn len(&self) -> usize {
        let bmp: u32 = self.bits.iter().map(|word| word.count_ones()).sum();
        bmp as usize + self.others.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    #[inline]
    pub fn contains(&self, c: char) -> bool {
        let i = c as usize;
        if i < 0x10000 {
            self.bits[i >> 6] >> (i & 63) & 1 != 0
        } else {
            self.others.contains(&c)
        }
    }
}

/// Lines that are neither comments nor blank.
fn data_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
}

fn single_char(field: &str, file: &'static str) -> Result<char, KnowledgeError> {
    let mut chars = field.trim().chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Ok(c),
        _ => Err(KnowledgeError::data(
            file,
            format!("expected one character, found {field:?}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::CharSet;
    use crate::knowledge::Knowledge;

    #[test]
    fn char_sets_hold_what_was_put_in() {
        let mut set = CharSet::new(&['一', '是', 'a']);
        set.insert('𠀀');
        set.insert('，');
        for c in ['一', '是', 'a', '𠀀', '，'] {
            assert!(set.contains(c), "{c}");
        }
        for c in ['二', 'b', '\0', '\u{FFFF}', '𠀁', '\u{10FFFF}'] {
            assert!(!set.contains(c), "{c}");
        }
    }

    #[test]
    fn traditional_characters_map_to_simplified() {
        let characters = Knowledge::builtin().characters();
        assert_eq!(characters.simplified_of('鋒'), Some("锋"));
        assert_eq!(characters.simplified_of('乾'), Some("干"));
        assert_eq!(characters.simplified_of('锋'), None);
        assert_eq!(characters.simplified_of('a'), None);
        assert_eq!(
            characters.simplified_candidates('乾').collect::<Vec<_>>(),
            ["干", "乾"]
        );
    }

    #[test]
    fn standard_and_ambiguous_characters() {
        let characters = Knowledge::builtin().characters();
        assert!(characters.is_standard('锋'));
        assert!(!characters.is_standard('鋒'));
        assert_eq!(characters.standard.len(), 8105);
        for c in ['乾', '於', '甯', '著', '麼', '麽'] {
            assert!(characters.is_ambiguous(c), "{c}");
        }
        assert!(!characters.is_ambiguous('鋒'));
        assert!(!characters.is_ambiguous('锋'));
    }
}

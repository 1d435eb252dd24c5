//! Characters: traditional → simplified (OpenCC TSCharacters), the 8,105
//! standard characters of 通用规范汉字表, and the characters that are both.
//!
//! The table only answers questions about single characters; deciding
//! whether a character in context is an error is the rule's business.

use std::collections::{HashMap, HashSet};

use super::KnowledgeError;

const TS_CHARACTERS: &str = include_str!("../../data/characters/ts-characters.txt");
const TONGYONG: &str = include_str!("../../data/characters/tongyong-8105.txt");
const AMBIGUOUS: &str = include_str!("../../data/characters/ambiguous.txt");

pub struct CharacterTable {
    /// Traditional character → OpenCC's candidates, space-separated, default first.
    simplified: HashMap<char, Box<str>>,
    standard: HashSet<char>,
    ambiguous: HashSet<char>,
}

impl CharacterTable {
    pub(crate) fn load() -> Result<CharacterTable, KnowledgeError> {
        let mut simplified = HashMap::with_capacity(4200);
        for line in data_lines(TS_CHARACTERS) {
            let (source, targets) = line.split_once('\t').ok_or_else(|| {
                KnowledgeError::data("ts-characters.txt", format!("no tab in {line:?}"))
            })?;
            simplified.insert(single_char(source, "ts-characters.txt")?, targets.into());
        }
        let standard = data_lines(TONGYONG)
            .map(|line| single_char(line, "tongyong-8105.txt"))
            .collect::<Result<HashSet<char>, _>>()?;
        let ambiguous = data_lines(AMBIGUOUS)
            .map(|line| single_char(line.split('\t').next().unwrap_or(line), "ambiguous.txt"))
            .collect::<Result<HashSet<char>, _>>()?;
        Ok(CharacterTable {
            simplified,
            standard,
            ambiguous,
        })
    }

    /// The simplified form OpenCC gives a traditional or variant character:
    /// its first candidate other than the character itself (鋒 → 锋; 乾 → 干).
    /// `None` for characters OpenCC does not convert.
    pub fn simplified_of(&self, c: char) -> Option<&str> {
        let mut buffer = [0u8; 4];
        let own: &str = c.encode_utf8(&mut buffer);
        self.simplified_candidates(c)
            .find(|candidate| *candidate != own)
    }

    /// Every simplified candidate OpenCC lists for `c`, default first
    /// (乾: 干, 乾). Empty for characters OpenCC does not convert.
    pub fn simplified_candidates(&self, c: char) -> impl Iterator<Item = &str> {
        self.simplified
            .get(&c)
            .into_iter()
            .flat_map(|targets| targets.split(' '))
    }

    /// Whether `c` is one of the 8,105 characters of 通用规范汉字表 (2013).
    pub fn is_standard(&self, c: char) -> bool {
        self.standard.contains(&c)
    }

    /// Whether `c` is converted by OpenCC yet also a standard character in some
    /// uses (乾坤, 於姓, 甯, 著作, 麽): report at hint level at most.
    pub fn is_ambiguous(&self, c: char) -> bool {
        self.ambiguous.contains(&c)
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
    use crate::knowledge::Knowledge;

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

//! Fixed political formulations and numbered slogans (两个确立, 四个自信,
//! “1571”工作部署, 十五五…) with their meanings.
//!
//! They exist so that enumeration rules can tell a name that contains a
//! count (四个自信) from an announcement that introduces a list (四个方面).

use std::ops::Range;

use serde::Deserialize;

use super::KnowledgeError;
use super::phrases::PhraseIndex;

const FORMULATIONS: &str = include_str!("../../data/formulations.toml");

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Formulation {
    pub text: String,
    /// Other spellings: with inner quotes, or the longer set phrase (“1571”工作部署).
    #[serde(default)]
    pub aliases: Vec<String>,
    pub meaning_zh: String,
    pub meaning_en: String,
    /// The formulation carries a count of its own (两个, 四个, 1571).
    pub numbered: bool,
}

pub struct Formulations {
    formulations: Vec<Formulation>,
    index: PhraseIndex<u32>,
}

#[derive(Deserialize)]
struct FormulationFile {
    formulations: Vec<Formulation>,
}

impl Formulations {
    pub(crate) fn load() -> Result<Formulations, KnowledgeError> {
        let file: FormulationFile = toml::from_str(FORMULATIONS)
            .map_err(|e| KnowledgeError::data("formulations.toml", e.to_string()))?;
        let formulations = file.formulations;
        let index = PhraseIndex::build(formulations.iter().enumerate().flat_map(|(i, f)| {
            std::iter::once(f.text.as_str())
                .chain(f.aliases.iter().map(String::as_str))
                .map(move |n| (n, i as u32))
        }));
        Ok(Formulations {
            formulations,
            index,
        })
    }

    pub fn iter(&self) -> impl Iterator<Item = &Formulation> {
        self.formulations.iter()
    }

    pub fn get(&self, text: &str) -> Option<&Formulation> {
        self.formulations
            .iter()
            .find(|f| f.text == text || f.aliases.iter().any(|a| a == text))
    }

    /// Leftmost-longest formulations in `text`. A digit formulation (1571) is
    /// not found inside a longer number (15710).
    pub fn find_all(&self, text: &str) -> Vec<(Range<usize>, &Formulation)> {
        self.index
            .find_iter(text)
            .filter(|m| !inside_number(text, &m.range))
            .map(|m| (m.range, &self.formulations[m.ids[0] as usize]))
            .collect()
    }

    /// The formulation whose text covers byte `byte` of `text`, if any.
    pub fn contains_at(&self, text: &str, byte: usize) -> Option<(Range<usize>, &Formulation)> {
        let m = self.index.match_covering(text, byte)?;
        if inside_number(text, &m.range) {
            return None;
        }
        Some((m.range, &self.formulations[m.ids[0] as usize]))
    }
}

/// Whether a match that starts or ends with a digit continues a longer number.
fn inside_number(text: &str, range: &Range<usize>) -> bool {
    let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
    let found = &text[range.clone()];
    (digit(found.chars().next()) && digit(text[..range.start].chars().next_back()))
        || (digit(found.chars().next_back()) && digit(text[range.end..].chars().next()))
}

#[cfg(test)]
mod tests {
    use crate::knowledge::Knowledge;

    #[test]
    fn fixed_formulations_are_recognised() {
        let formulations = Knowledge::builtin().formulations();
        assert!(formulations.iter().count() >= 40);
        let text = "深刻领悟“两个确立”的决定性意义，增强“四个意识”";
        let found: Vec<&str> = formulations
            .find_all(text)
            .iter()
            .map(|(_, f)| f.text.as_str())
            .collect();
        assert_eq!(found, ["两个确立", "四个意识"]);
        let at = text.find("确立").unwrap();
        let (range, formulation) = formulations.contains_at(text, at).expect("两个确立");
        assert_eq!(&text[range], "两个确立");
        assert!(formulation.numbered);
        assert!(formulations.contains_at(text, 0).is_none());
    }

    #[test]
    fn numbers_and_quoted_forms() {
        let formulations = Knowledge::builtin().formulations();
        let text = "以自治区党委“1571”工作部署为引领，全年15710万元";
        let found = formulations.find_all(text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].1.text, "1571");
        assert_eq!(
            formulations
                .get("十五五")
                .map(|f| f.meaning_en.contains("2026")),
            Some(true)
        );
        let pioneer = "在落实上当好先锋，推动四个“当好先锋”落地";
        assert_eq!(formulations.find_all(pioneer).len(), 1);
    }
}

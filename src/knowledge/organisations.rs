//! Organisations (市科学技术局, 市国资委, 管委会…): full names, short forms and
//! what each body is.
//!
//! Entries are unit names without their jurisdiction (科学技术局); a bare
//! jurisdiction word before them (市, 县…) is taken into the match here, while
//! a place name before them (赛罕区科技局) is joined by
//! [`Knowledge::find_organisations`](super::Knowledge::find_organisations),
//! which also knows the gazetteer.

use std::ops::Range;

use rustc_hash::FxHashMap;
use serde::Deserialize;

use super::KnowledgeError;
use super::phrases::PhraseIndex;

const ORGANISATIONS: &str = include_str!("../../data/organisations.toml");

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Organisation {
    /// Full unit name without jurisdiction: 科学技术局.
    pub name: String,
    #[serde(default)]
    pub short_names: Vec<String>,
    pub english: String,
    pub kind_zh: String,
    pub description_zh: String,
    pub description_en: String,
}

pub struct Organisations {
    organisations: Vec<Organisation>,
    /// Looked up for every mention: Fx rather than SipHash.
    by_name: FxHashMap<String, usize>,
    index: PhraseIndex<u32>,
    prefixes: Vec<String>,
}

#[derive(Deserialize)]
struct OrganisationFile {
    jurisdiction_prefixes: Vec<String>,
    organisations: Vec<Organisation>,
}

/// Full and short names of every organisation, with its index.
fn names(organisations: &[Organisation]) -> impl Iterator<Item = (&str, usize)> {
    organisations.iter().enumerate().flat_map(|(i, o)| {
        std::iter::once(o.name.as_str())
            .chain(o.short_names.iter().map(String::as_str))
            .map(move |n| (n, i))
    })
}

impl Organisations {
    pub(crate) fn load() -> Result<Organisations, KnowledgeError> {
        let file: OrganisationFile = toml::from_str(ORGANISATIONS)
            .map_err(|e| KnowledgeError::data("organisations.toml", e.to_string()))?;
        let organisations = file.organisations;
        let by_name = names(&organisations)
            .map(|(n, i)| (n.to_owned(), i))
            .collect();
        let index = PhraseIndex::build(names(&organisations).map(|(n, i)| (n, i as u32)));
        let mut prefixes = file.jurisdiction_prefixes;
        prefixes.sort_by_key(|p| std::cmp::Reverse(p.len()));
        Ok(Organisations {
            organisations,
            by_name,
            index,
            prefixes,
        })
    }

    /// By full or short unit name, with or without a bare jurisdiction word:
    /// 科技局, 市科学技术局.
    pub fn get(&self, name: &str) -> Option<&Organisation> {
        let lookup = |n: &str| self.by_name.get(n).map(|&i| &self.organisations[i]);
        lookup(name).or_else(|| self.strip_prefix(name).and_then(|(_, rest)| lookup(rest)))
    }

    pub fn iter(&self) -> impl Iterator<Item = &Organisation> {
        self.organisations.iter()
    }

    /// Leftmost-longest matches, each with the bare jurisdiction word right
    /// before it (市统计局). The word is taken even when it ends a place name
    /// (赛罕区科技局 gives 区科技局): use
    /// [`Knowledge::find_organisations`](super::Knowledge::find_organisations)
    /// to read the place too.
    pub fn find_all(&self, text: &str) -> Vec<(Range<usize>, &Organisation)> {
        self.find_units(text)
            .map(|(range, _, organisation)| (range, organisation))
            .collect()
    }

    /// Matches as (range with any bare jurisdiction word, start of the unit name, organisation).
    pub(crate) fn find_units<'s>(
        &'s self,
        text: &str,
    ) -> impl Iterator<Item = (Range<usize>, usize, &'s Organisation)> {
        self.index.find_iter(text).map(move |m| {
            let before = &text[..m.range.start];
            let prefix = self
                .prefixes
                .iter()
                .find(|p| before.ends_with(p.as_str()))
                .map_or(0, |p| p.len());
            (
                (m.range.start - prefix)..m.range.end,
                m.range.start,
                &self.organisations[m.ids[0] as usize],
            )
        })
    }

    /// The organisation named at the very start of `text`, with its byte
    /// length; a leading bare jurisdiction word is part of it (市科学技术局).
    pub fn longest_prefix(&self, text: &str) -> Option<(usize, &Organisation)> {
        if let Some(m) = self.index.longest_prefix(text) {
            return Some((m.range.end, &self.organisations[m.ids[0] as usize]));
        }
        let (prefix, rest) = self.strip_prefix(text)?;
        let m = self.index.longest_prefix(rest)?;
        Some((
            prefix.len() + m.range.end,
            &self.organisations[m.ids[0] as usize],
        ))
    }

    fn strip_prefix<'t>(&self, text: &'t str) -> Option<(&'t str, &'t str)> {
        let prefix = self
            .prefixes
            .iter()
            .find(|p| text.starts_with(p.as_str()))?;
        Some(text.split_at(prefix.len()))
    }
}

#[cfg(test)]
mod tests {
    use crate::knowledge::Knowledge;

    #[test]
    fn short_form_with_jurisdiction_finds_the_full_unit() {
        let organisations = Knowledge::builtin().organisations();
        let text = "市科技局党组书记";
        let found = organisations.find_all(text);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].0.clone()], "市科技局");
        assert_eq!(found[0].1.name, "科学技术局");
        assert_eq!(
            organisations.get("市科技局").map(|o| o.name.as_str()),
            Some("科学技术局")
        );

        let (len, organisation) = organisations
            .longest_prefix("市国资委党委书记、主任刘照江")
            .expect("市国资委");
        assert_eq!(len, "市国资委".len());
        assert!(organisation.name.contains("国有资产监督管理委员会"));
    }

    #[test]
    fn a_bare_jurisdiction_word_is_part_of_the_match() {
        let organisations = Knowledge::builtin().organisations();
        let text = "会议由市统计局和县教育局承办";
        let found: Vec<&str> = organisations
            .find_all(text)
            .into_iter()
            .map(|(r, _)| &text[r])
            .collect();
        assert_eq!(found, ["市统计局", "县教育局"]);
    }

    #[test]
    fn there_are_at_least_forty_organisations() {
        assert!(Knowledge::builtin().organisations().iter().count() >= 40);
    }
}

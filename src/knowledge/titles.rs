//! Official titles (职务): what each office is, its rank, the units it fits,
//! and how acting (代X) and deputy (副X) forms relate to the full office.
//!
//! Byline reading and title checks look titles up here; nothing here knows
//! about people or articles.

use std::collections::HashMap;

use rustc_hash::FxHashMap;
use std::ops::Range;

use serde::Deserialize;

use super::characters::CharSet;
use super::phrases::PhraseIndex;
use super::{KnowledgeError, TitleSpec};

const TITLES: &str = include_str!("../../data/titles.toml");

#[derive(Debug, Clone, PartialEq)]
pub struct Title {
    pub name: String,
    pub english: String,
    pub rank_zh: String,
    pub rank_en: String,
    /// Unit kinds the title belongs to: 区长 fits 区 only.
    pub fits: Vec<String>,
    pub description_zh: String,
    pub description_en: String,
    /// The full office of an acting or deputy form: 代区长 → 区长.
    pub base: Option<String>,
    pub acting: bool,
    pub deputy: bool,
}

impl Title {
    /// Whether the title belongs to a unit of this kind (区, 县, 局…).
    pub fn fits(&self, unit_kind: &str) -> bool {
        self.fits.iter().any(|k| k == unit_kind)
    }
}

pub struct TitleLexicon {
    titles: Vec<Title>,
    /// Looked up for every mention: Fx rather than SipHash.
    by_name: FxHashMap<String, usize>,
    index: PhraseIndex<u32>,
    /// The last characters of the titles.
    lasts: CharSet,
}

#[derive(Deserialize)]
struct TitleFile {
    titles: Vec<RawTitle>,
}

#[derive(Deserialize, Clone)]
struct RawTitle {
    name: String,
    english: Option<String>,
    rank_zh: Option<String>,
    rank_en: Option<String>,
    #[serde(default)]
    fits: Vec<String>,
    description_zh: Option<String>,
    description_en: Option<String>,
    base: Option<String>,
    #[serde(default)]
    acting: bool,
    #[serde(default)]
    deputy: bool,
}

impl TitleLexicon {
    pub(crate) fn load(additions: &[TitleSpec]) -> Result<TitleLexicon, KnowledgeError> {
        let file: TitleFile = toml::from_str(TITLES)
            .map_err(|e| KnowledgeError::data("titles.toml", e.to_string()))?;
        let mut raw = file.titles;
        for spec in additions {
            merge_spec(&mut raw, spec);
        }
        let raw_by_name: HashMap<&str, &RawTitle> =
            raw.iter().map(|t| (t.name.as_str(), t)).collect();
        let mut titles = Vec::with_capacity(raw.len());
        for entry in &raw {
            titles.push(resolve(entry, &raw_by_name)?);
        }
        let by_name = titles
            .iter()
            .enumerate()
            .map(|(i, t)| (t.name.clone(), i))
            .collect();
        let index = PhraseIndex::build(
            titles
                .iter()
                .enumerate()
                .map(|(i, t)| (t.name.as_str(), i as u32)),
        );
        let mut lasts = CharSet::default();
        for title in &titles {
            lasts.extend(title.name.chars().next_back());
        }
        Ok(TitleLexicon {
            titles,
            by_name,
            index,
            lasts,
        })
    }

    pub fn get(&self, name: &str) -> Option<&Title> {
        self.by_name.get(name).map(|&i| &self.titles[i])
    }

    /// Does some title end with this character? A text whose last character does not end one
    /// has no title as a suffix.
    pub fn may_end_with(&self, c: char) -> bool {
        self.lasts.contains(c)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Title> {
        self.titles.iter()
    }

    /// The longest title at the very start of `text`, with its byte length.
    pub fn longest_prefix(&self, text: &str) -> Option<(usize, &Title)> {
        let m = self.index.longest_prefix(text)?;
        Some((m.range.end, &self.titles[m.ids[0] as usize]))
    }

    /// Leftmost-longest title matches in `text`, as byte ranges.
    pub fn find_all(&self, text: &str) -> Vec<(Range<usize>, &Title)> {
        self.index
            .find_iter(text)
            .map(|m| (m.range, &self.titles[m.ids[0] as usize]))
            .collect()
    }
}

/// Fills a derived form's missing fields from its base: english and fits
/// always, rank only for acting forms (a deputy's rank differs).
fn resolve(entry: &RawTitle, all: &HashMap<&str, &RawTitle>) -> Result<Title, KnowledgeError> {
    let mut merged = entry.clone();
    let mut seen = vec![entry.name.as_str()];
    let mut base_name = entry.base.as_deref();
    while let Some(name) = base_name {
        if seen.contains(&name) {
            return Err(KnowledgeError::data(
                "titles.toml",
                format!("base cycle through {name}"),
            ));
        }
        seen.push(name);
        let base = all.get(name).ok_or_else(|| {
            KnowledgeError::data(
                "titles.toml",
                format!("{}: unknown base {name}", entry.name),
            )
        })?;
        merged.english = merged.english.or_else(|| base.english.clone());
        if merged.fits.is_empty() {
            merged.fits = base.fits.clone();
        }
        if !entry.deputy {
            merged.rank_zh = merged.rank_zh.or_else(|| base.rank_zh.clone());
            merged.rank_en = merged.rank_en.or_else(|| base.rank_en.clone());
        }
        base_name = base.base.as_deref();
    }
    let missing =
        |field: &str| KnowledgeError::data("titles.toml", format!("{}: no {field}", entry.name));
    Ok(Title {
        english: merged.english.ok_or_else(|| missing("english"))?,
        rank_zh: merged.rank_zh.unwrap_or_default(),
        rank_en: merged.rank_en.unwrap_or_default(),
        fits: merged.fits,
        description_zh: merged.description_zh.unwrap_or_default(),
        description_en: merged.description_en.unwrap_or_default(),
        base: entry.base.clone(),
        acting: entry.acting,
        deputy: entry.deputy,
        name: entry.name.clone(),
    })
}

/// A user's `[[titles]]` entry overrides the fields it gives, or adds a title.
/// A new 代X or 副X whose X is known becomes its acting or deputy form.
fn merge_spec(raw: &mut Vec<RawTitle>, spec: &TitleSpec) {
    let description = spec.description.clone();
    if let Some(existing) = raw.iter_mut().find(|t| t.name == spec.name) {
        existing.english = spec.english.clone().or(existing.english.take());
        if spec.rank.is_some() {
            existing.rank_zh = spec.rank.clone();
            existing.rank_en = spec.rank.clone();
        }
        if !spec.fits.is_empty() {
            existing.fits = spec.fits.clone();
        }
        if description.is_some() {
            existing.description_zh = description.clone();
            existing.description_en = description;
        }
        return;
    }
    let base_of = |prefix: &str| {
        spec.name
            .strip_prefix(prefix)
            .filter(|rest| raw.iter().any(|t| t.name == *rest))
            .map(str::to_owned)
    };
    let acting_base = base_of("代");
    let deputy_base = base_of("副");
    raw.push(RawTitle {
        english: Some(spec.english.clone().unwrap_or_else(|| spec.name.clone())),
        rank_zh: spec.rank.clone(),
        rank_en: spec.rank.clone(),
        fits: spec.fits.clone(),
        description_zh: description.clone(),
        description_en: description,
        acting: acting_base.is_some(),
        deputy: deputy_base.is_some(),
        base: acting_base.or(deputy_base),
        name: spec.name.clone(),
    });
}

#[cfg(test)]
mod tests {
    use crate::knowledge::Knowledge;

    #[test]
    fn acting_district_head_points_to_its_base() {
        let titles = Knowledge::builtin().titles();
        let acting = titles.get("代区长").expect("代区长");
        assert!(acting.acting);
        assert!(!acting.deputy);
        assert_eq!(acting.base.as_deref(), Some("区长"));
        assert_eq!(acting.fits, ["区"]);
        assert!(acting.fits("区") && !acting.fits("县"));
        assert_eq!(acting.english, "acting district head");
        assert_eq!(
            acting.rank_zh,
            titles.get("区长").unwrap().rank_zh,
            "acting inherits the rank"
        );
        assert!(acting.description_zh.contains("常务委员会"));

        let deputy = titles.get("副县长").expect("副县长");
        assert!(deputy.deputy);
        assert_eq!(deputy.rank_zh, "副处级");
        assert_eq!(deputy.fits, ["县"]);
        assert!(titles.get("旗长").unwrap().english.contains("banner"));
    }

    #[test]
    fn required_titles_exist() {
        let titles = Knowledge::builtin().titles();
        let heads = [
            "县长", "区长", "旗长", "市长", "盟长", "州长", "乡长", "镇长",
        ];
        for head in heads {
            for name in [head.to_owned(), format!("代{head}"), format!("副{head}")] {
                let title = titles
                    .get(&name)
                    .unwrap_or_else(|| panic!("{name} missing"));
                assert!(
                    !title.rank_zh.is_empty() && !title.description_en.is_empty(),
                    "{name}"
                );
            }
        }
        for name in [
            "书记",
            "副书记",
            "党委书记",
            "党委副书记",
            "党组书记",
            "党工委书记",
            "党工委副书记",
            "县委书记",
            "区委书记",
            "旗委书记",
            "市委书记",
            "局长",
            "副局长",
            "主任",
            "副主任",
            "常务副主任",
            "主席",
            "委员",
            "常委",
            "秘书长",
            "厅长",
            "处长",
            "科长",
            "董事长",
            "总经理",
            "院长",
            "校长",
            "部长",
            "组织部部长",
            "宣传部部长",
            "政法委书记",
            "纪委书记",
            "监委主任",
            "人大常委会主任",
            "政协主席",
        ] {
            assert!(titles.get(name).is_some(), "{name} missing");
        }
    }

    #[test]
    fn prefix_and_search_are_longest_first() {
        let titles = Knowledge::builtin().titles();
        let (len, title) = titles
            .longest_prefix("党组书记、局长马芸芸")
            .expect("a title");
        assert_eq!(title.name, "党组书记");
        assert_eq!(len, "党组书记".len());
        let text = "赛罕区委副书记、代区长杨朋飞";
        let found: Vec<&str> = titles
            .find_all(text)
            .iter()
            .map(|(_, t)| t.name.as_str())
            .collect();
        assert_eq!(found, ["区委副书记", "代区长"]);
        assert!(titles.longest_prefix("杨朋飞").is_none());
    }
}

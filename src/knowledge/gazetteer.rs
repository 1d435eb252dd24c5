//! Places: China's administrative divisions, curated zones and short forms,
//! and landmarks whose names only look like places.
//!
//! The gazetteer answers "which place is named here?" for bylines
//! (土默特左旗委副书记 → 土默特左旗) and statements (武川县将…). It never guesses
//! from context by itself: forms that need the article's context (经开区 in a
//! Hohhot round-up) are kept apart and resolved with [`Gazetteer::by_context_name`].

use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use serde::Deserialize;

use super::characters::CharSet;
use super::phrases::PhraseIndex;
use super::{KnowledgeError, PlaceSpec};

/// Index of a place in its [`Gazetteer`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PlaceId(u32);

impl PlaceId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Level of government.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Level {
    /// 省、自治区、直辖市
    Province,
    /// 地级：市、盟、自治州、地区
    Prefecture,
    /// 县级：县、区、旗、县级市、自治县
    County,
    /// 开发区、新区、高新区 and other zones with their own administration
    Zone,
    /// 乡、镇、街道
    Township,
    Other,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub id: PlaceId,
    /// Statistical division code (2023), when the place has one.
    pub code: Option<String>,
    /// Full name: 赛罕区.
    pub name: String,
    /// Short forms that name the place anywhere: 赛罕, 土左旗, 和林.
    pub short_names: Vec<String>,
    /// Forms that name the place only inside an article about its surroundings: 经开区, 首府.
    pub context_short_names: Vec<String>,
    pub level: Level,
    pub parent: Option<PlaceId>,
    /// What the place is, when the data says more than its level (和林格尔新区: 自治区级新区…).
    pub note: Option<String>,
}

/// A name that contains a place or person name but is a mountain, river, scenic area…
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Landmark {
    pub name: String,
    pub kind_zh: String,
    pub kind_en: String,
    #[serde(default)]
    pub note: String,
}

/// A place name found in text.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceMatch<'a> {
    /// Byte range in the searched text.
    pub range: Range<usize>,
    /// Every place with this name (names repeat across provinces).
    pub ids: &'a [PlaceId],
    /// True when the text holds a short form rather than the full name.
    pub short: bool,
}

pub struct Gazetteer {
    places: Vec<Place>,
    /// Looked up for every mention: Fx rather than SipHash.
    by_name: FxHashMap<String, Vec<PlaceId>>,
    full_names: PhraseIndex<PlaceId>,
    all_names: PhraseIndex<PlaceId>,
    landmarks: Vec<Landmark>,
    landmark_index: PhraseIndex<u32>,
    /// The places with context-only forms, in order.
    with_context_names: Vec<PlaceId>,
    /// Built on first use: see [`Gazetteer::inside_longer_name`].
    fragments: OnceLock<Fragments>,
}

const DIVISIONS: &str = include_str!("../../data/divisions/divisions.tsv");
const PLACES_EXTRA: &str = include_str!("../../data/places-extra.toml");

#[derive(Deserialize)]
struct ExtraFile {
    #[serde(default)]
    places: Vec<ExtraPlace>,
    #[serde(default)]
    aliases: Vec<ExtraAlias>,
    #[serde(default)]
    landmarks: Vec<Landmark>,
}

#[derive(Deserialize)]
struct ExtraPlace {
    name: String,
    level: String,
    parent: Option<String>,
    #[serde(default)]
    short_names: Vec<String>,
    #[serde(default)]
    context_short_names: Vec<String>,
    note: Option<String>,
}

#[derive(Deserialize)]
struct ExtraAlias {
    place: String,
    parent: Option<String>,
    #[serde(default)]
    short_names: Vec<String>,
    #[serde(default)]
    context_short_names: Vec<String>,
}

impl Gazetteer {
    /// The built-in divisions and curated places, plus the user's additions.
    pub(crate) fn load(additions: &[PlaceSpec]) -> Result<Gazetteer, KnowledgeError> {
        let mut builder = Builder::default();
        builder.read_divisions(DIVISIONS)?;
        let extra: ExtraFile = toml::from_str(PLACES_EXTRA)
            .map_err(|e| KnowledgeError::data("places-extra.toml", e.to_string()))?;
        for place in &extra.places {
            let level = parse_level(&place.level).ok_or_else(|| {
                KnowledgeError::data(
                    "places-extra.toml",
                    format!("unknown level {}", place.level),
                )
            })?;
            let parent = match &place.parent {
                Some(parent) => Some(builder.resolve(parent, None).ok_or_else(|| {
                    KnowledgeError::data(
                        "places-extra.toml",
                        format!("unknown parent {parent} of {}", place.name),
                    )
                })?),
                None => None,
            };
            let id = builder.push(None, &place.name, level, parent);
            let entry = &mut builder.places[id.index()];
            entry.short_names.extend(place.short_names.iter().cloned());
            entry
                .context_short_names
                .extend(place.context_short_names.iter().cloned());
            entry.note = place.note.clone();
        }
        for alias in &extra.aliases {
            let id = builder
                .resolve(&alias.place, alias.parent.as_deref())
                .ok_or_else(|| {
                    KnowledgeError::data(
                        "places-extra.toml",
                        format!("alias for unknown place {}", alias.place),
                    )
                })?;
            let entry = &mut builder.places[id.index()];
            add_unique(&mut entry.short_names, &alias.short_names);
            add_unique(&mut entry.context_short_names, &alias.context_short_names);
        }
        for spec in additions {
            builder.add_spec(spec);
        }
        Ok(builder.finish(extra.landmarks))
    }

    pub fn get(&self, id: PlaceId) -> &Place {
        &self.places[id.index()]
    }

    pub fn places(&self) -> &[Place] {
        &self.places
    }

    pub fn len(&self) -> usize {
        self.places.len()
    }

    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }

    /// Places whose full or short name is `name` (context-only forms excluded).
    pub fn by_name(&self, name: &str) -> Vec<PlaceId> {
        self.places_named(name).to_vec()
    }

    /// [`Gazetteer::by_name`] without a copy: empty when no place has that name.
    pub fn places_named(&self, name: &str) -> &[PlaceId] {
        self.by_name.get(name).map_or(&[], Vec::as_slice)
    }

    /// The place that a context-only form (经开区, 首府) names in an article
    /// about `context`: a place with that form which is `context` itself, one of
    /// its ancestors, or a child of one of them.
    pub fn by_context_name(&self, name: &str, context: PlaceId) -> Option<PlaceId> {
        let around: Vec<PlaceId> = std::iter::once(context)
            .chain(self.ancestors(context))
            .collect();
        self.places
            .iter()
            .filter(|p| p.context_short_names.iter().any(|n| n == name))
            .find(|p| {
                around.contains(&p.id) || p.parent.is_some_and(|parent| around.contains(&parent))
            })
            .map(|p| p.id)
    }

    /// The places that have context-only forms (经开区, 首府), in order.
    pub fn with_context_names(&self) -> impl Iterator<Item = &Place> {
        self.with_context_names.iter().map(|&id| self.get(id))
    }

    /// Does `fragment` stand inside a longer place name, full or short, or a longer landmark
    /// name (哈达 in 哈达山)?
    pub fn inside_longer_name(&self, fragment: &str) -> bool {
        self.fragments
            .get_or_init(|| Fragments::new(self))
            .inside_longer_name(fragment)
    }

    /// Leftmost-longest matches of full names (and, when `short_forms`, short
    /// names) in `text`, as byte ranges.
    pub fn find_all(&self, text: &str, short_forms: bool) -> Vec<PlaceMatch<'_>> {
        let index = if short_forms {
            &self.all_names
        } else {
            &self.full_names
        };
        index
            .find_iter(text)
            .map(|m| self.place_match(text, m.range, m.ids))
            .collect()
    }

    /// The longest full or short place name that starts exactly at `text[0..]`
    /// (土默特左旗委副书记 → 土默特左旗; 和林格尔新区管委会 → 和林格尔新区).
    pub fn longest_prefix(&self, text: &str) -> Option<PlaceMatch<'_>> {
        let m = self.all_names.longest_prefix(text)?;
        Some(self.place_match(text, m.range, m.ids))
    }

    fn place_match<'a>(
        &'a self,
        text: &str,
        range: Range<usize>,
        ids: &'a [PlaceId],
    ) -> PlaceMatch<'a> {
        let found = &text[range.clone()];
        let short = !ids.iter().any(|&id| self.get(id).name == found);
        PlaceMatch { range, ids, short }
    }

    /// Parent, grandparent… up to the province.
    pub fn ancestors(&self, id: PlaceId) -> impl Iterator<Item = PlaceId> + '_ {
        std::iter::successors(self.get(id).parent, move |&p| self.get(p).parent)
    }

    /// Every landmark.
    pub fn landmarks(&self) -> &[Landmark] {
        &self.landmarks
    }

    /// Landmarks (哈达山, 大青山…) in `text`, leftmost-longest.
    pub fn find_landmarks(&self, text: &str) -> Vec<(Range<usize>, &Landmark)> {
        self.landmark_index
            .find_iter(text)
            .map(|m| (m.range, &self.landmarks[m.ids[0] as usize]))
            .collect()
    }

    /// The landmark whose name covers byte `at` of `text`, if any.
    pub fn landmark_at(&self, text: &str, at: usize) -> Option<(Range<usize>, &Landmark)> {
        let m = self.landmark_index.match_covering(text, at)?;
        Some((m.range, &self.landmarks[m.ids[0] as usize]))
    }

    pub fn level_name_zh(level: Level) -> &'static str {
        match level {
            Level::Province => "省级",
            Level::Prefecture => "地级",
            Level::County => "县级",
            Level::Zone => "开发区／新区",
            Level::Township => "乡级",
            Level::Other => "其他",
        }
    }

    pub fn level_name_en(level: Level) -> &'static str {
        match level {
            Level::Province => "province level",
            Level::Prefecture => "prefecture level",
            Level::County => "county level",
            Level::Zone => "development zone or new area",
            Level::Township => "township level",
            Level::Other => "other",
        }
    }
}

/// The place and landmark names by the pairs of characters they hold, to tell whether a text
/// stands inside one of them.
struct Fragments {
    /// The names of two characters or more, one after the other.
    names: String,
    /// The end of each name in `names`.
    ends: Vec<u32>,
    /// (pair of characters, name, offset of the pair in it), sorted.
    pairs: Vec<(u64, u32, u32)>,
    /// The characters of the names of two characters or more.
    chars: CharSet,
}

impl Fragments {
    fn new(gazetteer: &Gazetteer) -> Fragments {
        let all = gazetteer
            .places
            .iter()
            .flat_map(|p| std::iter::once(&p.name).chain(&p.short_names))
            .chain(gazetteer.landmarks.iter().map(|l| &l.name))
            .filter(|name| name.chars().nth(1).is_some());
        let mut fragments = Fragments {
            names: String::new(),
            ends: Vec::new(),
            pairs: Vec::new(),
            chars: CharSet::default(),
        };
        for name in all {
            let index = fragments.ends.len() as u32;
            let mut chars = name.char_indices().peekable();
            while let Some((offset, first)) = chars.next() {
                fragments.chars.insert(first);
                if let Some(&(_, second)) = chars.peek() {
                    let pair = (first as u64) << 32 | second as u64;
                    fragments.pairs.push((pair, index, offset as u32));
                }
            }
            fragments.names.push_str(name);
            fragments.ends.push(fragments.names.len() as u32);
        }
        fragments.pairs.sort_unstable();
        fragments
    }

    fn name(&self, index: u32) -> &str {
        let index = index as usize;
        let start = match index {
            0 => 0,
            _ => self.ends[index - 1] as usize,
        };
        &self.names[start..self.ends[index] as usize]
    }

    fn inside_longer_name(&self, fragment: &str) -> bool {
        let mut chars = fragment.chars();
        let Some(first) = chars.next() else {
            return false;
        };
        let Some(second) = chars.next() else {
            // Every name of two characters or more is longer than one character.
            return self.chars.contains(first);
        };
        let pair = (first as u64) << 32 | second as u64;
        let from = self.pairs.partition_point(|p| p.0 < pair);
        self.pairs[from..]
            .iter()
            .take_while(|p| p.0 == pair)
            .any(|&(_, index, offset)| {
                let name = self.name(index);
                name.len() > fragment.len() && name[offset as usize..].starts_with(fragment)
            })
    }
}

/// Parses a level as data and configuration write it, in English or Chinese.
pub fn parse_level(text: &str) -> Option<Level> {
    Some(match text.trim() {
        "province" | "省" | "省级" | "自治区" | "直辖市" => Level::Province,
        "prefecture" | "city" | "地级" | "地级市" | "盟" | "州" | "自治州" | "地区" => {
            Level::Prefecture
        }
        "county" | "district" | "banner" | "县级" | "县" | "区" | "旗" | "县级市" | "自治县" => {
            Level::County
        }
        "zone" | "开发区" | "新区" | "高新区" | "园区" => Level::Zone,
        "township" | "town" | "乡" | "镇" | "乡级" | "街道" | "苏木" => Level::Township,
        "other" | "其他" => Level::Other,
        _ => return None,
    })
}

/// The level a bare name implies by its ending, for user additions without one.
fn level_from_name(name: &str) -> Level {
    if [
        "新区",
        "开发区",
        "高新区",
        "园区",
        "经开区",
        "示范区",
        "管理区",
    ]
    .iter()
    .any(|s| name.ends_with(s))
    {
        Level::Zone
    } else if ["省", "自治区"].iter().any(|s| name.ends_with(s)) {
        Level::Province
    } else if ["县", "区", "旗"].iter().any(|s| name.ends_with(s)) {
        Level::County
    } else if ["盟", "州", "地区", "市"].iter().any(|s| name.ends_with(s)) {
        Level::Prefecture
    } else if ["乡", "镇", "街道", "苏木"]
        .iter()
        .any(|s| name.ends_with(s))
    {
        Level::Township
    } else {
        Level::Other
    }
}

fn add_unique(target: &mut Vec<String>, names: &[String]) {
    for name in names {
        if !name.is_empty() && !target.contains(name) {
            target.push(name.clone());
        }
    }
}

#[derive(Default)]
struct Builder {
    places: Vec<Place>,
    by_code: HashMap<String, PlaceId>,
    by_full_name: HashMap<String, Vec<PlaceId>>,
}

impl Builder {
    fn read_divisions(&mut self, tsv: &str) -> Result<(), KnowledgeError> {
        for (number, line) in tsv.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let mut fields = line.split('\t');
            let (Some(code), Some(name), Some(parent), Some(level), shorts) = (
                fields.next(),
                fields.next(),
                fields.next(),
                fields.next(),
                fields.next(),
            ) else {
                return Err(KnowledgeError::data(
                    "divisions.tsv",
                    format!("line {}: too few columns", number + 1),
                ));
            };
            let level = parse_level(level).ok_or_else(|| {
                KnowledgeError::data(
                    "divisions.tsv",
                    format!("line {}: level {level}", number + 1),
                )
            })?;
            let parent = match parent {
                "" => None,
                code => Some(*self.by_code.get(code).ok_or_else(|| {
                    KnowledgeError::data(
                        "divisions.tsv",
                        format!("line {}: unknown parent {code}", number + 1),
                    )
                })?),
            };
            let id = self.push(Some(code), name, level, parent);
            let short_names = shorts
                .unwrap_or("")
                .split(',')
                .filter(|s| !s.is_empty())
                .map(str::to_owned);
            self.places[id.index()].short_names.extend(short_names);
        }
        Ok(())
    }

    fn push(
        &mut self,
        code: Option<&str>,
        name: &str,
        level: Level,
        parent: Option<PlaceId>,
    ) -> PlaceId {
        let id = PlaceId(self.places.len() as u32);
        self.places.push(Place {
            id,
            code: code.map(str::to_owned),
            name: name.to_owned(),
            short_names: Vec::new(),
            context_short_names: Vec::new(),
            level,
            parent,
            note: None,
        });
        if let Some(code) = code {
            self.by_code.insert(code.to_owned(), id);
        }
        self.by_full_name
            .entry(name.to_owned())
            .or_default()
            .push(id);
        id
    }

    /// A place by code or full name; `parent` (code or name) picks among namesakes.
    /// A name shared by several places without a parent to choose resolves to
    /// the first in data order (the higher level, as the divisions list them so).
    fn resolve(&self, name: &str, parent: Option<&str>) -> Option<PlaceId> {
        if let Some(&id) = self.by_code.get(name) {
            return Some(id);
        }
        let candidates = self.by_full_name.get(name)?;
        match parent {
            None => candidates.first().copied(),
            Some(parent) => {
                let parent = self.resolve(parent, None)?;
                candidates
                    .iter()
                    .copied()
                    .find(|&id| self.places[id.index()].parent == Some(parent))
            }
        }
    }

    /// A user addition: more short names for a known place, or a new place.
    fn add_spec(&mut self, spec: &PlaceSpec) {
        let parent = spec.parent.as_deref().and_then(|p| self.resolve(p, None));
        let existing = self.by_full_name.get(&spec.name).and_then(|ids| {
            ids.iter()
                .copied()
                .find(|&id| parent.is_none() || self.places[id.index()].parent == parent)
        });
        let id = match existing {
            Some(id) => id,
            None => {
                let level = spec
                    .level
                    .as_deref()
                    .and_then(parse_level)
                    .unwrap_or_else(|| level_from_name(&spec.name));
                self.push(None, &spec.name, level, parent)
            }
        };
        add_unique(&mut self.places[id.index()].short_names, &spec.short_names);
    }

    fn finish(self, landmarks: Vec<Landmark>) -> Gazetteer {
        let places = self.places;
        let mut by_name: FxHashMap<String, Vec<PlaceId>> = FxHashMap::default();
        by_name.reserve(places.len() * 2);
        for place in &places {
            for name in std::iter::once(&place.name).chain(&place.short_names) {
                let ids = by_name.entry(name.clone()).or_default();
                if !ids.contains(&place.id) {
                    ids.push(place.id);
                }
            }
        }
        let full_names = PhraseIndex::build(places.iter().map(|p| (p.name.as_str(), p.id)));
        let all_names = PhraseIndex::build(places.iter().flat_map(|p| {
            std::iter::once(p.name.as_str())
                .chain(p.short_names.iter().map(String::as_str))
                .map(move |n| (n, p.id))
        }));
        let landmark_index = PhraseIndex::build(
            landmarks
                .iter()
                .enumerate()
                .map(|(i, l)| (l.name.as_str(), i as u32)),
        );
        let with_context_names = places
            .iter()
            .filter(|p| !p.context_short_names.is_empty())
            .map(|p| p.id)
            .collect();
        Gazetteer {
            places,
            by_name,
            full_names,
            all_names,
            landmarks,
            landmark_index,
            with_context_names,
            fragments: OnceLock::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::Knowledge;

    fn gazetteer() -> &'static Gazetteer {
        Knowledge::builtin().gazetteer()
    }

    fn only(name: &str) -> &'static Place {
        let ids = gazetteer().by_name(name);
        assert_eq!(ids.len(), 1, "{name}: {ids:?}");
        gazetteer().get(ids[0])
    }

    #[test]
    fn saihan_is_a_county_level_district_of_hohhot() {
        let saihan = only("赛罕区");
        assert_eq!(saihan.level, Level::County);
        assert_eq!(saihan.code.as_deref(), Some("150105"));
        let parent = gazetteer().get(saihan.parent.expect("赛罕区 has a parent"));
        assert_eq!(parent.name, "呼和浩特市");
        assert_eq!(parent.level, Level::Prefecture);
        let chain: Vec<&str> = gazetteer()
            .ancestors(saihan.id)
            .map(|id| gazetteer().get(id).name.as_str())
            .collect();
        assert_eq!(chain, ["呼和浩特市", "内蒙古自治区"]);
    }

    #[test]
    fn namesakes_are_all_returned() {
        let xincheng = gazetteer().by_name("新城区");
        assert!(
            xincheng.len() >= 2,
            "新城区 exists in Hohhot and Xi'an: {xincheng:?}"
        );
    }

    #[test]
    fn longest_prefix_reads_a_byline_organisation() {
        let m = gazetteer()
            .longest_prefix("土默特左旗委副书记、旗长李锐亨")
            .expect("a place");
        assert_eq!(m.range, 0.."土默特左旗".len());
        assert!(!m.short);
        assert_eq!(gazetteer().get(m.ids[0]).name, "土默特左旗");

        let m = gazetteer()
            .longest_prefix("和林格尔新区管委会副主任郭菊颖")
            .expect("a place");
        assert_eq!(gazetteer().get(m.ids[0]).name, "和林格尔新区");
        assert_eq!(gazetteer().get(m.ids[0]).level, Level::Zone);

        assert!(gazetteer().longest_prefix("市统计局党组书记").is_none());
        assert!(gazetteer().longest_prefix("").is_none());
    }

    #[test]
    fn short_forms_match_only_when_asked() {
        let text = "土左旗和赛罕区";
        let full = gazetteer().find_all(text, false);
        assert_eq!(full.len(), 1);
        assert_eq!(&text[full[0].range.clone()], "赛罕区");
        let all = gazetteer().find_all(text, true);
        assert_eq!(all.len(), 2);
        assert!(all[0].short);
        assert_eq!(gazetteer().get(all[0].ids[0]).name, "土默特左旗");
    }

    #[test]
    fn hohhot_development_zone_is_a_zone_with_a_context_alias() {
        let zone = only("呼和浩特经济技术开发区");
        assert_eq!(zone.level, Level::Zone);
        let saihan = only("赛罕区").id;
        assert_eq!(gazetteer().by_context_name("经开区", saihan), Some(zone.id));
        let xian = gazetteer().by_name("西安市")[0];
        assert_eq!(gazetteer().by_context_name("经开区", xian), None);
    }

    #[test]
    fn county_level_units_number_in_the_thousands() {
        let counties = gazetteer()
            .places()
            .iter()
            .filter(|p| p.level == Level::County)
            .count();
        assert!((2500..4000).contains(&counties), "{counties}");
        let provinces = gazetteer()
            .places()
            .iter()
            .filter(|p| p.level == Level::Province)
            .count();
        assert_eq!(provinces, 31);
    }

    #[test]
    fn fragments_of_longer_names_are_found_as_a_search_of_every_name_finds_them() {
        let gazetteer = gazetteer();
        let names: Vec<&str> = gazetteer
            .places()
            .iter()
            .flat_map(|p| std::iter::once(&p.name).chain(&p.short_names))
            .chain(gazetteer.landmarks().iter().map(|l| &l.name))
            .map(String::as_str)
            .collect();
        let searched = |fragment: &str| {
            !fragment.is_empty()
                && names
                    .iter()
                    .any(|name| name.len() > fragment.len() && name.contains(fragment))
        };
        let mut fragments = vec!["", "哈达", "哈", "杨朋飞", "和林", "赛罕区", "a", "𠀀"];
        for name in names.iter().step_by(97) {
            let starts: Vec<usize> = name.char_indices().map(|(i, _)| i).collect();
            for &start in &starts {
                for end in starts.iter().copied().filter(|&e| e > start) {
                    fragments.push(&name[start..end]);
                }
                fragments.push(&name[start..]);
            }
        }
        for fragment in fragments {
            assert_eq!(
                gazetteer.inside_longer_name(fragment),
                searched(fragment),
                "{fragment}"
            );
        }
        assert!(gazetteer.inside_longer_name("哈达"));
    }

    #[test]
    fn landmarks_are_not_places() {
        let text = "加快推进哈达山、谢尔苏等景区扩容提质";
        assert!(
            gazetteer()
                .find_all(text, true)
                .iter()
                .all(|m| !text[m.range.clone()].contains("哈达"))
        );
        let (range, landmark) = gazetteer()
            .landmark_at(text, text.find("哈达").unwrap())
            .expect("哈达山");
        assert_eq!(&text[range], "哈达山");
        assert_eq!(landmark.kind_en, "mountain and scenic area");
        assert_eq!(gazetteer().find_landmarks(text).len(), 2);
    }
}

//! Built-in knowledge: places, official titles, organisations, characters and
//! political formulations, read from the files in `data/`.
//!
//! Every table is compiled into the binary (`include_str!`) and parsed once,
//! lazily, into matchers ([`Knowledge::builtin`]); user additions from
//! `jiaodui.toml` build a separate [`Knowledge`] ([`Knowledge::with_additions`]).
//! This module does no IO, knows nothing of articles, rules or editors, and
//! holds no data of its own: a list of names belongs in `data/`, not here.
//!
//! Each data file opens with `#` lines naming its source, version, licence and
//! how it was made; the converters live in `scripts/data/`.

mod characters;
mod formulations;
mod gazetteer;
mod organisations;
pub(crate) mod phrases;
mod titles;

use std::ops::Range;
use std::sync::{Arc, LazyLock};

pub use characters::{CharSet, CharacterTable};
pub use formulations::{Formulation, Formulations};
pub use gazetteer::{Gazetteer, Landmark, Level, Place, PlaceId, PlaceMatch, parse_level};
pub use organisations::{Organisation, Organisations};
pub use titles::{Title, TitleLexicon};

/// A place added by the user (`[[places]]` in jiaodui.toml). When a place of
/// that name (under that parent, if given) exists, its short names are added
/// to it; otherwise a new place is made. `level` is read in English or
/// Chinese (county, 县, zone, 新区…) and guessed from the name when absent;
/// an unknown `parent` leaves the place without one.
#[derive(Debug, Clone, serde::Deserialize, PartialEq)]
pub struct PlaceSpec {
    pub name: String,
    #[serde(default)]
    pub short_names: Vec<String>,
    pub level: Option<String>,
    pub parent: Option<String>,
}

/// A title added or amended by the user (`[[titles]]` in jiaodui.toml). Given
/// fields override a built-in title of the same name; a new 代X or 副X whose X
/// is known becomes its acting or deputy form and inherits what it omits.
#[derive(Debug, Clone, serde::Deserialize, PartialEq)]
pub struct TitleSpec {
    pub name: String,
    pub english: Option<String>,
    pub rank: Option<String>,
    #[serde(default)]
    pub fits: Vec<String>,
    pub description: Option<String>,
}

/// A fault in the built-in data files, found when they are parsed.
#[derive(Debug, thiserror::Error)]
#[error("data/{file}: {message}")]
pub struct KnowledgeError {
    pub file: &'static str,
    pub message: String,
}

impl KnowledgeError {
    pub(crate) fn data(file: &'static str, message: impl Into<String>) -> Self {
        KnowledgeError {
            file,
            message: message.into(),
        }
    }
}

/// All the built-in tables, with their matchers built. `Send + Sync`.
pub struct Knowledge {
    gazetteer: Gazetteer,
    titles: TitleLexicon,
    /// Tables that user additions never change are shared with the built-in set.
    organisations: Arc<Organisations>,
    characters: Arc<CharacterTable>,
    formulations: Arc<Formulations>,
}

static BUILTIN: LazyLock<Knowledge> = LazyLock::new(|| {
    Knowledge::load(&[], &[]).unwrap_or_else(|error| panic!("built-in data is broken: {error}"))
});

impl Knowledge {
    /// The built-in data; parsed and its automata built on first use.
    pub fn builtin() -> &'static Knowledge {
        &BUILTIN
    }

    /// The built-in data plus user additions from jiaodui.toml `[[places]]` / `[[titles]]`.
    pub fn with_additions(places: &[PlaceSpec], titles: &[TitleSpec]) -> Knowledge {
        let builtin = Knowledge::builtin();
        // The built-in tables parsed once already, so only the additions can fail here,
        // and they are merged without failing (see PlaceSpec and TitleSpec).
        let rebuild = || -> Result<Knowledge, KnowledgeError> {
            Ok(Knowledge {
                gazetteer: Gazetteer::load(places)?,
                titles: TitleLexicon::load(titles)?,
                organisations: Arc::clone(&builtin.organisations),
                characters: Arc::clone(&builtin.characters),
                formulations: Arc::clone(&builtin.formulations),
            })
        };
        rebuild().unwrap_or_else(|error| panic!("built-in data is broken: {error}"))
    }

    fn load(places: &[PlaceSpec], titles: &[TitleSpec]) -> Result<Knowledge, KnowledgeError> {
        Ok(Knowledge {
            gazetteer: Gazetteer::load(places)?,
            titles: TitleLexicon::load(titles)?,
            organisations: Arc::new(Organisations::load()?),
            characters: Arc::new(CharacterTable::load()?),
            formulations: Arc::new(Formulations::load()?),
        })
    }

    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    pub fn titles(&self) -> &TitleLexicon {
        &self.titles
    }

    pub fn organisations(&self) -> &Organisations {
        &self.organisations
    }

    pub fn characters(&self) -> &CharacterTable {
        &self.characters
    }

    pub fn formulations(&self) -> &Formulations {
        &self.formulations
    }

    /// Organisations in `text` together with the place that owns them:
    /// 赛罕区科技局 → 赛罕区 + 科学技术局; 市统计局 → no place, range 市统计局.
    pub fn find_organisations(&self, text: &str) -> Vec<OrganisationMatch<'_>> {
        self.organisations
            .find_units(text)
            .map(
                |(unit, name_start, organisation)| match self.place_ending_at(text, name_start) {
                    Some(place) => OrganisationMatch {
                        range: place.range.start..unit.end,
                        unit,
                        place: Some(place),
                        organisation,
                    },
                    None => OrganisationMatch {
                        range: unit.clone(),
                        unit,
                        place: None,
                        organisation,
                    },
                },
            )
            .collect()
    }

    /// A place name that ends exactly at byte `end` of `text`.
    fn place_ending_at(&self, text: &str, end: usize) -> Option<PlaceMatch<'_>> {
        let window_start = phrases::floor_char_boundary(text, end.saturating_sub(64));
        let window = &text[window_start..end];
        let last = self.gazetteer.find_all(window, true).into_iter().last()?;
        (last.range.end == window.len()).then(|| PlaceMatch {
            range: (window_start + last.range.start)..end,
            ids: last.ids,
            short: last.short,
        })
    }
}

/// An organisation found with [`Knowledge::find_organisations`].
#[derive(Debug, Clone, PartialEq)]
pub struct OrganisationMatch<'a> {
    /// The whole name, place included: 赛罕区科技局.
    pub range: Range<usize>,
    /// The unit with the bare jurisdiction word before it, if any: 区科技局, 市统计局.
    pub unit: Range<usize>,
    pub place: Option<PlaceMatch<'a>>,
    pub organisation: &'a Organisation,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knowledge_is_shareable_across_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Knowledge>();
    }

    #[test]
    fn additions_add_places_and_titles() {
        let places = [PlaceSpec {
            name: "敕勒川新城".to_owned(),
            short_names: vec!["敕新".to_owned()],
            level: Some("zone".to_owned()),
            parent: Some("呼和浩特市".to_owned()),
        }];
        let titles = [TitleSpec {
            name: "代苏木达".to_owned(),
            english: Some("acting sumu head".to_owned()),
            rank: Some("正科级".to_owned()),
            fits: vec!["苏木".to_owned()],
            description: None,
        }];
        let knowledge = Knowledge::with_additions(&places, &titles);
        let gazetteer = knowledge.gazetteer();
        let text = "敕勒川新城管委会和敕新";
        let found = gazetteer.find_all(text, true);
        assert_eq!(found.len(), 2);
        let place = gazetteer.get(found[0].ids[0]);
        assert_eq!(place.name, "敕勒川新城");
        assert_eq!(place.level, Level::Zone);
        assert_eq!(gazetteer.get(place.parent.unwrap()).name, "呼和浩特市");
        assert!(found[1].short);
        assert!(
            Knowledge::builtin()
                .gazetteer()
                .by_name("敕勒川新城")
                .is_empty()
        );

        let title = knowledge.titles().get("代苏木达").expect("added title");
        assert_eq!(title.rank_zh, "正科级");
        assert!(!title.acting, "苏木达 itself is not a known title");
        assert_eq!(
            knowledge
                .titles()
                .longest_prefix("代苏木达王某")
                .map(|(n, _)| n),
            Some("代苏木达".len())
        );
    }

    #[test]
    fn additions_extend_existing_places() {
        let places = [PlaceSpec {
            name: "赛罕区".to_owned(),
            short_names: vec!["赛区".to_owned()],
            level: None,
            parent: Some("呼和浩特市".to_owned()),
        }];
        let knowledge = Knowledge::with_additions(&places, &[]);
        let ids = knowledge.gazetteer().by_name("赛区");
        assert_eq!(ids.len(), 1);
        assert_eq!(knowledge.gazetteer().get(ids[0]).name, "赛罕区");
        assert_eq!(
            knowledge.gazetteer().len(),
            Knowledge::builtin().gazetteer().len()
        );
    }

    #[test]
    fn organisations_take_the_place_before_them() {
        let knowledge = Knowledge::builtin();
        let text = "赛罕区科技局和市统计局";
        let found = knowledge.find_organisations(text);
        assert_eq!(found.len(), 2);
        assert_eq!(&text[found[0].range.clone()], "赛罕区科技局");
        let place = found[0].place.as_ref().expect("赛罕区");
        assert_eq!(knowledge.gazetteer().get(place.ids[0]).name, "赛罕区");
        assert_eq!(&text[found[1].range.clone()], "市统计局");
        assert!(found[1].place.is_none());
    }

    /// Every file under data/ opens with `#` lines naming its source.
    #[test]
    fn data_files_have_headers() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
        let mut stack = vec![root];
        let mut checked = 0;
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("data/ is readable") {
                let path = entry.expect("directory entry").path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let text = std::fs::read_to_string(&path).expect("data files are UTF-8");
                let header: Vec<&str> = text.lines().take_while(|l| l.starts_with('#')).collect();
                assert!(!header.is_empty(), "{} has no # header", path.display());
                let header = header.join("\n");
                assert!(
                    header.contains("Source"),
                    "{} header names no source",
                    path.display()
                );
                assert!(
                    header.contains("icen"),
                    "{} header names no licence",
                    path.display()
                );
                checked += 1;
            }
        }
        assert!(checked >= 7, "only {checked} data files");
    }
}

//! Mentions of people, places and organisations, resolved to the byline, register entry or
//! gazetteer entry that defines them.
//!
//! A person is defined by a byline (`——访赛罕区委副书记、代区长杨朋飞`) or by the officials
//! register (`[[people]]` in jiaodui.toml) and mentioned later by full name (杨朋飞) or by
//! surname and title (杨区长). Places come from the gazetteer, full or short (赛罕区, 赛罕,
//! 经开区 in an article about Hohhot); organisations from the organisation table (市科技局).
//!
//! Everything is found in [`Unit`]s: logical paragraphs joined across layout cuts, and the other
//! blocks (headlines, bylines) as they stand, so that a name cut by a column break is still one
//! name. Ranges are byte ranges of the source text. This module never fails on any input.

use std::borrow::Cow;
use std::ops::Range;

use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};

use super::article::{Article, BlockKind, Paragraph, Piece};
use super::byline::Byline;
use crate::config::Settings;
use crate::knowledge::phrases::{PhraseIndex, PhraseSet};
use crate::knowledge::{Gazetteer, Knowledge, Level, Organisation, PlaceId, Title, TitleLexicon};

/// Unit kinds that are territorial jurisdictions: a title that fits only these belongs to one
/// level of government (区长 to a 区).
pub const TERRITORIAL_UNITS: [&str; 10] = [
    "县",
    "区",
    "旗",
    "市",
    "盟",
    "州",
    "乡",
    "镇",
    "省",
    "自治区",
];

const UNIT_SUFFIXES: &str = include_str!("../../data/unit-suffixes.toml");

/// What the suffix of a unit's name says it is: 区 → district.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct UnitKind {
    pub suffix: String,
    pub zh: String,
    pub en: String,
}

#[derive(Debug, Default, serde::Deserialize)]
struct UnitSuffixFile {
    #[serde(default)]
    suffix_words: Vec<String>,
    #[serde(default)]
    units: Vec<UnitKind>,
}

/// The unit suffixes, longest first, and the words that begin with a suffix character. The file
/// is compiled in; a broken file gives empty tables (and fails the unit test below).
static UNIT_SUFFIX_DATA: std::sync::LazyLock<UnitSuffixFile> = std::sync::LazyLock::new(|| {
    let mut file: UnitSuffixFile = toml::from_str(UNIT_SUFFIXES).unwrap_or_default();
    file.units
        .sort_by_key(|u| std::cmp::Reverse(u.suffix.len()));
    file
});

/// The kind of unit a place name ends with: 赛罕区 → 区, 内蒙古自治区 → 自治区.
pub fn unit_kind(name: &str) -> Option<&'static UnitKind> {
    UNIT_SUFFIX_DATA
        .units
        .iter()
        .find(|u| name.ends_with(u.suffix.as_str()))
}

/// Is `text` the start of an ordinary word that begins with a suffix character (区域, 县城)?
pub fn starts_suffix_word(text: &str) -> bool {
    UNIT_SUFFIX_DATA
        .suffix_words
        .iter()
        .any(|w| text.starts_with(w.as_str()))
}

/// A stretch of text searched as one: a logical paragraph or a non-running block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit<'a> {
    pub kind: BlockKind,
    /// The joined text and where its pieces come from: the article's paragraph, or a block
    /// joined for the purpose.
    pub body: Cow<'a, Paragraph>,
    /// The index in [`Article::paragraphs`] for running text.
    pub paragraph: Option<usize>,
}

impl Unit<'_> {
    pub fn text(&self) -> &str {
        &self.body.text
    }

    pub fn section(&self) -> Option<usize> {
        self.body.section
    }

    /// The source range of a range of [`Unit::text`].
    pub fn to_source(&self, joined: Range<usize>) -> Range<usize> {
        self.body.range_to_source(joined)
    }
}

/// How many units [`units`] gives: one per paragraph, one per other block.
pub fn unit_count(article: &Article) -> usize {
    article.paragraphs.len()
        + article
            .blocks
            .iter()
            .filter(|b| b.paragraph.is_none())
            .count()
}

/// Every unit of the article, in text order.
pub fn units<'a>(text: &'a str, article: &'a Article) -> Vec<Unit<'a>> {
    unit_bodies(text, article)
        .map(|(kind, body, paragraph)| Unit {
            kind,
            body,
            paragraph,
        })
        .collect()
}

/// The unit that holds byte `offset` of the source, and the offset inside its text (the first
/// of [`units`] that does). Units after it are not made.
pub fn unit_at<'a>(
    text: &'a str,
    article: &'a Article,
    offset: usize,
) -> Option<(Unit<'a>, usize)> {
    unit_bodies(text, article).find_map(|(kind, body, paragraph)| {
        let local = body.from_source(offset)?;
        (local < body.text.len()).then_some((
            Unit {
                kind,
                body,
                paragraph,
            },
            local,
        ))
    })
}

/// Block `index`, outside any paragraph, joined as a paragraph of its own.
fn block_body(text: &str, article: &Article, index: usize) -> Paragraph {
    let block = &article.blocks[index];
    let mut joined = String::new();
    let mut pieces = Vec::new();
    for piece in &block.pieces {
        pieces.push(Piece {
            at: joined.len(),
            source: piece.clone(),
        });
        joined.push_str(&text[piece.clone()]);
    }
    Paragraph {
        blocks: index..index + 1,
        section: block.section,
        text: joined,
        pieces,
    }
}

/// What [`units`] gives, with the paragraphs borrowed from the article.
fn unit_bodies<'a>(
    text: &'a str,
    article: &'a Article,
) -> impl Iterator<Item = (BlockKind, Cow<'a, Paragraph>, Option<usize>)> + 'a {
    let mut index = 0;
    std::iter::from_fn(move || {
        let block = article.blocks.get(index)?;
        if let Some(paragraph) = block.paragraph {
            let body = &article.paragraphs[paragraph];
            index = body.blocks.end.max(index + 1);
            return Some((block.kind, Cow::Borrowed(body), Some(paragraph)));
        }
        let body = block_body(text, article, index);
        index += 1;
        Some((block.kind, Cow::Owned(body), None))
    })
}

/// A person the article (or the register) defines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonEntry {
    pub name: String,
    /// The byline's name range; `None` for a register entry.
    pub definition: Option<Range<usize>>,
    /// The section whose byline defines the person.
    pub section: Option<usize>,
    /// Offices as written: 赛罕区委副书记, 代区长 (register: its titles).
    pub offices: Vec<String>,
    pub organisation: Option<String>,
    pub place: Option<PlaceId>,
    pub place_name: Option<String>,
    /// The byline text (赛罕区委副书记、代区长杨朋飞) and its source range.
    pub byline: Option<(String, Range<usize>)>,
    /// Index into `settings.people` when the register names the person.
    pub register: Option<usize>,
}

impl PersonEntry {
    /// The surname used with a title (杨 of 杨朋飞).
    pub fn surname(&self) -> Option<char> {
        let mut chars = self.name.chars();
        let first = chars.next()?;
        (chars.next().is_some() && super::text::is_han(first)).then_some(first)
    }
}

/// How a person is named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonForm {
    /// The name in the byline that defines the person.
    Definition,
    /// The full name elsewhere.
    FullName,
    /// Surname and title: 杨区长.
    SurnameTitle,
}

/// What a mention names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Index into [`Mentions::people`].
    Person {
        person: usize,
        form: PersonForm,
    },
    Place {
        place: PlaceId,
        short: bool,
    },
}

/// A title written right next to a person's name: 代区长杨朋飞, 杨朋飞区长, 杨区长.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenTitle {
    pub name: String,
    pub range: Range<usize>,
}

/// One mention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// The whole mention in the source (杨区长).
    pub range: Range<usize>,
    /// The part that is the name (杨 of 杨区长; the whole range otherwise): what rename edits.
    pub name_range: Range<usize>,
    pub target: Target,
    /// Index into [`units`], and the mention's range in that unit's text.
    pub unit: usize,
    pub local: Range<usize>,
    pub title: Option<WrittenTitle>,
}

/// Every mention of the article.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Mentions {
    /// Shared by every part of a document: see [`Directory`].
    pub people: Arc<Vec<PersonEntry>>,
    /// Sorted by start offset.
    pub mentions: Vec<Mention>,
    /// The place each section's byline names, resolved against the article (by section id).
    pub section_places: Arc<Vec<Option<PlaceId>>>,
}

impl Mentions {
    /// Mentions covering a byte offset (an offset at the end of a mention counts).
    pub fn at(&self, offset: usize) -> impl Iterator<Item = &Mention> {
        self.mentions
            .iter()
            .filter(move |m| m.range.start <= offset && offset <= m.range.end)
    }

    /// Mentions of a person.
    pub fn of_person(&self, person: usize) -> impl Iterator<Item = &Mention> {
        self.mentions
            .iter()
            .filter(move |m| matches!(m.target, Target::Person { person: p, .. } if p == person))
    }

    /// Mentions in one unit.
    pub fn in_unit(&self, unit: usize) -> impl Iterator<Item = &Mention> {
        // Mentions are sorted by position and units follow the text, so a unit's mentions
        // stand together.
        let start = self.mentions.partition_point(|m| m.unit < unit);
        let end = self.mentions.partition_point(|m| m.unit <= unit);
        self.mentions[start..end].iter()
    }

    /// The person a section's byline defines.
    pub fn interviewee(&self, section: usize) -> Option<usize> {
        self.people.iter().position(|p| p.section == Some(section))
    }

    /// Places that bylines name, each once.
    pub fn article_places(&self) -> Vec<PlaceId> {
        let mut places: Vec<PlaceId> = self.section_places.iter().flatten().copied().collect();
        places.sort();
        places.dedup();
        places
    }
}

/// What resolving mentions needs from the whole document: the people its bylines and the
/// register define, and the places its bylines name. Built once per analysis from every
/// section's byline; each part of the document is then resolved on its own against it.
/// Ranges are byte ranges of the whole document.
pub struct Directory {
    pub people: Arc<Vec<PersonEntry>>,
    pub section_places: Arc<Vec<Option<PlaceId>>>,
    /// Every section's byline, by section id.
    pub bylines: Vec<Option<Byline>>,
    /// Where each section starts, by section id.
    pub section_starts: Vec<usize>,
    /// The person each section's byline defines (see [`Mentions::interviewee`]), by section id.
    interviewees: Vec<Option<usize>>,
    shared: Arc<Shared>,
}

/// What the directory derives from the bylines without their offsets: an edit that moves the
/// bylines but leaves them as they were keeps it.
pub struct Shared {
    section_places: Arc<Vec<Option<PlaceId>>>,
    /// The first section whose byline names each place.
    section_of_place: FxHashMap<PlaceId, usize>,
    anchors: FxHashSet<PlaceId>,
    context: ContextNames,
    lookup: PeopleIndex,
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared")
            .field("section_places", &self.section_places)
            .finish_non_exhaustive()
    }
}

impl Directory {
    /// The directory of a whole document: `bylines` and `section_starts` by section id.
    pub fn new(
        bylines: Vec<Option<Byline>>,
        section_starts: Vec<usize>,
        settings: &Settings,
    ) -> Directory {
        Directory::with_shared(bylines, section_starts, settings, None)
    }

    /// Like [`Directory::new`], re-using what an earlier directory derived from bylines that
    /// read the same (only their offsets may differ).
    pub fn with_shared(
        bylines: Vec<Option<Byline>>,
        section_starts: Vec<usize>,
        settings: &Settings,
        shared: Option<Arc<Shared>>,
    ) -> Directory {
        let gazetteer = settings.knowledge().gazetteer();
        let mut fresh_anchors = FxHashSet::default();
        let (section_places, anchors) = match &shared {
            Some(shared) => (Arc::clone(&shared.section_places), &shared.anchors),
            None => {
                let places = section_places(&bylines, gazetteer);
                fresh_anchors = anchors(&places, gazetteer);
                (Arc::new(places), &fresh_anchors)
            }
        };
        let people = people(&bylines, settings, gazetteer, &section_places, anchors);
        let shared = shared.unwrap_or_else(|| {
            let anchors = std::mem::take(&mut fresh_anchors);
            let context = ContextNames::new(context_names(gazetteer, &anchors));
            let mut section_of_place = FxHashMap::default();
            for (section, place) in section_places.iter().enumerate() {
                if let Some(place) = place {
                    section_of_place.entry(*place).or_insert(section);
                }
            }
            Arc::new(Shared {
                lookup: PeopleIndex::new(&people, gazetteer),
                section_places: Arc::clone(&section_places),
                section_of_place,
                anchors,
                context,
            })
        });
        let mut interviewees = vec![None; bylines.len()];
        for (index, person) in people.iter().enumerate() {
            if let Some(slot) = person.section.and_then(|s| interviewees.get_mut(s)) {
                slot.get_or_insert(index);
            }
        }
        Directory {
            people: Arc::new(people),
            section_places,
            bylines,
            section_starts,
            interviewees,
            shared,
        }
    }

    /// What this directory derived from its bylines, for [`Directory::with_shared`].
    pub fn shared(&self) -> Arc<Shared> {
        Arc::clone(&self.shared)
    }

    /// The first section whose byline names a place.
    pub fn first_section_of(&self, place: PlaceId) -> Option<usize> {
        self.shared.section_of_place.get(&place).copied()
    }

    /// The person a section's byline defines: [`Mentions::interviewee`] of the mentions
    /// resolved against this directory, without a search.
    pub fn interviewee(&self, section: usize) -> Option<usize> {
        self.interviewees.get(section).copied().flatten()
    }

    /// The first of [`Directory::people`] with this name.
    pub fn person_named(&self, name: &str) -> Option<usize> {
        // The names index gathers the people of a name in their order.
        self.shared
            .lookup
            .names
            .longest_prefix(name)
            .filter(|found| found.range.end == name.len())
            .map(|found| found.ids[0])
    }

    /// The directory of an article parsed whole.
    pub fn of_article(article: &Article, settings: &Settings) -> Directory {
        Directory::new(
            article.sections.iter().map(|s| s.byline.clone()).collect(),
            article.sections.iter().map(|s| s.range.start).collect(),
            settings,
        )
    }
}

/// Finds and resolves the mentions of an article parsed whole.
pub fn resolve(text: &str, article: &Article, settings: &Settings) -> Mentions {
    let directory = Directory::of_article(article, settings);
    resolve_part(text, article, &directory, 0, settings)
}

/// Finds and resolves the mentions of one part of a document: `text` is the part's text,
/// which starts at byte `base` of the document.
pub fn resolve_part(
    text: &str,
    article: &Article,
    directory: &Directory,
    base: usize,
    settings: &Settings,
) -> Mentions {
    let knowledge = settings.knowledge();
    let gazetteer = knowledge.gazetteer();
    let people = &directory.people;
    let mut mentions = Vec::new();
    for (index, (_, unit, _)) in unit_bodies(text, article).enumerate() {
        let unit = &*unit;
        let found_people = person_mentions(
            unit,
            index,
            people,
            &directory.shared.lookup,
            knowledge,
            base,
        );
        let taken: Vec<Range<usize>> = found_people.iter().map(|m| m.local.clone()).collect();
        mentions.extend(found_people);
        let places = PlaceContext {
            gazetteer,
            anchors: &directory.shared.anchors,
            context: &directory.shared.context,
        };
        mentions.extend(place_mentions(unit, index, &places, &taken));
    }
    mentions.sort_by_key(|m| (m.range.start, m.range.end));
    Mentions {
        people: Arc::clone(&directory.people),
        mentions,
        section_places: Arc::clone(&directory.section_places),
    }
}

/// The place of every section's byline, with names that repeat across the country resolved
/// to the one near the article's other places.
fn section_places(bylines: &[Option<Byline>], gazetteer: &Gazetteer) -> Vec<Option<PlaceId>> {
    let candidates: Vec<Vec<PlaceId>> = bylines
        .iter()
        .map(|byline| {
            byline
                .as_ref()
                .and_then(|b| b.person.as_ref())
                .and_then(|p| p.place.as_ref())
                .map(|place| {
                    let ids = gazetteer.places_named(&place.name);
                    if ids.is_empty() {
                        vec![place.id]
                    } else {
                        ids.to_vec()
                    }
                })
                .unwrap_or_default()
        })
        .collect();
    let mut anchors: FxHashSet<PlaceId> = FxHashSet::default();
    for ids in candidates.iter().filter(|ids| ids.len() == 1) {
        anchors.insert(ids[0]);
        anchors.extend(gazetteer.ancestors(ids[0]));
    }
    candidates
        .iter()
        .map(|ids| choose(ids, &anchors, gazetteer))
        .collect()
}

/// The article's places and everything above them.
fn anchors(section_places: &[Option<PlaceId>], gazetteer: &Gazetteer) -> FxHashSet<PlaceId> {
    let mut anchors = FxHashSet::default();
    for &place in section_places.iter().flatten() {
        anchors.insert(place);
        anchors.extend(gazetteer.ancestors(place));
    }
    anchors
}

/// Of the places sharing a name, the one in the article or next to it.
pub fn choose(
    ids: &[PlaceId],
    anchors: &FxHashSet<PlaceId>,
    gazetteer: &Gazetteer,
) -> Option<PlaceId> {
    ids.iter()
        .find(|id| anchors.contains(id))
        .or_else(|| {
            ids.iter().find(|&&id| {
                gazetteer
                    .get(id)
                    .parent
                    .is_some_and(|p| anchors.contains(&p))
            })
        })
        .or_else(|| ids.first())
        .copied()
}

fn people(
    bylines: &[Option<Byline>],
    settings: &Settings,
    gazetteer: &Gazetteer,
    section_places: &[Option<PlaceId>],
    anchors: &FxHashSet<PlaceId>,
) -> Vec<PersonEntry> {
    let mut people: Vec<PersonEntry> = Vec::new();
    // Each name once: the index of its entry.
    let mut named: FxHashMap<&str, usize> = FxHashMap::default();
    for (index, byline) in bylines.iter().enumerate() {
        let Some(byline) = byline else {
            continue;
        };
        let Some(person) = &byline.person else {
            continue;
        };
        if named.contains_key(person.name.as_str()) {
            continue;
        }
        named.insert(&person.name, people.len());
        people.push(PersonEntry {
            name: person.name.clone(),
            definition: Some(person.name_range.clone()),
            section: Some(index),
            offices: person.offices.iter().map(|o| o.text.clone()).collect(),
            organisation: Some(person.organisation.clone()),
            place: section_places.get(index).copied().flatten(),
            place_name: person.place.as_ref().map(|p| p.name.clone()),
            byline: Some((byline.text.clone(), byline.text_range.clone())),
            register: None,
        });
    }
    for (index, spec) in settings.people.iter().enumerate() {
        if spec.name.trim().is_empty() {
            continue;
        }
        if let Some(&known) = named.get(spec.name.as_str()) {
            people[known].register.get_or_insert(index);
            continue;
        }
        named.insert(&spec.name, people.len());
        let place = spec
            .place
            .as_deref()
            .and_then(|name| choose(gazetteer.places_named(name), anchors, gazetteer));
        people.push(PersonEntry {
            name: spec.name.clone(),
            definition: None,
            section: None,
            offices: spec.titles.clone(),
            organisation: spec.organisation.clone(),
            place,
            place_name: spec.place.clone(),
            byline: None,
            register: Some(index),
        });
    }
    people
}

/// Is `local` (a range of `text`) inside a landmark or a longer place name? 哈达 in 哈达山.
fn inside_longer_name(text: &str, local: &Range<usize>, knowledge: &Knowledge) -> bool {
    let gazetteer = knowledge.gazetteer();
    let landmark = gazetteer
        .landmark_at(text, local.start)
        .is_some_and(|(range, _)| {
            range.start <= local.start && range.end >= local.end && range != *local
        });
    let window_start = floor(text, local.start.saturating_sub(24));
    let window_end = ceil(text, local.end + 24);
    let window = &text[window_start..window_end];
    let place = gazetteer.find_all(window, true).iter().any(|m| {
        let range = window_start + m.range.start..window_start + m.range.end;
        range.start <= local.start && range.end >= local.end && range != *local
    });
    landmark || place
}

fn floor(text: &str, mut index: usize) -> usize {
    index = index.min(text.len());
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

fn ceil(text: &str, mut index: usize) -> usize {
    index = index.min(text.len());
    while !text.is_char_boundary(index) {
        index += 1;
    }
    index
}

/// The longest lexicon title that ends exactly at `end` of `text` (代区长 before 杨朋飞).
pub fn title_ending_at<'k>(
    text: &str,
    end: usize,
    titles: &'k TitleLexicon,
) -> Option<(Range<usize>, &'k Title)> {
    if !titles.may_end_with(text[..end].chars().next_back()?) {
        return None;
    }
    let window_start = floor(text, end.saturating_sub(24));
    text[window_start..end]
        .char_indices()
        .map(|(i, _)| window_start + i)
        .find_map(|start| titles.get(&text[start..end]).map(|t| (start..end, t)))
}

/// The longest lexicon title that starts exactly at `start` of `text`.
pub fn title_starting_at<'k>(
    text: &str,
    start: usize,
    titles: &'k TitleLexicon,
) -> Option<(Range<usize>, &'k Title)> {
    titles
        .longest_prefix(&text[start..])
        .map(|(length, title)| (start..start + length, title))
}

/// The article's people, indexed once for matching: full names in one automaton, surnames in
/// a set found by their bytes (most characters of a text are nobody's surname).
struct PeopleIndex {
    names: PhraseIndex<usize>,
    /// Each surname with the people who bear it, in the order of `people`.
    surnames: PhraseSet<usize>,
    /// By person: does the name stand inside a longer place name or landmark (哈达 in 哈达山)?
    /// Only then can a mention of it be inside one (see [`inside_longer_name`]).
    inside_names: Vec<bool>,
}

impl PeopleIndex {
    fn new(people: &[PersonEntry], gazetteer: &Gazetteer) -> PeopleIndex {
        let inside_names = people
            .iter()
            .map(|p| gazetteer.inside_longer_name(&p.name))
            .collect();
        let surnames: Vec<(String, usize)> = people
            .iter()
            .enumerate()
            .filter_map(|(index, person)| Some((person.surname()?.to_string(), index)))
            .collect();
        PeopleIndex {
            names: PhraseIndex::build(people.iter().enumerate().map(|(i, p)| (p.name.as_str(), i))),
            surnames: PhraseSet::build(surnames.iter().map(|(s, i)| (s.as_str(), *i))),
            inside_names,
        }
    }
}

/// `base`: where the unit's text starts in the document (definitions are document ranges).
fn person_mentions(
    unit: &Paragraph,
    index: usize,
    people: &[PersonEntry],
    lookup: &PeopleIndex,
    knowledge: &Knowledge,
    base: usize,
) -> Vec<Mention> {
    let names = &lookup.names;
    let text = unit.text.as_str();
    let titles = knowledge.titles();
    let mut mentions: Vec<Mention> = Vec::new();
    // Leftmost-longest, so that 李六小 wins over a shorter name inside it.
    for found in names.find_iter(text) {
        let (local, person) = (found.range, found.ids[0]);
        if lookup.inside_names[person] && inside_longer_name(text, &local, knowledge) {
            continue;
        }
        let range = unit.range_to_source(local.clone());
        // The definition is the byline's name, in the person's own section (whose offsets the
        // directory keeps exact for the part that holds it).
        let entry = &people[person];
        let defines = entry.section.is_some()
            && entry.section == unit.section
            && entry.definition.as_ref().is_some_and(|d| {
                d.start.wrapping_sub(base) == range.start && d.end.wrapping_sub(base) == range.end
            });
        let form = if defines {
            PersonForm::Definition
        } else {
            PersonForm::FullName
        };
        let title = title_starting_at(text, local.end, titles)
            .or_else(|| title_ending_at(text, local.start, titles))
            .map(|(r, t)| WrittenTitle {
                name: t.name.clone(),
                range: unit.range_to_source(r),
            });
        mentions.push(Mention {
            name_range: range.clone(),
            range,
            target: Target::Person { person, form },
            unit: index,
            local,
            title,
        });
    }
    mentions.extend(surname_mentions(
        unit, index, people, lookup, knowledge, &mentions,
    ));
    mentions
}

/// 杨区长, 李书记: a surname followed by a title the person holds (or one that the title
/// checks must see, such as 区长 for an acting district head).
fn surname_mentions(
    unit: &Paragraph,
    index: usize,
    people: &[PersonEntry],
    lookup: &PeopleIndex,
    knowledge: &Knowledge,
    full: &[Mention],
) -> Vec<Mention> {
    let text = unit.text.as_str();
    let titles = knowledge.titles();
    let mut mentions = Vec::new();
    // The full names are in text order and do not overlap: those ending at or before a
    // position are behind it for good.
    let mut next_full = 0;
    for found in lookup.surnames.find_overlapping_iter(text) {
        let (at, candidates) = (found.range.start, found.ids);
        while full.get(next_full).is_some_and(|m| m.local.end <= at) {
            next_full += 1;
        }
        if full
            .get(next_full)
            .is_some_and(|m| m.local.start <= at && at < m.local.end)
        {
            continue;
        }
        let after = found.range.end;
        let Some((title_range, title)) = title_starting_at(text, after, titles) else {
            continue;
        };
        // 杨区长的 is a mention; 杨区长期 is not a word boundary we can trust less, but a
        // following title character would mean the title is longer than the lexicon knows.
        let relates = |p: usize| {
            let held = held_titles(&people[p].offices, titles);
            let fit = compare(title, &held, titles);
            match fit {
                TitleFit::Same | TitleFit::Consistent => true,
                TitleFit::Contradicts => people[p].section == unit.section,
                TitleFit::Unrelated => false,
            }
        };
        let matching: Vec<usize> = candidates.iter().copied().filter(|&p| relates(p)).collect();
        let person = match matching.as_slice() {
            [only] => *only,
            [] => continue,
            several => match several.iter().find(|&&p| people[p].section == unit.section) {
                Some(&p) => p,
                None => continue,
            },
        };
        let local = at..title_range.end;
        mentions.push(Mention {
            range: unit.range_to_source(local.clone()),
            name_range: unit.range_to_source(at..after),
            target: Target::Person {
                person,
                form: PersonForm::SurnameTitle,
            },
            unit: index,
            local,
            title: Some(WrittenTitle {
                name: title.name.clone(),
                range: unit.range_to_source(title_range),
            }),
        });
    }
    mentions
}

/// Forms that name a place only in an article about its surroundings (经开区, 首府), longest
/// first; computed once per article.
fn context_names<'g>(
    gazetteer: &'g Gazetteer,
    anchors: &FxHashSet<PlaceId>,
) -> Vec<(&'g str, PlaceId)> {
    let mut names: Vec<(&str, PlaceId)> = Vec::new();
    for place in gazetteer.with_context_names() {
        let near =
            anchors.contains(&place.id) || place.parent.is_some_and(|p| anchors.contains(&p));
        if near {
            names.extend(
                place
                    .context_short_names
                    .iter()
                    .map(|n| (n.as_str(), place.id)),
            );
        }
    }
    names.sort_by_key(|(name, _)| std::cmp::Reverse(name.len()));
    names
}

/// The context names of [`context_names`], searched in one pass.
struct ContextNames {
    /// By rank: the order in which the names are tried (longest first).
    places: Vec<PlaceId>,
    /// Each name with its ranks, lowest first.
    set: PhraseSet<u32>,
}

impl ContextNames {
    fn new(names: Vec<(&str, PlaceId)>) -> ContextNames {
        ContextNames {
            places: names.iter().map(|&(_, place)| place).collect(),
            set: PhraseSet::build(
                names
                    .iter()
                    .enumerate()
                    .map(|(rank, &(name, _))| (name, rank as u32)),
            ),
        }
    }

    /// The context names in `text`, as searching for each name in rank order from left to
    /// right (`str::match_indices`) finds them: by rank, then position, without the occurrences
    /// of a name that overlap its previous one. A name that several places share is given for
    /// the first of them only: the same ranges for a later place could only overlap what the
    /// first took or was refused for.
    fn find(&self, text: &str) -> Vec<(Range<usize>, PlaceId)> {
        let mut found: Vec<(u32, Range<usize>)> = self
            .set
            .find_overlapping_iter(text)
            .map(|m| (m.ids[0], m.range))
            .collect();
        if found.is_empty() {
            return Vec::new();
        }
        found.sort_unstable_by_key(|(rank, range)| (*rank, range.start));
        let mut previous: Option<(u32, usize)> = None;
        let mut names = Vec::with_capacity(found.len());
        for (rank, range) in found {
            if previous.is_some_and(|(r, end)| r == rank && range.start < end) {
                continue;
            }
            previous = Some((rank, range.end));
            names.push((range, self.places[rank as usize]));
        }
        names
    }
}

/// What place matching needs from the whole article.
struct PlaceContext<'a> {
    gazetteer: &'a Gazetteer,
    anchors: &'a FxHashSet<PlaceId>,
    context: &'a ContextNames,
}

fn place_mentions(
    unit: &Paragraph,
    index: usize,
    places: &PlaceContext<'_>,
    taken: &[Range<usize>],
) -> Vec<Mention> {
    let PlaceContext {
        gazetteer,
        anchors,
        context,
    } = *places;
    let text = unit.text.as_str();
    let landmarks = gazetteer.find_landmarks(text);
    let overlaps = |r: &Range<usize>, others: &[Range<usize>]| {
        others.iter().any(|o| o.start < r.end && r.start < o.end)
    };
    let landmark_ranges: Vec<Range<usize>> = landmarks.into_iter().map(|(r, _)| r).collect();
    let mut found: Vec<(Range<usize>, PlaceId, bool)> = Vec::new();
    for m in gazetteer.find_all(text, true) {
        let Some(place) = choose(m.ids, anchors, gazetteer) else {
            continue;
        };
        if m.short && !short_form_counts(&text[m.range.clone()], place, anchors, gazetteer) {
            continue;
        }
        found.push((m.range, place, m.short));
    }
    for (range, place) in context.find(text) {
        if !found
            .iter()
            .any(|f| f.0.start < range.end && range.start < f.0.end)
        {
            found.push((range, place, true));
        }
    }
    found
        .into_iter()
        .filter(|(range, _, _)| !overlaps(range, taken) && !overlaps(range, &landmark_ranges))
        .map(|(local, place, short)| {
            let range = unit.range_to_source(local.clone());
            Mention {
                name_range: range.clone(),
                range,
                target: Target::Place { place, short },
                unit: index,
                local,
                title: None,
            }
        })
        .collect()
}

/// Short forms are everyday words often enough (玉泉, 新城) that they count only for places of
/// the article's region, provinces, or when they are long enough to be unmistakable.
fn short_form_counts(
    form: &str,
    place: PlaceId,
    anchors: &FxHashSet<PlaceId>,
    gazetteer: &Gazetteer,
) -> bool {
    let entry = gazetteer.get(place);
    anchors.contains(&place)
        || entry.parent.is_some_and(|p| anchors.contains(&p))
        || entry.level == Level::Province
        || form.chars().count() >= 3
}

/// An organisation named in a unit, found where a hover asks for it (nothing else reads
/// organisations, so an analysis does not look for them).
#[derive(Debug)]
pub struct OrganisationMention<'k> {
    /// The whole name in the source, jurisdiction included (赛罕区科技局).
    pub range: Range<usize>,
    pub organisation: &'k Organisation,
    /// The jurisdiction written before the unit's name (市, 赛罕区), if any.
    pub prefix: String,
}

/// The organisations named in a unit that cover byte `local` of its text.
pub fn organisations_at<'k>(
    unit: &Unit<'_>,
    local: usize,
    knowledge: &'k Knowledge,
) -> Vec<OrganisationMention<'k>> {
    let text = unit.text();
    knowledge
        .find_organisations(text)
        .into_iter()
        .filter(move |found| found.range.start <= local && local < found.range.end)
        .map(|found| {
            let written = &text[found.range.clone()];
            let organisation = found.organisation;
            let suffix = std::iter::once(organisation.name.as_str())
                .chain(organisation.short_names.iter().map(String::as_str))
                .filter(|n| written.ends_with(n))
                .max_by_key(|n| n.len())
                .unwrap_or("");
            OrganisationMention {
                range: unit.to_source(found.range.clone()),
                organisation,
                prefix: written[..written.len() - suffix.len()].to_string(),
            }
        })
        .collect()
}

/// How a written title stands to the titles a person holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TitleFit {
    /// The person holds it.
    Same,
    /// A general form of a held title (书记 for 党组书记).
    Consistent,
    /// It contradicts: 区长 for an acting district head, 县长 for a district head.
    Contradicts,
    Unrelated,
}

/// The main title of each office (the longest lexicon title that ends it): 赛罕区委副书记 →
/// 区委副书记, 代区长 → 代区长.
pub fn held_titles<'k>(offices: &[String], titles: &'k TitleLexicon) -> Vec<&'k Title> {
    offices
        .iter()
        .filter_map(|office| title_ending_at(office, office.len(), titles).map(|(_, t)| t))
        .collect()
}

/// The base chain of a title, itself excluded: 代区长 → [区长]; 区委副书记 → [区委书记, 书记].
fn base_chain<'k>(title: &'k Title, titles: &'k TitleLexicon) -> Vec<&'k Title> {
    let mut chain = Vec::new();
    let mut current = title;
    while let Some(base) = current.base.as_deref().and_then(|b| titles.get(b)) {
        if chain.iter().any(|t: &&Title| t.name == base.name) || chain.len() > 8 {
            break;
        }
        chain.push(base);
        current = base;
    }
    chain
}

/// The single territorial unit a title belongs to, when its name contains it: 区长 → 区,
/// 县委书记 → 县.
fn territorial_unit(title: &Title) -> Option<&str> {
    let [unit] = title.fits.as_slice() else {
        return None;
    };
    if !TERRITORIAL_UNITS.contains(&unit.as_str()) || !title.name.contains(unit.as_str()) {
        return None;
    }
    Some(unit.as_str())
}

/// The title without its unit (see [`territorial_unit`]): 区长 → 长, 县委书记 → 委书记,
/// 代区长 → 长 (acting and deputy marks dropped).
fn role(title: &Title, unit: &str) -> String {
    let role = title.name.replacen(unit, "", 1);
    role.trim_start_matches("常务")
        .trim_start_matches(['代', '副'])
        .to_string()
}

/// Compares a written title with the titles a person holds.
pub fn compare(written: &Title, held: &[&Title], titles: &TitleLexicon) -> TitleFit {
    let mut result = TitleFit::Unrelated;
    for &title in held {
        if title.name == written.name {
            return TitleFit::Same;
        }
        // 副书记 for 区委副书记: the same office with its unit left out.
        if let Some(unit) = title.name.strip_suffix(written.name.as_str())
            && !unit.contains(['代', '副'])
            && !unit.contains("常务")
        {
            return TitleFit::Same;
        }
        let chain = base_chain(title, titles);
        if let Some(position) = chain.iter().position(|t| t.name == written.name) {
            // 区长 for 代区长: the acting head is not yet the head.
            let acting = std::iter::once(title)
                .chain(chain[..position].iter().copied())
                .any(|t| t.acting);
            if acting {
                result = TitleFit::Contradicts;
            } else if result == TitleFit::Unrelated {
                result = TitleFit::Consistent;
            }
            continue;
        }
        let written_chain = base_chain(written, titles);
        if (written.acting || written.deputy) && written_chain.iter().any(|t| t.name == title.name)
        {
            result = TitleFit::Contradicts;
            continue;
        }
        // The same role of another unit: the roles are compared only then.
        if let (Some(unit_a), Some(unit_b)) = (territorial_unit(written), territorial_unit(title))
            && unit_a != unit_b
            && role(written, unit_a) == role(title, unit_b)
        {
            result = TitleFit::Contradicts;
        }
    }
    result
}

/// A person (or other named thing) under the cursor: where it is defined and every mention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct References {
    pub name: String,
    pub definition: std::ops::Range<usize>,
    /// Every mention, the definition included, in text order.
    pub mentions: Vec<std::ops::Range<usize>>,
}

/// The references of the person mentioned at a byte offset.
pub fn references_at(text: &str, mentions: &Mentions, offset: usize) -> Option<References> {
    let _ = text;
    let person = mentions.at(offset).find_map(|m| match m.target {
        Target::Person { person, .. } => Some(person),
        _ => None,
    })?;
    let entry = mentions.people.get(person)?;
    let ranges: Vec<Range<usize>> = mentions
        .of_person(person)
        .map(|m| m.name_range.clone())
        .collect();
    let definition = entry
        .definition
        .clone()
        .or_else(|| ranges.first().cloned())?;
    let mut all = ranges;
    if !all.contains(&definition) {
        all.push(definition.clone());
        all.sort_by_key(|r| r.start);
    }
    Some(References {
        name: entry.name.clone(),
        definition,
        mentions: all,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{DocumentKind, analyze};

    const ARTICLE: &str = "凝心聚力抓落实\n\n——访赛罕区委副书记、代区长杨朋飞\n\n杨朋飞表示，赛罕区将扎实推进各项工作。杨区长说，要依托哈达山景区。\n\n立足生态资源优势\n\n——访武川县委书记哈达\n\n哈达说，武川县将加快推进哈达山、谢尔苏等景区扩容提质。市科技局也将支持。\n";

    fn mentions(text: &str) -> Mentions {
        analyze(text, DocumentKind::Plain, &Settings::default())
            .mentions()
            .clone()
    }

    fn written(text: &str, mentions: &Mentions, wanted: fn(&Target) -> bool) -> Vec<String> {
        mentions
            .mentions
            .iter()
            .filter(|m| wanted(&m.target))
            .map(|m| text[m.range.clone()].to_string())
            .collect()
    }

    #[test]
    fn people_are_found_by_full_name_and_by_surname_and_title() {
        let found = mentions(ARTICLE);
        let people = written(ARTICLE, &found, |t| matches!(t, Target::Person { .. }));
        assert_eq!(people, ["杨朋飞", "杨朋飞", "杨区长", "哈达", "哈达"]);
    }

    #[test]
    fn a_mongolian_name_does_not_match_inside_a_landmark() {
        let found = mentions(ARTICLE);
        let hada = found.people.iter().position(|p| p.name == "哈达").unwrap();
        assert_eq!(found.of_person(hada).count(), 2);
    }

    #[test]
    fn a_name_does_not_match_inside_a_longer_place_name() {
        let text = "立足生态资源优势\n\n——访赛罕区委书记和林\n\n和林表示，和林格尔县将加快发展。和林说，要抓好项目。\n";
        let found = mentions(text);
        let people = written(text, &found, |t| matches!(t, Target::Person { .. }));
        assert_eq!(people, ["和林", "和林", "和林"]);
        let hada = "——访武川县委书记哈达\n\n哈达说，哈达山很美。\n";
        let found = mentions(hada);
        let people = written(hada, &found, |t| matches!(t, Target::Person { .. }));
        assert_eq!(people, ["哈达", "哈达"]);
    }

    #[test]
    fn places_are_found() {
        let found = mentions(ARTICLE);
        let places = written(ARTICLE, &found, |t| matches!(t, Target::Place { .. }));
        assert!(places.contains(&"赛罕区".to_string()), "{places:?}");
        assert!(places.contains(&"武川县".to_string()), "{places:?}");
    }

    #[test]
    fn the_unit_at_an_offset_is_the_paragraph_or_block_that_holds_it() {
        let text = "# 标题\n\n第一段文字。\n\n| 表格 | 赛罕区 |\n|---|---|\n\n第二段文字。\n";
        let article = Article::parse(text, DocumentKind::Markdown, Knowledge::builtin());
        let at = |needle: &str| text.find(needle).expect("in the text");
        let unit = |offset: usize| {
            unit_at(text, &article, offset)
                .map(|(unit, local)| (unit.text()[local..].to_string(), unit.paragraph.is_some()))
        };
        let (rest, in_paragraph) = unit(at("一段")).expect("the first paragraph");
        assert!(rest.starts_with("一段文字。") && in_paragraph, "{rest}");
        let (rest, in_paragraph) = unit(at("赛罕区")).expect("the table");
        assert!(rest.starts_with("赛罕区") && !in_paragraph, "{rest}");
        let (rest, _) = unit(at("第二段")).expect("the second paragraph");
        assert!(rest.starts_with("第二段"), "{rest}");
        // The blank line between two paragraphs, and past the end: no unit.
        assert_eq!(unit(at("第一段") - 1), None);
        assert_eq!(unit(text.len() + 1), None);
    }

    #[test]
    fn organisations_are_found_under_an_offset() {
        let text = "市科技局和赛罕区统计局联合发布。";
        let article = Article::parse(text, DocumentKind::Plain, Knowledge::builtin());
        let units = units(text, &article);
        let knowledge = Knowledge::builtin();
        let at = |needle: &str| text.find(needle).expect("in the text");
        let found = organisations_at(&units[0], at("科技"), knowledge);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(&text[found[0].range.clone()], "市科技局");
        assert_eq!(found[0].prefix, "市");
        assert_eq!(found[0].organisation.name, "科学技术局");
        let found = organisations_at(&units[0], at("统计局"), knowledge);
        assert_eq!(&text[found[0].range.clone()], "赛罕区统计局");
        assert_eq!(found[0].prefix, "赛罕区");
        // Between the two names: none.
        assert!(organisations_at(&units[0], at("和"), knowledge).is_empty());
    }

    #[test]
    fn references_cover_every_form_and_point_at_the_byline() {
        let found = mentions(ARTICLE);
        let at = ARTICLE.find("杨区长").unwrap();
        let references = references_at(ARTICLE, &found, at).expect("a person");
        assert_eq!(references.name, "杨朋飞");
        assert_eq!(&ARTICLE[references.definition.clone()], "杨朋飞");
        assert!(references.definition.start < ARTICLE.find("杨朋飞表示").unwrap());
        let names: Vec<&str> = references
            .mentions
            .iter()
            .map(|r| &ARTICLE[r.clone()])
            .collect();
        assert_eq!(names, ["杨朋飞", "杨朋飞", "杨"]);
    }

    #[test]
    fn context_names_are_found_as_a_search_per_name_finds_them() {
        let gazetteer = Knowledge::builtin().gazetteer();
        let [a, b, c] = [0, 1, 2].map(|i| gazetteer.places()[i].id);
        // Longest first, as context_names gives them; 新城 twice, for two places.
        let names = vec![
            ("经济技术开发区", a),
            ("新城区", b),
            ("区区区", c),
            ("经开区", a),
            ("新城", b),
            ("新城", c),
            ("区区", a),
            ("城区", c),
        ];
        let index = ContextNames::new(names.clone());
        // What place_mentions keeps of the candidates, in order, after the places found before.
        let keep = |taken: &[Range<usize>], candidates: Vec<(Range<usize>, PlaceId)>| {
            let mut found: Vec<(Range<usize>, Option<PlaceId>)> =
                taken.iter().map(|r| (r.clone(), None)).collect();
            for (range, place) in candidates {
                if !found
                    .iter()
                    .any(|f| f.0.start < range.end && range.start < f.0.end)
                {
                    found.push((range, Some(place)));
                }
            }
            found
        };
        for text in [
            "",
            "新城区区区区新城新城经开区",
            "区区区区区",
            "经济技术开发区和新城区，新城新城区区",
            "老城区城区新新城",
        ] {
            // The search per name that the index replaces.
            let per_name: Vec<(Range<usize>, PlaceId)> = names
                .iter()
                .flat_map(|&(name, place)| {
                    text.match_indices(name)
                        .map(move |(at, _)| (at..at + name.len(), place))
                })
                .collect();
            for taken in [vec![], vec![3..6, 30..33], vec![0..3, 12..15]] {
                assert_eq!(
                    keep(&taken, index.find(text)),
                    keep(&taken, per_name.clone()),
                    "{text} {taken:?}"
                );
            }
        }
    }

    #[test]
    fn unit_suffixes_load() {
        assert_eq!(unit_kind("赛罕区").map(|u| u.suffix.as_str()), Some("区"));
        assert_eq!(
            unit_kind("内蒙古自治区").map(|u| u.suffix.as_str()),
            Some("自治区")
        );
        assert!(starts_suffix_word("区域经济"));
    }

    #[test]
    fn titles_compare_with_the_held_ones() {
        let titles = Knowledge::builtin().titles();
        let held = held_titles(
            &["赛罕区委副书记".to_string(), "代区长".to_string()],
            titles,
        );
        let fit = |name: &str| compare(titles.get(name).unwrap(), &held, titles);
        assert_eq!(fit("代区长"), TitleFit::Same);
        assert_eq!(fit("区长"), TitleFit::Contradicts);
        assert_eq!(fit("县长"), TitleFit::Contradicts);
        assert_eq!(fit("副书记"), TitleFit::Same);
        assert_eq!(fit("局长"), TitleFit::Unrelated);
        let held = held_titles(&["市统计局党组书记".to_string()], titles);
        assert_eq!(
            compare(titles.get("书记").unwrap(), &held, titles),
            TitleFit::Same
        );
    }
}

//! The article's outline: its title, then one entry per interviewee (or per headed section),
//! shared by `jiaodui outline` and the editor's document symbols.

use std::ops::Range;

use super::{Analysis, BlockKind};

/// One section of the outline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutlineEntry {
    /// The interviewee's name; the headline when the section names nobody.
    pub name: String,
    /// The byline after its dashes and lead-in: 赛罕区委副书记、代区长杨朋飞.
    pub byline: Option<String>,
    pub titles: Vec<String>,
    pub place: Option<String>,
    pub headline: Option<String>,
    /// The whole section.
    pub range: Range<usize>,
    /// What to select: the name in the byline, or the headline.
    pub selection: Range<usize>,
    /// Whether a person is named (an interviewee) or only a headline.
    pub is_person: bool,
    /// Lists of the section: (label, range).
    pub children: Vec<(String, Range<usize>)>,
}

/// The article's outline.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Outline {
    pub title: Option<String>,
    pub title_range: Option<Range<usize>>,
    pub entries: Vec<OutlineEntry>,
}

pub fn outline(text: &str, analysis: &Analysis) -> Outline {
    let article = &analysis.article();
    let title_range = article.title.map(|b| article.blocks[b].span());
    let mut entries = Vec::new();
    for (section_index, section) in article.sections.iter().enumerate() {
        let headline = section
            .headline
            .filter(|&b| article.blocks[b].kind != BlockKind::Byline)
            .map(|b| (article.block_text(text, b), article.blocks[b].span()));
        let person = section.byline.as_ref().and_then(|b| b.person.as_ref());
        let (name, selection, is_person) = match (person, &headline) {
            (Some(person), _) => (person.name.clone(), person.name_range.clone(), true),
            (None, Some((headline, range))) => (headline.clone(), range.clone(), false),
            (None, None) => continue,
        };
        entries.push(OutlineEntry {
            name,
            byline: section.byline.as_ref().map(|b| b.text.clone()),
            titles: person.map_or_else(Vec::new, |p| {
                p.offices.iter().map(|o| o.text.clone()).collect()
            }),
            place: person.and_then(|p| p.place.as_ref().map(|place| place.name.clone())),
            headline: headline.map(|(text, _)| text),
            range: section.range.clone(),
            selection,
            is_person,
            children: analysis
                .enumerations()
                .iter()
                .filter(|l| l.section == Some(section_index))
                .map(|l| (l.label(), l.span()))
                .collect(),
        });
    }
    Outline {
        title: title_range.clone().map(|r| text[r].to_string()),
        title_range,
        entries,
    }
}

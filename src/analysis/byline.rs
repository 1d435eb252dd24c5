//! Bylines: `——访{organisation}{title}[、{title}]{name}`, where an interview names its person.
//!
//! The name is read from its position after the title chain, not from a list of surnames, so
//! that 哈达 (a Mongolian name with no Han surname) is read as well as 李锐亨.

use std::ops::Range;

use crate::knowledge::{Knowledge, PlaceId};

/// The words that may follow the dashes of a byline: 访 (interview), 专访, 记 (profile).
const LEAD_INS: [&str; 4] = ["专访", "采访", "访", "记"];

/// The dashes that open a byline or an attribution line.
pub(crate) const DASHES: [char; 6] = ['—', '―', '－', '-', '─', '–'];

/// A parsed byline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Byline {
    /// The whole line.
    pub range: Range<usize>,
    /// What follows the dashes and the lead-in: 赛罕区委副书记、代区长杨朋飞.
    pub text: String,
    pub text_range: Range<usize>,
    /// The person it names, when the line could be read.
    pub person: Option<Person>,
}

/// A person as a byline (or a register entry) defines them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub name: String,
    pub name_range: Range<usize>,
    /// The offices, as written: 赛罕区委副书记, 代区长.
    pub offices: Vec<Office>,
    /// The organisation of the first office: 赛罕区委, 市统计局.
    pub organisation: String,
    /// The jurisdiction or zone the byline names; `None` for 市统计局.
    pub place: Option<PlaceRef>,
}

/// One office of a title chain: 赛罕区委副书记 = organisation 赛罕区委 + title 副书记.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Office {
    pub text: String,
    pub range: Range<usize>,
    /// The title as the lexicon knows it, when it does: 副书记, 代区长.
    pub title: Option<String>,
    pub title_range: Option<Range<usize>>,
}

/// A place named in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceRef {
    pub id: PlaceId,
    pub name: String,
    pub range: Range<usize>,
}

/// Strips leading dashes (at least two dash characters, or one em dash pair); `None` when the
/// text does not open with dashes.
pub fn strip_dashes(content: &str) -> Option<&str> {
    let rest = content.trim_start_matches(DASHES);
    let dashes = content[..content.len() - rest.len()].chars().count();
    (dashes >= 2 || content.starts_with('—')).then(|| rest.trim_start())
}

/// Is this block a byline? `——访…`, `——专访…`, `——记…`.
pub fn is_byline(content: &str) -> bool {
    let Some(rest) = strip_dashes(content) else {
        return false;
    };
    let rest = rest.trim_start();
    LEAD_INS
        .iter()
        .any(|lead| rest.starts_with(lead) && rest.len() > lead.len())
}

/// Reads a byline block. Never fails: an unreadable line gives a byline with no person.
pub fn parse(text: &str, range: Range<usize>, knowledge: &Knowledge) -> Byline {
    let line = &text[range.clone()];
    let after_dashes = strip_dashes(line).unwrap_or(line);
    let lead = LEAD_INS
        .iter()
        .find(|lead| after_dashes.starts_with(*lead))
        .map_or(0, |lead| lead.len());
    let body = after_dashes[lead..].trim();
    let body_start = range.start + (line.len() - after_dashes.len()) + lead;
    let body_start = body_start + text[body_start..].find(body).unwrap_or(0);
    let text_range = body_start..body_start + body.len();
    Byline {
        range,
        text: body.to_string(),
        text_range: text_range.clone(),
        person: read_person(text, text_range, knowledge),
    }
}

/// Reads `{organisation}{title}[、{title}]{name}` at `range` of `text`.
pub fn read_person(text: &str, range: Range<usize>, knowledge: &Knowledge) -> Option<Person> {
    let body = &text[range.clone()];
    let (chain, name) = split_name(body, knowledge)?;
    let name_range = range.start + chain.len()..range.end;
    let mut offices = Vec::new();
    let mut at = range.start;
    for segment in chain.split('、') {
        let segment_range = at..at + segment.len();
        at += segment.len() + '、'.len_utf8();
        if segment.is_empty() {
            continue;
        }
        let title = suffix_title(segment, knowledge);
        offices.push(Office {
            text: segment.to_string(),
            range: segment_range.clone(),
            title: title.map(|(_, name)| name.to_string()),
            title_range: title.map(|(start, _)| segment_range.start + start..segment_range.end),
        });
    }
    let first = offices.first()?;
    let organisation_end = first
        .title_range
        .as_ref()
        .map_or(first.range.end, |r| r.start);
    let organisation = text[first.range.start..organisation_end].to_string();
    let place = knowledge
        .gazetteer()
        .longest_prefix(&organisation)
        .map(|found| PlaceRef {
            id: found.ids[0],
            name: organisation[found.range.clone()].to_string(),
            range: first.range.start + found.range.start..first.range.start + found.range.end,
        });
    Some(Person {
        name: name.to_string(),
        name_range,
        offices,
        organisation,
        place,
    })
}

/// The longest a name may be, in characters (Mongolian names run long: 乌兰图雅其其格).
const NAME_MAX_CHARS: usize = 8;

/// Splits `赛罕区委副书记、代区长杨朋飞` into the title chain and the name after its last title.
fn split_name<'a>(body: &'a str, knowledge: &Knowledge) -> Option<(&'a str, &'a str)> {
    let last_segment_start = body.rfind('、').map_or(0, |i| i + '、'.len_utf8());
    let last_segment = &body[last_segment_start..];
    let title_end = knowledge
        .titles()
        .find_all(last_segment)
        .into_iter()
        .map(|(range, _)| range.end)
        .filter(|&end| end < last_segment.len())
        .max()?;
    let split = last_segment_start + title_end;
    let name = body[split..].trim();
    let length = name.chars().count();
    let plausible = (1..=NAME_MAX_CHARS).contains(&length)
        && name
            .chars()
            .all(|c| super::text::is_han(c) || matches!(c, '·' | '•' | '・'));
    plausible.then(|| (&body[..split], name))
}

/// The longest lexicon title that ends the segment, after any place name that opens it:
/// 武川县委书记 → 书记 (at 12), not 县委书记, since 武川县 is a place. A segment that is a
/// title as a whole (代县长, where 代县 is also a county's name) is that title.
fn suffix_title<'a>(segment: &str, knowledge: &'a Knowledge) -> Option<(usize, &'a str)> {
    let titles = knowledge.titles();
    if let Some(title) = titles.get(segment) {
        return Some((0, title.name.as_str()));
    }
    let longest_from = |skip: usize| {
        segment[skip..]
            .char_indices()
            .map(|(i, _)| skip + i)
            .find_map(|start| {
                titles
                    .get(&segment[start..])
                    .map(|title| (start, title.name.as_str()))
            })
    };
    let skip = knowledge
        .gazetteer()
        .longest_prefix(segment)
        .map_or(0, |found| found.range.end);
    longest_from(skip).or_else(|| longest_from(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(body: &str) -> Person {
        read_person(body, 0..body.len(), Knowledge::builtin())
            .unwrap_or_else(|| panic!("no person in {body}"))
    }

    #[test]
    fn bylines_are_recognised() {
        assert!(is_byline("——访土默特左旗委副书记、旗长李锐亨"));
        assert!(is_byline("——专访市统计局局长马芸芸"));
        assert!(is_byline("—— 记武川县委书记哈达"));
        assert!(!is_byline("——习近平"));
        assert!(!is_byline("访问团抵达"));
        assert!(!is_byline("——访"));
    }

    #[test]
    fn a_title_chain_gives_name_offices_and_place() {
        let p = person("赛罕区委副书记、代区长杨朋飞");
        assert_eq!(p.name, "杨朋飞");
        let offices: Vec<&str> = p.offices.iter().map(|o| o.text.as_str()).collect();
        assert_eq!(offices, ["赛罕区委副书记", "代区长"]);
        assert_eq!(p.offices[1].title.as_deref(), Some("代区长"));
        assert_eq!(p.organisation, "赛罕区委");
        assert_eq!(p.place.map(|p| p.name).as_deref(), Some("赛罕区"));
    }

    #[test]
    fn a_mongolian_name_is_read_by_position() {
        let p = person("武川县委书记哈达");
        assert_eq!(p.name, "哈达");
        assert_eq!(p.place.map(|p| p.name).as_deref(), Some("武川县"));
    }

    #[test]
    fn zones_and_municipal_bodies() {
        let p = person("呼和浩特经济技术开发区党工委副书记刘占英");
        assert_eq!(p.name, "刘占英");
        assert_eq!(
            p.place.map(|p| p.name).as_deref(),
            Some("呼和浩特经济技术开发区")
        );
        let p = person("和林格尔新区管委会副主任郭菊颖");
        assert_eq!(p.name, "郭菊颖");
        assert_eq!(p.place.map(|p| p.name).as_deref(), Some("和林格尔新区"));
        let p = person("市国资委党委书记、主任刘照江");
        assert_eq!(p.name, "刘照江");
        assert_eq!(p.organisation, "市国资委");
        assert!(p.place.is_none());
    }

    #[test]
    fn a_title_that_starts_like_a_place_is_still_a_title() {
        let p = person("武川县委副书记、代县长王某某");
        assert_eq!(p.offices[1].title.as_deref(), Some("代县长"));
        assert_eq!(p.name, "王某某");
    }

    #[test]
    fn a_byline_keeps_its_ranges() {
        let text = "——访市统计局党组书记、局长马芸芸";
        let byline = parse(text, 0..text.len(), Knowledge::builtin());
        assert_eq!(byline.text, "市统计局党组书记、局长马芸芸");
        assert_eq!(&text[byline.text_range.clone()], byline.text);
        let person = byline.person.expect("a person");
        assert_eq!(&text[person.name_range], "马芸芸");
    }
}

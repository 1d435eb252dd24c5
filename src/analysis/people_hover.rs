//! Hover on people, official titles, places, organisations and formulations.
//!
//! People and places come from the resolved [`Mentions`](super::Mentions); titles,
//! organisations and formulations are looked up in the text around the cursor. Every hover is short
//! Markdown in the user's language, except that a title always shows its Chinese and English
//! names side by side. Nothing here does IO.

use std::ops::Range;

use super::Locale;
use super::hover::{HoverContext, HoverInfo};
use super::mentions::{self, Mention, PersonEntry, Target, Unit, unit_kind};
use crate::knowledge::{Gazetteer, Knowledge, PlaceId, Title};

/// The hover for what the cursor is on: a person, then a title, an organisation, a place, a
/// formulation — the most specific first.
pub fn hover(context: &HoverContext<'_>) -> Option<HoverInfo> {
    // Titles, organisations and formulations read the unit under the cursor: found once.
    let unit = std::cell::OnceCell::new();
    let unit = || unit.get_or_init(|| unit_at(context)).as_ref();
    person(context)
        .or_else(|| title(context, unit()?))
        .or_else(|| organisation(context, unit()?))
        .or_else(|| place(context))
        .or_else(|| formulation(context, unit()?))
}

/// Mentions under the cursor (an offset at a mention's end does not count: the cursor has left).
fn mentions_under<'a>(context: &'a HoverContext<'_>) -> impl Iterator<Item = &'a Mention> {
    let offset = context.offset;
    context
        .analysis
        .mentions()
        .mentions
        .iter()
        .filter(move |m| m.range.start <= offset && offset < m.range.end)
}

/// The unit (paragraph or block) holding the offset, and the offset inside its text.
fn unit_at<'a>(context: &HoverContext<'a>) -> Option<(Unit<'a>, usize)> {
    mentions::unit_at(context.text, context.analysis.article(), context.offset)
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

fn person(context: &HoverContext<'_>) -> Option<HoverInfo> {
    let mention = mentions_under(context).find(|m| matches!(m.target, Target::Person { .. }))?;
    let Target::Person { person, .. } = mention.target else {
        return None;
    };
    let entry = context.analysis.mentions().people.get(person)?;
    let knowledge = context.settings.knowledge();
    Some(HoverInfo {
        markdown: person_markdown(context.text, entry, knowledge, context.locale),
        range: mention.range.clone(),
    })
}

fn person_markdown(
    text: &str,
    entry: &PersonEntry,
    knowledge: &Knowledge,
    locale: Locale,
) -> String {
    let offices = entry.offices.join("、");
    let place = entry
        .place
        .map(|id| knowledge.gazetteer().get(id).name.clone())
        .or_else(|| entry.place_name.clone());
    let titles = mentions::held_titles(&entry.offices, knowledge.titles());
    let english: Vec<&str> = titles.iter().map(|t| t.english.as_str()).collect();
    let mut lines = Vec::new();
    match locale {
        Locale::Zh => {
            lines.push(format!("**{}** — {offices}", entry.name));
            if let Some(place) = &place {
                lines.push(format!("地方：{place}"));
            } else if let Some(organisation) = &entry.organisation {
                lines.push(format!("单位：{organisation}"));
            }
            if let Some((byline, range)) = &entry.byline {
                lines.push(format!(
                    "见第{}行署名：——访{byline}",
                    line_of(text, range.start)
                ));
            } else if entry.register.is_some() {
                lines.push("来源：官员名录（jiaodui.toml）".to_string());
            }
        }
        Locale::En => {
            lines.push(format!(
                "**{}** — {offices} ({})",
                entry.name,
                english.join("; ")
            ));
            if let Some(place) = &place {
                lines.push(format!("Place: {place}"));
            } else if let Some(organisation) = &entry.organisation {
                lines.push(format!("Organisation: {organisation}"));
            }
            if let Some((byline, range)) = &entry.byline {
                lines.push(format!(
                    "Byline on line {}: ——访{byline}",
                    line_of(text, range.start)
                ));
            } else if entry.register.is_some() {
                lines.push("From the officials register (jiaodui.toml)".to_string());
            }
        }
    }
    lines.join("\n\n")
}

fn title(context: &HoverContext<'_>, (unit, local): &(Unit<'_>, usize)) -> Option<HoverInfo> {
    let local = *local;
    let knowledge = context.settings.knowledge();
    let titles = knowledge.titles();
    let text = unit.text();
    let (range, found) = titles
        .find_all(text)
        .into_iter()
        .find(|(range, _)| range.start <= local && local < range.end)?;
    Some(HoverInfo {
        markdown: title_markdown(found, knowledge, context.locale),
        range: unit.to_source(range),
    })
}

/// 代区长 → 代理区长: the full Chinese form of an acting title.
fn full_chinese_name(title: &Title) -> String {
    match (&title.base, title.acting) {
        (Some(base), true) => format!("代理{base}"),
        _ => title.name.clone(),
    }
}

pub fn title_markdown(title: &Title, knowledge: &Knowledge, locale: Locale) -> String {
    let full = full_chinese_name(title);
    let chinese = if full == title.name {
        String::new()
    } else {
        format!("（{full}）")
    };
    let head = format!("**{}** — {}{chinese}", title.name, title.english);
    let base = title
        .base
        .as_deref()
        .and_then(|b| knowledge.titles().get(b))
        .filter(|_| title.acting || title.deputy);
    let mut lines = vec![head];
    match locale {
        Locale::Zh => {
            if !title.description_zh.is_empty() {
                lines.push(title.description_zh.clone());
            }
            if let Some(base) = base {
                let kind = if title.acting { "代理" } else { "副职" };
                lines.push(format!("{kind}，正职为{}（{}）", base.name, base.english));
            }
            if !title.rank_zh.is_empty() {
                lines.push(format!("级别：{}", title.rank_zh));
            }
        }
        Locale::En => {
            if !title.description_en.is_empty() {
                lines.push(title.description_en.clone());
            }
            if let Some(base) = base {
                let kind = if title.acting { "Acting" } else { "Deputy" };
                lines.push(format!("{kind} form of {} ({})", base.name, base.english));
            }
            if !title.rank_en.is_empty() {
                lines.push(format!("Rank: {}", title.rank_en));
            }
        }
    }
    lines.join("\n\n")
}

/// The smallest mention under the cursor that matches.
fn smallest<'a>(context: &'a HoverContext<'_>, wanted: fn(&Target) -> bool) -> Option<&'a Mention> {
    mentions_under(context)
        .filter(|m| wanted(&m.target))
        .min_by_key(|m| m.range.len())
}

fn organisation(
    context: &HoverContext<'_>,
    (unit, local): &(Unit<'_>, usize),
) -> Option<HoverInfo> {
    let knowledge = context.settings.knowledge();
    let mention = mentions::organisations_at(unit, *local, knowledge)
        .into_iter()
        .min_by_key(|m| m.range.len())?;
    let (found, prefix) = (mention.organisation, &mention.prefix);
    let full = format!("{prefix}{}", found.name);
    let shorts: Vec<String> = found
        .short_names
        .iter()
        .map(|s| format!("{prefix}{s}"))
        .filter(|s| *s != full)
        .collect();
    let mut lines = Vec::new();
    match context.locale {
        Locale::Zh => {
            let shorts = if shorts.is_empty() {
                String::new()
            } else {
                format!("（简称：{}）", shorts.join("、"))
            };
            lines.push(format!("**{full}**{shorts} — {}", found.english));
            lines.push(format!("{}。{}", found.kind_zh, found.description_zh));
        }
        Locale::En => {
            let shorts = if shorts.is_empty() {
                String::new()
            } else {
                format!(" (short: {})", shorts.join(", "))
            };
            lines.push(format!("**{full}**{shorts} — {}", found.english));
            lines.push(found.description_en.clone());
        }
    }
    Some(HoverInfo {
        markdown: lines.join("\n\n"),
        range: mention.range.clone(),
    })
}

fn place(context: &HoverContext<'_>) -> Option<HoverInfo> {
    let mention = smallest(context, |t| matches!(t, Target::Place { .. }))?;
    let Target::Place { place, .. } = mention.target else {
        return None;
    };
    let gazetteer = context.settings.knowledge().gazetteer();
    Some(HoverInfo {
        markdown: place_markdown(gazetteer, place, context.locale),
        range: mention.range.clone(),
    })
}

pub fn place_markdown(gazetteer: &Gazetteer, id: PlaceId, locale: Locale) -> String {
    let place = gazetteer.get(id);
    let parents: Vec<&str> = gazetteer
        .ancestors(id)
        .map(|p| gazetteer.get(p).name.as_str())
        .collect();
    let kind = unit_kind(&place.name);
    let mut lines = Vec::new();
    match locale {
        Locale::Zh => {
            let kind = kind.map_or(String::new(), |k| format!("{}，", k.zh));
            lines.push(format!(
                "**{}** — {kind}{}",
                place.name,
                Gazetteer::level_name_zh(place.level)
            ));
            if !parents.is_empty() {
                lines.push(format!("上级：{}", parents.join(" › ")));
            }
            if !place.short_names.is_empty() {
                lines.push(format!("简称：{}", place.short_names.join("、")));
            }
            if let Some(code) = &place.code {
                lines.push(format!("区划代码：{code}"));
            }
            if let Some(note) = &place.note {
                lines.push(note.clone());
            }
        }
        Locale::En => {
            let kind = kind.map_or(String::new(), |k| format!("{}, ", k.en));
            lines.push(format!(
                "**{}** — {kind}{}",
                place.name,
                Gazetteer::level_name_en(place.level)
            ));
            if !parents.is_empty() {
                lines.push(format!("Part of: {}", parents.join(" › ")));
            }
            if !place.short_names.is_empty() {
                lines.push(format!("Short forms: {}", place.short_names.join(", ")));
            }
            if let Some(code) = &place.code {
                lines.push(format!("Division code: {code}"));
            }
            if let Some(note) = &place.note {
                lines.push(note.clone());
            }
        }
    }
    lines.join("\n\n")
}

fn formulation(context: &HoverContext<'_>, (unit, local): &(Unit<'_>, usize)) -> Option<HoverInfo> {
    let formulations = context.settings.knowledge().formulations();
    let (range, found): (Range<usize>, _) = formulations.contains_at(unit.text(), *local)?;
    let meaning = match context.locale {
        Locale::Zh => &found.meaning_zh,
        Locale::En => &found.meaning_en,
    };
    Some(HoverInfo {
        markdown: format!("**“{}”** — {meaning}", found.text),
        range: unit.to_source(range),
    })
}

#[cfg(test)]
mod tests {
    use crate::analysis::{DocumentKind, Locale, analyze, hover::hover};
    use crate::config::Settings;

    const ARTICLE: &str = "凝心聚力抓落实\n\n——访赛罕区委副书记、代区长杨朋飞\n\n杨朋飞表示，赛罕区将在“十五五”开局之年扎实推进，市科学技术局也将支持。\n\n立足生态资源优势\n\n——访土默特左旗委副书记、旗长李锐亨\n\n李锐亨表示，土左旗将锚定目标。\n";

    fn hover_at(needle: &str, nth: usize, locale: Locale) -> String {
        let settings = Settings::default();
        let analysis = analyze(ARTICLE, DocumentKind::Plain, &settings);
        let start = ARTICLE.match_indices(needle).nth(nth).expect("needle").0;
        let second = start + needle.chars().next().unwrap().len_utf8();
        hover(ARTICLE, &analysis, &settings, second, locale)
            .map(|h| h.markdown)
            .unwrap_or_default()
    }

    #[test]
    fn a_person_shows_the_byline() {
        let text = hover_at("杨朋飞", 1, Locale::Zh);
        assert!(
            text.contains("赛罕区") && text.contains("代区长") && text.contains("第3行"),
            "{text}"
        );
    }

    #[test]
    fn a_title_shows_both_languages() {
        let text = hover_at("代区长", 0, Locale::Zh);
        assert!(
            text.contains("acting") && text.contains("代理区长"),
            "{text}"
        );
        let text = hover_at("旗长", 0, Locale::En);
        assert!(text.contains("banner"), "{text}");
    }

    #[test]
    fn places_organisations_and_formulations() {
        let text = hover_at("土左旗", 0, Locale::Zh);
        assert!(
            text.contains("土默特左旗") && text.contains("呼和浩特市"),
            "{text}"
        );
        let text = hover_at("市科学技术局", 0, Locale::Zh);
        assert!(
            text.contains("市科技局") && text.contains("Science"),
            "{text}"
        );
        let text = hover_at("十五五", 0, Locale::En);
        assert!(text.contains("2026"), "{text}");
    }

    /// Every title, place and organisation of the fixture's bylines answers a hover, probed at
    /// its second character as editors do.
    #[test]
    fn every_byline_part_of_the_fixture_answers() {
        let text = include_str!("../../tests/fixtures/hohhot-interviews-2026.txt");
        let settings = Settings::default();
        let analysis = analyze(text, DocumentKind::Plain, &settings);
        let words = [
            "旗长",
            "代区长",
            "党组书记",
            "局长",
            "党工委副书记",
            "管委会副主任",
            "党委书记",
            "主任",
            "县委书记",
            "区委书记",
            "土默特左旗",
            "武川县",
            "赛罕区",
            "托克托县",
            "新城区",
            "呼和浩特经济技术开发区",
            "和林格尔县",
            "回民区",
            "清水河县",
            "玉泉区",
            "和林格尔新区",
            "市统计局",
            "市科学技术局",
            "市工业和信息化局",
            "市国资委",
        ];
        for word in words {
            let byline = text
                .lines()
                .find(|l| l.starts_with("——") && l.contains(word))
                .unwrap_or_else(|| panic!("{word} is in no byline"));
            let line_start = text.find(byline).unwrap();
            let at = line_start + byline.find(word).unwrap();
            let second = at + word.chars().next().unwrap().len_utf8();
            let found = hover(text, &analysis, &settings, second, Locale::Zh);
            assert!(found.is_some(), "no hover on {word}");
        }
    }
}

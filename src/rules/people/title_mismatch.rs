//! ## What it does
//! Finds an official title that contradicts what the article's byline, or the configured
//! officials register (`[[people]]` in jiaodui.toml), says about the person: 区长 for a person
//! the byline calls 代区长 (杨朋飞区长, 杨区长), 县长 for a district head. Also finds a title
//! attached to a unit it cannot belong to (赛罕县长 for a 区), and a known place written with
//! the wrong level suffix (武川区 for 武川县).
//!
//! ## Why is this bad?
//! An acting head (代区长) is appointed by the standing committee of the people's congress
//! until the congress elects them; calling them 区长 before the election is a factual error
//! that press offices are asked to correct. A title of the wrong level, or a county written as
//! a district, misstates the office and the place.
//!
//! ## Example
//! ```text
//! ——访赛罕区委副书记、代区长杨朋飞
//! 杨区长表示，赛罕区将全力推动全会精神落地见效。武川区也将加快发展。
//! ```
//!
//! ## Use instead
//! ```text
//! ——访赛罕区委副书记、代区长杨朋飞
//! 杨朋飞表示，赛罕区将全力推动全会精神落地见效。武川县也将加快发展。
//! ```
//!
//! ## 检查什么
//! 正文中与署名或官员名录（jiaodui.toml 中的 `[[people]]`）相矛盾的职务：署名为“代区长”，正文写作
//! “区长”（杨朋飞区长、杨区长）；区的负责人写作“县长”。还检查职务与所属单位不符（赛罕县长），以及已知
//! 地名的层级后缀写错（武川县写成武川区）。
//!
//! ## 为什么
//! 代区长由人大常委会任命，在人大选举之前不能称为区长，这是新闻单位要求更正的事实错误。层级不符的职务、
//! 把县写成区，同样说错了职务和地方。
//!
//! ## 错误示例
//! ```text
//! ——访赛罕区委副书记、代区长杨朋飞
//! 杨区长表示，赛罕区将全力推动全会精神落地见效。武川区也将加快发展。
//! ```
//!
//! ## 正确写法
//! ```text
//! ——访赛罕区委副书记、代区长杨朋飞
//! 杨朋飞表示，赛罕区将全力推动全会精神落地见效。武川县也将加快发展。
//! ```

use std::ops::Range;

use crate::analysis::mentions::{
    PersonEntry, PersonForm, TERRITORIAL_UNITS, Target, TitleFit, Unit, compare, held_titles,
    starts_suffix_word, title_starting_at, unit_kind,
};
use crate::analysis::{Edit, Finding, Fix, Localized, Severity};
use crate::knowledge::{Level, Title};
use crate::rules::{Context, FixAvailability, Rule, Sink};

pub static RULE: Rule = Rule {
    id: "title-mismatch",
    default_severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    summary_zh: "职务与署名、官员名录或所属单位不符",
    summary_en: "A title contradicts the byline, the officials register or its unit",
};

/// Suffixes a county- or prefecture-level name may end with, one character each.
const LEVEL_SUFFIXES: [char; 5] = ['区', '县', '旗', '市', '盟'];

pub fn check(context: &Context<'_>, units: &[Unit], sink: &mut Sink<'_>) {
    check_people(context, sink);
    check_bylines(context, sink);
    for (index, unit) in units.iter().enumerate() {
        check_units(context, unit, index, sink);
    }
}

/// The titles the reference source gives a person: the byline, or else the register.
fn reference<'k>(context: &Context<'k>, entry: &PersonEntry) -> (Vec<&'k Title>, bool) {
    let titles = context.knowledge.titles();
    if entry.byline.is_some() {
        return (held_titles(&entry.offices, titles), true);
    }
    let register: Vec<String> = register_titles(context, entry);
    (held_titles(&register, titles), false)
}

fn register_titles(context: &Context<'_>, entry: &PersonEntry) -> Vec<String> {
    context
        .settings
        .people
        .iter()
        .filter(|spec| spec.name == entry.name)
        .flat_map(|spec| spec.titles.iter().cloned())
        .collect()
}

/// Titles written next to a person's name in the text.
fn check_people(context: &Context<'_>, sink: &mut Sink<'_>) {
    let titles = context.knowledge.titles();
    let mentions = context.mentions;
    for mention in &mentions.mentions {
        let Target::Person { person, form } = mention.target else {
            continue;
        };
        if form == PersonForm::Definition {
            continue;
        }
        let Some(written) = &mention.title else {
            continue;
        };
        let Some(title) = titles.get(&written.name) else {
            continue;
        };
        let entry = &mentions.people[person];
        let (held, from_byline) = reference(context, entry);
        if held.is_empty() || compare(title, &held, titles) != TitleFit::Contradicts {
            continue;
        }
        let correct = held
            .iter()
            .find(|h| compare(title, &[**h], titles) == TitleFit::Contradicts)
            .map_or_else(|| held[0].name.clone(), |h| h.name.clone());
        let (source_zh, source_en) = if from_byline {
            ("署名", "the byline")
        } else {
            ("官员名录", "the officials register")
        };
        let mut finding = Finding::new(
            &RULE,
            written.range.clone(),
            Localized::new(
                format!(
                    "{source_zh}中{}的职务为“{}”，此处写作“{}”",
                    entry.name,
                    entry.offices.join("、"),
                    written.name
                ),
                format!(
                    "{source_en} gives {} as “{}”, but the text says “{}”",
                    entry.name,
                    entry.offices.join("、"),
                    written.name
                ),
            ),
        );
        if let Some((_, range)) = &entry.byline {
            finding =
                finding.with_related(context.local(range), Localized::new("署名", "the byline"));
        }
        sink.push(finding.with_fix(Fix {
            title: Localized::new(
                format!("改为“{correct}”"),
                format!("Replace with “{correct}”"),
            ),
            edits: smallvec::smallvec![Edit::replace(written.range.clone(), correct)],
            safe: false,
        }));
    }
}

/// Bylines against the register, and bare titles against the byline's own place.
fn check_bylines(context: &Context<'_>, sink: &mut Sink<'_>) {
    let titles = context.knowledge.titles();
    for section in &context.article.sections {
        let Some(person) = section.byline.as_ref().and_then(|b| b.person.as_ref()) else {
            continue;
        };
        // The mentions' people are the directory's.
        let entry = context
            .directory
            .person_named(&person.name)
            .and_then(|index| context.mentions.people.get(index));
        let register = entry
            .map(|e| register_titles(context, e))
            .unwrap_or_default();
        let register = held_titles(&register, titles);
        let unit = person.place.as_ref().and_then(|p| unit_kind(&p.name));
        for office in &person.offices {
            // A bare title (代区长) is looked up whole: a place name may hide in it (代县).
            let bare = titles.get(&office.text).map(|t| (office.range.clone(), t));
            let marked = office
                .title_range
                .clone()
                .and_then(|r| titles.get(&context.text[r.clone()]).map(|t| (r, t)));
            let Some((range, title)) = bare.clone().or(marked) else {
                continue;
            };
            if !register.is_empty() && compare(title, &register, titles) == TitleFit::Contradicts {
                let listed: Vec<&str> = register.iter().map(|t| t.name.as_str()).collect();
                sink.push(Finding::new(
                    &RULE,
                    range.clone(),
                    Localized::new(
                        format!(
                            "官员名录中{}的职务为“{}”，署名写作“{}”",
                            person.name,
                            listed.join("、"),
                            title.name
                        ),
                        format!(
                            "the officials register gives {} as “{}”, but the byline says “{}”",
                            person.name,
                            listed.join("、"),
                            title.name
                        ),
                    ),
                ));
                continue;
            }
            if let Some(unit) = unit
                && bare.is_some()
                && !fits_unit(title, &unit.suffix)
            {
                sink.push(wrong_unit(range.clone(), title, &unit.suffix));
            }
        }
    }
}

/// A title that belongs to territorial units only, none of them `unit`.
fn fits_unit(title: &Title, unit: &str) -> bool {
    let territorial = !title.fits.is_empty()
        && title
            .fits
            .iter()
            .all(|f| TERRITORIAL_UNITS.contains(&f.as_str()));
    !territorial || !TERRITORIAL_UNITS.contains(&unit) || title.fits(unit)
}

fn wrong_unit(range: Range<usize>, title: &Title, unit: &str) -> Finding {
    let fits = title.fits.join("、");
    Finding::new(
        &RULE,
        range,
        Localized::new(
            format!("“{}”是{fits}的职务，不属于{unit}", title.name),
            format!(
                "“{}” ({}) is an office of a {fits}, not of a {unit}",
                title.name, title.english
            ),
        ),
    )
}

/// Place + title (赛罕县长) and places with the wrong level suffix (武川区).
fn check_units(context: &Context<'_>, unit: &Unit, index: usize, sink: &mut Sink<'_>) {
    let text = unit.text();
    let gazetteer = context.knowledge.gazetteer();
    let titles = context.knowledge.titles();
    for mention in context.mentions.in_unit(index) {
        let Target::Place { place, short } = mention.target else {
            continue;
        };
        let entry = gazetteer.get(place);
        let local = mention.local.clone();
        if let Some((title_range, title)) = title_starting_at(text, local.end, titles)
            && let Some(kind) = unit_kind(&entry.name)
            && !fits_unit(title, &kind.suffix)
        {
            sink.push(wrong_unit(unit.to_source(title_range), title, &kind.suffix));
            continue;
        }
        if !short || !matches!(entry.level, Level::County | Level::Prefecture) {
            continue;
        }
        let written = &text[local.clone()];
        let Some(stem) = entry
            .name
            .strip_suffix(|c: char| LEVEL_SUFFIXES.contains(&c))
        else {
            continue;
        };
        let Some(suffix) = text[local.end..].chars().next() else {
            continue;
        };
        if stem != written || !LEVEL_SUFFIXES.contains(&suffix) || entry.name.ends_with(suffix) {
            continue;
        }
        let wrong = format!("{written}{suffix}");
        if !gazetteer.places_named(&wrong).is_empty() || starts_suffix_word(&text[local.end..]) {
            continue;
        }
        let range = unit.to_source(local.start..local.end + suffix.len_utf8());
        sink.push(
            Finding::new(
                &RULE,
                range.clone(),
                Localized::new(
                    format!("“{wrong}”的层级写错了，应为“{}”", entry.name),
                    format!(
                        "“{wrong}” has the wrong level suffix; the place is “{}”",
                        entry.name
                    ),
                ),
            )
            .with_fix(Fix {
                title: Localized::new(
                    format!("改为“{}”", entry.name),
                    format!("Replace with “{}”", entry.name),
                ),
                edits: smallvec::smallvec![Edit::replace(range, entry.name.clone())],
                safe: false,
            }),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::config::Settings;

    const REGISTER: &str = r#"
[[people]]
name = "杨朋飞"
titles = ["赛罕区委副书记", "代区长"]
organisation = "赛罕区人民政府"
place = "赛罕区"
valid_from = "2025-10-01"
"#;

    fn flagged(text: &str, config: &str) -> Vec<String> {
        let (settings, errors) = Settings::from_toml(config);
        assert!(errors.is_empty(), "{errors:?}");
        crate::rules::testing::findings(&super::RULE, text, &settings)
            .into_iter()
            .map(|f| text[f.range].to_string())
            .collect()
    }

    #[test]
    fn the_register_is_checked_without_a_byline() {
        let text = "会议期间，杨朋飞区长表示，赛罕区将全力推动全会精神落地见效。杨区长说，要抓好项目建设。";
        assert_eq!(flagged(text, REGISTER), ["区长", "区长"]);
        assert!(flagged(text, "").is_empty());
        let right = "会议期间，杨朋飞代区长表示，赛罕区将全力推动全会精神落地见效。";
        assert!(flagged(right, REGISTER).is_empty());
    }

    #[test]
    fn a_byline_that_contradicts_the_register_is_flagged() {
        let text = "凝心聚力抓落实\n\n——访赛罕区委副书记、区长杨朋飞\n\n杨朋飞表示，赛罕区将全力推动全会精神落地见效。\n";
        assert_eq!(flagged(text, REGISTER), ["区长"]);
    }

    #[test]
    fn a_bare_title_of_the_wrong_level_in_a_byline() {
        let text = "凝心聚力抓落实\n\n——访赛罕区委副书记、代县长杨朋飞\n\n杨朋飞表示，赛罕区将全力推动全会精神落地见效。\n";
        assert_eq!(flagged(text, ""), ["代县长"]);
    }
}

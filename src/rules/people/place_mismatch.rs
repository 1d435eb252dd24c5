//! ## What it does
//! In an interviewee's section, finds a statement attributed to the interviewee — their
//! quotation, or a clause after “他表示”, “杨朋飞说” — whose actor is another jurisdiction of
//! the article: a place that another section's byline names.
//!
//! ## Why is this bad?
//! In a round-up of interviews, paragraphs are copied from one section to the next and edited
//! in haste. A district head who announces what a different county “will do” has almost always
//! kept the other section's place name. The reader takes it as a fact about the wrong place.
//! Parents (呼和浩特, 内蒙古), the interviewee's own place in any form, and names that merely
//! contain a place (和林格尔国家现代农业产业园, 清水河担当) are not flagged.
//!
//! ## Example
//! ```text
//! ——访赛罕区委副书记、代区长杨朋飞
//! 杨朋飞表示，在市委的坚强领导下，武川县将扎实推动各项任务落地见效。
//! ```
//!
//! ## Use instead
//! ```text
//! ——访赛罕区委副书记、代区长杨朋飞
//! 杨朋飞表示，在市委的坚强领导下，赛罕区将扎实推动各项任务落地见效。
//! ```
//!
//! ## 检查什么
//! 在某位受访者的访谈中，归于该受访者的表述（引语，或“他表示”“杨朋飞说”之后的话）以本文另一受访者
//! 所在的辖区为主体。
//!
//! ## 为什么
//! 组合报道常在各篇访谈之间复制段落，改稿时漏改地名，就会出现赛罕区区长宣布“武川县将……”的错误，
//! 读者会把它当作关于另一地方的事实。上级地名（呼和浩特、内蒙古）、受访者本地的各种写法，以及仅仅包含
//! 地名的专名（和林格尔国家现代农业产业园、清水河担当）不在此列。
//!
//! ## 错误示例
//! ```text
//! ——访赛罕区委副书记、代区长杨朋飞
//! 杨朋飞表示，在市委的坚强领导下，武川县将扎实推动各项任务落地见效。
//! ```
//!
//! ## 正确写法
//! ```text
//! ——访赛罕区委副书记、代区长杨朋飞
//! 杨朋飞表示，在市委的坚强领导下，赛罕区将扎实推动各项任务落地见效。
//! ```

use std::ops::Range;

use super::attribution;
use crate::analysis::mentions::{Target, Unit};
use crate::analysis::{Edit, Finding, Fix, Localized, Severity};
use crate::knowledge::PlaceId;
use crate::rules::{Context, FixAvailability, Rule, Sink};

pub static RULE: Rule = Rule {
    id: "place-mismatch",
    default_severity: Severity::Warning,
    fix: FixAvailability::Always,
    summary_zh: "受访者的表述以本文另一受访者的辖区为主体",
    summary_en: "An interviewee's statement names another interviewee's jurisdiction as the actor",
};

pub fn check(context: &Context<'_>, units: &[Unit], sink: &mut Sink<'_>) {
    let mentions = context.mentions;
    let gazetteer = context.knowledge.gazetteer();
    for section in context.article.section_ids() {
        let Some(own) = mentions.section_places.get(section).copied().flatten() else {
            continue;
        };
        let Some(person) = context.directory.interviewee(section) else {
            continue;
        };
        let above: Vec<PlaceId> = gazetteer.ancestors(own).collect();
        for index in super::section_units(units, section) {
            let unit = &units[index];
            if !unit.kind.is_running_text() {
                continue;
            }
            let text = unit.text();
            // Found when a mention first needs them: most units name no other jurisdiction.
            let mut regions: Option<Vec<Range<usize>>> = None;
            for mention in mentions.in_unit(index) {
                let Target::Place { place, .. } = mention.target else {
                    continue;
                };
                if place == own || above.contains(&place) {
                    continue;
                }
                let Some(other) = context.directory.first_section_of(place) else {
                    continue;
                };
                let local = &mention.local;
                if !attribution::is_clause_start(text, local.start)
                    || !attribution::actor_cue_at(text, local.end)
                {
                    continue;
                }
                let regions =
                    regions.get_or_insert_with(|| statements(unit, index, person, context));
                let inside = regions
                    .iter()
                    .any(|r| r.start <= local.start && local.end <= r.end);
                if !inside {
                    continue;
                }
                sink.push(finding(context, mention.range.clone(), own, place, other));
            }
        }
    }
}

/// What the section attributes to its interviewee in this unit: quotations, and what follows a
/// speech verb whose speaker is the interviewee (by name, surname and title, or pronoun).
fn statements(
    unit: &Unit,
    index: usize,
    person: usize,
    context: &Context<'_>,
) -> Vec<Range<usize>> {
    let text = unit.text();
    let mut regions = attribution::quotations(text);
    let mut speakers: Vec<usize> = context
        .mentions
        .in_unit(index)
        .filter(|m| matches!(m.target, Target::Person { person: p, .. } if p == person))
        .map(|m| m.local.end)
        .collect();
    speakers.extend(attribution::clause_pronouns(text).map(|pronoun| pronoun.end));
    for end in speakers {
        if let Some(verb) = attribution::speech_after(text, end) {
            regions.push(verb.end..text.len());
        }
    }
    regions
}

fn finding(
    context: &Context<'_>,
    range: Range<usize>,
    own: PlaceId,
    place: PlaceId,
    other: usize,
) -> Finding {
    let gazetteer = context.knowledge.gazetteer();
    let own_name = gazetteer.get(own).name.clone();
    let written = context.text[range.clone()].to_string();
    let other_byline = context
        .directory
        .bylines
        .get(other)
        .and_then(Option::as_ref);
    let other_person = other_byline.and_then(|b| b.person.as_ref());
    let other_name = other_person.map_or(String::new(), |p| p.name.clone());
    let place_name = gazetteer.get(place).name.clone();
    let mut finding = Finding::new(
        &RULE,
        range.clone(),
        Localized::new(
            format!(
                "{own_name}受访者的表述以“{written}”为主体，{place_name}是本文另一受访者{other_name}的辖区"
            ),
            format!(
                "a statement by {own_name}'s interviewee names “{written}” as the actor; {place_name} is the jurisdiction of another interviewee ({other_name})"
            ),
        ),
    );
    if let Some(byline) = other_byline {
        finding = finding.with_related(
            context.local(&byline.text_range),
            Localized::new(
                format!("{place_name}的受访者"),
                format!("the interviewee of {place_name}"),
            ),
        );
    }
    finding.with_fix(Fix {
        title: Localized::new(
            format!("改为“{own_name}”"),
            format!("Replace with “{own_name}”"),
        ),
        edits: smallvec::smallvec![Edit::replace(range, own_name)],
        safe: false,
    })
}

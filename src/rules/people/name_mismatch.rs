//! ## What it does
//! In an interviewee's section, finds words attributed (X表示, X说, X指出, X介绍…) to another
//! interviewee of the same article, or to a near-miss of the interviewee's own name: the same
//! surname with one character off (杨鹏飞 for 杨朋飞).
//!
//! ## Why is this bad?
//! When sections of a round-up are assembled from one another, a paragraph keeps the name of
//! the section it came from; a name typed from memory drifts by one homophone. Either way the
//! words are attributed to the wrong person. Other people quoted by name — an expert, a
//! reporter — are not flagged: only the article's interviewees and near-misses of the
//! section's own name are.
//!
//! ## Example
//! ```text
//! ——访赛罕区委副书记、代区长杨朋飞
//! 哈达表示，赛罕区将从四个方面精准发力。杨鹏飞说，要抓好项目建设。
//! ```
//!
//! ## Use instead
//! ```text
//! ——访赛罕区委副书记、代区长杨朋飞
//! 杨朋飞表示，赛罕区将从四个方面精准发力。杨朋飞说，要抓好项目建设。
//! ```
//!
//! ## 检查什么
//! 在某位受访者的访谈中，把话语归于本文另一位受访者（“X表示”“X说”“X指出”“X介绍”），或归于与本篇受访者
//! 姓名仅差一字的名字（同姓，如杨鹏飞与杨朋飞）。
//!
//! ## 为什么
//! 组合报道的各篇访谈常互相套用段落，段落里留下了原来那位受访者的名字；凭记忆输入的名字也会错成同音字。
//! 两种情况都会把话安到别人头上。访谈中引用的其他人（专家、记者）不在此列：只检查本文的受访者和与本篇
//! 受访者姓名仅差一字的写法。
//!
//! ## 错误示例
//! ```text
//! ——访赛罕区委副书记、代区长杨朋飞
//! 哈达表示，赛罕区将从四个方面精准发力。杨鹏飞说，要抓好项目建设。
//! ```
//!
//! ## 正确写法
//! ```text
//! ——访赛罕区委副书记、代区长杨朋飞
//! 杨朋飞表示，赛罕区将从四个方面精准发力。杨朋飞说，要抓好项目建设。
//! ```

use std::ops::Range;

use super::attribution;
use crate::analysis::mentions::{PersonEntry, PersonForm, Target, Unit, title_ending_at};
use crate::analysis::text::is_han;
use crate::analysis::{Edit, Finding, Fix, Localized, Severity};
use crate::rules::{Context, FixAvailability, Rule, Sink};

pub static RULE: Rule = Rule {
    id: "name-mismatch",
    default_severity: Severity::Warning,
    fix: FixAvailability::Always,
    summary_zh: "访谈把话语归于另一位受访者或写错的受访者姓名",
    summary_en: "A section attributes words to another interviewee or to a misspelt name",
};

pub fn check(context: &Context<'_>, units: &[Unit], sink: &mut Sink<'_>) {
    let mentions = context.mentions;
    for section in context.article.section_ids() {
        let Some(own) = context.directory.interviewee(section) else {
            continue;
        };
        let interviewee = &mentions.people[own];
        for index in super::section_units(units, section) {
            let unit = &units[index];
            if !unit.kind.is_running_text() {
                continue;
            }
            for mention in mentions.in_unit(index) {
                let Target::Person {
                    person,
                    form: PersonForm::FullName,
                } = mention.target
                else {
                    continue;
                };
                let other = &mentions.people[person];
                if person == own || other.section.is_none() {
                    continue;
                }
                if attribution::speech_after(unit.text(), mention.local.end).is_none() {
                    continue;
                }
                sink.push(other_interviewee(
                    context,
                    mention.range.clone(),
                    interviewee,
                    other,
                ));
            }
            for local in near_misses(unit, interviewee, context) {
                sink.push(near_miss(context, unit.to_source(local), interviewee));
            }
        }
    }
}

/// Places where a near-miss of the interviewee's name may stand as a speaker: before a speech
/// verb, at the start of its clause, and right after a title.
fn near_misses(unit: &Unit, interviewee: &PersonEntry, context: &Context<'_>) -> Vec<Range<usize>> {
    let text = unit.text();
    // A near-miss keeps the surname: a text without it holds none.
    if !interviewee
        .name
        .chars()
        .next()
        .is_some_and(|surname| text.contains(surname))
    {
        return Vec::new();
    }
    let length = interviewee.name.chars().count();
    let mut candidates: Vec<Range<usize>> = Vec::new();
    let take = |start: usize| -> Option<Range<usize>> {
        let end = text[start..]
            .char_indices()
            .nth(length)
            .map_or(text.len(), |(i, _)| start + i);
        (text[start..end].chars().count() == length).then_some(start..end)
    };
    for verb in attribution::speech_verbs(text) {
        // The name-long stretch right before the verb.
        if let Some(last) = length.checked_sub(1)
            && let Some((start, _)) = text[..verb.start].char_indices().nth_back(last)
        {
            candidates.extend(take(start));
        }
        candidates.extend(take(attribution::clause_start_before(text, verb.start)));
    }
    for (range, _) in context.knowledge.titles().find_all(text) {
        if range.end < text.len() {
            candidates.extend(take(range.end));
        }
    }
    candidates.sort_by_key(|r| r.start);
    candidates.dedup();
    candidates
        .into_iter()
        .filter(|r| is_near_miss(&text[r.clone()], interviewee, context))
        .filter(|r| {
            // The candidate must stand as a speaker: a speech verb follows in its clause, or a title
            // stands right before it.
            let after = r.end;
            attribution::speech_after(text, after).is_some()
                || title_ending_at(text, r.start, context.knowledge.titles()).is_some()
        })
        .collect()
}

/// Same length, same surname, one other character different, and not a known person, a form of
/// address (汪总) or a title.
fn is_near_miss(candidate: &str, interviewee: &PersonEntry, context: &Context<'_>) -> bool {
    let written: Vec<char> = candidate.chars().collect();
    let name: Vec<char> = interviewee.name.chars().collect();
    if written.len() != name.len() || written.len() < 2 || !written.iter().all(|&c| is_han(c)) {
        return false;
    }
    if written[0] != name[0] {
        return false;
    }
    let differences = written.iter().zip(&name).filter(|(a, b)| a != b).count();
    if differences != 1 {
        return false;
    }
    let rest: String = written[1..].iter().collect();
    if attribution::is_address_form(&rest)
        || context.knowledge.titles().longest_prefix(&rest).is_some()
    {
        return false;
    }
    !context.mentions.people.iter().any(|p| p.name == candidate)
}

fn other_interviewee(
    context: &Context<'_>,
    range: Range<usize>,
    interviewee: &PersonEntry,
    other: &PersonEntry,
) -> Finding {
    let mut finding = Finding::new(
        &RULE,
        range.clone(),
        Localized::new(
            format!(
                "{}的访谈把话语归于另一位受访者{}",
                interviewee.name, other.name
            ),
            format!(
                "{}'s interview attributes these words to another interviewee, {}",
                interviewee.name, other.name
            ),
        ),
    );
    if let Some(definition) = &other.definition {
        finding = finding.with_related(
            context.local(definition),
            Localized::new(
                format!("{}的访谈", other.name),
                format!("{}'s interview", other.name),
            ),
        );
    }
    finding.with_fix(use_the_interviewee_name(range, interviewee))
}

fn near_miss(context: &Context<'_>, range: Range<usize>, interviewee: &PersonEntry) -> Finding {
    let written = &context.text[range.clone()];
    let mut finding = Finding::new(
        &RULE,
        range.clone(),
        Localized::new(
            format!("“{written}”与本篇受访者{}仅差一字", interviewee.name),
            format!(
                "“{written}” differs by one character from the interviewee's name, {}",
                interviewee.name
            ),
        ),
    );
    if let Some(definition) = &interviewee.definition {
        finding = finding.with_related(
            context.local(definition),
            Localized::new("署名中的姓名", "the name in the byline"),
        );
    }
    finding.with_fix(use_the_interviewee_name(range, interviewee))
}

/// The fix of both findings: write the interviewee's name instead (a person decides).
fn use_the_interviewee_name(range: Range<usize>, interviewee: &PersonEntry) -> Fix {
    Fix {
        title: Localized::new(
            format!("改为“{}”", interviewee.name),
            format!("Replace with “{}”", interviewee.name),
        ),
        edits: smallvec::smallvec![Edit::replace(range, interviewee.name.clone())],
        safe: false,
    }
}

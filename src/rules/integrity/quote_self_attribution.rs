//! ## What it does
//! Finds a quotation that opens and then reports its own speaker in the third person:
//! `王冬生说：“王冬生表示，……`. The name right after the opening quote (in its first clause or
//! two, followed by 表示, 说, 指出, 介绍…) is the person the sentence before the quote names, or
//! the section's interviewee.
//!
//! ## Why is this bad?
//! It is the trace of two versions merged: a direct quotation (说：“……”) and reported speech
//! (王冬生表示，……). The speaker seems to talk about himself in the third person, and the
//! quotation usually never closes. Keep one of the two: end the lead-in sentence and report
//! the speech, or drop the attribution inside the quote.
//!
//! ## Example
//! ```text
//! 托克托县委书记王冬生在接受记者采访时说：“王冬生表示，托克托县形成了向好态势。
//! ```
//!
//! ## Use instead
//! ```text
//! 托克托县委书记王冬生在接受记者采访时说。王冬生表示，托克托县形成了向好态势。
//! ```
//!
//! ## 检查什么
//! 引号刚打开，就用第三人称交代说话人自己的引文：“王冬生说：“王冬生表示，……”。引号后第一、二个
//! 分句里出现“某某表示（说、指出、介绍……）”，而某某正是引号前那句话提到的人，或本节的受访者。
//!
//! ## 为什么
//! 这是两种写法拼在一起留下的痕迹：直接引语（说：“……”）和间接引语（王冬生表示，……）。说话人好像在
//! 用第三人称谈论自己，引号往往也不再闭合。两种写法只能留一种：或者结束引语前的句子、改为转述，
//! 或者删去引号里的“某某表示”。
//!
//! ## 错误示例
//! ```text
//! 托克托县委书记王冬生在接受记者采访时说：“王冬生表示，托克托县形成了向好态势。
//! ```
//!
//! ## 正确写法
//! ```text
//! 托克托县委书记王冬生在接受记者采访时说。王冬生表示，托克托县形成了向好态势。
//! ```

use std::ops::Range;

use crate::analysis::text::is_han;
use crate::analysis::{Edit, Finding, Fix, Localized, Paragraph, Severity};
use crate::rules::{Context, FixAvailability, Rule, Sink};

pub static RULE: Rule = Rule {
    id: "quote-self-attribution",
    default_severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    summary_zh: "引文开头用第三人称交代说话人自己",
    summary_en: "A quotation reports its own speaker in the third person",
};

/// Verbs of reporting speech, longest first.
const VERBS: &[&str] = &[
    "告诉记者",
    "介绍说",
    "表示",
    "指出",
    "介绍",
    "强调",
    "认为",
    "谈到",
    "坦言",
    "说",
];

/// Clause separators inside the quotation.
fn is_clause_break(c: char) -> bool {
    matches!(
        c,
        '，' | ',' | '：' | ':' | '。' | '；' | ';' | '！' | '？' | '”' | '“'
    )
}

/// `王冬生表示` → (`王冬生`, `表示`): a name of two to four Han characters (or surname and
/// title, 杨区长) right before a verb of speech that ends the clause.
fn attribution(clause: &str) -> Option<(&str, &str)> {
    let verb = VERBS.iter().find(|v| clause.ends_with(*v))?;
    let name = clause[..clause.len() - verb.len()].trim_end_matches("同志");
    let length = name.chars().count();
    ((2..=5).contains(&length) && name.chars().all(is_han)).then_some((name, *verb))
}

/// Is `name` the person the lead-in names, or the section's interviewee (by name, or by
/// surname and one of the byline's titles)?
fn refers_back(name: &str, lead_in: &str, interviewee: Option<&crate::analysis::Person>) -> bool {
    if lead_in.contains(name) {
        return true;
    }
    let Some(person) = interviewee else {
        return false;
    };
    if person.name == name {
        return true;
    }
    let surname: String = person.name.chars().take(1).collect();
    name.strip_prefix(surname.as_str()).is_some_and(|title| {
        title.chars().count() >= 2
            && person.offices.iter().any(|o| {
                o.text.ends_with(title) || o.title.as_deref().is_some_and(|t| t.ends_with(title))
            })
    })
}

pub fn check(context: &Context<'_>, sink: &mut Sink<'_>) {
    let article = context.article;
    for paragraph in &article.paragraphs {
        let interviewee = paragraph
            .section
            .and_then(|s| article.section(s)?.byline.as_ref())
            .and_then(|b| b.person.as_ref());
        // Where the sentence before each quotation starts, carried along the paragraph.
        let text = &paragraph.text;
        let (mut lead_in_start, mut scanned) = (0, 0);
        for (at, _) in text.match_indices('“') {
            // The last mark before the quotation, read backwards from it.
            if let Some((i, c)) = text[scanned..at]
                .char_indices()
                .rev()
                .find(|&(_, c)| ends_lead_in(c))
            {
                lead_in_start = scanned + i + c.len_utf8();
            }
            scanned = at;
            check_quote(paragraph, at, lead_in_start, interviewee, sink);
        }
    }
}

/// A mark that ends the sentence before a quotation's lead-in.
fn ends_lead_in(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '”' | '；')
}

/// `lead_in_start`: just after the last [`ends_lead_in`] mark before the quotation.
fn check_quote(
    paragraph: &Paragraph,
    quote: usize,
    lead_in_start: usize,
    interviewee: Option<&crate::analysis::Person>,
    sink: &mut Sink<'_>,
) {
    let text = &paragraph.text;
    let before = &text[..quote];
    let lead_in = &before[lead_in_start..];
    let colon = lead_in
        .trim_end()
        .chars()
        .last()
        .filter(|&c| c == '：' || c == ':');
    if colon.is_none() {
        return;
    }
    // The first two clauses of the quotation.
    let body = quote + '“'.len_utf8();
    let mut clause_start = body;
    for (clause_number, (at, c)) in text[body..]
        .char_indices()
        .map(|(i, c)| (body + i, c))
        .filter(|&(_, c)| is_clause_break(c))
        .enumerate()
    {
        if clause_number >= 2 || !matches!(c, '，' | ',' | '：' | ':') {
            return;
        }
        let clause = &text[clause_start..at];
        if let Some((name, verb)) = attribution(clause)
            && refers_back(name, lead_in, interviewee)
        {
            let attribution_range = at - name.len() - verb.len()..at + c.len_utf8();
            report(
                paragraph,
                quote,
                lead_in_start + lead_in.trim_end().len(),
                attribution_range,
                name,
                verb,
                sink,
            );
            return;
        }
        clause_start = at + c.len_utf8();
    }
}

fn report(
    paragraph: &Paragraph,
    quote: usize,
    lead_in_end: usize,
    attribution: Range<usize>,
    name: &str,
    verb: &str,
    sink: &mut Sink<'_>,
) {
    let text = &paragraph.text;
    let colon_start = text[..lead_in_end]
        .char_indices()
        .last()
        .map_or(quote, |(i, _)| i);
    let quote_end = quote + '“'.len_utf8();
    let range = paragraph.range_to_source(
        quote
            ..attribution.end
                - text[..attribution.end]
                    .chars()
                    .last()
                    .map_or(0, char::len_utf8),
    );
    let finding = Finding::new(
        &RULE,
        range,
        Localized::new(
            format!("引号刚打开，引文就用第三人称交代说话人：“{name}{verb}”"),
            format!("the quotation opens by reporting its own speaker in the third person: “{name}{verb}”"),
        ),
    )
    .with_fix(Fix {
        title: Localized::new("删去多余的左引号，改为转述", "Remove the stray opening quote and report the speech"),
        edits: smallvec::smallvec![Edit::replace(paragraph.range_to_source(colon_start..quote_end), "。")],
        safe: false,
    })
    .with_fix(Fix {
        title: Localized::new(format!("删去引号内的“{name}{verb}”"), format!("Remove “{name}{verb}” inside the quotation")),
        edits: smallvec::smallvec![Edit::delete(paragraph.range_to_source(attribution))],
        safe: false,
    });
    sink.push(finding);
}

#[cfg(test)]
mod tests {

    fn found(text: &str) -> Vec<String> {
        crate::rules::testing::flagged(&super::RULE, text)
    }

    #[test]
    fn the_speaker_reported_inside_his_own_quotation() {
        let text = "标题\n\n托克托县委书记王冬生在接受记者采访时说：“王冬生表示，要抓落实。”\n";
        assert_eq!(found(text), ["“王冬生表示"]);
        let text =
            "标题\n\n赵永刚在接受记者采访时表示：“谈及下一步发展方向，赵永刚表示，要抓落实。”\n";
        assert_eq!(found(text), ["“谈及下一步发展方向，赵永刚表示"]);
    }

    #[test]
    fn quoting_someone_else_is_fine() {
        let text = "标题\n\n王冬生说：“总书记强调，要抓落实。”他说：“我们表示，坚决拥护。”\n";
        assert!(found(text).is_empty());
    }
}

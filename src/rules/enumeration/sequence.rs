//! ## What it does
//! Finds an ordinal that breaks the numbering of its list: a number skipped (一是、二是、四是),
//! repeated (一是、二是、二是), out of order (三是 after 四是), a list that starts at 二, or a list
//! that switches family midway (首先是 … 其次是 … 三是). A list runs through one section, across
//! paragraphs and layout cuts; a heading or a new section ends it, and a new 一 starts a new list.
//! Every family is read: 一是/一要/一抓, 第一, 首先/其次/再次/最后, 其一, 一方面/另一方面 and the
//! heading levels 一、 （一） 1. （1） ①.
//!
//! ## Why is this bad?
//! Broken numbering is the trace of an edit: an item deleted, moved or pasted twice. Readers
//! notice it at once, and it makes them doubt the rest of the list.
//!
//! ## Example
//! ```text
//! 一是聚焦产业链转型。二是统筹推进城乡融合发展。
//!
//! 李锐亨表示，2026年土默特左旗将紧盯目标。二是强化投资消费。
//! ```
//!
//! ## Use instead
//! ```text
//! 一是聚焦产业链转型。二是统筹推进城乡融合发展。
//!
//! 李锐亨表示，2026年土默特左旗将紧盯目标。三是强化投资消费。
//! ```
//!
//! ## 检查什么
//! 打乱列举编号的序号：跳号（一是、二是、四是）、重号（一是、二是、二是）、倒序（四是之后出现三是）、
//! 不从“一”开始，或中途换了序号体系（首先是……其次是……三是）。一个列举在同一部分内延续，可跨段落、
//! 跨排版断行；标题或新的部分结束列举，新的“一”开始新的列举。识别各种序号：一是/一要/一抓、第一、
//! 首先/其次/再次/最后、其一、一方面/另一方面，以及标题层次 一、 （一） 1. （1） ①。
//!
//! ## 为什么
//! 编号错乱是编辑留下的痕迹：删了一项、挪了一项或粘贴了两次。读者一眼就能看出，并因此怀疑整个列举。
//!
//! ## 错误示例
//! ```text
//! 一是聚焦产业链转型。二是统筹推进城乡融合发展。
//!
//! 李锐亨表示，2026年土默特左旗将紧盯目标。二是强化投资消费。
//! ```
//!
//! ## 正确写法
//! ```text
//! 一是聚焦产业链转型。二是统筹推进城乡融合发展。
//!
//! 李锐亨表示，2026年土默特左旗将紧盯目标。三是强化投资消费。
//! ```

use crate::analysis::enumeration::{
    Enumeration, ListKind, OrdinalFamily, SequenceProblem, numeral_text, ordinal_text,
};
use crate::analysis::{Edit, Finding, Fix, Localized, Severity};
use crate::rules::{FixAvailability, Rule, Sink};

pub static RULE: Rule = Rule {
    id: "enum-sequence",
    default_severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    summary_zh: "列举序号跳号、重号、倒序或混用",
    summary_en: "An ordinal is skipped, repeated, out of order or of another family",
};

pub(super) fn check(list: &Enumeration, sink: &mut Sink<'_>) {
    let ListKind::Ordinal(family) = list.kind else {
        return;
    };
    let renumber = renumbering(list, family);
    for issue in &list.issues {
        let Some(ordinal) = list.items.get(issue.item).and_then(|i| i.ordinal.as_ref()) else {
            continue;
        };
        let previous = issue
            .previous
            .and_then(|p| list.items.get(p))
            .and_then(|i| i.ordinal.as_ref());
        let expected =
            |value: u32| ordinal_text(family, value).unwrap_or_else(|| value.to_string());
        let this = &ordinal.text;
        let message = match issue.problem {
            SequenceProblem::Skipped { expected: value } => Localized::new(
                format!("序号跳号：“{this}”之前缺少“{}”", expected(value)),
                format!(
                    "Skipped ordinal: “{this}” where “{}” was expected",
                    expected(value)
                ),
            ),
            SequenceProblem::Repeated => Localized::new(
                format!("序号重复：上一项已是“{this}”"),
                format!("Repeated ordinal: the previous item is “{this}” too"),
            ),
            SequenceProblem::OutOfOrder { expected: value } => Localized::new(
                format!(
                    "序号倒序：“{this}”出现在“{}”之后，应为“{}”",
                    previous.map_or("", |p| p.text.as_str()),
                    expected(value)
                ),
                format!(
                    "Out-of-order ordinal: “{this}” after “{}”, where “{}” was expected",
                    previous.map_or("", |p| p.text.as_str()),
                    expected(value)
                ),
            ),
            SequenceProblem::LateStart => Localized::new(
                format!("序号没有从“{}”开始：列举以“{this}”开头", expected(1)),
                format!("The list starts at “{this}”, not at “{}”", expected(1)),
            ),
            SequenceProblem::FamilySwitch { .. } => Localized::new(
                format!(
                    "序号体系混用：“{this}”接续以“{}”编号的列举",
                    previous.map_or("", |p| p.text.as_str())
                ),
                format!(
                    "Mixed numbering: “{this}” continues a list numbered with “{}”",
                    previous.map_or("", |p| p.text.as_str())
                ),
            ),
        };
        let mut finding = Finding::new(&RULE, ordinal.range.clone(), message);
        if let Some(previous) = previous {
            finding = finding.with_related(
                previous.range.clone(),
                Localized::new("上一项", "previous item"),
            );
        }
        if let Some(fix) = &renumber {
            finding = finding.with_fix(fix.clone());
        }
        sink.push(finding);
    }
}

/// Numbers the list 1, 2, 3 … in its own family, touching only the numerals that are wrong. Safe
/// when the list starts at 一 and keeps to one family; none when a family cannot say a number.
fn renumbering(list: &Enumeration, family: OrdinalFamily) -> Option<Fix> {
    let mixed = list.issues.iter().any(|i| {
        matches!(
            i.problem,
            SequenceProblem::FamilySwitch { .. } | SequenceProblem::LateStart
        )
    });
    if mixed || list.issues.is_empty() {
        return None;
    }
    let mut edits = Vec::new();
    for (index, item) in list.items.iter().enumerate() {
        let ordinal = item.ordinal.as_ref()?;
        let wanted = index as u32 + 1;
        match ordinal.value {
            None => continue,
            Some(value) if value == wanted => continue,
            Some(_) => edits.push(Edit::replace(
                ordinal.numeral.clone(),
                numeral_text(family, wanted)?,
            )),
        }
    }
    (!edits.is_empty()).then(|| Fix {
        title: Localized::new("按顺序重新编号", "Renumber the list in order"),
        edits: edits.into(),
        safe: true,
    })
}

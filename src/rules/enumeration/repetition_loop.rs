//! ## What it does
//! Finds a run of list items that cycles through the same phrases at least twice — 民生福祉、绿色
//! 发展、开放合作、创新驱动、产城融合, then the same five again, and again. One finding covers the
//! run and names the period and the phrases; the fix deletes every cycle after the first.
//!
//! ## Why is this bad?
//! Such loops are not writing: they come from a text generator or a template that ran away, or
//! from a paste repeated by accident. They are degenerate text and must go before print.
//!
//! ## Example
//! ```text
//! 一是聚焦民生福祉。二是聚焦绿色发展。三是聚焦开放合作。四是聚焦民生福祉。五是聚焦绿色发展。六是聚焦开放合作。七是聚焦民生福祉。
//! ```
//!
//! ## Use instead
//! ```text
//! 一是聚焦民生福祉。二是聚焦绿色发展。三是聚焦开放合作。
//! ```
//!
//! ## 检查什么
//! 列举中按同一组短语循环至少两轮的一串项——民生福祉、绿色发展、开放合作、创新驱动、产城融合，然后又是
//! 这五项，再来一遍。整串报告一次，说明每轮几项、是哪些短语；修复删除第一轮之后的各轮。
//!
//! ## 为什么
//! 这种循环不是写出来的：来自失控的文本生成或模板，或误操作的反复粘贴。它是退化文本，见报前必须删去。
//!
//! ## 错误示例
//! ```text
//! 一是聚焦民生福祉。二是聚焦绿色发展。三是聚焦开放合作。四是聚焦民生福祉。五是聚焦绿色发展。六是聚焦开放合作。七是聚焦民生福祉。
//! ```
//!
//! ## 正确写法
//! ```text
//! 一是聚焦民生福祉。二是聚焦绿色发展。三是聚焦开放合作。
//! ```

use super::{Plan, item_span, short};
use crate::analysis::enumeration::Enumeration;
use crate::analysis::{Edit, Finding, Fix, Localized, Severity};
use crate::rules::{FixAvailability, Rule, Sink};

pub static RULE: Rule = Rule {
    id: "enum-repetition-loop",
    default_severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    summary_zh: "列举项循环重复（退化文本）",
    summary_en: "List items cycle through the same phrases (degenerate text)",
};

pub(super) fn check(list: &Enumeration, plan: &Plan, sink: &mut Sink<'_>) {
    let Some(cycle) = list.cycle else { return };
    let (Some(first), Some(last)) = (list.items.get(cycle.start), list.items.get(cycle.end - 1))
    else {
        return;
    };
    let phrases: Vec<String> = list.items[cycle.start..cycle.start + cycle.period]
        .iter()
        .map(|i| format!("“{}”", short(&i.text)))
        .collect();
    let (run_zh, run_en) = item_span(&(cycle.start..cycle.end));
    let period = cycle.period;
    let message = Localized::new(
        format!("{run_zh}每{period}项一轮循环重复：{}", phrases.join("、")),
        format!(
            "{} cycle through the same {period} phrases: {}",
            capitalise(&run_en),
            phrases.join(", ")
        ),
    );
    let mut finding = Finding::new(&RULE, first.range.start..last.range.end, message).with_related(
        first.range.clone(),
        Localized::new("第一轮从这里开始", "the first cycle starts here"),
    );
    if let Some((items, range)) = &plan.loop_removal {
        let (zh, en) = item_span(items);
        finding = finding.with_fix(Fix {
            title: Localized::new(
                format!("删除循环重复的{zh}"),
                format!("Delete the looping {en}"),
            ),
            edits: smallvec::smallvec![Edit::delete(range.clone())],
            safe: true,
        });
    }
    sink.push(finding);
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

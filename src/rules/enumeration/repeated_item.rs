//! ## What it does
//! Finds a list item whose content repeats an earlier item of the same list: the clause after the
//! ordinal, up to its sentence end, compared without punctuation — exactly, or nearly when only
//! the stock verbs and heads that list items share differ (聚焦民生福祉 / 构建民生福祉体系).
//! One finding per repeated item, pointing at the earlier one.
//!
//! ## Why is this bad?
//! A list that says the same thing twice has been pasted twice, or was padded. Either way, the
//! reader is told less than the numbering promises.
//!
//! ## Example
//! ```text
//! 一是全力推动制造业开放合作。二是全力推动制造业绿色发展。三是全力推动制造业开放合作。
//! ```
//!
//! ## Use instead
//! ```text
//! 一是全力推动制造业开放合作。二是全力推动制造业绿色发展。
//! ```
//!
//! ## 检查什么
//! 列举中与前面某项内容重复的项：比较序号之后到句末的内容（去掉标点），完全相同，或只差列举项常用的
//! 动词和中心词（聚焦民生福祉 / 构建民生福祉体系）即视为几乎相同。每个重复项报告一次，并指向前面那一项。
//!
//! ## 为什么
//! 同一件事说了两遍的列举，不是粘贴了两次就是凑了数。无论哪种，读者得到的都比编号许诺的少。
//!
//! ## 错误示例
//! ```text
//! 一是全力推动制造业开放合作。二是全力推动制造业绿色发展。三是全力推动制造业开放合作。
//! ```
//!
//! ## 正确写法
//! ```text
//! 一是全力推动制造业开放合作。二是全力推动制造业绿色发展。
//! ```

use super::{Plan, short};
use crate::analysis::enumeration::Enumeration;
use crate::analysis::{Edit, Finding, Fix, Localized, Severity};
use crate::rules::{FixAvailability, Rule, Sink};

pub static RULE: Rule = Rule {
    id: "enum-repeated-item",
    default_severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    summary_zh: "列举项与前面的项重复",
    summary_en: "A list item repeats an earlier one",
};

pub(super) fn check(list: &Enumeration, plan: &Plan, sink: &mut Sink<'_>) {
    for repeat in &list.repeats {
        let (Some(item), Some(earlier)) =
            (list.items.get(repeat.item), list.items.get(repeat.earlier))
        else {
            continue;
        };
        let (n, m) = (repeat.item + 1, repeat.earlier + 1);
        let message = if repeat.exact {
            Localized::new(
                format!("第{n}项“{}”与第{m}项重复", short(&item.text)),
                format!("Item {n} (“{}”) repeats item {m}", short(&item.text)),
            )
        } else {
            Localized::new(
                format!(
                    "第{n}项“{}”与第{m}项“{}”几乎相同",
                    short(&item.text),
                    short(&earlier.text)
                ),
                format!(
                    "Item {n} (“{}”) nearly repeats item {m} (“{}”)",
                    short(&item.text),
                    short(&earlier.text)
                ),
            )
        };
        let mut finding = Finding::new(&RULE, item.range.clone(), message).with_related(
            earlier.range.clone(),
            Localized::new(format!("第{m}项"), format!("item {m}")),
        );
        if let Some(range) = list.removal(repeat.item..repeat.item + 1) {
            // Safe only for a one-clause exact copy that no larger deletion already removes.
            let safe = repeat.exact && item.single_clause && !plan.covers(repeat.item);
            finding = finding.with_fix(Fix {
                title: Localized::new(
                    format!("删除重复的第{n}项"),
                    format!("Delete the repeated item {n}"),
                ),
                edits: smallvec::smallvec![Edit::delete(range)],
                safe,
            });
        }
        sink.push(finding);
    }
}

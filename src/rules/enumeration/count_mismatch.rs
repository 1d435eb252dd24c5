//! ## What it does
//! Finds an announced count — 四个方面, 五个体系, 三大主导产业, 两项任务 — that differs from the
//! number of items in the list it introduces: the numbered list that follows it (一是 … 四是,
//! also after a closing quote and an attribution), or the items named just before it
//! (生物制造、新能源新材料和现代装备制造三大主导产业). Fixed formulations that contain a number
//! (四个自信, 两个确立, “十五五”) are names, not announcements; a count followed by no list, or a
//! list closed with 等, is not checked.
//!
//! ## Why is this bad?
//! A reader counts. “Four areas” followed by twenty points, or by three, tells them that
//! something was lost or duplicated in editing — usually a list that grew by copy and paste, or
//! an item cut by the layout. Either the count or the list is wrong, and it is printed.
//!
//! ## Example
//! ```text
//! 和林格尔新区将重点做好四方面工作：一是聚焦目标定位。二是聚焦项目支撑。三是聚焦人才支撑。四是聚焦服务保障。五是聚焦民生福祉。六是聚焦目标定位。
//! ```
//!
//! ## Use instead
//! ```text
//! 和林格尔新区将重点做好四方面工作：一是聚焦目标定位。二是聚焦项目支撑。三是聚焦人才支撑。四是聚焦服务保障。
//! ```
//!
//! ## 检查什么
//! 宣布的数目（四个方面、五个体系、三大主导产业、两项任务）与其引出的列举项数不符：其后的序号列举
//! （一是……四是，也包括隔着引号结束和“某某说”的情形），或紧挨其前的并列项（生物制造、新能源新材料
//! 和现代装备制造三大主导产业）。含数字的固定提法（四个自信、两个确立、“十五五”）是名称而非宣布；
//! 后面没有列举的数目、以“等”收尾的并列不检查。
//!
//! ## 为什么
//! 读者会数。说“四个方面”却列了二十条或三条，说明编辑中丢了或重复了内容——常见的是复制粘贴
//! 使列举越来越长，或排版截掉了一项。数目和列举总有一个错了，而且要见报。
//!
//! ## 错误示例
//! ```text
//! 和林格尔新区将重点做好四方面工作：一是聚焦目标定位。二是聚焦项目支撑。三是聚焦人才支撑。四是聚焦服务保障。五是聚焦民生福祉。六是聚焦目标定位。
//! ```
//!
//! ## 正确写法
//! ```text
//! 和林格尔新区将重点做好四方面工作：一是聚焦目标定位。二是聚焦项目支撑。三是聚焦人才支撑。四是聚焦服务保障。
//! ```

use super::{Plan, item_span};
use crate::analysis::enumeration::{Enumeration, ListKind, chinese_numeral};
use crate::analysis::{Edit, Finding, Fix, Localized, Severity};
use crate::rules::{FixAvailability, Rule, Sink};

pub static RULE: Rule = Rule {
    id: "enum-count-mismatch",
    default_severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    summary_zh: "宣布的数目与列举的项数不符",
    summary_en: "An announced count differs from the items listed",
};

pub(super) fn check(list: &Enumeration, plan: &Plan, sink: &mut Sink<'_>) {
    let Some(announcement) = &list.announcement else {
        return;
    };
    if list.count_matches() || list.items.is_empty() {
        return;
    }
    let listed = list.items.len();
    let announced = announcement.count;
    let inline = matches!(list.kind, ListKind::Inline { .. });
    let message = if inline {
        Localized::new(
            format!(
                "“{}”宣布{announced}项，前面列出{listed}项",
                announcement.text
            ),
            format!(
                "“{}” announces {announced} items, {listed} are named before it",
                announcement.text
            ),
        )
    } else {
        Localized::new(
            format!(
                "“{}”宣布{announced}项，其后列出{listed}项",
                announcement.text
            ),
            format!(
                "“{}” announces {announced} items, {listed} follow",
                announcement.text
            ),
        )
    };
    let mut finding = Finding::new(&RULE, announcement.range.clone(), message);
    if let Some(first) = list.items.first() {
        finding = finding.with_related(first.range.clone(), Localized::new("第1项", "item 1"));
    }
    if let Some(last) = list.items.last().filter(|_| listed > 1) {
        finding = finding.with_related(
            last.range.clone(),
            Localized::new(format!("第{listed}项"), format!("item {listed}")),
        );
    }
    if let Some((items, range)) = &plan.truncation {
        let (zh, en) = item_span(items);
        finding = finding.with_fix(Fix {
            title: Localized::new(
                format!("删除{zh}（重复或循环的项）"),
                format!("Delete {en} (repeated or looping items)"),
            ),
            edits: smallvec::smallvec![Edit::delete(range.clone())],
            safe: true,
        });
    }
    let numeral = if announcement.arabic {
        listed.to_string()
    } else if listed == 2 {
        "两".to_string()
    } else {
        chinese_numeral(listed as u32)
    };
    finding = finding.with_fix(Fix {
        title: Localized::new(
            format!("将数目改为“{numeral}”"),
            format!("Change the count to {listed}"),
        ),
        edits: smallvec::smallvec![Edit::replace(announcement.numeral.clone(), numeral)],
        safe: false,
    });
    sink.push(finding);
}

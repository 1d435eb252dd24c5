//! ## What it does
//! Finds a paragraph that stops in mid-sentence — on a comma, a 顿号, an open quote or in the
//! middle of a word — and whose sentence goes on in the next paragraph.
//!
//! ## Why is this bad?
//! Layout systems break columns wherever the frame ends; when the copy comes back from layout
//! the break stays as a paragraph mark (`赛罕区委` | `副书记`). Readers see two half
//! paragraphs, and a title or a name is torn apart. Headlines and bylines never count.
//!
//! ## Example
//! ```text
//! “会议报告站位高远、指向清晰。”赛罕区委
//!
//! 副书记、代区长杨朋飞在接受记者采访时说……
//! ```
//!
//! ## Use instead
//! ```text
//! “会议报告站位高远、指向清晰。”赛罕区委副书记、代区长杨朋飞在接受记者采访时说……
//! ```
//!
//! ## 检查什么
//! 在句子中间（逗号、顿号、左引号之后或词语中间）断开、下一段接着把这句话说完的段落。
//!
//! ## 为什么
//! 排版分栏时，文字在栏尾被截断，回传的稿件里就多出一个分段（“赛罕区委”｜“副书记”）。
//! 读者看到的是两个半截段落，职务、人名也被拆开。标题和署名行不在此列。
//!
//! ## 错误示例
//! ```text
//! “会议报告站位高远、指向清晰。”赛罕区委
//!
//! 副书记、代区长杨朋飞在接受记者采访时说……
//! ```
//!
//! ## 正确写法
//! ```text
//! “会议报告站位高远、指向清晰。”赛罕区委副书记、代区长杨朋飞在接受记者采访时说……
//! ```

use super::{first_chars, is_non_prose, last_chars, starts_with_list_marker};
use crate::analysis::{Edit, Finding, Fix, Localized, Severity};
use crate::rules::{Context, FixAvailability, Rule, Sink};

pub static RULE: Rule = Rule {
    id: "split-paragraph",
    default_severity: Severity::Warning,
    fix: FixAvailability::Always,
    summary_zh: "段落在句子中间断开，下文在下一段继续",
    summary_en: "A paragraph breaks in mid-sentence and goes on in the next one",
};

pub fn check(context: &Context<'_>, sink: &mut Sink<'_>) {
    let text = context.text;
    let article = context.article;
    for cut in &article.cuts {
        let before = article.blocks[cut.before].span();
        let after = article.blocks[cut.after].span();
        if is_non_prose(context, cut.before)
            || is_non_prose(context, cut.after)
            || starts_with_list_marker(&text[after.clone()])
        {
            continue;
        }
        let tail_start = last_chars(text, before.clone(), 4);
        let head_end = first_chars(text, after.clone(), 4);
        let tail = &text[tail_start..before.end];
        let head = &text[after.start..head_end];
        let finding = Finding::new(
            &RULE,
            tail_start..before.end,
            Localized::new(
                format!("段落在句子中间断开：“…{tail}”与下一段“{head}…”是同一句话"),
                format!("the paragraph breaks in mid-sentence: “…{tail}” goes on in the next paragraph with “{head}…”"),
            ),
        )
        .with_related(
            after.start..head_end,
            Localized::new("这句话在这里接着说", "the sentence goes on here"),
        )
        .with_fix(Fix {
            title: Localized::new("合并两段", "Join the two paragraphs"),
            edits: smallvec::smallvec![Edit::delete(cut.gap.clone())],
            safe: true,
        });
        sink.push(finding);
    }
}

#[cfg(test)]
mod tests {

    fn found(text: &str) -> Vec<String> {
        crate::rules::testing::flagged(&super::RULE, text)
    }

    #[test]
    fn a_title_torn_by_a_column_break() {
        let text = "标题\n\n“会议报告站位高远。”赛罕区委\n\n副书记、代区长杨朋飞说，要抓落实。\n";
        assert_eq!(found(text), ["赛罕区委"]);
    }

    #[test]
    fn list_items_and_decks_are_not_split() {
        let text = "全市工作会议召开 部署全年任务\n\n坚持稳中求进，推动高质量发展\n\n会议要求，抓好以下工作。\n\n1. 聚焦产业升级\n\n2. 聚焦项目建设\n\n这些工作都要落到实处。\n";
        assert!(found(text).is_empty(), "{:?}", found(text));
    }
}

//! ## What it does
//! Finds a paragraph that stops in mid-sentence with nothing to continue it: the next line is
//! a headline, a new section begins, or the article ends (`稳住经济增`, `抓落`).
//!
//! ## Why is this bad?
//! Text lost in layout or editing leaves a sentence without its end; the reader never learns
//! what was to be done. Unlike a split paragraph there is nothing to join: the missing words
//! must be restored from the manuscript, or the broken sentence removed. Credits, captions,
//! list items, table rows and decks without final punctuation are not sentences and are left
//! alone.
//!
//! ## Example
//! ```text
//! 李锐亨表示，要强化投资消费，稳住经济增
//!
//! 立足生态资源优势 走好绿色发展之路
//! ```
//!
//! ## Use instead
//! ```text
//! 李锐亨表示，要强化投资消费，稳住经济增长。
//!
//! 立足生态资源优势 走好绿色发展之路
//! ```
//!
//! ## 检查什么
//! 在句子中间戛然而止、后面又没有下文接续的段落：下一行是标题、新的一节，或者全文结束
//! （“稳住经济增”“抓落”）。
//!
//! ## 为什么
//! 排版或编辑中丢了文字，句子就没有了结尾，读者不知道要做什么。它和分段断句不同，没有可以
//! 合并的下文，只能对照原稿补齐，或删去残句。署名、图片说明、列表项、表格行和不带句末标点的
//! 副题都不是句子，不在检查之列。
//!
//! ## 错误示例
//! ```text
//! 李锐亨表示，要强化投资消费，稳住经济增
//!
//! 立足生态资源优势 走好绿色发展之路
//! ```
//!
//! ## 正确写法
//! ```text
//! 李锐亨表示，要强化投资消费，稳住经济增长。
//!
//! 立足生态资源优势 走好绿色发展之路
//! ```

use super::{is_continuing_mark, is_non_prose};
use crate::analysis::text::{char_len, ends_sentence, is_han, is_sentence_final};
use crate::analysis::{Finding, Localized, Severity};
use crate::rules::{Context, FixAvailability, Rule, Sink};

pub static RULE: Rule = Rule {
    id: "truncated-sentence",
    default_severity: Severity::Warning,
    fix: FixAvailability::None,
    summary_zh: "段落在句子中间结束，没有下文",
    summary_en: "A paragraph stops in mid-sentence with nothing after it",
};

/// Marks that end a clause; the last clause of a truncated paragraph is what we show.
fn is_clause_mark(c: char) -> bool {
    is_sentence_final(c) || matches!(c, '，' | ',' | '、' | '”' | '’' | '）' | ')')
}

pub fn check(context: &Context<'_>, sink: &mut Sink<'_>) {
    let text = context.text;
    let article = context.article;
    for (index, block) in article.blocks.iter().enumerate() {
        if !block.kind.is_running_text() || article.cut_after(index).is_some() {
            continue;
        }
        // Running text of another kind goes on after it (a body line before a block quote).
        if article
            .blocks
            .get(index + 1)
            .is_some_and(|next| next.kind.is_running_text())
        {
            continue;
        }
        let span = block.span();
        let content = text[span.clone()].trim_end();
        if ends_sentence(content) {
            continue;
        }
        let Some(last) = content.chars().last() else {
            continue;
        };
        // A paragraph of prose that stops on a word or on a mark that asks for more.
        let stops_midway = is_han(last) || is_continuing_mark(last);
        let prose = content
            .chars()
            .any(|c| matches!(c, '，' | ',' | '。' | '、'))
            && char_len(content) >= 12;
        if !stops_midway || !prose || is_non_prose(context, index) {
            continue;
        }
        let end = span.start + content.len();
        let clause_start = content
            .char_indices()
            .rev()
            .skip(1)
            .find(|&(_, c)| is_clause_mark(c))
            .map_or(0, |(i, c)| i + c.len_utf8());
        let clause = &content[clause_start..];
        let shown_start = clause
            .char_indices()
            .rev()
            .take(8)
            .last()
            .map_or(clause_start, |(i, _)| clause_start + i);
        let range = span.start + shown_start..end;
        let tail = &text[range.clone()];
        let after = match article.blocks.get(index + 1) {
            None if context.last_part => Localized::new("全文在此结束", "the article ends here"),
            _ => Localized::new(
                "下文另起标题或新的一节",
                "a headline or a new section follows",
            ),
        };
        sink.push(Finding::new(
            &RULE,
            range,
            Localized::new(
                format!("句子没有说完：“…{tail}”之后缺少下文（{}）", after.zh),
                format!(
                    "the sentence stops at “…{tail}” and nothing continues it ({})",
                    after.en
                ),
            ),
        ));
    }
}

#[cfg(test)]
mod tests {

    fn found(text: &str) -> Vec<String> {
        crate::rules::testing::flagged(&super::RULE, text)
    }

    #[test]
    fn a_sentence_that_stops_before_a_headline() {
        let text = "标题\n\n会议召开。\n\n李锐亨表示，二是强化投资消费，稳住经济增\n\n立足生态资源优势 走好绿色发展之路\n\n——访武川县委书记哈达\n\n哈达说，要抓落实。\n";
        assert_eq!(found(text), ["稳住经济增"]);
    }

    #[test]
    fn credits_captions_and_colons_are_complete() {
        let text =
            "标题\n\n会议提出以下要求：\n\n（记者 张三）\n\n图为会议现场，本报记者 李四 摄\n";
        assert!(found(text).is_empty(), "{:?}", found(text));
    }
}

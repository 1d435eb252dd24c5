//! Text integrity: text that layout, copying or typing broke — paragraphs cut in mid-sentence,
//! sentences that stop, quotations that never close or report their own speaker, passages
//! pasted twice, words typed twice, and traditional characters in simplified copy.

pub mod duplicate_passage;
pub mod quote_self_attribution;
pub mod quote_unbalanced;
pub mod repeated_word;
pub mod split_paragraph;
pub mod traditional_char;
pub mod truncated_sentence;

use std::ops::Range;

use super::{Context, Family, Sink};
use crate::analysis::text::{char_len, is_sentence_final};
use crate::analysis::{Article, BlockKind};

pub static FAMILY: Family = Family {
    name: "integrity",
    rules: &[
        &split_paragraph::RULE,
        &truncated_sentence::RULE,
        &quote_unbalanced::RULE,
        &quote_self_attribution::RULE,
        &duplicate_passage::RULE,
        &repeated_word::RULE,
        &traditional_char::RULE,
    ],
    check,
};

/// The rules that read one part of the document. `duplicate-passage` and the whole-text verdict
/// of `traditional-char` read the whole document: see [`crate::rules::run_document`].
fn check(context: &Context<'_>, sink: &mut Sink<'_>) {
    if context.enabled(&split_paragraph::RULE) {
        split_paragraph::check(context, sink);
    }
    if context.enabled(&truncated_sentence::RULE) {
        truncated_sentence::check(context, sink);
    }
    if context.enabled(&quote_unbalanced::RULE) {
        quote_unbalanced::check(context, sink);
    }
    if context.enabled(&quote_self_attribution::RULE) {
        quote_self_attribution::check(context, sink);
    }
    if context.enabled(&repeated_word::RULE) {
        repeated_word::check(context, sink);
    }
}

/// Is `c` a comma-like mark after which a sentence must go on (，、 and their ASCII kin)?
pub(crate) fn is_continuing_mark(c: char) -> bool {
    matches!(c, '，' | ',' | '、' | '“' | '‘' | '（' | '(' | '《' | '—')
}

/// The text of the source line that holds `offset`, up to `offset`.
fn line_prefix(text: &str, offset: usize) -> &str {
    let start = text[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    &text[start..offset]
}

/// Does a line start with a list marker: `- `, `* `, `+ `, `1. `, `1）`, `（一）`, `一、`, `•`?
pub(crate) fn starts_with_list_marker(content: &str) -> bool {
    let content = content.trim_start();
    if ["- ", "* ", "+ ", "• ", "·", "•", "●", "■", "◆", "▲", "★"]
        .iter()
        .any(|m| content.starts_with(m))
    {
        return true;
    }
    let digits = content.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && digits < 4 {
        let rest = &content[digits..];
        if [". ", "．", "、", ")", "）", "."]
            .iter()
            .any(|m| rest.starts_with(m))
        {
            return true;
        }
    }
    let numerals = |c: char| "一二三四五六七八九十".contains(c);
    for (open, close) in [('（', '）'), ('(', ')')] {
        if let Some(rest) = content.strip_prefix(open) {
            let n = rest
                .chars()
                .take_while(|&c| numerals(c) || c.is_ascii_digit())
                .count();
            if n > 0 && rest.chars().nth(n) == Some(close) {
                return true;
            }
        }
    }
    let n = content.chars().take_while(|&c| numerals(c)).count();
    if n > 0 {
        let rest: String = content.chars().skip(n).take(1).collect();
        if rest == "、" || rest == "是" || rest == "要" || rest == "，" {
            return true;
        }
    }
    if let Some(rest) = content.strip_prefix('第') {
        let n = rest.chars().take_while(|&c| numerals(c)).count();
        if n > 0 && matches!(rest.chars().nth(n), Some('，' | ',' | '、' | '是')) {
            return true;
        }
    }
    false
}

/// A block that is not a sentence of running prose even though the parser took it for body
/// text: a list item, a table row, a picture caption, a deck under a headline.
pub(crate) fn is_non_prose(context: &Context<'_>, block: usize) -> bool {
    let article = context.article;
    let text = context.text;
    let span = article.blocks[block].span();
    let content = &text[span.clone()];
    // Markdown list items keep their marker before the piece.
    if starts_with_list_marker(line_prefix(text, span.start)) {
        return true;
    }
    // A plain-text list item that is a phrase, not a sentence: `1. 聚焦产业升级`.
    let full_stop = |c: char| matches!(c, '。' | '！' | '？' | '；' | '!' | '?' | ';');
    if starts_with_list_marker(content) && !content.chars().any(full_stop) {
        return true;
    }
    if content.contains('|') || content.contains('\t') || content.contains("  ") {
        return true;
    }
    if is_caption(content) {
        return true;
    }
    is_deck(article, text, block)
}

/// `图为……。本报记者 张三 摄`, `（新华社发）`, `供图`.
fn is_caption(content: &str) -> bool {
    let content = content.trim_end_matches(['）', ')']);
    ["摄", "摄影", "供图", "制图", "图", "视频截图", "发", "绘"]
        .iter()
        .any(|end| content.ends_with(end))
        && (content.contains("记者") || content.contains("图") || content.contains("摄"))
}

/// A deck (副题/引题) or summary line: short, at the head of the article or of a section, no
/// sentence-final mark, quotes balanced, phrases side by side (`坚持稳中求进，推动高质量发展`).
fn is_deck(article: &Article, text: &str, block: usize) -> bool {
    let content = article.block_text(text, block);
    let length = char_len(&content);
    if length > 40 || content.chars().any(is_sentence_final) {
        return false;
    }
    let last = content.chars().last();
    if last.is_none_or(|c| is_continuing_mark(c) || c == '，') {
        return false;
    }
    let opens = content.matches(['“', '‘']).count();
    let closes = content.matches(['”', '’']).count();
    if opens != closes {
        return false;
    }
    let parts: Vec<&str> = content
        .split(['，', ',', ' ', '\u{3000}', '、'])
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() < 2 || parts.iter().any(|p| char_len(p) < 3) {
        return false;
    }
    // At the head: only headings, bylines, asides and other decks before it in its section.
    let mut index = block;
    while index > 0 {
        index -= 1;
        match article.blocks[index].kind {
            BlockKind::Title
            | BlockKind::Headline
            | BlockKind::Heading { .. }
            | BlockKind::Byline => {
                return true;
            }
            BlockKind::Aside => continue,
            BlockKind::Body | BlockKind::Quote => return false,
        }
    }
    false
}

/// The start of the last `n` characters of `text[range]`, as a byte offset of `text`.
pub(crate) fn last_chars(text: &str, range: Range<usize>, n: usize) -> usize {
    let slice = &text[range.clone()];
    slice
        .char_indices()
        .rev()
        .take(n)
        .last()
        .map_or(range.end, |(i, _)| range.start + i)
}

/// The end of the first `n` characters of `text[range]`.
pub(crate) fn first_chars(text: &str, range: Range<usize>, n: usize) -> usize {
    let slice = &text[range.clone()];
    slice
        .char_indices()
        .nth(n)
        .map_or(range.end, |(i, _)| range.start + i)
}

#[cfg(test)]
mod tests {
    use super::starts_with_list_marker;

    #[test]
    fn list_markers() {
        for yes in [
            "- 一项",
            "1. 第一",
            "（一）总体要求",
            "一、总体要求",
            "一是聚焦",
            "第一，要",
        ] {
            assert!(starts_with_list_marker(yes), "{yes}");
        }
        for no in [
            "一带一路建设",
            "2026年",
            "（记者 张三）",
            "统一思想",
            "十分重要",
        ] {
            assert!(!starts_with_list_marker(no), "{no}");
        }
    }
}

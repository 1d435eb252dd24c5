//! ## What it does
//! Finds a word typed twice by mistake: `消费消费`, `推进推进`. A repeat counts when the
//! segmenter reads the two halves as the same word (or words) standing side by side; normal
//! reduplication is left alone — doubled characters (看看, 天天, 扎扎实实, 一项项), 一X一X
//! (一步一步) and the verbs and adjectives Chinese doubles on purpose (研究研究, 雪白雪白,
//! listed in `data/reduplication.toml`).
//!
//! ## Why is this bad?
//! A doubled word is a slip of the keyboard or of an edit that pasted a word next to itself;
//! spell checkers for alphabetic languages catch `the the`, and copy editors expect the same.
//!
//! ## Example
//! ```text
//! 创新多元消费消费新场景，激发消费新活力。
//! ```
//!
//! ## Use instead
//! ```text
//! 创新多元消费新场景，激发消费新活力。
//! ```
//!
//! ## 检查什么
//! 误输入两遍的词语：“消费消费”“推进推进”。分词结果显示前后两半是并排的同一个词（或同一组词）时才
//! 报告；正常的重叠形式不报：单字重叠（看看、天天、扎扎实实、一项项）、“一X一X”（一步一步），以及
//! 汉语有意重叠的动词、形容词（研究研究、雪白雪白，见 `data/reduplication.toml`）。
//!
//! ## 为什么
//! 词语重复多是打字或编辑粘贴时的失误；拼音文字的拼写检查能发现 `the the`，编校人员对中文也有
//! 同样的期待。
//!
//! ## 错误示例
//! ```text
//! 创新多元消费消费新场景，激发消费新活力。
//! ```
//!
//! ## 正确写法
//! ```text
//! 创新多元消费新场景，激发消费新活力。
//! ```

use std::collections::HashSet;
use std::sync::LazyLock;

use jieba_rs::Jieba;

use crate::analysis::text::is_han;
use crate::analysis::{Edit, Finding, Fix, Localized, Severity};
use crate::rules::{Context, FixAvailability, Rule, Sink};

pub static RULE: Rule = Rule {
    id: "repeated-word",
    default_severity: Severity::Warning,
    fix: FixAvailability::Always,
    summary_zh: "词语误重复",
    summary_en: "A word typed twice",
};

/// The segmenter, built on first use (its dictionary takes about 100 ms to load).
static JIEBA: LazyLock<Jieba> = LazyLock::new(Jieba::new);

/// Loads the segmenter's dictionary now (about 100 ms), so that a first check does not wait
/// for it. The language server calls this in the background after `initialize`.
pub fn preload() {
    LazyLock::force(&JIEBA);
}

#[derive(serde::Deserialize)]
struct AllowList {
    words: Vec<String>,
}

static ALLOWED: LazyLock<HashSet<String>> = LazyLock::new(|| {
    toml::from_str::<AllowList>(include_str!("../../../data/reduplication.toml"))
        .map(|list| list.words.into_iter().collect())
        .unwrap_or_else(|error| panic!("data/reduplication.toml is broken: {error}"))
});

/// Characters of the clause around a repeat that the segmenter sees on each side.
const CONTEXT_CHARS: usize = 12;

pub fn check(context: &Context<'_>, sink: &mut Sink<'_>) {
    let article = context.article;
    let text = context.text;
    for paragraph in &article.paragraphs {
        for (start, end) in repeats(&paragraph.text) {
            let range = paragraph.range_to_source(start..end);
            let half = (start + end) / 2;
            push(
                sink,
                paragraph.range_to_source(half..end),
                range,
                &paragraph.text[start..half],
            );
        }
    }
    for block in article.blocks.iter().filter(|b| !b.kind.is_running_text()) {
        for piece in &block.pieces {
            for (start, end) in repeats(&text[piece.clone()]) {
                let half = (start + end) / 2;
                push(
                    sink,
                    piece.start + half..piece.start + end,
                    piece.start + start..piece.start + end,
                    &text[piece.start + start..piece.start + half],
                );
            }
        }
    }
}

fn push(
    sink: &mut Sink<'_>,
    second: std::ops::Range<usize>,
    range: std::ops::Range<usize>,
    word: &str,
) {
    sink.push(
        Finding::new(
            &RULE,
            range,
            Localized::new(
                format!("“{word}”重复了一遍"),
                format!("“{word}” is written twice"),
            ),
        )
        .with_fix(Fix {
            title: Localized::new(
                format!("删去重复的“{word}”"),
                format!("Delete the second “{word}”"),
            ),
            edits: vec![Edit::delete(second)],
            safe: true,
        }),
    );
}

/// Byte ranges `start..end` of `text` whose two halves are the same word or words, typed twice.
fn repeats(text: &str) -> Vec<(usize, usize)> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut found = Vec::new();
    let mut i = 0;
    'outer: while i < chars.len() {
        for unit in (2..=4).rev() {
            if i + 2 * unit > chars.len() {
                continue;
            }
            let first = &chars[i..i + unit];
            let second = &chars[i + unit..i + 2 * unit];
            if !first.iter().zip(second).all(|(a, b)| a.1 == b.1)
                || !first.iter().all(|c| is_han(c.1))
            {
                continue;
            }
            let word: String = first.iter().map(|c| c.1).collect();
            if is_reduplication(&word) {
                continue;
            }
            let start = first[0].0;
            let end = chars.get(i + 2 * unit).map_or(text.len(), |c| c.0);
            if segmented_apart(text, &chars, i, unit) {
                found.push((start, end));
                i += 2 * unit;
                continue 'outer;
            }
        }
        i += 1;
    }
    found
}

fn is_reduplication(word: &str) -> bool {
    let mut chars = word.chars();
    let first = chars.next();
    // 哈哈哈哈: one character doubled over and over; 一步一步, 一个一个.
    word.chars().all(|c| Some(c) == first)
        || (first == Some('一') && word.chars().count() == 2)
        || ALLOWED.contains(word)
}

/// Does the segmenter put word boundaries at the start of the repeat, between its halves and
/// at its end? `消费消费` → 消费/消费; `发展中国家中` is no repeat of words.
fn segmented_apart(text: &str, chars: &[(usize, char)], i: usize, unit: usize) -> bool {
    let from = i.saturating_sub(CONTEXT_CHARS);
    let to = (i + 2 * unit + CONTEXT_CHARS).min(chars.len());
    let start = chars[from].0;
    let end = chars.get(to).map_or(text.len(), |c| c.0);
    let window = &text[start..end];
    let boundaries: HashSet<usize> = JIEBA
        .cut(window, true)
        .iter()
        .flat_map(|t| [start + t.byte_start, start + t.byte_end])
        .collect();
    let at = |k: usize| chars.get(k).map_or(text.len(), |c| c.0);
    boundaries.contains(&at(i))
        && boundaries.contains(&at(i + unit))
        && boundaries.contains(&at(i + 2 * unit))
}

#[cfg(test)]
mod tests {
    use super::repeats;

    fn words(text: &str) -> Vec<&str> {
        repeats(text)
            .into_iter()
            .map(|(s, e)| &text[s..e])
            .collect()
    }

    #[test]
    fn a_word_typed_twice() {
        assert_eq!(
            words("创新多元消费消费新场景，激发消费新活力。"),
            ["消费消费"]
        );
        assert_eq!(words("要持续推进推进产业升级。"), ["推进推进"]);
    }

    #[test]
    fn reduplication_is_normal() {
        for text in [
            "在推动黄河流域生态保护上扎扎实实做好工作。",
            "把目标一项项落实好。",
            "大家一起研究研究这个问题。",
            "要一步一步往前走，天天看看进度。",
            "笑声哈哈哈哈传来。",
        ] {
            assert!(words(text).is_empty(), "{text}: {:?}", words(text));
        }
    }
}

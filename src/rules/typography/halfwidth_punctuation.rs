//! ## What it does
//! Finds ASCII punctuation — `, : ; ? ! ( )` — written next to Chinese characters.
//!
//! ## Why is this bad?
//! GB/T 15834-2011 (标点符号用法) asks for full-width punctuation in Chinese text. Half-width
//! marks usually come from an English input method or a layout system, and look cramped in
//! print. A colon in `10:30` or a comma in `1,000` stays as it is.
//!
//! ## Example
//! ```text
//! 2025年12月31日,市委十三届十一次全会召开。杨朋飞说:“要抓落实。”
//! ```
//!
//! ## Use instead
//! ```text
//! 2025年12月31日，市委十三届十一次全会召开。杨朋飞说：“要抓落实。”
//! ```
//!
//! ## 检查什么
//! 中文字符旁的半角标点：`, : ; ? ! ( )`。
//!
//! ## 为什么
//! GB/T 15834-2011《标点符号用法》要求中文文本使用全角标点。半角标点多来自英文输入法或排版系统，
//! 印出来挤在一起。`10:30` 中的冒号、`1,000` 中的逗号保持不变。
//!
//! ## 错误示例
//! ```text
//! 2025年12月31日,市委十三届十一次全会召开。杨朋飞说:“要抓落实。”
//! ```
//!
//! ## 正确写法
//! ```text
//! 2025年12月31日，市委十三届十一次全会召开。杨朋飞说：“要抓落实。”
//! ```

use crate::analysis::text::{ascii_bytes, is_han};
use crate::analysis::{Edit, Finding, Fix, Localized, Severity};
use crate::rules::{Context, FixAvailability, Rule, Sink};

pub static RULE: Rule = Rule {
    id: "halfwidth-punctuation",
    default_severity: Severity::Hint,
    fix: FixAvailability::Always,
    summary_zh: "中文字符旁使用了半角标点",
    summary_en: "Half-width punctuation next to Chinese characters",
};

/// The texts of a finding on one of [`MARKS`]: message and fix title in Chinese and English,
/// and the replacement. Literals of the program: a finding that holds them clones without
/// touching a reference count (a text sets many of these marks).
struct MarkTexts {
    message_zh: &'static str,
    message_en: &'static str,
    title_zh: &'static str,
    title_en: &'static str,
    full: &'static str,
}

/// [`MARKS`] and their [`TEXTS`], both from one list of the marks.
macro_rules! marks {
    ($(($half:literal, $full:literal)),* $(,)?) => {
        /// The half-width marks this rule looks at, with their full-width forms.
        const MARKS: [(char, char); [$($half),*].len()] = [$(($half, $full)),*];

        /// The texts of each of [`MARKS`], in its order.
        static TEXTS: [MarkTexts; MARKS.len()] = [$(MarkTexts {
            message_zh: concat!("中文里应使用全角标点“", $full, "”，而不是半角“", $half, "”"),
            message_en: concat!("use the full-width “", $full, "” in Chinese text, not “", $half, "”"),
            title_zh: concat!("改为“", $full, "”"),
            title_en: concat!("Replace with “", $full, "”"),
            full: concat!($full),
        }),*];
    };
}

marks![
    (',', '，'),
    (':', '：'),
    (';', '；'),
    ('?', '？'),
    ('!', '！'),
    ('(', '（'),
    (')', '）'),
];

/// By byte: 1 + the index in [`MARKS`] of the mark, 0 for other bytes.
const MARK_OF_BYTE: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut i = 0;
    while i < MARKS.len() {
        table[MARKS[i].0 as usize] = i as u8 + 1;
        i += 1;
    }
    table
};

/// The full-width form of a half-width mark this rule looks at.
fn full_width(mark: char) -> Option<char> {
    MARKS
        .iter()
        .find(|&&(half, _)| half == mark)
        .map(|&(_, full)| full)
}

/// Full-width punctuation, including the curly quotes Chinese text uses.
fn is_chinese_punctuation(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x303F | 0xFF00..=0xFFEF | 0x2018..=0x201D)
}

fn is_chinese(c: char) -> bool {
    is_han(c) || is_chinese_punctuation(c)
}

/// Is a half-width mark between `previous` and `next` in Chinese text? A Han character on
/// either side says so; full-width punctuation only when the other side is not an English
/// word (`Hello, world!”` is English inside Chinese quotes).
fn in_chinese_context(previous: Option<char>, next: Option<char>) -> bool {
    let ascii = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    if ascii(previous) && ascii(next) {
        return false;
    }
    let han = |c: Option<char>| c.is_some_and(is_han);
    let punctuation = |c: Option<char>| c.is_some_and(is_chinese_punctuation);
    han(previous)
        || han(next)
        || (punctuation(previous) && !ascii(next))
        || (punctuation(next) && !ascii(previous))
}

pub fn check(context: &Context<'_>, sink: &mut Sink<'_>) {
    let text = context.text;
    for block in &context.article.blocks {
        for piece in &block.pieces {
            check_piece(piece.start, &text[piece.clone()], sink);
        }
    }
}

fn check_piece(offset: usize, piece: &str, sink: &mut Sink<'_>) {
    let mut in_code = false;
    // The last mark reported, and its full-width form: once fixed, the mark is full-width, and
    // the next mark of a run sees it so.
    let mut fixed: Option<(usize, char)> = None;
    // The marks are ASCII: they are found among the ASCII bytes, without decoding the text around.
    for (at, byte) in ascii_bytes(piece) {
        if byte == b'`' {
            in_code = !in_code;
            continue;
        }
        let mark = match MARK_OF_BYTE[usize::from(byte)] {
            0 => continue,
            _ if in_code => continue,
            index => usize::from(index - 1),
        };
        let c = char::from(byte);
        let replacement = MARKS[mark].1;
        let previous = piece[..at]
            .char_indices()
            .rev()
            .find(|&(_, p)| !p.is_whitespace())
            .map(|(i, p)| match fixed {
                Some((mark, replacement)) if mark == i => replacement,
                _ => p,
            });
        let rest = &piece[at + c.len_utf8()..];
        let spaces = rest.len() - rest.trim_start_matches(' ').len();
        // A run of marks (`增:::`, `::增`) is judged by what stands beyond it, so that one
        // round of fixes settles it.
        let beyond = rest.chars().find(|&n| n != ' ' && full_width(n).is_none());
        let next = rest[spaces..].chars().next();
        let chinese = in_chinese_context(previous, beyond);
        if !chinese || (c == ':' && rest.starts_with("//")) {
            continue;
        }
        fixed = Some((at, replacement));
        let start = offset + at;
        let range = start..start + c.len_utf8();
        let fix_range = start
            ..range.end
                + if next.is_some_and(is_chinese) {
                    spaces
                } else {
                    0
                };
        let texts = &TEXTS[mark];
        let message = Localized::new(texts.message_zh, texts.message_en);
        let finding = Finding::new(&RULE, range, message).with_fix(Fix {
            title: Localized::new(texts.title_zh, texts.title_en),
            edits: smallvec::smallvec![Edit::replace(fix_range, texts.full)],
            safe: true,
        });
        sink.push(finding);
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::{DocumentKind, analyze};
    use crate::config::Settings;

    fn marks(text: &str) -> Vec<(String, String)> {
        analyze(text, DocumentKind::Plain, &Settings::default())
            .findings
            .into_iter()
            .filter(|f| f.rule == super::RULE.id)
            .map(|f| {
                (
                    text[f.range.clone()].to_string(),
                    f.fixes[0].edits[0].new_text.to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn each_mark_has_its_own_texts() {
        for ((half, full), texts) in super::MARKS.iter().zip(&super::TEXTS) {
            assert_eq!(texts.full, full.to_string());
            assert!(
                texts
                    .message_zh
                    .ends_with(&format!("“{full}”，而不是半角“{half}”")),
                "{}",
                texts.message_zh
            );
            assert!(texts.message_en.contains(&format!("“{full}”")));
            assert!(texts.message_en.ends_with(&format!("not “{half}”")));
            assert_eq!(texts.title_zh, format!("改为“{full}”"));
        }
    }

    #[test]
    fn flags_ascii_marks_beside_chinese() {
        let found = marks("2025年12月31日,市委全会召开。杨朋飞说: “要抓落实!”真的吗?");
        let got: Vec<&str> = found
            .iter()
            .map(|(a, b)| if a == b { "" } else { b.as_str() })
            .collect();
        assert_eq!(got, ["，", "：", "！", "？"]);
    }

    #[test]
    fn leaves_numbers_times_and_english_alone() {
        assert!(marks("会议于10:30开始，投资1,000万元，网址https://example.org。").is_empty());
        assert!(marks("他说：“Hello, world!”这是英文。").is_empty());
        assert!(marks("全文用全角标点，没有问题：是的（确实）。").is_empty());
    }

    #[test]
    fn the_fix_swallows_the_space_after_the_mark() {
        let text = "杨朋飞说: 要抓落实。";
        let analysis = analyze(text, DocumentKind::Plain, &Settings::default());
        let edit = &analysis.findings[0].fixes[0].edits[0];
        assert_eq!(&text[edit.range.clone()], ": ");
    }
}

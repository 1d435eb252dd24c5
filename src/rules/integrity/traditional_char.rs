//! ## What it does
//! Finds a traditional or variant character in simplified text (先鋒 → 先锋, 將 → 将): a
//! character that OpenCC converts to a different simplified form and that is not itself one of
//! the 8,105 standard characters. Characters that are standard in some uses (乾坤, 於姓, 甯)
//! are reported only as hints. A document written in traditional characters as a whole is not
//! flagged character by character; one note says so.
//!
//! ## Why is this bad?
//! 《通用规范汉字表》 (2013) is the standard for mainland publications. A traditional character
//! usually slips in through an input method, a converted source or a copy from a Hong Kong or
//! Taiwan website, and stands out in print.
//!
//! ## Example
//! ```text
//! 在当好先鋒的总要求下，托克托县要争先进、作贡献。
//! ```
//!
//! ## Use instead
//! ```text
//! 在当好先锋的总要求下，托克托县要争先进、作贡献。
//! ```
//!
//! ## 检查什么
//! 简体文本中的繁体字或异体字（先鋒→先锋，將→将）：OpenCC 会转换成另一个简化字、本身又不在
//! 《通用规范汉字表》8105字之内的字。在某些用法中属于规范字的（乾坤、於姓、甯）只作提示。
//! 整篇用繁体写成的文档不逐字标注，只提示一次。
//!
//! ## 为什么
//! 《通用规范汉字表》（2013）是内地出版物的用字标准。繁体字多是输入法、转换过的来源或从港台网站
//! 复制时混进来的，印出来很扎眼。
//!
//! ## 错误示例
//! ```text
//! 在当好先鋒的总要求下，托克托县要争先进、作贡献。
//! ```
//!
//! ## 正确写法
//! ```text
//! 在当好先锋的总要求下，托克托县要争先进、作贡献。
//! ```

use crate::analysis::text::is_han;
use crate::analysis::{Edit, Finding, Fix, Localized, Severity};
use crate::knowledge::CharacterTable;
use crate::rules::{Context, FixAvailability, Rule, Sink};

pub static RULE: Rule = Rule {
    id: "traditional-char",
    default_severity: Severity::Warning,
    fix: FixAvailability::Always,
    summary_zh: "简体文本中混入繁体字或异体字",
    summary_en: "A traditional or variant character in simplified text",
};

/// Share of Han characters above which a text is taken to be written in traditional script.
const TRADITIONAL_SHARE: f64 = 0.05;
/// …provided it has at least this many traditional characters.
const TRADITIONAL_MIN: usize = 8;

/// What to say about a character: `Some((simplified, certain))`.
fn classify(characters: &CharacterTable, c: char) -> Option<(&str, bool)> {
    let simplified = characters.simplified_of(c)?;
    if characters.is_ambiguous(c) {
        // OpenCC itself leaves 么 (什么), 覆 (覆盖), 像 as they are: they are simplified text.
        let kept = characters
            .simplified_candidates(c)
            .next()
            .is_some_and(|first| first.chars().eq(std::iter::once(c)));
        (!kept).then_some((simplified, false))
    } else if characters.is_standard(c) {
        None
    } else {
        Some((simplified, true))
    }
}

/// What a part of the text holds of traditional characters: enough to decide whether the
/// whole text is written in traditional script.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub han: usize,
    pub certain: usize,
    /// The first certain traditional character: its offset in the part, and itself.
    pub first_certain: Option<(usize, char)>,
}

/// Flags the traditional characters of one part, one by one; returns the part's tally. When
/// the whole text turns out to be traditional, [`whole_text`] replaces these findings.
pub fn check_part(context: &Context<'_>, sink: &mut Sink<'_>) -> Tally {
    let characters = context.knowledge.characters();
    let text = context.text;
    let mut tally = Tally::default();
    for block in &context.article.blocks {
        for piece in &block.pieces {
            for (at, c) in text[piece.clone()].char_indices() {
                if !is_han(c) {
                    continue;
                }
                tally.han += 1;
                if let Some((simplified, certain)) = classify(characters, c) {
                    let at = piece.start + at;
                    if certain {
                        tally.certain += 1;
                        tally.first_certain.get_or_insert((at, c));
                    }
                    sink.push(character(at, c, simplified, certain));
                }
            }
        }
    }
    tally
}

/// The one finding for a text written in traditional script, given the tallies of its parts
/// (each with the part's offset in the text); `None` for simplified text.
pub fn whole_text(tallies: impl IntoIterator<Item = (usize, Tally)>) -> Option<Finding> {
    let mut han = 0;
    let mut certain = 0;
    let mut first = None;
    for (base, tally) in tallies {
        han += tally.han;
        certain += tally.certain;
        if first.is_none() {
            first = tally.first_certain.map(|(at, c)| (base + at, c));
        }
    }
    if certain < TRADITIONAL_MIN || certain as f64 <= han as f64 * TRADITIONAL_SHARE {
        return None;
    }
    let (at, c) = first?;
    let mut finding = Finding::new(
        &RULE,
        at..at + c.len_utf8(),
        Localized::new(
            format!("全文以繁体字写成（{certain}个繁体字），不逐字标注"),
            format!(
                "the text is written in traditional characters ({certain} of them); they are not flagged one by one"
            ),
        ),
    );
    finding.severity = Severity::Info;
    Some(finding)
}

fn character(at: usize, c: char, simplified: &str, certain: bool) -> Finding {
    let mut finding = Finding::new(
        &RULE,
        at..at + c.len_utf8(),
        if certain {
            Localized::new(
                format!("“{c}”是繁体字或异体字，简体应作“{simplified}”"),
                format!("“{c}” is a traditional or variant character; simplified: “{simplified}”"),
            )
        } else {
            Localized::new(
                format!("“{c}”在多数用法中应作“{simplified}”（人名、专名等用法除外）"),
                format!("“{c}” is usually written “{simplified}” in simplified text (names and some terms excepted)"),
            )
        },
    )
    .with_fix(Fix {
        title: Localized::new(format!("改为“{simplified}”"), format!("Replace with “{simplified}”")),
        edits: smallvec::smallvec![Edit::replace(at..at + c.len_utf8(), simplified.to_string())],
        safe: certain,
    });
    if !certain {
        finding.severity = Severity::Hint;
    }
    finding
}

#[cfg(test)]
mod tests {
    use crate::analysis::{DocumentKind, Severity, analyze};
    use crate::config::Settings;

    fn found(text: &str) -> Vec<(String, Severity)> {
        analyze(text, DocumentKind::Plain, &Settings::default())
            .findings
            .into_iter()
            .filter(|f| f.rule == super::RULE.id)
            .map(|f| (text[f.range].to_string(), f.severity))
            .collect()
    }

    #[test]
    fn a_traditional_character_in_simplified_text() {
        assert_eq!(
            found("在当好先鋒的总要求下，托克托县要争先进。"),
            [("鋒".to_string(), Severity::Warning)]
        );
        assert!(found("在当好先锋的总要求下，托克托县要争先进。").is_empty());
    }

    #[test]
    fn ambiguous_characters_are_hints() {
        assert_eq!(
            found("扭转乾坤，奋发有为，再创佳绩。"),
            [("乾".to_string(), Severity::Hint)]
        );
    }

    #[test]
    fn a_traditional_document_gets_one_note() {
        let got = found(
            "會議強調，要堅持穩中求進工作總基調，完整準確全面貫徹新發展理念，加快構建新發展格局。",
        );
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].1, Severity::Info);
    }
}

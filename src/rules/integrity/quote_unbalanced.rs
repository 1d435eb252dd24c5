//! ## What it does
//! Pairs the quotation marks of each section: an opening “ never closed before the section
//! ends, a second “ while one is still open, a ” with none open, a single quote ‘’ left open.
//! Layout cuts are seen through, and a quotation running over several paragraphs may open each
//! paragraph with “ and close only at its end, as Chinese typography does.
//!
//! ## Why is this bad?
//! An unpaired quotation mark leaves the reader unsure where a speaker's words end — in a
//! report built of interviews, whose words they are. Inside a quotation the inner level takes
//! single quotes (GB/T 15834-2011); a double quote opened inside a double quotation is reported
//! when it leaves the section's quotes impossible to pair.
//!
//! ## Example
//! ```text
//! 王冬生在接受记者采访时说：“经过‘十四五’时期的发展，托克托县形成了向好态势。
//! ```
//!
//! ## Use instead
//! ```text
//! 王冬生在接受记者采访时说：“经过‘十四五’时期的发展，托克托县形成了向好态势。”
//! ```
//!
//! ## 检查什么
//! 逐节为引号配对：本节结束前没有闭合的左引号，前一个引号尚未闭合又出现的左引号，没有对应左引号的
//! 右引号，以及没有闭合的单引号。分栏断开的段落连起来看；按照中文排版习惯，跨段引文每段开头用
//! 左引号、只在最后一段末尾用右引号，这种写法是正确的。
//!
//! ## 为什么
//! 引号不配对，读者就分不清说话人的话在哪里结束；在由多篇访谈组成的稿件里，甚至分不清是谁说的。
//! 引号内再用引号时，内层应使用单引号（GB/T 15834—2011）；双引号内套双引号、以致本节引号无法配对
//! 时，也一并指出。
//!
//! ## 错误示例
//! ```text
//! 王冬生在接受记者采访时说：“经过‘十四五’时期的发展，托克托县形成了向好态势。
//! ```
//!
//! ## 正确写法
//! ```text
//! 王冬生在接受记者采访时说：“经过‘十四五’时期的发展，托克托县形成了向好态势。”
//! ```

use std::ops::Range;

use crate::analysis::{Edit, Finding, Fix, Localized, Severity};
use crate::rules::{Context, FixAvailability, Rule, Sink};

pub static RULE: Rule = Rule {
    id: "quote-unbalanced",
    default_severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    summary_zh: "引号不配对",
    summary_en: "Unbalanced quotation marks",
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    OpenDouble,
    CloseDouble,
    /// ASCII `"`: opens or closes by context.
    Straight,
    OpenSingle,
    CloseSingle,
}

#[derive(Debug, Clone)]
struct Event {
    mark: Mark,
    range: Range<usize>,
    /// The first character of a logical paragraph.
    paragraph_start: bool,
    /// The character before is an ASCII letter or digit (an apostrophe in `China’s`).
    after_ascii: bool,
}

fn mark_of(c: char) -> Option<Mark> {
    Some(match c {
        '“' => Mark::OpenDouble,
        '”' => Mark::CloseDouble,
        '"' => Mark::Straight,
        '‘' => Mark::OpenSingle,
        '’' => Mark::CloseSingle,
        _ => return None,
    })
}

/// The quotation marks of a text and where they stand, in order: the straight quote, and the
/// curly ones among the characters that open with byte E2 (U+2000 to U+2FFF: punctuation,
/// rare in Chinese prose), so that the text is searched for two bytes, not decoded.
fn marks(text: &str) -> impl Iterator<Item = (usize, char, Mark)> + '_ {
    memchr::memchr2_iter(b'"', 0xE2, text.as_bytes()).filter_map(|at| {
        // Both bytes begin a character.
        let c = text[at..].chars().next()?;
        Some((at, c, mark_of(c)?))
    })
}

/// The quotation marks of a run of text, `offset` mapping its byte offsets to the source.
fn events_of(text: &str, to_source: impl Fn(usize) -> usize, out: &mut Vec<Event>) {
    let first = text.len() - text.trim_start().len();
    for (at, c, mark) in marks(text) {
        let start = to_source(at);
        out.push(Event {
            mark,
            range: start..start + c.len_utf8(),
            paragraph_start: at == first,
            // The byte before is ASCII only when the character before is.
            after_ascii: text.as_bytes()[..at]
                .last()
                .is_some_and(u8::is_ascii_alphanumeric),
        });
    }
}

#[derive(Debug, Clone)]
struct Open {
    double: bool,
    range: Range<usize>,
    /// A double quote opened inside another double quotation.
    nested: Option<usize>,
    /// How many double quotations are open, this one included.
    doubles: usize,
}

/// Opens a quotation on the stack.
fn open(stack: &mut Vec<Open>, double: bool, range: Range<usize>, nested: Option<usize>) {
    let doubles = stack.last().map_or(0, |o| o.doubles) + usize::from(double);
    stack.push(Open {
        double,
        range,
        nested,
        doubles,
    });
}

/// A double quote opened inside a double quotation, and the quote that closed it.
struct Nested {
    open: Range<usize>,
    close: Option<Range<usize>>,
}

fn message(zh: &'static str, en: &'static str) -> Localized {
    Localized::new(zh, en)
}

/// For each mark: would a double quote opened there, inside one or more open double
/// quotations, be closed and the quotation around it closed too before the unit ends?
///
/// Inside quotations the count of open marks only moves by one per mark (a paragraph's
/// reopening “ leaves it as it is), so the answer is whether the running sum of those moves
/// after the mark ever falls two below its value at the mark: one suffix minimum answers it for
/// every mark at once.
struct Resolutions {
    /// `sums[k]`: the moves of marks `0..k`.
    sums: Vec<isize>,
    /// `lowest[k]`: the least of `sums[k..]`.
    lowest: Vec<isize>,
}

impl Resolutions {
    fn new(events: &[Event]) -> Resolutions {
        let mut sums = Vec::with_capacity(events.len() + 1);
        let mut sum = 0isize;
        sums.push(sum);
        for event in events {
            sum += match event.mark {
                Mark::OpenDouble if event.paragraph_start => 0,
                Mark::OpenDouble => 1,
                Mark::CloseDouble | Mark::Straight => -1,
                _ => 0,
            };
            sums.push(sum);
        }
        let mut lowest = sums.clone();
        for k in (0..lowest.len().saturating_sub(1)).rev() {
            lowest[k] = lowest[k].min(lowest[k + 1]);
        }
        Resolutions { sums, lowest }
    }

    /// Does a double quote opened at mark `index` resolve (see [`Resolutions`])?
    fn at(&self, index: usize) -> bool {
        self.lowest
            .get(index + 2)
            .is_some_and(|&low| low <= self.sums[index + 1] - 2)
    }
}

/// Pairs the marks of one unit (a section, the lead, a headline) and reports what does not pair.
fn check_unit(events: &[Event], sink: &mut Sink<'_>) {
    let resolutions = Resolutions::new(events);
    let mut stack: Vec<Open> = Vec::new();
    let mut nested: Vec<Nested> = Vec::new();
    let mut findings: Vec<Finding> = Vec::new();
    let unclosed_single = |open: &Open| {
        Finding::new(
            &RULE,
            open.range.clone(),
            message(
                "单引号没有闭合：外层引号结束前找不到与之配对的‘’",
                "this single quote is never closed before the quotation around it ends",
            ),
        )
    };
    for (index, event) in events.iter().enumerate() {
        let double_depth = stack.last().map_or(0, |o| o.doubles);
        let mark = match event.mark {
            Mark::Straight if double_depth > 0 => Mark::CloseDouble,
            Mark::Straight => Mark::OpenDouble,
            mark => mark,
        };
        match mark {
            Mark::OpenDouble => {
                if double_depth > 0 && event.paragraph_start && event.mark == Mark::OpenDouble {
                    // A quotation running on into a new paragraph reopens it with “.
                    while stack.last().is_some_and(|o| !o.double) {
                        findings.push(unclosed_single(&stack.pop().unwrap()));
                    }
                    continue;
                }
                if double_depth == 0 {
                    open(&mut stack, true, event.range.clone(), None);
                } else if resolutions.at(index) {
                    nested.push(Nested {
                        open: event.range.clone(),
                        close: None,
                    });
                    open(
                        &mut stack,
                        true,
                        event.range.clone(),
                        Some(nested.len() - 1),
                    );
                } else {
                    let position = stack.iter().rposition(|o| o.double).unwrap_or(0);
                    let earlier = stack[position].range.clone();
                    stack.truncate(position);
                    findings.push(
                        Finding::new(
                            &RULE,
                            event.range.clone(),
                            message(
                                "前一个引号尚未闭合，又出现了左引号",
                                "a new quotation opens while the previous one is still open",
                            ),
                        )
                        .with_related(
                            earlier,
                            message("这个左引号没有闭合", "this quotation is never closed"),
                        ),
                    );
                    open(&mut stack, true, event.range.clone(), None);
                }
            }
            Mark::CloseDouble => match stack.iter().rposition(|o| o.double) {
                Some(position) => {
                    while stack.len() > position + 1 {
                        findings.push(unclosed_single(&stack.pop().unwrap()));
                    }
                    if let Some(n) = stack.pop().and_then(|o| o.nested) {
                        nested[n].close = Some(event.range.clone());
                    }
                }
                None => findings.push(Finding::new(
                    &RULE,
                    event.range.clone(),
                    message(
                        "右引号没有对应的左引号",
                        "this closing quote has no opening quote",
                    ),
                )),
            },
            Mark::OpenSingle => {
                open(&mut stack, false, event.range.clone(), None);
            }
            Mark::CloseSingle => {
                if stack.last().is_some_and(|o| !o.double) {
                    stack.pop();
                } else if !event.after_ascii {
                    findings.push(Finding::new(
                        &RULE,
                        event.range.clone(),
                        message(
                            "右单引号没有对应的左单引号",
                            "this closing single quote has no opening quote",
                        ),
                    ));
                }
            }
            Mark::Straight => unreachable!(),
        }
    }
    for open in stack {
        findings.push(if open.double {
            Finding::new(
                &RULE,
                open.range.clone(),
                message(
                    "左引号没有闭合：本节结束前找不到与之配对的右引号",
                    "this quotation is never closed before the section ends",
                ),
            )
        } else {
            unclosed_single(&open)
        });
    }
    if !findings.is_empty() {
        for n in &nested {
            let mut finding = Finding::new(
                &RULE,
                n.open.clone(),
                message(
                    "双引号内又套用双引号，内层应使用单引号‘’（GB/T 15834—2011），本节引号因此无法配对",
                    "a double quote inside a double quotation: the inner level takes single quotes ‘’ (GB/T 15834-2011), and the section's quotes cannot be paired",
                ),
            );
            if let Some(close) = &n.close {
                finding = finding.with_fix(Fix {
                    title: message(
                        "内层改用单引号",
                        "Use single quotes for the inner quotation",
                    ),
                    edits: smallvec::smallvec![
                        Edit::replace(n.open.clone(), "‘"),
                        Edit::replace(close.clone(), "’"),
                    ],
                    safe: false,
                });
            }
            findings.push(finding);
        }
    }
    for finding in findings {
        sink.push(finding);
    }
}

pub fn check(context: &Context<'_>, sink: &mut Sink<'_>) {
    let article = context.article;
    let text = context.text;
    // Running text: one unit per section (and one for the lead), paragraphs in order.
    let mut unit: Vec<Event> = Vec::new();
    let mut current: Option<Option<usize>> = None;
    for paragraph in &article.paragraphs {
        if current.is_some_and(|section| section != paragraph.section) {
            check_unit(&unit, sink);
            unit.clear();
        }
        current = Some(paragraph.section);
        events_of(&paragraph.text, |at| paragraph.to_source(at), &mut unit);
    }
    check_unit(&unit, sink);
    // Headlines, bylines and asides stand alone.
    for block in article.blocks.iter().filter(|b| !b.kind.is_running_text()) {
        let mut events = Vec::new();
        for piece in &block.pieces {
            events_of(&text[piece.clone()], |at| piece.start + at, &mut events);
        }
        check_unit(&events, sink);
    }
}

#[cfg(test)]
mod tests {
    use crate::config::Settings;

    fn found(text: &str) -> Vec<(String, String)> {
        crate::rules::testing::findings(&super::RULE, text, &Settings::default())
            .into_iter()
            .map(|f| (text[f.range].to_string(), f.message.zh.to_string()))
            .collect()
    }

    #[test]
    fn a_quotation_over_several_paragraphs_reopens_each() {
        let text =
            "标题\n\n他说：“第一，要抓落实。\n\n“第二，要抓执行。\n\n“第三，要抓‘关键少数’。”\n";
        assert!(found(text).is_empty(), "{:?}", found(text));
    }

    #[test]
    fn a_second_opening_quote_is_reported_once() {
        let text =
            "标题\n\n廖雁渝说：“要推动转型升级，激发消费新活力。“我们一定要真抓实干。”廖雁渝说。\n";
        let got = found(text);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].1.contains("又出现了左引号"));
    }

    #[test]
    fn balanced_nested_double_quotes_are_tolerated() {
        let text = "标题\n\n“会议围绕发挥首府“首善之地”作用作出部署。”他说。\n";
        assert!(found(text).is_empty());
        let broken = "标题\n\n“会议围绕发挥首府“首善之地”作用作出部署。”他说。一是改革。”\n";
        assert_eq!(found(broken).len(), 2, "{:?}", found(broken));
    }

    #[test]
    fn the_marks_are_every_quotation_mark_of_the_text() {
        let alphabet = [
            '“', '”', '"', '‘', '’', '…', '—', '·', '他', '说', '。', 'a', '\'', '🀄', '\u{2000}',
            '\u{2fff}', '\u{e2}',
        ];
        let mut next = crate::testing::random(0x5EED_0F0A_07E5);
        for _ in 0..2000 {
            let text = crate::testing::random_text(&mut next, &alphabet, 40);
            let found: Vec<_> = super::marks(&text).collect();
            let expected: Vec<_> = text
                .char_indices()
                .filter_map(|(at, c)| Some((at, c, super::mark_of(c)?)))
                .collect();
            assert_eq!(found, expected, "{text}");
        }
    }

    #[test]
    fn apostrophes_are_not_quotes() {
        assert!(found("标题\n\n他提到China’s economy，说得很好。\n").is_empty());
    }
}

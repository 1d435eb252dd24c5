//! ## What it does
//! Finds a passage of 30 or more characters (`min_chars`) that repeats, verbatim, text found
//! earlier in the article; one finding on each later copy, with related information pointing
//! at the first. Names and stock phrases that recur across the article (the conference's full
//! title, other meetings, fixed formulations) do not count towards the length: only what a
//! copy adds beyond them does.
//!
//! ## Why is this bad?
//! A round-up assembled from many interviews invites copy and paste: a paragraph of one
//! interviewee's plans turns up word for word in another's section, or a sentence is pasted
//! twice. Readers notice, and so do the people quoted. A short standalone paragraph that
//! repeats a sentence of the body (a pull quote printed twice by layout) is reported as a
//! hint only.
//!
//! ## Example
//! ```text
//! 赵永刚表示，紧盯生物制造、新能源新材料和现代装备制造三大主导产业，推进产业智能化升级改造。
//! ……
//! 刘占英表示，紧盯生物制造、新能源新材料和现代装备制造三大主导产业，推进产业智能化升级改造。
//! ```
//!
//! ## Use instead
//! ```text
//! 赵永刚表示，紧盯生物制造、新能源新材料和现代装备制造三大主导产业，推进产业智能化升级改造。
//! ……
//! 刘占英表示，经开区将围绕三大主导产业补链强链，年内新增规上工业企业20家。
//! ```
//!
//! Configure the length with `[rules.duplicate-passage] min_chars = 40`.
//!
//! ## 检查什么
//! 与前文逐字相同、长度在30字以上（可用 `min_chars` 设置）的文字；每个后出现的副本报告一次，并
//! 指向最早出现的位置。全文反复出现的名称和固定说法（会议全称、其他会议名称、固定提法）不计入
//! 长度，只看副本在这些之外还重复了多少文字。
//!
//! ## 为什么
//! 由多篇访谈拼成的综述稿很容易复制粘贴出错：一位受访者的工作打算原封不动地出现在另一位受访者的
//! 部分，或者同一句话粘贴了两次。读者看得出来，受访者本人更看得出来。单独成段、重复正文中一句话
//! 的短段落（排版时重复印出的提要、引语）只作为提示。
//!
//! ## 错误示例
//! ```text
//! 赵永刚表示，紧盯生物制造、新能源新材料和现代装备制造三大主导产业，推进产业智能化升级改造。
//! ……
//! 刘占英表示，紧盯生物制造、新能源新材料和现代装备制造三大主导产业，推进产业智能化升级改造。
//! ```
//!
//! ## 正确写法
//! ```text
//! 赵永刚表示，紧盯生物制造、新能源新材料和现代装备制造三大主导产业，推进产业智能化升级改造。
//! ……
//! 刘占英表示，经开区将围绕三大主导产业补链强链，年内新增规上工业企业20家。
//! ```

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

use regex::Regex;

use crate::analysis::text::is_han;
use crate::analysis::{Edit, Finding, Fix, Localized, Paragraph, Severity};
use crate::config::Settings;
use crate::knowledge::Knowledge;
use crate::rules::{FixAvailability, Rule, Sink};

pub static RULE: Rule = Rule {
    id: "duplicate-passage",
    default_severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    summary_zh: "大段文字与前文重复",
    summary_en: "A passage repeats earlier text verbatim",
};

const DEFAULT_MIN_CHARS: usize = 30;
/// The window whose hash finds candidate copies.
const WINDOW: usize = 12;
/// A window that recurs this often is a name or a stock phrase of this article.
const STOCK_OCCURRENCES: usize = 5;
/// Earlier occurrences of a window tried as the source of a copy.
const CANDIDATES: usize = 8;

/// Names of meetings and sessions: 市委十三届十一次全会, 中央经济工作会议, 全区经济工作会议.
static MEETING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:中共中央|中央|全国|国务院|自治区党委|自治区|省委|市委|区委|县委|旗委|州委|党委|党组|全省|全区|全市|全县|全旗|全州)[^\s，。、；：,;:“”‘’（）()！？]{0,24}?(?:全会|全体会议|代表大会|工作会议|常委会会议|常务会议|会议)",
    )
    .expect("meeting pattern")
});

/// The first occurrences of a window and how many there are.
struct Occurrences {
    count: u32,
    first: u32,
    last: u32,
}

/// The keys are hashes already.
#[derive(Default)]
struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }
}

/// One character of the compared sequence.
#[derive(Clone, Copy)]
struct Slot {
    paragraph: usize,
    /// Byte offset in the paragraph's joined text.
    at: usize,
    len: usize,
}

/// Full-width and half-width punctuation compare equal.
fn normalise(c: char) -> u32 {
    (match c {
        ',' => '，',
        ':' => '：',
        ';' => '；',
        '!' => '！',
        '?' => '？',
        '(' => '（',
        ')' => '）',
        c => c,
    }) as u32
}

fn min_chars(settings: &Settings) -> usize {
    settings
        .rule_options(RULE.id)
        .and_then(|t| t.get("min_chars"))
        .and_then(|v| v.as_integer())
        .and_then(|n| usize::try_from(n).ok())
        .filter(|&n| n >= 4)
        .unwrap_or(DEFAULT_MIN_CHARS)
}

/// The whole document, as this rule reads it: every logical paragraph, with the offset of the
/// part it was parsed in.
pub struct Document<'a> {
    pub text: &'a str,
    /// In text order: a paragraph (ranges of its part) and where its part starts.
    pub paragraphs: Vec<(&'a Paragraph, usize)>,
    pub settings: &'a Settings,
    pub knowledge: &'a Knowledge,
}

impl Document<'_> {
    fn source(&self, paragraph: usize, joined: std::ops::Range<usize>) -> std::ops::Range<usize> {
        let (paragraph, base) = self.paragraphs[paragraph];
        let range = paragraph.range_to_source(joined);
        range.start + base..range.end + base
    }
}

/// Finds the passages of a whole document that repeat earlier text.
pub fn check_document(document: &Document<'_>, sink: &mut Sink<'_>) {
    let min_chars = min_chars(document.settings);
    let window = WINDOW.min(min_chars);

    // The paragraphs as one sequence; each paragraph ends with a separator that equals nothing.
    let mut sequence: Vec<u32> = Vec::new();
    let mut slots: Vec<Option<Slot>> = Vec::new();
    let mut stock: Vec<bool> = Vec::new();
    for (index, (paragraph, _)) in document.paragraphs.iter().enumerate() {
        let text = &paragraph.text;
        let base = sequence.len();
        let mut offsets = Vec::new();
        for (at, c) in text.char_indices() {
            if c.is_whitespace() {
                continue;
            }
            offsets.push(at);
            sequence.push(normalise(c));
            slots.push(Some(Slot {
                paragraph: index,
                at,
                len: c.len_utf8(),
            }));
            stock.push(false);
        }
        let mut mark = |range: std::ops::Range<usize>| {
            let first = offsets.partition_point(|&o| o < range.start);
            let last = offsets.partition_point(|&o| o < range.end);
            for flag in &mut stock[base + first..base + last] {
                *flag = true;
            }
        };
        for found in MEETING.find_iter(text) {
            mark(found.range());
        }
        // Long formulations are names (铸牢中华民族共同体意识); short ones (高质量发展) are words.
        for (range, _) in document.knowledge.formulations().find_all(text) {
            if text[range.clone()].chars().count() >= 8 {
                mark(range);
            }
        }
        sequence.push(0x11_0000 + index as u32);
        slots.push(None);
        stock.push(true);
    }
    let n = sequence.len();
    if n < window * 2 {
        return;
    }

    // Rolling hashes of every window that lies inside one paragraph.
    const BASE: u64 = 0x100_0000_01b3;
    let power = (1..window).fold(1u64, |p, _| p.wrapping_mul(BASE));
    let mut hashes: Vec<Option<u64>> = vec![None; n];
    let mut hash = 0u64;
    let mut run = 0usize; // characters since the last separator
    for i in 0..n {
        if slots[i].is_none() {
            hash = 0;
            run = 0;
            continue;
        }
        if run >= window {
            hash = hash.wrapping_sub((sequence[i - window] as u64).wrapping_mul(power));
        }
        hash = hash.wrapping_mul(BASE).wrapping_add(sequence[i] as u64);
        run += 1;
        if run >= window {
            hashes[i + 1 - window] = Some(hash);
        }
    }
    // Per window hash: how often it occurs, and its first occurrences chained through `next`.
    let mut table: HashMap<u64, Occurrences, BuildHasherDefault<PassThrough>> =
        HashMap::with_capacity_and_hasher(n, BuildHasherDefault::default());
    let mut next: Vec<u32> = vec![u32::MAX; n];
    for (i, h) in hashes.iter().enumerate() {
        if let Some(h) = h {
            let entry = table.entry(*h).or_insert(Occurrences {
                count: 0,
                first: i as u32,
                last: i as u32,
            });
            if entry.count > 0 && (entry.count as usize) < CANDIDATES {
                next[entry.last as usize] = i as u32;
                entry.last = i as u32;
            }
            entry.count += 1;
        }
    }

    // Names and phrases this article repeats again and again are stock too.
    if window >= WINDOW {
        for (i, h) in hashes.iter().enumerate() {
            if let Some(h) = h
                && table[h].count as usize >= STOCK_OCCURRENCES
            {
                for flag in &mut stock[i..i + window] {
                    *flag = true;
                }
            }
        }
    }

    let mut lines = LineIndex::default();
    let mut i = 0;
    while i < n {
        let Some(h) = hashes[i] else {
            i += 1;
            continue;
        };
        let mut best = (0usize, 0usize);
        let mut candidate = table[&h].first;
        while (candidate as usize) < i {
            let j = candidate as usize;
            let mut length = 0;
            while i + length < n
                && j + length < i
                && slots[i + length].is_some()
                && sequence[j + length] == sequence[i + length]
            {
                length += 1;
            }
            if length > best.0 {
                best = (length, j);
            }
            candidate = next[j];
        }
        let (length, j) = best;
        if length < min_chars {
            i += 1;
            continue;
        }
        report(
            document, &mut lines, &sequence, &slots, &stock, i, j, length, min_chars, sink,
        );
        i += length;
    }
}

/// Line numbers of offsets, from the line starts found once.
#[derive(Default)]
struct LineIndex {
    /// Offsets just after each `\n`; built on first use.
    starts: Option<Vec<usize>>,
}

impl LineIndex {
    /// The 1-based line of an offset, counting `\n`s before it.
    fn line_of(&mut self, text: &str, offset: usize) -> usize {
        let starts = self.starts.get_or_insert_with(|| {
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1)
                .collect()
        });
        starts.partition_point(|&s| s <= offset) + 1
    }
}

fn is_punctuation(c: u32) -> bool {
    char::from_u32(c).is_some_and(|c| !is_han(c) && !c.is_alphanumeric())
}

#[allow(clippy::too_many_arguments)]
fn report(
    document: &Document<'_>,
    lines: &mut LineIndex,
    sequence: &[u32],
    slots: &[Option<Slot>],
    stock: &[bool],
    mut i: usize,
    mut j: usize,
    mut length: usize,
    min_chars: usize,
    sink: &mut Sink<'_>,
) {
    // A copy starts with a word, not with the mark that ends the sentence before it.
    while length > 0 && is_punctuation(sequence[i]) {
        i += 1;
        j += 1;
        length -= 1;
    }
    let novel = (0..length)
        .filter(|&k| !stock[i + k] && !stock[j + k])
        .count();
    if novel < min_chars {
        return;
    }
    let (Some(first), Some(last)) = (slots[i], slots[i + length - 1]) else {
        return;
    };
    let (Some(source_first), Some(source_last)) = (slots[j], slots[j + length - 1]) else {
        return;
    };
    let paragraph = document.paragraphs[first.paragraph].0;
    let source_paragraph = document.paragraphs[source_first.paragraph].0;
    // Items of one list that repeat each other are the enumeration rules' business.
    if first.paragraph == source_first.paragraph {
        let span = &paragraph.text[source_first.at..last.at + last.len];
        let ordinals = span
            .char_indices()
            .filter(|&(k, c)| {
                matches!(c, '是' | '要')
                    && span[..k]
                        .chars()
                        .last()
                        .is_some_and(|p| "一二三四五六七八九十".contains(p))
            })
            .count();
        if ordinals >= 3 {
            return;
        }
    }
    let range = document.source(first.paragraph, first.at..last.at + last.len);
    let source = document.source(
        source_first.paragraph,
        source_first.at..source_last.at + source_last.len,
    );
    let whole = |p: &crate::analysis::Paragraph, from: usize, to: usize| {
        let rest = p.text[..from]
            .chars()
            .filter(|c| !is_punctuation(*c as u32))
            .count()
            + p.text[to..]
                .chars()
                .filter(|c| !is_punctuation(*c as u32))
                .count();
        rest == 0
    };
    let copy_whole = whole(paragraph, first.at, last.at + last.len);
    let source_whole = whole(
        source_paragraph,
        source_first.at,
        source_last.at + source_last.len,
    );
    let line = lines.line_of(document.text, source.start);
    let mut finding = Finding::new(
        &RULE,
        range.clone(),
        Localized::new(
            format!("这段{length}字的文字与第{line}行的文字完全相同"),
            format!("these {length} characters repeat line {line} word for word"),
        ),
    )
    .with_related(
        source,
        Localized::new("最早出现在这里", "first written here"),
    );
    if copy_whole != source_whole {
        // A short paragraph standing alone that repeats a sentence of the body: a pull quote.
        finding.severity = Severity::Hint;
        finding.message = Localized::new(
            format!("这段{length}字的文字与第{line}行相同（单独成段的提要或引语可以保留）"),
            format!(
                "these {length} characters repeat line {line} (a pull quote standing alone may stay)"
            ),
        );
    } else {
        finding = finding.with_fix(Fix {
            title: Localized::new("删除重复的文字", "Delete the repeated text"),
            edits: vec![Edit::delete(range)],
            safe: false,
        });
    }
    sink.push(finding);
}

#[cfg(test)]
mod tests {

    use crate::analysis::{DocumentKind, analyze};
    use crate::config::Settings;

    fn found(text: &str) -> Vec<(String, String)> {
        crate::rules::testing::findings(&super::RULE, text, &Settings::default())
            .into_iter()
            .map(|f| (text[f.range].to_string(), f.severity.as_str().to_string()))
            .collect()
    }

    const PASSAGE: &str = "紧盯生物制造、新能源新材料和现代装备制造三大主导产业，推进产业智能化、绿色化、融合化升级改造。";

    #[test]
    fn a_passage_copied_into_another_section() {
        let text = format!(
            "标题\n\n赵永刚表示，{PASSAGE}\n\n刘占英表示，要做强做优新质生产力。{PASSAGE}\n"
        );
        let got = found(&text);
        assert_eq!(got, [(PASSAGE.to_string(), "warning".to_string())]);
    }

    #[test]
    fn meeting_names_are_not_passages() {
        let text = "标题\n\n会议深入贯彻落实中央经济工作会议和自治区党委十一届十一次全会暨全区经济工作会议精神，部署全年工作。\n\n全会全面贯彻中央经济工作会议和自治区党委十一届十一次全会暨全区经济工作会议精神，作出安排。\n";
        assert!(found(text).is_empty(), "{:?}", found(text));
    }

    #[test]
    fn a_pull_quote_is_a_hint() {
        let quote =
            "“我们就是要拿出冲劲来，把定下的目标一项项落实好，为全市经济社会高质量发展作出贡献。”";
        let text = format!("标题\n\n{quote}\n\n刘占英表示：{quote}她说，经开区已经做好准备。\n");
        let got = found(&text);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].1, "hint");
    }

    #[test]
    fn a_copy_is_found_in_a_megabyte_of_text() {
        let mut text = String::from("标题\n\n");
        let mut seed = 7u64;
        while text.len() < 1_000_000 {
            for _ in 0..60 {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let c = char::from_u32(0x4E00 + ((seed >> 33) % 3000) as u32).unwrap();
                text.push(c);
                if seed.is_multiple_of(7) {
                    text.push('，');
                }
            }
            text.push_str("。\n\n");
        }
        text.push_str(PASSAGE);
        text.push_str("\n\n");
        text.push_str(PASSAGE);
        let mut settings = Settings::default();
        for rule in crate::rules::catalogue().filter(|r| r.id != super::RULE.id) {
            settings.set_level(rule.id, None);
        }
        let analysis = analyze(&text, DocumentKind::Plain, &settings);
        assert_eq!(analysis.findings.len(), 1);
        let document = super::Document {
            text: &text,
            paragraphs: analysis
                .article()
                .paragraphs
                .iter()
                .map(|p| (p, 0))
                .collect(),
            settings: &settings,
            knowledge: settings.knowledge(),
        };
        let mut sink = crate::rules::Sink::new(&settings);
        super::check_document(&document, &mut sink);
        assert_eq!(sink.into_findings().len(), 1);
    }
}

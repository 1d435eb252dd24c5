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

use std::cell::RefCell;
use std::collections::HashSet;
use std::sync::LazyLock;

use rustc_hash::FxHashMap;

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

/// Loads nothing: the segmenter's dictionary is searched where it lies in the binary, and the
/// segmenter of a thread holds only the words met so far. Kept so that adapters can call one
/// `preload` for every rule.
pub fn preload() {
    LazyLock::force(&DICTIONARY);
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
            edits: smallvec::smallvec![Edit::delete(second)],
            safe: true,
        }),
    );
}

/// Byte ranges `start..end` of `text` whose two halves are the same word or words, typed twice.
fn repeats(text: &str) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    if !may_double_han(text) {
        return found;
    }
    // From left to right, the longest repeat at a position first; a repeat found is skipped.
    let mut free = 0;
    for candidate in doubled(text) {
        if candidate.start < free {
            continue;
        }
        let word = &text[candidate.start..candidate.middle];
        if !word.chars().all(is_han) || is_reduplication(word) {
            continue;
        }
        if segmented_apart(text, candidate.start, word.len()) {
            found.push((candidate.start, candidate.end));
            free = candidate.end;
        }
    }
    found
}

/// Two to four characters written twice in a row, as byte offsets of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Doubled {
    start: usize,
    middle: usize,
    end: usize,
}

/// Every run of two to four characters that is written twice in a row, by position and, at one
/// position, longest first. One pass: a run of `n` characters each equal to the character `n`
/// before it ends a doubling.
fn doubled(text: &str) -> Vec<Doubled> {
    // Offsets of the last characters, by index modulo the ring's size (twice the longest unit).
    const RING: usize = 8;
    let bytes = text.as_bytes();
    let mut offsets = [0usize; RING];
    // The characters one to four before, each by its UTF-8 bytes read as a number (no valid
    // character reads as `NONE`), and `runs[n]`: how many characters in a row have equalled
    // the character `n` before them.
    const NONE: u32 = u32::MAX;
    let mut before = [NONE; 4];
    let mut runs = [0usize; 4];
    let mut found = Vec::new();
    let (mut at, mut index) = (0, 0);
    while at < bytes.len() {
        let width = utf8_width(bytes[at]);
        let c = match bytes.get(at..at + 4) {
            Some(four) => {
                let word = u32::from_be_bytes([four[0], four[1], four[2], four[3]]);
                word >> (8 * (4 - width))
            }
            None => bytes[at..at + width]
                .iter()
                .fold(0u32, |key, &b| key << 8 | u32::from(b)),
        };
        offsets[index % RING] = at;
        for unit in 2..=4 {
            let run = if before[unit - 1] == c {
                runs[unit - 1] + 1
            } else {
                0
            };
            runs[unit - 1] = run;
            if run >= unit {
                let start = index + 1 - 2 * unit;
                found.push(Doubled {
                    start: offsets[start % RING],
                    middle: offsets[(start + unit) % RING],
                    end: at + width,
                });
            }
        }
        before = [c, before[0], before[1], before[2]];
        at += width;
        index += 1;
    }
    found.sort_unstable_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    found
}

/// Can `text` hold two to four Han characters written twice in a row? Most paragraphs cannot,
/// and this answers for them without decoding a character, in loops the compiler turns into
/// vector instructions. Han characters take three bytes (four beyond the BMP: a text with any
/// such character is left to [`doubled`]), so a doubling of `n` of them is `3n` bytes repeated
/// `3n` bytes on: at a distance of 6, 9 or 12 bytes, at least six bytes in a row equal the
/// ones that far before them. Never `false` where [`repeats`] would find a doubling.
fn may_double_han(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.len() < 12 {
        return false;
    }
    if bytes.iter().fold(false, |beyond, &b| beyond | (b >= 0xF0)) {
        return true;
    }
    let mut equal: Vec<u8> = Vec::with_capacity(bytes.len());
    [6, 9, 12].into_iter().any(|distance| {
        // `equal[p]`: byte `p + distance` equals byte `p` (the text has twelve bytes or more).
        equal.clear();
        equal.extend(
            bytes
                .iter()
                .zip(&bytes[distance..])
                .map(|(a, b)| u8::from(a == b)),
        );
        if equal.len() < 6 {
            return false;
        }
        let run = equal
            .iter()
            .zip(&equal[1..])
            .zip(&equal[2..])
            .zip(&equal[3..])
            .zip(&equal[4..])
            .zip(&equal[5..])
            .fold(0u8, |any, (((((a, b), c), d), e), f)| {
                any | (a & b & c & d & e & f)
            });
        run != 0
    })
}

/// The length of the UTF-8 sequence a lead byte opens.
fn utf8_width(lead: u8) -> usize {
    match lead {
        0..0x80 => 1,
        0x80..0xE0 => 2,
        0xE0..0xF0 => 3,
        _ => 4,
    }
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
/// at its end? `消费消费` → 消费/消费; `发展中国家中` is no repeat of words. The repeat is
/// `half` bytes twice from byte `at` of `text`.
fn segmented_apart(text: &str, at: usize, half: usize) -> bool {
    let end = at + 2 * half;
    let start = text[..at]
        .char_indices()
        .rev()
        .take(CONTEXT_CHARS)
        .last()
        .map_or(at, |(i, _)| i);
    let stop = text[end..]
        .char_indices()
        .nth(CONTEXT_CHARS)
        .map_or(text.len(), |(i, _)| end + i);
    let boundaries: HashSet<usize> = segment(&text[start..stop])
        .into_iter()
        .flat_map(|(s, e)| [start + s, start + e])
        .collect();
    [at, at + half, end].iter().all(|b| boundaries.contains(b))
}

// The segmenter.
//
// jieba cuts a text by the most probable route through the dictionary words the text contains,
// each weighted by its frequency relative to the sum of all frequencies, and hands runs of
// characters no word covers to its hidden Markov model. Only the words that occur in the text
// take part, so a jieba that knows those words, with their frequencies, and the dictionary's
// total frequency cuts the text exactly as one that loaded the whole dictionary. That saves
// building the whole dictionary (about 100 ms and 33 MB) for the few short windows around
// candidate repeats: the dictionary stays a sorted list in the binary, and each thread's jieba
// learns the words of the windows it is given.

/// jieba's dictionary, sorted by word: `word frequency` lines after a header of comments.
static DICTIONARY: LazyLock<Dictionary> =
    LazyLock::new(|| Dictionary::parse(include_str!("../../../data/jieba-dict.txt")));

/// The longest word in the dictionary, in characters.
const LONGEST_WORD: usize = 16;

/// A stand-in word that carries the frequency of every word a segmenter has not learnt, so that
/// its total is the dictionary's. jieba looks words up only in runs of Han characters, ASCII
/// letters and digits, so a space is never matched.
const REST: &str = " ";

/// A segmenter that has learnt more words than this starts afresh, to bound its memory.
const MAX_LEARNT: usize = 50_000;

/// The cuts a segmenter keeps, by text: the same window comes back with every keystroke in its
/// paragraph, and a cut depends on the text alone (see above).
const MAX_CUTS: usize = 4096;

struct Dictionary {
    /// The `word frequency` lines.
    lines: &'static [u8],
    /// The sum of the frequencies.
    total: usize,
}

impl Dictionary {
    fn parse(text: &'static str) -> Dictionary {
        let mut total = None;
        let mut rest = text;
        while let Some(line) = rest.strip_prefix('#') {
            let end = line.find('\n').map_or(line.len(), |e| e + 1);
            if let Some(sum) = line[..end].trim().strip_prefix("total ") {
                total = sum.parse().ok();
            }
            rest = &line[end..];
        }
        Dictionary {
            lines: rest.as_bytes(),
            total: total.expect("data/jieba-dict.txt gives its total frequency"),
        }
    }

    /// The byte offset of the first line, at or after the line starting at `from`, whose word
    /// is not less than `key`; the end when there is none.
    fn lower_bound(&self, key: &[u8], from: usize) -> usize {
        let lines = self.lines;
        let (mut low, mut high) = (from, lines.len());
        while low < high {
            let middle = low + (high - low) / 2;
            let start = lines[low..middle]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(low, |at| low + at + 1);
            let (word, next) = self.line(start);
            if word < key {
                low = next;
            } else {
                high = start;
            }
        }
        low
    }

    /// The word of the line starting at `start`, and where the next line starts.
    fn line(&self, start: usize) -> (&'static [u8], usize) {
        let lines = self.lines;
        let end = lines[start..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(lines.len(), |at| start + at);
        let word_end = lines[start..end]
            .iter()
            .position(|&b| b == b' ')
            .map_or(end, |at| start + at);
        (&lines[start..word_end], (end + 1).min(lines.len()))
    }

    /// The frequency on the line starting at `start`.
    fn frequency(&self, start: usize) -> usize {
        let (word, next) = self.line(start);
        let line = &self.lines[start + word.len()..next];
        line.iter()
            .filter(|b| b.is_ascii_digit())
            .fold(0, |n, b| n * 10 + usize::from(b - b'0'))
    }

    /// Calls `found(start, end, frequency)` for every dictionary word at byte range
    /// `start..end` of `text`.
    fn words_in(&self, text: &str, mut found: impl FnMut(usize, usize, usize)) {
        let bytes = text.as_bytes();
        let starts: Vec<usize> = text.char_indices().map(|(at, _)| at).collect();
        for (k, &start) in starts.iter().enumerate() {
            let mut from = 0;
            for end in starts[k + 1..]
                .iter()
                .copied()
                .chain([text.len()])
                .take(LONGEST_WORD)
            {
                let key = &bytes[start..end];
                from = self.lower_bound(key, from);
                if from >= self.lines.len() {
                    break;
                }
                let (word, _) = self.line(from);
                if word == key {
                    found(start, end, self.frequency(from));
                } else if !word.starts_with(key) {
                    break;
                }
            }
        }
    }
}

/// A jieba that knows the dictionary words it has been shown, and the dictionary's total.
struct Segmenter {
    jieba: jieba_rs::Jieba,
    learnt: usize,
    /// The sum of the learnt words' frequencies.
    learnt_frequency: usize,
    /// The cuts made, by text.
    cuts: FxHashMap<Box<str>, Vec<(usize, usize)>>,
}

impl Segmenter {
    fn new() -> Segmenter {
        let mut segmenter = Segmenter {
            jieba: jieba_rs::Jieba::empty(),
            learnt: 0,
            learnt_frequency: 0,
            cuts: FxHashMap::default(),
        };
        segmenter.balance();
        segmenter
    }

    /// Gives the stand-in the frequency of every word not learnt.
    fn balance(&mut self) {
        let rest = DICTIONARY.total - self.learnt_frequency;
        self.jieba.add_word(REST, Some(rest), None);
    }

    fn learn(&mut self, text: &str) {
        let mut learnt_any = false;
        DICTIONARY.words_in(text, |start, end, frequency| {
            let word = &text[start..end];
            if !self.jieba.has_word(word) {
                self.jieba.add_word(word, Some(frequency), None);
                self.learnt += 1;
                self.learnt_frequency += frequency;
                learnt_any = true;
            }
        });
        if learnt_any {
            self.balance();
        }
    }
}

thread_local! {
    static SEGMENTER: RefCell<Option<Segmenter>> = const { RefCell::new(None) };
}

/// jieba's cut of `text` (with its hidden Markov model), as byte ranges of the words.
fn segment(text: &str) -> Vec<(usize, usize)> {
    SEGMENTER.with(|cell| {
        let mut cell = cell.borrow_mut();
        if cell.as_ref().is_none_or(|s| s.learnt > MAX_LEARNT) {
            *cell = Some(Segmenter::new());
        }
        let segmenter = cell.as_mut().expect("made above");
        if let Some(cut) = segmenter.cuts.get(text) {
            return cut.clone();
        }
        segmenter.learn(text);
        let cut: Vec<(usize, usize)> = segmenter
            .jieba
            .cut(text, true)
            .iter()
            .map(|t| (t.byte_start, t.byte_end))
            .collect();
        if segmenter.cuts.len() >= MAX_CUTS {
            segmenter.cuts.clear();
        }
        segmenter.cuts.insert(text.into(), cut.clone());
        cut
    })
}

#[cfg(test)]
mod tests {
    use super::{DICTIONARY, Doubled, LONGEST_WORD, doubled, may_double_han, repeats, segment};
    use crate::testing::{random, random_text};

    fn words(text: &str) -> Vec<&str> {
        repeats(text)
            .into_iter()
            .map(|(s, e)| &text[s..e])
            .collect()
    }

    #[test]
    fn doublings_are_found_as_a_comparison_of_every_position_finds_them() {
        let alphabet: Vec<char> = "消费推进𠮷a，".chars().collect();
        let mut next = random(0x2545_f491_4f6c_dd1d);
        for _ in 0..2000 {
            let text = random_text(&mut next, &alphabet, 24);
            let chars: Vec<(usize, char)> = text.char_indices().collect();
            let offset = |i: usize| chars.get(i).map_or(text.len(), |&(at, _)| at);
            let mut expected = Vec::new();
            for i in 0..chars.len() {
                for unit in (2..=4).rev() {
                    let Some(pair) = chars.get(i..i + 2 * unit) else {
                        continue;
                    };
                    if (0..unit).all(|k| pair[k].1 == pair[unit + k].1) {
                        expected.push(Doubled {
                            start: offset(i),
                            middle: offset(i + unit),
                            end: offset(i + 2 * unit),
                        });
                    }
                }
            }
            assert_eq!(doubled(&text), expected, "{text}");
        }
    }

    #[test]
    fn a_text_said_to_hold_no_han_doubling_holds_none() {
        use crate::analysis::text::is_han;
        let han: Vec<char> = "消费推进发展".chars().collect();
        let beyond: Vec<char> = "消𠮷".chars().collect();
        let alphabet: Vec<char> = "消费推进发展aé，".chars().collect();
        let mut next = random(0x9e37_79b9_7f4a_7c15);
        let (mut planted, mut clear) = (0, 0);
        for case in 0..4000 {
            let mut chars: Vec<char> = random_text(&mut next, &alphabet, 20).chars().collect();
            // Every other text gets a word of two to four Han characters typed twice; some of
            // them with a character beyond the BMP.
            if case % 2 == 0 {
                let han = if case % 8 == 0 { &beyond } else { &han };
                let word: Vec<char> = (0..2 + next(3)).map(|_| han[next(han.len())]).collect();
                let at = next(chars.len() + 1);
                chars.splice(at..at, word.iter().chain(&word).copied());
            }
            let text: String = chars.into_iter().collect();
            let doubles_han = doubled(&text)
                .iter()
                .any(|d| text[d.start..d.middle].chars().all(is_han));
            let may = may_double_han(&text);
            assert!(may || !doubles_han, "{text}");
            planted += usize::from(doubles_han);
            clear += usize::from(!may);
        }
        assert!(planted > 1000 && clear > 500, "{planted} {clear}");
        assert!(may_double_han("中𠮷中𠮷") && !may_double_han("中中"));
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

    #[test]
    fn the_dictionary_is_sorted_and_adds_up() {
        let text = std::str::from_utf8(DICTIONARY.lines).unwrap();
        let mut previous = "";
        let mut total = 0;
        let mut longest = 0;
        for line in text.lines() {
            let (word, frequency) = line.split_once(' ').unwrap();
            assert!(previous < word, "{previous} ≥ {word}");
            total += frequency.parse::<usize>().unwrap();
            longest = longest.max(word.chars().count());
            previous = word;
        }
        assert_eq!(total, DICTIONARY.total);
        assert_eq!(longest, LONGEST_WORD);
    }

    #[test]
    fn words_are_found_where_they_occur() {
        let mut found = Vec::new();
        let text = "在中国科学院,4S店";
        DICTIONARY.words_in(text, |s, e, _| found.push(&text[s..e]));
        for word in ["中国", "中国科学院", "科学", "科学院", "学院", "4S店"] {
            assert!(found.contains(&word), "{word}: {found:?}");
        }
        assert!(!found.contains(&"在中"));
    }

    /// jieba's own examples, as jieba cuts them with its whole dictionary.
    #[test]
    fn the_segmenter_cuts_as_jieba_does() {
        for (text, expected) in [
            (
                "我们中出了一个叛徒👪",
                &["我们", "中出", "了", "一个", "叛徒", "👪"][..],
            ),
            ("我来到北京清华大学", &["我", "来到", "北京", "清华大学"]),
            (
                "他来到了网易杭研大厦",
                &["他", "来到", "了", "网易", "杭研", "大厦"],
            ),
        ] {
            // The second time from the segmenter's cuts.
            for _ in 0..2 {
                let words: Vec<&str> = segment(text)
                    .into_iter()
                    .map(|(s, e)| &text[s..e])
                    .collect();
                assert_eq!(words, expected);
            }
        }
    }
}

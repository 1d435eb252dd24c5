//! Benchmark text: articles made from the sections of the repository's own articles
//! (`tests/fixtures/*.txt`, `tests/clean/*.txt`), varied with a seeded PRNG so that no two
//! generated articles are the same.
//!
//! Shared by `benches/analysis.rs`, `examples/perf_report.rs` and `examples/gen_corpus.rs`
//! (included with `#[path]`). Nothing here is timed; it only makes text.
//!
//! How an article is made: a title and lead from one source, then sections drawn at random
//! from all sources, each once before any comes again, until the size is reached. Each section keeps its headline and byline on
//! top; its body units (blocks joined across layout cuts, so no sentence is torn) are
//! shuffled after the first; the byline's person gets a new name everywhere in the section;
//! county- and township-level places get another place of the same level and suffix; and
//! numbers that are not dates or list markers get new digits.

#![allow(dead_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use jiaodui::analysis::{Article, BlockKind, DocumentKind};
use jiaodui::knowledge::{Knowledge, Level};

/// A small, fast, seeded PRNG (SplitMix64): reproducible corpora without a dependency.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5EED_1A0D_0123_4567)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

/// One interview or report section of a source article, cut into the parts we recombine.
#[derive(Debug, Clone)]
struct SourceSection {
    /// Headline and byline lines, in order.
    head: Vec<String>,
    /// Body units: consecutive blocks joined across layout cuts, with their original gaps.
    units: Vec<String>,
    /// The interviewee's name from the byline, when parsed.
    person: Option<String>,
}

/// The material every generated article is made from.
pub struct Corpus {
    /// Title + lead of each source (the text before its first section).
    openings: Vec<String>,
    sections: Vec<SourceSection>,
    /// Replacement places by (level, last character of the name).
    places: HashMap<(LevelKey, char), Vec<String>>,
    knowledge: &'static Knowledge,
    /// Total bytes of the source articles.
    pub source_bytes: usize,
    pub source_files: Vec<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum LevelKey {
    County,
    Township,
}

/// Surnames and given-name characters for the generated interviewees (common ones only).
const SURNAMES: &str = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文";
const GIVEN: &str = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玉兰凤海燕鹏飞宇浩然子涵晨阳俊峰文博嘉怡欣悦思远振东立新永胜晓光春林";

impl Corpus {
    /// Reads the source articles of the repository at `root` (the crate directory).
    pub fn load(root: &Path) -> Corpus {
        Corpus::load_from(root, &["tests/fixtures", "tests/clean"])
    }

    /// Reads only the professionally edited articles (`tests/clean`): copy with few findings.
    pub fn load_clean(root: &Path) -> Corpus {
        Corpus::load_from(root, &["tests/clean"])
    }

    fn load_from(root: &Path, folders: &[&str]) -> Corpus {
        let knowledge = Knowledge::builtin();
        let mut files = Vec::new();
        for folder in folders {
            if let Ok(entries) = std::fs::read_dir(root.join(folder)) {
                for entry in entries.flatten() {
                    let path = entry.path();
                    // A corrected version of an article is the same article: one is enough.
                    let corrected = path.to_string_lossy().ends_with(".corrected.txt");
                    if path.extension().is_some_and(|e| e == "txt") && !corrected {
                        files.push(path);
                    }
                }
            }
        }
        files.sort();
        assert!(
            !files.is_empty(),
            "no source articles under {}",
            root.display()
        );
        let mut corpus = Corpus {
            openings: Vec::new(),
            sections: Vec::new(),
            places: HashMap::new(),
            knowledge,
            source_bytes: 0,
            source_files: files.clone(),
        };
        for path in &files {
            let text =
                std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            corpus.source_bytes += text.len();
            corpus.add_source(&text);
        }
        for place in knowledge.gazetteer().places() {
            let level = match place.level {
                Level::County => LevelKey::County,
                Level::Township => LevelKey::Township,
                _ => continue,
            };
            if let Some(last) = place.name.chars().last()
                && place.name.chars().count() >= 2
            {
                corpus
                    .places
                    .entry((level, last))
                    .or_default()
                    .push(place.name.clone());
            }
        }
        corpus
    }

    fn add_source(&mut self, text: &str) {
        let article = Article::parse(text, DocumentKind::Plain, self.knowledge);
        let first = article
            .sections
            .first()
            .map_or(text.len(), |s| s.range.start);
        let opening = text[..first].trim();
        if !opening.is_empty() {
            self.openings.push(opening.to_string());
        }
        if article.sections.is_empty() {
            // An article without sections is one section without a head.
            let units = body_units(text, &article, 0..article.blocks.len());
            if !units.is_empty() {
                self.sections.push(SourceSection {
                    head: Vec::new(),
                    units,
                    person: None,
                });
            }
            return;
        }
        for section in &article.sections {
            let mut head = Vec::new();
            let mut body_start = section.blocks.start;
            for index in section.blocks.clone() {
                let block = &article.blocks[index];
                if matches!(block.kind, BlockKind::Headline | BlockKind::Byline) {
                    head.push(text[block.span()].to_string());
                    body_start = index + 1;
                } else {
                    break;
                }
            }
            let units = body_units(text, &article, body_start..section.blocks.end);
            if units.is_empty() {
                continue;
            }
            let person = section
                .byline
                .as_ref()
                .and_then(|b| b.person.as_ref())
                .map(|p| p.name.clone())
                .filter(|n| !n.is_empty());
            self.sections.push(SourceSection {
                head,
                units,
                person,
            });
        }
    }

    /// The number of sections material is drawn from.
    pub fn section_count(&self) -> usize {
        self.sections.len()
    }

    /// One article of about `target` bytes (at least one section), different for each seed.
    pub fn article(&self, seed: u64, target: usize) -> String {
        let mut rng = Rng::new(seed);
        let mut out = String::with_capacity(target + 16 * 1024);
        if !self.openings.is_empty() {
            out.push_str(rng.pick(&self.openings).as_str());
            out.push_str("\n\n");
        }
        // Sections are dealt like cards: none comes twice before every other has come once, so
        // an article repeats itself only when it is longer than all the sources together.
        let mut deck: Vec<usize> = Vec::new();
        let mut sections = 0;
        while sections == 0 || out.len() < target {
            if deck.is_empty() {
                deck = (0..self.sections.len()).collect();
                rng.shuffle(&mut deck);
            }
            let Some(index) = deck.pop() else { break };
            out.push_str(&self.vary(&self.sections[index], &mut rng));
            out.push_str("\n\n\n");
            sections += 1;
        }
        out
    }

    fn vary(&self, section: &SourceSection, rng: &mut Rng) -> String {
        let mut units = section.units.clone();
        if units.len() > 2 {
            rng.shuffle(&mut units[1..]);
        }
        let mut text = section.head.join("\n\n");
        if !text.is_empty() {
            text.push_str("\n\n\n\n");
        }
        text.push_str(&units.join("\n\n"));
        if let Some(person) = &section.person {
            text = text.replace(person.as_str(), &new_name(person, rng));
        }
        let text = self.vary_places(&text, rng);
        vary_numbers(&text, rng)
    }

    /// Replaces county- and township-level places, the same place by the same new one.
    fn vary_places(&self, text: &str, rng: &mut Rng) -> String {
        let gazetteer = self.knowledge.gazetteer();
        let mut chosen: HashMap<String, String> = HashMap::new();
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for found in gazetteer.find_all(text, false) {
            if found.range.start < last {
                continue;
            }
            let name = &text[found.range.clone()];
            let level = match gazetteer.get(found.ids[0]).level {
                Level::County => LevelKey::County,
                Level::Township => LevelKey::Township,
                _ => continue,
            };
            let Some(suffix) = name.chars().last() else {
                continue;
            };
            let Some(candidates) = self.places.get(&(level, suffix)) else {
                continue;
            };
            let replacement = chosen
                .entry(name.to_string())
                .or_insert_with(|| rng.pick(candidates).clone());
            out.push_str(&text[last..found.range.start]);
            out.push_str(replacement);
            last = found.range.end;
        }
        out.push_str(&text[last..]);
        out
    }
}

/// Body blocks of `blocks`, joined into units across layout cuts.
fn body_units(text: &str, article: &Article, blocks: std::ops::Range<usize>) -> Vec<String> {
    let mut units: Vec<String> = Vec::new();
    let mut open = false;
    let mut previous_end = 0;
    for index in blocks {
        let block = &article.blocks[index];
        if block.pieces.is_empty() {
            continue;
        }
        let span = block.span();
        if open && let Some(unit) = units.last_mut() {
            unit.push_str(&text[previous_end..span.start]);
            unit.push_str(&text[span.clone()]);
        } else {
            units.push(text[span.clone()].to_string());
        }
        previous_end = span.end;
        open = article.cut_after(index).is_some();
    }
    units
}

/// A new name with the old one's length (in characters): a surname and given characters.
fn new_name(old: &str, rng: &mut Rng) -> String {
    let surnames: Vec<char> = SURNAMES.chars().collect();
    let given: Vec<char> = GIVEN.chars().collect();
    let length = old.chars().count().clamp(2, 4);
    let mut name = String::new();
    name.push(*rng.pick(&surnames));
    for _ in 1..length {
        name.push(*rng.pick(&given));
    }
    name
}

/// New digits for ASCII numbers, except dates (2026年, 12月, 31日), ordinals and list markers.
fn vary_numbers(text: &str, rng: &mut Rng) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut last = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        let before = text[..start].chars().next_back();
        let after = text[i..].chars().next();
        let keep = matches!(
            after,
            Some('年' | '月' | '日' | '届' | '次' | '号' | '.' | '、' | ')' | '）' | '”')
        ) || matches!(before, Some('(' | '（' | '.' | '“' | '第'))
            || after.is_none_or(|c| !jiaodui::analysis::text::is_han(c));
        if keep {
            continue;
        }
        out.push_str(&text[last..start]);
        let digits = i - start;
        for d in 0..digits {
            let low = if d == 0 { 1 } else { 0 };
            out.push(char::from(
                b'0' + (low + rng.below(10 - low as usize) as u8),
            ));
        }
        last = i;
    }
    out.push_str(&text[last..]);
    out
}

/// Writes files into `dir` until `bytes` are written; returns the paths and the total size.
pub fn write_corpus(corpus: &Corpus, dir: &Path, bytes: usize, seed: u64) -> (Vec<PathBuf>, usize) {
    std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let mut rng = Rng::new(seed);
    let mut paths = Vec::new();
    let mut total = 0;
    let mut seen = std::collections::HashSet::new();
    while total < bytes {
        // Articles of an archive: a short report to a long round-up like the fixture.
        let size = 6 * 1024 + rng.below(30 * 1024);
        let article = corpus.article(rng.next_u64(), size);
        if !seen.insert(hash(&article)) {
            continue;
        }
        let path = dir.join(format!("article-{:05}.txt", paths.len()));
        std::fs::write(&path, &article).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        total += article.len();
        paths.push(path);
    }
    (paths, total)
}

fn hash(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}

/// The crate directory (where `tests/fixtures` lives).
pub fn crate_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The real-world fixture, unchanged.
pub fn fixture() -> String {
    let path = crate_root().join("tests/fixtures/hohhot-interviews-2026.txt");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

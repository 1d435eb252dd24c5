//! Micro-benchmarks of the analysis core (divan): `cargo bench --bench analysis`.
//!
//! The end-to-end measurements with their targets (language server, CLI throughput, memory,
//! growth) are in `examples/perf_report.rs`, run by `scripts/bench`.

#[path = "support/corpus.rs"]
mod corpus;

use std::sync::LazyLock;

use divan::Bencher;
use jiaodui::analysis::{Article, DocumentKind, Engine, analyze, enumeration};
use jiaodui::config::Settings;
use jiaodui::knowledge::Knowledge;
use jiaodui::position::{Encoding, Position, to_offset, to_position};
use ropey::Rope;

static FIXTURE: LazyLock<String> = LazyLock::new(corpus::fixture);

/// The fixture's sections (and the clean articles'), varied to 1 MB.
static ARTICLE_1MB: LazyLock<String> =
    LazyLock::new(|| corpus::Corpus::load(&corpus::crate_root()).article(1, 1024 * 1024));

fn main() {
    // Parse the built-in knowledge before timing anything.
    let _ = Knowledge::builtin();
    divan::main();
}

#[divan::bench]
fn analyze_fixture_20kb(bencher: Bencher) {
    let settings = Settings::default();
    let text = FIXTURE.as_str();
    bencher.bench(|| analyze(divan::black_box(text), DocumentKind::Plain, &settings));
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn analyze_article_1mb(bencher: Bencher) {
    let settings = Settings::default();
    let text = ARTICLE_1MB.as_str();
    bencher.bench(|| analyze(divan::black_box(text), DocumentKind::Plain, &settings));
}

/// One character typed into a paragraph in the middle of the 1 MB article, re-checked by the
/// document's warm engine (the language server's path): keystroke after keystroke.
#[divan::bench(sample_count = 50, sample_size = 4)]
fn keystroke_in_1mb(bencher: Bencher) {
    let settings = Settings::default();
    let mut text = ARTICLE_1MB.clone();
    let mut engine = Engine::new(DocumentKind::Plain);
    let first = engine.analyze(&text, &settings);
    let paragraphs = &first.article().paragraphs;
    let middle = paragraphs.len() / 2;
    let paragraph = (middle..paragraphs.len())
        .find(|&p| paragraphs[p].text.chars().count() > 40)
        .unwrap_or(middle);
    let at = paragraphs[paragraph]
        .text
        .char_indices()
        .nth(20)
        .map_or(0, |(i, _)| i);
    let mut offset = paragraphs[paragraph].to_source(at);
    drop(first);
    bencher.bench_local(|| {
        text.insert(offset, '推');
        offset += '推'.len_utf8();
        engine.analyze(&text, &settings).findings.len()
    });
}

/// The lexicons of titles, organisations and formulations looked up over 1 MB, as mention
/// resolution and the rules do paragraph by paragraph.
#[divan::bench(sample_count = 20)]
fn lexicons_1mb(bencher: Bencher) {
    let knowledge = Knowledge::builtin();
    let text = ARTICLE_1MB.as_str();
    bencher.bench(|| {
        let text = divan::black_box(text);
        knowledge.titles().find_all(text).len()
            + knowledge.organisations().find_all(text).len()
            + knowledge.formulations().find_all(text).len()
    });
}

#[divan::bench(sample_count = 20)]
fn article_parse_1mb(bencher: Bencher) {
    let knowledge = Knowledge::builtin();
    let text = ARTICLE_1MB.as_str();
    bencher.bench(|| Article::parse(divan::black_box(text), DocumentKind::Plain, knowledge));
}

#[divan::bench(sample_count = 20)]
fn enumeration_extract_1mb(bencher: Bencher) {
    let knowledge = Knowledge::builtin();
    let text = ARTICLE_1MB.as_str();
    let article = Article::parse(text, DocumentKind::Plain, knowledge);
    bencher.bench(|| enumeration::extract(divan::black_box(text), &article, knowledge));
}

/// The leftmost-longest place-name matcher that mention resolution runs over every paragraph.
#[divan::bench(sample_count = 20)]
fn place_names_1mb(bencher: Bencher) {
    let gazetteer = Knowledge::builtin().gazetteer();
    let text = ARTICLE_1MB.as_str();
    bencher.bench(|| gazetteer.find_all(divan::black_box(text), true).len());
}

/// Fresh gazetteer and title tables, as built for a jiaodui.toml with `[[places]]` or
/// `[[titles]]` (the built-in set itself is a LazyLock, built once per process).
#[divan::bench(sample_count = 20)]
fn knowledge_with_additions() -> Knowledge {
    Knowledge::with_additions(&[], &[])
}

/// Byte offsets spread over the 1 MB article, on character boundaries.
fn offsets(text: &str, count: usize) -> Vec<usize> {
    let step = (text.len() / count).max(1);
    (0..count)
        .map(|i| {
            let mut at = (i * step).min(text.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            at
        })
        .collect()
}

#[divan::bench(args = [Encoding::Utf16, Encoding::Utf8])]
fn position_from_offset_1mb(bencher: Bencher, encoding: Encoding) {
    let rope = Rope::from_str(&ARTICLE_1MB);
    let offsets = offsets(&ARTICLE_1MB, 1000);
    bencher
        .counter(divan::counter::ItemsCount::new(offsets.len()))
        .bench(|| {
            offsets
                .iter()
                .map(|&at| to_position(&rope, at, encoding))
                .fold(0u64, |acc, p| acc + u64::from(p.line + p.character))
        });
}

#[divan::bench(args = [Encoding::Utf16, Encoding::Utf8])]
fn offset_from_position_1mb(bencher: Bencher, encoding: Encoding) {
    let rope = Rope::from_str(&ARTICLE_1MB);
    let positions: Vec<Position> = offsets(&ARTICLE_1MB, 1000)
        .into_iter()
        .map(|at| to_position(&rope, at, encoding))
        .collect();
    bencher
        .counter(divan::counter::ItemsCount::new(positions.len()))
        .bench(|| {
            positions
                .iter()
                .map(|&p| to_offset(&rope, p, encoding))
                .sum::<usize>()
        });
}

//! Writes a benchmark corpus of distinct Chinese articles: `OUT_DIR SIZE_MB [SEED]`.
//!
//! Every file (20–100 KB) is made from the sections of the repository's own articles
//! (`tests/fixtures/*.txt`, `tests/clean/*.txt`): shuffled paragraphs, new names, places and
//! numbers from a seeded PRNG, so no two files are the same. The generator lives in the
//! repository; the data does not — write it into a temporary folder.
//!
//! ```text
//! cargo run --release --example gen_corpus -- /tmp/jiaodui-corpus 20
//! ```

#[path = "../benches/support/corpus.rs"]
mod corpus;

use std::path::Path;
use std::process::ExitCode;

use corpus::Corpus;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(dir), Some(size)) = (args.first(), args.get(1)) else {
        eprintln!("usage: gen_corpus OUT_DIR SIZE_MB [SEED]");
        return ExitCode::from(2);
    };
    let Ok(size_mb) = size.parse::<f64>() else {
        eprintln!("gen_corpus: SIZE_MB must be a number, not {size:?}");
        return ExitCode::from(2);
    };
    let seed = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(2026);
    let corpus = Corpus::load(&corpus::crate_root());
    let (paths, total) = corpus::write_corpus(
        &corpus,
        Path::new(dir),
        (size_mb * 1024.0 * 1024.0) as usize,
        seed,
    );
    eprintln!(
        "gen_corpus: {} files, {:.1} MB in {dir} (from {} sections of {} source files, seed {seed})",
        paths.len(),
        total as f64 / (1024.0 * 1024.0),
        corpus.section_count(),
        corpus.source_files.len(),
    );
    ExitCode::SUCCESS
}

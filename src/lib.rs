//! jiaodui (校对): a proofreader for Chinese political reportage.
//!
//! The crate is a pure analysis core with thin adapters around it:
//!
//! * [`analysis`] turns text into an [`analysis::Article`] and [`analysis::Finding`]s with byte
//!   ranges. It never does IO and never fails on any input.
//! * [`rules`] is the rule catalogue: one module per rule, grouped by family.
//! * [`knowledge`] holds the built-in data (places, titles, organisations, characters,
//!   formulations) loaded from `data/`.
//! * [`position`] is the only module that converts between byte offsets and editor positions.
//! * [`document`] is the editor's view of a text: a rope that takes incremental edits.
//! * [`config`] reads `jiaodui.toml` and editor settings into [`config::Settings`].
//! * [`lsp`] and [`cli`] are the adapters; they are the only modules that know about the
//!   Language Server Protocol or the terminal.

pub mod analysis;
pub mod cli;
pub mod config;
pub mod document;
pub mod knowledge;
pub mod lsp;
pub mod position;
pub mod rules;
#[cfg(test)]
mod testing;

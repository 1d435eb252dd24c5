//! People: who speaks, with which title, for which place. The three rules read the resolved
//! [`Mentions`](crate::analysis::Mentions) (bylines, register, places) and the attribution words
//! of `data/attribution.toml`.

pub mod attribution;
pub mod name_mismatch;
pub mod place_mismatch;
pub mod title_mismatch;

use super::{Context, Family, Sink};
use crate::analysis::mentions;

pub static FAMILY: Family = Family {
    name: "people",
    rules: &[
        &place_mismatch::RULE,
        &name_mismatch::RULE,
        &title_mismatch::RULE,
    ],
    check,
};

fn check(context: &Context<'_>, sink: &mut Sink<'_>) {
    let units = mentions::units(context.text, context.article);
    if context.enabled(&place_mismatch::RULE) {
        place_mismatch::check(context, &units, sink);
    }
    if context.enabled(&name_mismatch::RULE) {
        name_mismatch::check(context, &units, sink);
    }
    if context.enabled(&title_mismatch::RULE) {
        title_mismatch::check(context, &units, sink);
    }
}

/// The indices of one section's units. Units follow the text and sections do too, so a
/// section's units stand together.
pub(super) fn section_units(units: &[mentions::Unit], section: usize) -> std::ops::Range<usize> {
    let start = units.partition_point(|u| u.section() < Some(section));
    let end = units.partition_point(|u| u.section() <= Some(section));
    start..end.max(start)
}

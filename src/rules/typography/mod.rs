//! Typography: how the characters themselves are written (punctuation width).

pub mod halfwidth_punctuation;

use super::{Context, Family, Sink};

pub static FAMILY: Family = Family {
    name: "typography",
    rules: &[&halfwidth_punctuation::RULE],
    check,
};

fn check(context: &Context<'_>, sink: &mut Sink<'_>) {
    if context.enabled(&halfwidth_punctuation::RULE) {
        halfwidth_punctuation::check(context, sink);
    }
}

//! Enumerations: announced counts and the numbered lists that follow them (四个方面：一是 … 四是).
//!
//! The four rules read the lists of [`crate::analysis::enumeration`]. Their fixes are planned
//! together here so that they compose under `check --fix`: a list cut back to its announced
//! count, a loop deleted after its first cycle and single repeated items deleted never touch the
//! same text in one round; renumbering follows in the next round.

pub mod count_mismatch;
pub mod repeated_item;
pub mod repetition_loop;
pub mod sequence;

use std::ops::Range;

use super::{Context, Family, Sink};
use crate::analysis::enumeration::{Enumeration, ListKind};

pub static FAMILY: Family = Family {
    name: "enumeration",
    rules: &[
        &count_mismatch::RULE,
        &sequence::RULE,
        &repeated_item::RULE,
        &repetition_loop::RULE,
    ],
    check,
};

fn check(context: &Context<'_>, sink: &mut Sink<'_>) {
    for list in context.enumerations {
        let plan = Plan::new(list);
        if context.enabled(&count_mismatch::RULE) {
            count_mismatch::check(list, &plan, sink);
        }
        if context.enabled(&sequence::RULE) {
            sequence::check(list, sink);
        }
        if context.enabled(&repeated_item::RULE) {
            repeated_item::check(list, &plan, sink);
        }
        if context.enabled(&repetition_loop::RULE) {
            repetition_loop::check(list, &plan, sink);
        }
    }
}

/// The deletions the rules propose for one list, decided once so that they do not overlap.
pub(crate) struct Plan {
    /// Items past the announced count, all of them repeats or loop: delete `items` with `range`.
    truncation: Option<(Range<usize>, Range<usize>)>,
    /// The loop's cycles after the first: delete `items` with `range`.
    loop_removal: Option<(Range<usize>, Range<usize>)>,
}

impl Plan {
    fn new(list: &Enumeration) -> Plan {
        let ordinal = matches!(list.kind, ListKind::Ordinal(_));
        let truncation = list
            .announcement
            .as_ref()
            .filter(|_| ordinal)
            .map(|a| a.count as usize)
            .filter(|&count| count >= 1 && count < list.items.len())
            .filter(|&count| (count..list.items.len()).all(|i| list.is_degenerate(i)))
            .and_then(|count| {
                let items = count..list.items.len();
                list.removal(items.clone()).map(|range| (items, range))
            });
        let loop_removal = list.cycle.and_then(|cycle| {
            let items = cycle.start + cycle.period..cycle.end;
            list.removal(items.clone()).map(|range| (items, range))
        });
        Plan {
            truncation,
            loop_removal,
        }
    }

    /// Is item `index` deleted by the truncation or the loop removal?
    fn covers(&self, index: usize) -> bool {
        [&self.truncation, &self.loop_removal]
            .into_iter()
            .flatten()
            .any(|(items, _)| items.contains(&index))
    }
}

/// `第5–20项` / `items 5–20` (1-based).
pub(crate) fn item_span(items: &Range<usize>) -> (String, String) {
    if items.end - items.start == 1 {
        (
            format!("第{}项", items.start + 1),
            format!("item {}", items.start + 1),
        )
    } else {
        (
            format!("第{}–{}项", items.start + 1, items.end),
            format!("items {}–{}", items.start + 1, items.end),
        )
    }
}

/// A phrase shortened for a message.
pub(crate) fn short(text: &str) -> String {
    const MAX: usize = 16;
    if text.chars().count() <= MAX {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(MAX).collect::<String>())
    }
}

//! What the unit tests share: seeded random input.

/// A seeded xorshift generator: each call, a number below `bound`.
pub(crate) fn random(mut state: u64) -> impl FnMut(usize) -> usize {
    move |bound| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % bound as u64) as usize
    }
}

/// A text of fewer than `bound` characters drawn from `alphabet`.
pub(crate) fn random_text(
    next: &mut impl FnMut(usize) -> usize,
    alphabet: &[char],
    bound: usize,
) -> String {
    let length = next(bound);
    (0..length)
        .map(|_| alphabet[next(alphabet.len())])
        .collect()
}

//! Byte searches tuned for the short haystacks of IRC lines (tag keys and values of a few dozen
//! bytes), where `memchr`'s setup costs more than the search: eight bytes at a time in a `u64`.

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// High bit set in each byte of `word` that is zero. Bits above the first zero byte may be wrong,
/// so only the lowest set bit is meaningful, which is all the callers use.
#[inline]
fn zero_bytes(word: u64) -> u64 {
    word.wrapping_sub(ONES) & !word & HIGHS
}

/// Position of the first byte equal to `a` or `b`.
#[inline]
pub(crate) fn find2(haystack: &[u8], a: u8, b: u8) -> Option<usize> {
    let (fill_a, fill_b) = (ONES * u64::from(a), ONES * u64::from(b));
    let mut chunks = haystack.chunks_exact(8);
    let mut offset = 0;
    for chunk in &mut chunks {
        let word = u64::from_le_bytes(chunk.try_into().expect("chunks of 8"));
        let hits = zero_bytes(word ^ fill_a) | zero_bytes(word ^ fill_b);
        if hits != 0 {
            return Some(offset + (hits.trailing_zeros() / 8) as usize);
        }
        offset += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&c| c == a || c == b)
        .map(|i| offset + i)
}

/// Position of the first byte equal to `needle`.
#[inline]
pub(crate) fn find(haystack: &[u8], needle: u8) -> Option<usize> {
    find2(haystack, needle, needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_first_match_at_every_offset() {
        for len in 0..40 {
            for at in 0..len {
                let mut hay = vec![b'x'; len];
                hay[at] = b';';
                if at + 1 < len {
                    hay[at + 1] = b'=';
                }
                assert_eq!(find(&hay, b';'), Some(at), "len {len} at {at}");
                assert_eq!(find2(&hay, b'=', b';'), Some(at), "len {len} at {at}");
            }
            assert_eq!(find(&vec![b'x'; len], b';'), None);
        }
    }

    #[test]
    fn agrees_with_a_plain_search_for_every_byte_value() {
        let naive = |h: &[u8], a: u8, b: u8| h.iter().position(|&c| c == a || c == b);
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        for round in 0..20_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % 40) as usize;
            let hay: Vec<u8> = (0..len)
                .map(|i| (state.rotate_left(i as u32 * 7) as u8).wrapping_add(round as u8))
                .collect();
            let (a, b) = ((state >> 8) as u8, (state >> 16) as u8);
            assert_eq!(find2(&hay, a, b), naive(&hay, a, b), "{hay:?} {a} {b}");
            assert_eq!(find(&hay, a), naive(&hay, a, a), "{hay:?} {a}");
        }
        for value in 0..=255u8 {
            let hay = [value; 16];
            for needle in 0..=255u8 {
                assert_eq!(find(&hay, needle), (value == needle).then_some(0));
            }
        }
    }
}

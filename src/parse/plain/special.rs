//! The scan that crosses a JSON string's plain bytes: where the next quote, backslash or control
//! character is. The first thirty-two bytes with SSE2 (every x86-64; most strings of a record end
//! there), the rest of a longer string thirty-two at a time with AVX2 where the machine has it
//! (found at run time), else sixteen with SSE2; eight at a time (SWAR) on other machines.

/// The offset of the first `"`, `\` or control character in `b`.
#[inline(always)]
pub(crate) fn special(b: &[u8]) -> Option<usize> {
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    {
        // The first 32 bytes here, as two sixteens (a record's timestamps, access key ids and
        // principal ids end there: no call to `special_past` for them).
        if let Some(chunk) = b.get(..32) {
            let (low, high) = chunk.split_at(16);
            // SAFETY: `special16` only needs SSE2, which this build targets (the cfg above; it
            // is part of every x86-64). It takes the bytes by value: no pointer is involved.
            #[allow(unsafe_code)]
            let hits =
                unsafe { special16(low.try_into().ok()?) | special16(high.try_into().ok()?) << 16 };
            if hits != 0 {
                return Some(hits.trailing_zeros() as usize);
            }
            return special_past(b, 32);
        }
        let Some(chunk) = b.get(..16) else {
            return special8(b);
        };
        // SAFETY: as above.
        #[allow(unsafe_code)]
        let hits = unsafe { special16(chunk.try_into().ok()?) };
        if hits != 0 {
            return Some(hits.trailing_zeros() as usize);
        }
        special_past(b, 16)
    }
    #[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
    special8(b)
}

/// [`special`] from `at`, the bytes before it known plain: a long string's rest (a user agent,
/// an ARN, a policy document), not inlined where [`special`] is.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline(never)]
fn special_past(b: &[u8], at: usize) -> Option<usize> {
    if std::is_x86_feature_detected!("avx2") {
        // SAFETY: the machine has AVX2 (just detected), all `special_avx2` needs; it takes its
        // bytes by value or as slices, no pointer is involved.
        #[allow(unsafe_code)]
        return unsafe { special_avx2(b, at) };
    }
    special_sse2(b, at)
}

/// [`special`] from `at`, sixteen bytes at a time with SSE2, then eight.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
fn special_sse2(b: &[u8], mut at: usize) -> Option<usize> {
    while let Some(chunk) = b.get(at..at + 16) {
        // SAFETY: as in `special`: SSE2 is part of every x86-64, the bytes go by value.
        #[allow(unsafe_code)]
        let hits = unsafe { special16(chunk.try_into().ok()?) };
        if hits != 0 {
            return Some(at + hits.trailing_zeros() as usize);
        }
        at += 16;
    }
    special8(&b[at..]).map(|p| at + p)
}

/// [`special`] from `at`, thirty-two bytes at a time with AVX2, the last 32 bytes of `b` for the
/// rest (eight at a time, without vectors, when `b` is shorter).
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[target_feature(enable = "avx2")]
fn special_avx2(b: &[u8], mut at: usize) -> Option<usize> {
    use std::arch::x86_64::{
        __m256i, _mm256_cmpeq_epi8, _mm256_max_epu8, _mm256_movemask_epi8, _mm256_or_si256,
        _mm256_set1_epi8,
    };
    let quote = _mm256_set1_epi8(b'"' as i8);
    let slash = _mm256_set1_epi8(b'\\' as i8);
    let low = _mm256_set1_epi8(0x1f);
    while let Some(chunk) = b.get(at..at + 32) {
        let x: __m256i = bytemuck::cast::<[u8; 32], __m256i>(chunk.try_into().ok()?);
        // `max(x, 0x1f) == 0x1f` exactly where the unsigned byte is at most 0x1f.
        let control = _mm256_cmpeq_epi8(_mm256_max_epu8(x, low), low);
        let stops = _mm256_or_si256(
            _mm256_or_si256(_mm256_cmpeq_epi8(x, quote), _mm256_cmpeq_epi8(x, slash)),
            control,
        );
        let hits = _mm256_movemask_epi8(stops) as u32;
        if hits != 0 {
            return Some(at + hits.trailing_zeros() as usize);
        }
        at += 32;
    }
    // Fewer than 32 bytes left, `b` being the string itself (a row's field, not the rest of a
    // document): the last 32 bytes of `b` once more, those before `at` known plain. Not
    // `special_sse2`: its SSE2 instructions right after these AVX2 ones, with the registers'
    // upper halves in use, cost the machine a state change each way (in `--all`'s row writer,
    // about a seventh of its CPU time went to the first vector instruction of each function).
    let Some(start) = b.len().checked_sub(32).filter(|_| at < b.len()) else {
        return special8(b.get(at..)?).map(|p| at + p);
    };
    let x: __m256i = bytemuck::cast::<[u8; 32], __m256i>(b[start..].try_into().ok()?);
    let control = _mm256_cmpeq_epi8(_mm256_max_epu8(x, low), low);
    let stops = _mm256_or_si256(
        _mm256_or_si256(_mm256_cmpeq_epi8(x, quote), _mm256_cmpeq_epi8(x, slash)),
        control,
    );
    let hits = (_mm256_movemask_epi8(stops) as u32) >> (at - start);
    (hits != 0).then(|| at + hits.trailing_zeros() as usize)
}

/// One bit per byte of `chunk` that is `"`, `\` or below 0x20 (SSE2 on a value: the bytes are
/// cast by `bytemuck`, nothing is loaded through a pointer).
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[target_feature(enable = "sse2")]
fn special16(chunk: [u8; 16]) -> u32 {
    use std::arch::x86_64::{
        _mm_cmpeq_epi8, _mm_max_epu8, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
    };
    let x = bytemuck::cast(chunk);
    let quote = _mm_cmpeq_epi8(x, _mm_set1_epi8(b'"' as i8));
    let slash = _mm_cmpeq_epi8(x, _mm_set1_epi8(b'\\' as i8));
    // `max(x, 0x1f) == 0x1f` exactly where the unsigned byte is at most 0x1f.
    let low = _mm_set1_epi8(0x1f);
    let control = _mm_cmpeq_epi8(_mm_max_epu8(x, low), low);
    _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(quote, slash), control)) as u32
}

/// [`special`] eight bytes at a time (SWAR), then one at a time.
fn special8(b: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut at = 0;
    while let Some(chunk) = b.get(at..at + 8) {
        let x = u64::from_le_bytes(chunk.try_into().ok()?);
        let quote = x ^ (ONES * u64::from(b'"'));
        let slash = x ^ (ONES * u64::from(b'\\'));
        // A zero byte in `quote` or `slash`, or a byte below 0x20 in `x`. Bits above the first
        // match may be wrong (borrows); the lowest set bit is always a true match.
        let hits = (quote.wrapping_sub(ONES) & !quote
            | slash.wrapping_sub(ONES) & !slash
            | x.wrapping_sub(ONES * 0x20) & !x)
            & HIGH;
        if hits != 0 {
            return Some(at + (hits.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    b[at..]
        .iter()
        .position(|&c| c == b'"' || c == b'\\' || c < 0x20)
        .map(|p| at + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The vector and word scans find the first `"`, `\\` or control character exactly where a
    /// byte-by-byte search does: every byte value at every offset of every length up to 40 and
    /// of lengths about the 16- and 32-byte steps up to 130 (the AVX2 path where the machine has
    /// it, and the SSE2 path past 16 bytes on any x86-64).
    #[test]
    fn the_string_scan_stops_where_a_byte_by_byte_search_does() {
        let naive = |b: &[u8]| b.iter().position(|&c| c == b'"' || c == b'\\' || c < 0x20);
        for len in (0..40).chain([47, 48, 49, 63, 64, 65, 80, 81, 95, 96, 97, 130]) {
            let plain = vec![b'a'; len];
            assert_eq!(special(&plain), naive(&plain), "{len}");
            for at in 0..len {
                for c in 0..=255u8 {
                    let mut b = plain.clone();
                    b[at] = c;
                    // A second stop after the first: the first is the answer.
                    if at + 1 < len {
                        b[len - 1] = b'"';
                    }
                    assert_eq!(special(&b), naive(&b), "{len} {at} {c}");
                    assert_eq!(special8(&b), naive(&b), "{len} {at} {c}");
                    // The SSE2 path past the first 16 bytes, where AVX2 takes it on this machine.
                    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
                    if len >= 16 && naive(&b[..16]).is_none() {
                        assert_eq!(special_sse2(&b, 16), naive(&b), "sse2 {len} {at} {c}");
                    }
                }
            }
        }
    }
}

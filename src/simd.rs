//! Byte-class bitmasks over 64-byte blocks, the building block of the
//! parsers' fast scans (newlines in describe, indentation in JSON).

/// Bit `k` set where `block[k] == c`: four SSE2 compares on x86-64 (SSE2 is
/// baseline there, and LLVM does not turn the portable loop into this), a
/// plain loop elsewhere.
#[inline(always)]
pub fn byte_mask(block: &[u8; 64], c: u8) -> u64 {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{
            _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_set1_epi8,
        };
        let mut m = 0u64;
        for k in 0..4 {
            // SAFETY: SSE2 is baseline on x86_64; the load reads 16 bytes
            // inside the 64-byte block and `loadu` takes any alignment.
            let bits = unsafe {
                let v = _mm_loadu_si128(block.as_ptr().add(16 * k).cast());
                _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(c as i8))) as u16
            };
            m |= u64::from(bits) << (16 * k);
        }
        m
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        let mut m = 0u64;
        for (k, &b) in block.iter().enumerate() {
            m |= u64::from(b == c) << k;
        }
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_a_plain_loop() {
        let mut block = [b'a'; 64];
        for k in [0, 5, 15, 16, 31, 32, 47, 48, 63] {
            block[k] = b'\n';
        }
        let want = block
            .iter()
            .enumerate()
            .fold(0u64, |m, (k, &b)| m | (u64::from(b == b'\n') << k));
        assert_eq!(byte_mask(&block, b'\n'), want);
        assert_eq!(byte_mask(&block, b'z'), 0);
    }
}

//! `memcmp` for the browser build, eight bytes at a time.
//!
//! Paths are ordered as plain byte strings (`layerlab_engine::path`), so every
//! lookup in a file system's map compares whole paths, and a deep tree's
//! paths share thousands of leading bytes. The wasm target's own `memcmp`
//! (from `compiler_builtins`) compares one byte per loop turn: a `mkdir -p`
//! 2,000 levels deep spent most of its 250 ms in such comparisons. This one
//! compares 8-byte words until two differ, then finds the byte. Being a
//! strong definition, it replaces the weak one at link time; natively the C
//! library's is used, and the comparison itself is tested there.

/// `memcmp`'s answer for two byte strings of one length: the difference of
/// the first bytes that differ, or 0.
pub fn compare(a: &[u8], b: &[u8]) -> i32 {
    let n = a.len().min(b.len());
    let mut i = 0;
    while i + 8 <= n {
        // The slices are 8 bytes long: the conversions cannot fail.
        let x = u64::from_ne_bytes(a[i..i + 8].try_into().unwrap_or_default());
        let y = u64::from_ne_bytes(b[i..i + 8].try_into().unwrap_or_default());
        if x != y {
            break;
        }
        i += 8;
    }
    while i < n {
        if a[i] != b[i] {
            return i32::from(a[i]) - i32::from(b[i]);
        }
        i += 1;
    }
    0
}

/// # Safety
/// `a` and `b` must be valid for reads of `n` bytes (`memcmp`'s contract).
#[cfg(target_arch = "wasm32")]
#[no_mangle]
pub unsafe extern "C" fn memcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    // SAFETY: the caller gives n readable bytes at each pointer.
    let (a, b) = unsafe {
        (
            core::slice::from_raw_parts(a, n),
            core::slice::from_raw_parts(b, n),
        )
    };
    compare(a, b)
}

#[cfg(test)]
mod tests {
    use super::compare;

    /// (a, b, the sign of memcmp's answer)
    const CASES: &[(&[u8], &[u8], i32)] = &[
        (b"", b"", 0),
        (b"a", b"a", 0),
        (b"a", b"b", -1),
        (b"b", b"a", 1),
        (b"abcdefgh", b"abcdefgh", 0),
        (b"abcdefgh", b"abcdefgi", -1),
        (b"abcdefghij", b"abcdefghik", -1),
        (b"abcdefghz", b"abcdefghij", 1),
        // A difference early in a word, after a later one in the same word:
        // the first differing byte decides, whatever the word's byte order.
        (b"aXcdefgA", b"aYcdefgZ", -1),
        (b"\xff0000000", b"\x000000000", 1),
        (
            b"0123456701234567012345670123456\x01",
            b"0123456701234567012345670123456\x02",
            -1,
        ),
    ];

    #[test]
    fn it_answers_as_memcmp_does() {
        for (a, b, sign) in CASES {
            assert_eq!(compare(a, b).signum(), *sign, "{a:?} against {b:?}");
            assert_eq!(compare(b, a).signum(), -sign, "{b:?} against {a:?}");
        }
    }
}

//! Hex digits: reading `0x`-hex into fixed buffers and writing lowercase
//! hex, without an allocator.

use core::fmt;

const HEX_LOWER: &[u8; 16] = b"0123456789abcdef";

/// Why `0x`-hex was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HexError {
    /// The text does not start with `0x`.
    MissingPrefix,
    /// An odd number of digits, or more or fewer than the value takes.
    Length,
    /// A character that is not a hex digit.
    NotHex,
}

/// The value of one ASCII hex digit, if it is one.
pub const fn hex_value(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Writes `bytes` as lowercase hex into `out`, which holds twice as many
/// bytes (extra room is left untouched).
pub fn write_hex_lower(bytes: &[u8], out: &mut [u8]) {
    for (pair, b) in out.chunks_exact_mut(2).zip(bytes) {
        if let [hi, lo] = pair {
            *hi = HEX_LOWER.get(usize::from(b >> 4)).copied().unwrap_or(b'0');
            *lo = HEX_LOWER
                .get(usize::from(b & 0x0f))
                .copied()
                .unwrap_or(b'0');
        }
    }
}

/// The digits after `0x`.
pub fn strip_0x(text: &[u8]) -> Result<&[u8], HexError> {
    match text {
        [b'0', b'x', rest @ ..] => Ok(rest),
        _ => Err(HexError::MissingPrefix),
    }
}

/// Decodes an even number of hex digits into `out`, returning the number of
/// bytes; too many for `out` is [`HexError::Length`].
pub fn decode_digits(digits: &[u8], out: &mut [u8]) -> Result<usize, HexError> {
    if digits.len() % 2 != 0 {
        return Err(HexError::Length);
    }
    let n = digits.len() / 2;
    let dst = out.get_mut(..n).ok_or(HexError::Length)?;
    for (byte, pair) in dst.iter_mut().zip(digits.chunks_exact(2)) {
        let [hi, lo] = pair else {
            return Err(HexError::Length);
        };
        let h = hex_value(*hi).ok_or(HexError::NotHex)?;
        let l = hex_value(*lo).ok_or(HexError::NotHex)?;
        *byte = (h << 4) | l;
    }
    Ok(n)
}

/// Decodes `0x` + exactly `2 * N` hex digits.
pub fn decode_fixed<const N: usize>(text: &[u8]) -> Result<[u8; N], HexError> {
    let digits = strip_0x(text)?;
    if digits.len() != 2 * N {
        return Err(HexError::Length);
    }
    let mut out = [0u8; N];
    decode_digits(digits, &mut out)?;
    Ok(out)
}

/// Bytes shown as `0x` + lowercase hex.
#[derive(Clone, Copy, Debug)]
pub struct Hex0x<'a>(pub &'a [u8]);

impl fmt::Display for Hex0x<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("0x")?;
        for chunk in self.0.chunks(32) {
            let mut buf = [0u8; 64];
            let n = chunk.len() * 2;
            write_hex_lower(chunk, &mut buf);
            f.write_str(ascii_str(buf.get(..n).unwrap_or(&[])))?;
        }
        Ok(())
    }
}

/// An ASCII buffer this crate wrote, as `&str` (empty if it somehow is not
/// UTF-8).
pub fn ascii_str(bytes: &[u8]) -> &str {
    core::str::from_utf8(bytes).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::string::ToString;

    #[test]
    fn round_trip_and_errors() {
        assert_eq!(decode_fixed::<2>(b"0xABcd"), Ok([0xab, 0xcd]));
        assert_eq!(decode_fixed::<2>(b"ABcd"), Err(HexError::MissingPrefix));
        assert_eq!(decode_fixed::<2>(b"0xabc"), Err(HexError::Length));
        assert_eq!(decode_fixed::<2>(b"0xabcdef"), Err(HexError::Length));
        assert_eq!(decode_fixed::<2>(b"0xabcg"), Err(HexError::NotHex));
        let mut out = [0u8; 1];
        assert_eq!(decode_digits(b"", &mut out), Ok(0));
        assert_eq!(decode_digits(b"0001", &mut out), Err(HexError::Length));
        assert_eq!(
            Hex0x(&[0xab; 33]).to_string(),
            format!("0x{}", "ab".repeat(33))
        );
        assert_eq!(Hex0x(&[]).to_string(), "0x");
    }
}

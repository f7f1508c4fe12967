//! A JSON writer into a fixed buffer: objects, arrays, escaped strings.
//!
//! Written here rather than through `serde` + `serde-json-core`'s
//! serializer because the records write themselves field by field (a
//! request body is the payload's fields, flattened, plus `memo` and the
//! signature), which a derived `Serialize` cannot express without an
//! intermediate value; and because the exact bytes matter (they are
//! compared with vectors and re-parsed by the node).

use crate::rlp::BufferFull;

/// Most nesting levels the writer tracks.
const MAX_DEPTH: u32 = 31;

/// Writes JSON into a fixed buffer, inserting commas between members.
#[derive(Debug)]
pub struct JsonWriter<'a> {
    out: &'a mut [u8],
    len: usize,
    depth: u32,
    /// Bit `d` set: the container at depth `d` already has a member.
    nonempty: u32,
}

impl<'a> JsonWriter<'a> {
    /// An empty writer over `out`.
    pub fn new(out: &'a mut [u8]) -> Self {
        JsonWriter {
            out,
            len: 0,
            depth: 0,
            nonempty: 0,
        }
    }

    /// Bytes written so far.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether nothing was written.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Appends raw bytes (already valid JSON).
    pub fn raw(&mut self, bytes: &[u8]) -> Result<(), BufferFull> {
        let end = self.len.checked_add(bytes.len()).ok_or(BufferFull)?;
        self.out
            .get_mut(self.len..end)
            .ok_or(BufferFull)?
            .copy_from_slice(bytes);
        self.len = end;
        Ok(())
    }

    /// Writes the comma that separates this value from the previous member
    /// of the current container.
    fn separator(&mut self) -> Result<(), BufferFull> {
        let bit = 1u32 << self.depth.min(MAX_DEPTH);
        if self.nonempty & bit != 0 {
            self.raw(b",")?;
        }
        self.nonempty |= bit;
        Ok(())
    }

    fn open(&mut self, bracket: &[u8]) -> Result<(), BufferFull> {
        self.raw(bracket)?;
        self.depth = self.depth.saturating_add(1);
        self.nonempty &= !(1u32 << self.depth.min(MAX_DEPTH));
        Ok(())
    }

    fn close(&mut self, bracket: &[u8]) -> Result<(), BufferFull> {
        self.depth = self.depth.saturating_sub(1);
        self.raw(bracket)
    }

    /// `{`
    pub fn begin_object(&mut self) -> Result<(), BufferFull> {
        self.open(b"{")
    }

    /// `}`
    pub fn end_object(&mut self) -> Result<(), BufferFull> {
        self.close(b"}")
    }

    /// `[`
    pub fn begin_array(&mut self) -> Result<(), BufferFull> {
        self.open(b"[")
    }

    /// `]`
    pub fn end_array(&mut self) -> Result<(), BufferFull> {
        self.close(b"]")
    }

    /// `"key":` (keys are plain ASCII names).
    pub fn key(&mut self, key: &str) -> Result<(), BufferFull> {
        self.separator()?;
        self.raw(b"\"")?;
        self.raw(key.as_bytes())?;
        self.raw(b"\":")
    }

    /// Marks the start of an array element (writes its comma).
    pub fn element(&mut self) -> Result<(), BufferFull> {
        self.separator()
    }

    /// A number.
    pub fn u64(&mut self, v: u64) -> Result<(), BufferFull> {
        let mut digits = [0u8; 20];
        let mut i = digits.len();
        let mut v = v;
        loop {
            i -= 1;
            if let Some(d) = digits.get_mut(i) {
                // v % 10 < 10
                *d = b'0' + (v % 10) as u8;
            }
            v /= 10;
            if v == 0 || i == 0 {
                break;
            }
        }
        self.raw(digits.get(i..).unwrap_or(&[]))
    }

    /// `true` or `false`.
    pub fn bool(&mut self, v: bool) -> Result<(), BufferFull> {
        self.raw(if v { b"true" } else { b"false" })
    }

    /// A string, escaped: `"` and `\` with a backslash, control characters
    /// as `\u00XX`; everything else as its UTF-8 bytes.
    pub fn string(&mut self, text: &str) -> Result<(), BufferFull> {
        self.raw(b"\"")?;
        let bytes = text.as_bytes();
        let mut start = 0;
        for (i, &b) in bytes.iter().enumerate() {
            let escape: Option<&[u8]> = match b {
                b'"' => Some(b"\\\""),
                b'\\' => Some(b"\\\\"),
                _ => None,
            };
            if escape.is_some() || b < 0x20 {
                self.raw(bytes.get(start..i).unwrap_or(&[]))?;
                match escape {
                    Some(e) => self.raw(e)?,
                    None => {
                        const HEX: &[u8; 16] = b"0123456789abcdef";
                        let hi = HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0');
                        let lo = HEX.get(usize::from(b & 15)).copied().unwrap_or(b'0');
                        self.raw(&[b'\\', b'u', b'0', b'0', hi, lo])?;
                    }
                }
                start = i + 1;
            }
        }
        self.raw(bytes.get(start..).unwrap_or(&[]))?;
        self.raw(b"\"")
    }

    /// A string of ASCII that needs no escaping (hex, addresses, digits).
    pub fn ascii_string(&mut self, text: &[u8]) -> Result<(), BufferFull> {
        self.raw(b"\"")?;
        self.raw(text)?;
        self.raw(b"\"")
    }
}

/// Largest JSON string for a text of `n` UTF-8 bytes that holds no control
/// character: every byte may be a `"` or `\` (two bytes), plus the quotes.
pub const fn max_string_len(n: usize) -> usize {
    2 * n + 2
}

/// Most decimal digits of a `u64`.
pub const U64_DIGITS: usize = 20;

/// Decimal digits of `v`.
pub const fn digits(mut v: u64) -> usize {
    let mut n = 1;
    while v >= 10 {
        v /= 10;
        n += 1;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_nested_values_with_commas() {
        let mut buf = [0u8; 200];
        let mut w = JsonWriter::new(&mut buf);
        w.begin_object().unwrap();
        w.key("a").unwrap();
        w.u64(0).unwrap();
        w.key("b").unwrap();
        w.begin_array().unwrap();
        for i in [1u64, 22, u64::MAX] {
            w.element().unwrap();
            w.u64(i).unwrap();
        }
        w.end_array().unwrap();
        w.key("c").unwrap();
        w.begin_object().unwrap();
        w.key("d").unwrap();
        w.string("q\"\\\u{1}é").unwrap();
        w.key("e").unwrap();
        w.bool(false).unwrap();
        w.end_object().unwrap();
        w.key("f").unwrap();
        w.begin_array().unwrap();
        w.end_array().unwrap();
        w.end_object().unwrap();
        let n = w.len();
        assert_eq!(
            core::str::from_utf8(&buf[..n]).unwrap(),
            r#"{"a":0,"b":[1,22,18446744073709551615],"c":{"d":"q\"\\\u0001é","e":false},"f":[]}"#
        );
        let mut small = [0u8; 3];
        let mut w = JsonWriter::new(&mut small);
        assert_eq!(w.string("abcd"), Err(BufferFull));
        assert_eq!(digits(0), 1);
        assert_eq!(digits(u64::MAX), U64_DIGITS);
    }
}

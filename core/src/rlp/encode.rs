//! The encoder: canonical RLP into any [`Sink`].
//!
//! One encoding routine serves three ends: writing into a fixed buffer
//! ([`SliceSink`]), streaming into keccak ([`Keccak`]) so that a signing
//! hash never needs a buffer, and counting ([`Counter`]) so that a list's
//! length, which its header announces before its items, always agrees with
//! the items actually written.

use super::header::{be_len, EMPTY_STRING, LIST_SHORT, SHORT_MAX, STRING_SHORT};
use super::BufferFull;
use crate::hash::Keccak;

/// Where encoded bytes go.
pub trait Sink {
    /// Appends `bytes`, or fails without a partial write being relied on.
    fn put(&mut self, bytes: &[u8]) -> Result<(), BufferFull>;
}

/// A fixed buffer being filled from the start.
#[derive(Debug)]
pub struct SliceSink<'a> {
    buf: &'a mut [u8],
    len: usize,
}

impl<'a> SliceSink<'a> {
    /// An empty sink over `buf`.
    pub fn new(buf: &'a mut [u8]) -> Self {
        SliceSink { buf, len: 0 }
    }

    /// Bytes written so far.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether nothing was written.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl Sink for SliceSink<'_> {
    fn put(&mut self, bytes: &[u8]) -> Result<(), BufferFull> {
        let end = self.len.checked_add(bytes.len()).ok_or(BufferFull)?;
        self.buf
            .get_mut(self.len..end)
            .ok_or(BufferFull)?
            .copy_from_slice(bytes);
        self.len = end;
        Ok(())
    }
}

impl Sink for Keccak {
    fn put(&mut self, bytes: &[u8]) -> Result<(), BufferFull> {
        self.update(bytes);
        Ok(())
    }
}

/// Counts the bytes an encoding would take; never fails.
#[derive(Clone, Copy, Debug, Default)]
pub struct Counter(usize);

impl Counter {
    /// A zero count.
    pub const fn new() -> Self {
        Counter(0)
    }

    /// Bytes counted.
    pub const fn len(&self) -> usize {
        self.0
    }

    /// Whether nothing was counted.
    pub const fn is_empty(&self) -> bool {
        self.0 == 0
    }
}

impl Sink for Counter {
    fn put(&mut self, bytes: &[u8]) -> Result<(), BufferFull> {
        self.0 = self.0.saturating_add(bytes.len());
        Ok(())
    }
}

/// Something that writes one or more RLP items.
pub trait Encode {
    /// Writes the item(s) into `out`.
    fn encode<S: Sink>(&self, out: &mut S) -> Result<(), BufferFull>;

    /// The number of bytes [`Encode::encode`] writes.
    fn encoded_len(&self) -> usize {
        let mut counter = Counter::new();
        // A counter never refuses bytes.
        let _ = self.encode(&mut counter);
        counter.len()
    }
}

impl<T: Encode + ?Sized> Encode for &T {
    fn encode<S: Sink>(&self, out: &mut S) -> Result<(), BufferFull> {
        (**self).encode(out)
    }
}

/// Writes a string or list header announcing `len` payload bytes.
pub fn put_header<S: Sink>(out: &mut S, list: bool, len: usize) -> Result<(), BufferFull> {
    let short = if list { LIST_SHORT } else { STRING_SHORT };
    if len <= SHORT_MAX {
        // len <= 55, so the sum stays below 0xf8.
        out.put(&[short.wrapping_add(len as u8)])
    } else {
        let be = (len as u64).to_be_bytes();
        let n = be_len(len as u64);
        // long form: short + 55 + number of length bytes (at most 8).
        out.put(&[short.wrapping_add(SHORT_MAX as u8).wrapping_add(n as u8)])?;
        out.put(be.get(8 - n..).ok_or(BufferFull)?)
    }
}

/// Writes a byte string item.
pub fn put_string<S: Sink>(out: &mut S, bytes: &[u8]) -> Result<(), BufferFull> {
    match bytes {
        [b] if *b < 0x80 => out.put(bytes),
        _ => {
            put_header(out, false, bytes.len())?;
            out.put(bytes)
        }
    }
}

/// `bytes` without leading zero bytes: a big-endian integer's minimal form.
pub fn trim_leading_zeros(bytes: &[u8]) -> &[u8] {
    let first = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    bytes.get(first..).unwrap_or(&[])
}

/// Writes an unsigned integer given big-endian (leading zeros are dropped,
/// zero is the empty string).
pub fn put_uint<S: Sink>(out: &mut S, be: &[u8]) -> Result<(), BufferFull> {
    put_string(out, trim_leading_zeros(be))
}

/// Writes an unsigned integer.
pub fn put_u64<S: Sink>(out: &mut S, v: u64) -> Result<(), BufferFull> {
    put_uint(out, &v.to_be_bytes())
}

/// Writes a boolean: true `0x01`, false `0x80`.
pub fn put_bool<S: Sink>(out: &mut S, v: bool) -> Result<(), BufferFull> {
    out.put(&[if v { 0x01 } else { EMPTY_STRING }])
}

/// Writes a list whose items `items` writes.
pub fn put_list<S: Sink, T: Encode + ?Sized>(out: &mut S, items: &T) -> Result<(), BufferFull> {
    put_header(out, true, items.encoded_len())?;
    items.encode(out)
}

/// A byte string as an [`Encode`] value.
#[derive(Clone, Copy, Debug)]
pub struct Str<'a>(pub &'a [u8]);

impl Encode for Str<'_> {
    fn encode<S: Sink>(&self, out: &mut S) -> Result<(), BufferFull> {
        put_string(out, self.0)
    }
}

/// A list of the items `T` writes, as an [`Encode`] value.
#[derive(Clone, Copy, Debug)]
pub struct List<T>(pub T);

impl<T: Encode> Encode for List<T> {
    fn encode<S: Sink>(&self, out: &mut S) -> Result<(), BufferFull> {
        put_list(out, &self.0)
    }
}

/// Two encodings one after the other.
impl<A: Encode, B: Encode> Encode for (A, B) {
    fn encode<S: Sink>(&self, out: &mut S) -> Result<(), BufferFull> {
        self.0.encode(out)?;
        self.1.encode(out)
    }
}

/// Writes `value`'s encoding into `buf`, returning its length.
pub fn to_slice<T: Encode + ?Sized>(value: &T, buf: &mut [u8]) -> Result<usize, BufferFull> {
    let mut sink = SliceSink::new(buf);
    value.encode(&mut sink)?;
    Ok(sink.len())
}

/// keccak256 of `value`'s encoding, streamed (no buffer).
pub fn keccak<T: Encode + ?Sized>(value: &T) -> [u8; 32] {
    let mut hasher = Keccak::new();
    // A hasher never refuses bytes.
    let _ = value.encode(&mut hasher);
    hasher.finalize()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::vec::Vec;

    fn enc(f: impl Fn(&mut SliceSink<'_>) -> Result<(), BufferFull>) -> Vec<u8> {
        let mut buf = [0u8; 2048];
        let mut s = SliceSink::new(&mut buf);
        f(&mut s).unwrap();
        let n = s.len();
        buf[..n].to_vec()
    }

    #[test]
    fn scalars_as_the_spec_gives_them() {
        let h = |v: Vec<u8>| hex::encode(v);
        assert_eq!(h(enc(|s| put_u64(s, 0))), "80");
        assert_eq!(h(enc(|s| put_u64(s, 1))), "01");
        assert_eq!(h(enc(|s| put_u64(s, 127))), "7f");
        assert_eq!(h(enc(|s| put_u64(s, 128))), "8180");
        assert_eq!(h(enc(|s| put_u64(s, 1_212_101))), "83127ec5");
        assert_eq!(
            h(enc(|s| put_u64(s, 1_000_000_000_000_000_000))),
            "880de0b6b3a7640000"
        );
        assert_eq!(h(enc(|s| put_string(s, b""))), "80");
        assert_eq!(h(enc(|s| put_string(s, b"A"))), "41");
        assert_eq!(h(enc(|s| put_string(s, b"TEST"))), "8454455354");
        assert_eq!(h(enc(|s| put_string(s, &[0]))), "00");
        assert_eq!(h(enc(|s| put_bool(s, true))), "01");
        assert_eq!(h(enc(|s| put_bool(s, false))), "80");
        let long = [0x11u8; 56];
        assert_eq!(&h(enc(|s| put_string(s, &long)))[..4], "b838");
        assert_eq!(h(enc(|s| put_list(s, &Str(b"")))), "c180");
        assert_eq!(h(enc(|s| put_uint(s, &[0, 0, 1, 0]))), "820100");
    }

    #[test]
    fn sinks_agree() {
        let value = List((Str(b"hello"), List(Str(&[0x11; 60]))));
        let mut buf = [0u8; 100];
        let n = to_slice(&value, &mut buf).unwrap();
        assert_eq!(n, value.encoded_len());
        assert_eq!(keccak(&value), crate::hash::keccak256(&buf[..n]));
        let mut small = [0u8; 10];
        assert_eq!(to_slice(&value, &mut small), Err(BufferFull));
    }
}

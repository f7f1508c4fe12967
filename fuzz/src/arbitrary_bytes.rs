//! The pieces shared by the structure-aware inputs (`ledger_ops`,
//! `device_protocol`, `server_handler`): byte strings with a length prefix,
//! and the writer of the bytes that `arbitrary` reads back as a value (how
//! the seeds, which are structured values, become corpus files).
//!
//! What `arbitrary` 1.x reads, and so what [`Writer`] writes: integers
//! little-endian (missing bytes read as zero), a `bool` as a byte's bit 0,
//! an enum's variant `i` of `n` as a `u32` in `[i·2³², (i+1)·2³²) / n`, an
//! `Option` as a `bool` then the value, a `Vec` as each element after a
//! `true` byte, then a `false` one (or the end of the input), arrays and
//! structs field after field. `tests` below and each input's own round-trip
//! test keep the writer and `arbitrary` in agreement.

use arbitrary::{Arbitrary, Unstructured};

/// A byte string of at most 255 bytes: a length byte, then that many bytes
/// (fewer at the end of the input).
///
/// Not `Vec<u8>`: `arbitrary` reads a `Vec<u8>` as a `true` byte before
/// every element, which doubles each string and makes its length many
/// mutations away. A length prefix keeps a string's length one byte
/// mutation away and the seeds' writer simple.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Short(pub Vec<u8>);

/// A byte string of at most 65,535 bytes: a `u16` length (little-endian),
/// then that many bytes (fewer at the end of the input).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Long(pub Vec<u8>);

impl<'a> Arbitrary<'a> for Short {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        let n = usize::from(u8::arbitrary(u)?).min(u.len());
        Ok(Short(u.bytes(n)?.to_vec()))
    }
}

impl<'a> Arbitrary<'a> for Long {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        let n = usize::from(u16::arbitrary(u)?).min(u.len());
        Ok(Long(u.bytes(n)?.to_vec()))
    }
}

/// Writes the bytes `arbitrary` reads back as a value, one piece at a time
/// (layout in the module's documentation).
#[derive(Default)]
pub struct Writer(pub Vec<u8>);

impl Writer {
    /// An enum's variant `i` of `n`.
    pub fn variant(&mut self, i: u64, n: u64) -> &mut Self {
        assert!(i < n, "variant {i} of {n}");
        let x = u32::try_from((i << 32) / n + 1).expect("a u32");
        self.0.extend(x.to_le_bytes());
        self
    }

    /// A `u8`.
    pub fn u8(&mut self, v: u8) -> &mut Self {
        self.0.push(v);
        self
    }

    /// A `u16`.
    pub fn u16(&mut self, v: u16) -> &mut Self {
        self.0.extend(v.to_le_bytes());
        self
    }

    /// A `bool`; also an `Option`'s "is some" and a `Vec`'s "one more".
    pub fn bool(&mut self, v: bool) -> &mut Self {
        self.u8(u8::from(v))
    }

    /// A fixed-size array of bytes.
    pub fn array(&mut self, bytes: &[u8]) -> &mut Self {
        self.0.extend_from_slice(bytes);
        self
    }

    /// A [`Short`] string.
    pub fn short(&mut self, s: &Short) -> &mut Self {
        self.u8(u8::try_from(s.0.len()).expect("a short string of at most 255 bytes"))
            .array(&s.0)
    }

    /// A [`Long`] string.
    pub fn long(&mut self, s: &Long) -> &mut Self {
        self.u16(u16::try_from(s.0.len()).expect("a long string of at most 65,535 bytes"))
            .array(&s.0)
    }
}

/// Reads a value from all of `bytes` (`arbitrary_take_rest`), as the
/// targets do; `None` when `arbitrary` refuses them.
pub fn read<'a, T: Arbitrary<'a>>(bytes: &'a [u8]) -> Option<T> {
    T::arbitrary_take_rest(Unstructured::new(bytes)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Arbitrary, Debug, PartialEq, Eq)]
    enum Three {
        A,
        B(u8),
        C { x: u16, s: Short },
    }

    #[derive(Arbitrary, Debug, PartialEq, Eq)]
    struct Whole {
        flag: bool,
        maybe: Option<[u8; 3]>,
        long: Long,
        items: Vec<Three>,
    }

    /// The writer writes what `arbitrary` reads: every piece, including
    /// strings cut short by the end of the input.
    #[test]
    fn writer_agrees_with_arbitrary() {
        let value = Whole {
            flag: true,
            maybe: Some([1, 2, 3]),
            long: Long(vec![7; 300]),
            items: vec![
                Three::A,
                Three::B(9),
                Three::C {
                    x: 0xbeef,
                    s: Short(b"abc".to_vec()),
                },
            ],
        };
        let mut w = Writer::default();
        w.bool(true).bool(true).array(&[1, 2, 3]).long(&value.long);
        w.bool(true).variant(0, 3);
        w.bool(true).variant(1, 3).u8(9);
        w.bool(true)
            .variant(2, 3)
            .u16(0xbeef)
            .short(&Short(b"abc".to_vec()));
        assert_eq!(read::<Whole>(&w.0), Some(value));

        // A string longer than what is left is what is left.
        let mut w = Writer::default();
        w.u8(200).array(b"xy");
        assert_eq!(read::<Short>(&w.0), Some(Short(b"xy".to_vec())));
        for n in [2, 3, 5, 8, 14] {
            for i in 0..n {
                let mut w = Writer::default();
                w.variant(i, n);
                let mut u = Unstructured::new(&w.0);
                let x = u64::from(u32::arbitrary(&mut u).expect("a u32"));
                assert_eq!((x * n) >> 32, i, "variant {i} of {n}");
            }
        }
    }
}

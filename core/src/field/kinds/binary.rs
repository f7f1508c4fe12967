//! Binary values: bounded bytes and 32-byte hashes (`0x`-hex in JSON), and
//! a public key as CreateMultiSig carries it (33 integers).

use core::fmt;
use core::ops::ControlFlow;

use heapless::Vec;
use serde::de::{self, Deserializer, SeqAccess, Visitor};

use super::{invalid, rlp_err};
use crate::error::{Error, Location, Problem};
use crate::field::json_read::Ctx;
use crate::field::json_write::JsonWriter;
use crate::field::{FieldSeed, FieldValue, ShowVisitor, Shown, ValueSchema};
use crate::hex::{self, write_hex_lower};
use crate::rlp::encode::{put_header, put_string, put_u64};
use crate::rlp::header::{list_len, max_string_len as rlp_string_max};
use crate::rlp::{BufferFull, Item, RlpError, Sink};

/// Binary data of at most `N` bytes: RLP bytes, JSON `0x`-hex (`"0x"` for
/// none).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Bytes<const N: usize>(pub Vec<u8, N>);

impl<const N: usize> Bytes<N> {
    /// The bytes, or [`Problem::TooLong`].
    pub fn new(bytes: &[u8]) -> Result<Self, Problem> {
        Vec::from_slice(bytes)
            .map(Bytes)
            .map_err(|()| Problem::TooLong { max: N })
    }

    /// Parses `0x` + an even number of hex digits.
    pub fn parse_hex(text: &str) -> Result<Self, Problem> {
        let digits = hex::strip_0x(text.as_bytes()).map_err(|_| Problem::InvalidHex)?;
        if digits.len() % 2 != 0 || digits.iter().any(|d| hex::hex_value(*d).is_none()) {
            return Err(Problem::InvalidHex);
        }
        if digits.len() / 2 > N {
            return Err(Problem::TooLong { max: N });
        }
        let mut out = Vec::new();
        out.resize(digits.len() / 2, 0)
            .map_err(|()| Problem::TooLong { max: N })?;
        hex::decode_digits(digits, &mut out).map_err(|_| Problem::InvalidHex)?;
        Ok(Bytes(out))
    }
}

impl<const N: usize> FieldValue for Bytes<N> {
    const MAX_RLP_LEN: usize = rlp_string_max(N);
    const MAX_JSON_LEN: usize = 2 * N + 4;
    const EMPTY_IS_VALUE: bool = true;
    const SCHEMA: ValueSchema = ValueSchema::Hex {
        min_len: 0,
        max_len: N,
    };

    fn encode_rlp<S: Sink>(&self, out: &mut S) -> Result<(), BufferFull> {
        put_string(out, &self.0)
    }
    fn decode_rlp(item: Item<'_>, at: Location) -> Result<Self, Error> {
        Bytes::new(item.string().map_err(rlp_err(at))?).map_err(invalid(at))
    }
    fn write_json(&self, out: &mut JsonWriter<'_>) -> Result<(), BufferFull> {
        write_hex_string(out, &self.0)
    }
    fn read_json<'de, D: Deserializer<'de>>(
        d: D,
        ctx: &Ctx,
        at: Location,
    ) -> Result<Self, D::Error> {
        ctx.enter(at.field);
        let raw = <&'de str as de::Deserialize<'de>>::deserialize(d)?;
        Bytes::parse_hex(raw).map_err(|p| ctx.invalid(at, p))
    }
    fn show<'a, V: ShowVisitor<'a>>(
        &'a self,
        label: &'static str,
        at: Location,
        out: &mut V,
    ) -> ControlFlow<()> {
        out.item(label, at.index, Shown::Hex(&self.0))
    }
}

/// Writes `"0x…"` in lowercase hex, a chunk at a time.
fn write_hex_string(out: &mut JsonWriter<'_>, bytes: &[u8]) -> Result<(), BufferFull> {
    out.raw(b"\"0x")?;
    for chunk in bytes.chunks(32) {
        let mut buf = [0u8; 64];
        write_hex_lower(chunk, &mut buf);
        out.raw(buf.get(..2 * chunk.len()).unwrap_or(&[]))?;
    }
    out.raw(b"\"")
}

/// A 32-byte hash: RLP a 32-byte string, JSON `0x` + 64 hex digits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct B256(pub [u8; 32]);

impl FieldValue for B256 {
    const MAX_RLP_LEN: usize = 33;
    const MAX_JSON_LEN: usize = 68;
    const EMPTY_IS_VALUE: bool = false;
    const SCHEMA: ValueSchema = ValueSchema::Hex {
        min_len: 32,
        max_len: 32,
    };

    fn encode_rlp<S: Sink>(&self, out: &mut S) -> Result<(), BufferFull> {
        put_string(out, &self.0)
    }
    fn decode_rlp(item: Item<'_>, at: Location) -> Result<Self, Error> {
        item.fixed::<32>().map(B256).map_err(rlp_err(at))
    }
    fn write_json(&self, out: &mut JsonWriter<'_>) -> Result<(), BufferFull> {
        write_hex_string(out, &self.0)
    }
    fn read_json<'de, D: Deserializer<'de>>(
        d: D,
        ctx: &Ctx,
        at: Location,
    ) -> Result<Self, D::Error> {
        ctx.enter(at.field);
        let raw = <&'de str as de::Deserialize<'de>>::deserialize(d)?;
        hex::decode_fixed::<32>(raw.as_bytes())
            .map(B256)
            .map_err(|_| ctx.invalid(at, Problem::InvalidHex))
    }
    fn show<'a, V: ShowVisitor<'a>>(
        &'a self,
        label: &'static str,
        at: Location,
        out: &mut V,
    ) -> ControlFlow<()> {
        out.item(label, at.index, Shown::Hex(&self.0))
    }
}

/// A 33-byte compressed public key as CreateMultiSig's payload carries it:
/// in RLP a list of 33 one-byte integers (the node's field is a bare
/// `Vec<u8>`), in JSON an array of 33 numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyAsIntegers(pub [u8; 33]);

impl Default for KeyAsIntegers {
    fn default() -> Self {
        KeyAsIntegers([0; 33])
    }
}

impl FieldValue for KeyAsIntegers {
    const MAX_RLP_LEN: usize = list_len(33 * 2);
    const MAX_JSON_LEN: usize = 2 + 33 * 3 + 32;
    const EMPTY_IS_VALUE: bool = false;
    const SCHEMA: ValueSchema = ValueSchema::ByteArray { len: 33 };

    fn encode_rlp<S: Sink>(&self, out: &mut S) -> Result<(), BufferFull> {
        let len: usize = self.0.iter().map(|b| if *b < 0x80 { 1 } else { 2 }).sum();
        put_header(out, true, len)?;
        self.0.iter().try_for_each(|b| put_u64(out, u64::from(*b)))
    }
    fn decode_rlp(item: Item<'_>, at: Location) -> Result<Self, Error> {
        let mut list = item.list().map_err(rlp_err(at))?;
        let mut key = [0u8; 33];
        for byte in key.iter_mut() {
            let v = list.required().and_then(|i| i.u64()).map_err(rlp_err(at))?;
            *byte = u8::try_from(v).map_err(|_| rlp_err(at)(RlpError::IntegerOverflow))?;
        }
        list.finish().map_err(rlp_err(at))?;
        Ok(KeyAsIntegers(key))
    }
    fn write_json(&self, out: &mut JsonWriter<'_>) -> Result<(), BufferFull> {
        out.begin_array()?;
        for b in self.0 {
            out.element()?;
            out.u64(u64::from(b))?;
        }
        out.end_array()
    }
    fn read_json<'de, D: Deserializer<'de>>(
        d: D,
        ctx: &Ctx,
        at: Location,
    ) -> Result<Self, D::Error> {
        struct KeyVisitor<'c> {
            ctx: &'c Ctx,
            at: Location,
        }
        impl<'de> Visitor<'de> for KeyVisitor<'_> {
            type Value = KeyAsIntegers;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array of 33 numbers")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<KeyAsIntegers, A::Error> {
                let mut key = [0u8; 33];
                let mut n = 0usize;
                while let Some(v) =
                    seq.next_element_seed(FieldSeed::<u8>::new(self.ctx, self.at))?
                {
                    let slot = key
                        .get_mut(n)
                        .ok_or_else(|| self.ctx.invalid(self.at, Problem::InvalidPublicKey))?;
                    *slot = v;
                    n += 1;
                }
                if n != 33 {
                    return Err(self.ctx.invalid(self.at, Problem::InvalidPublicKey));
                }
                Ok(KeyAsIntegers(key))
            }
        }
        ctx.enter(at.field);
        d.deserialize_seq(KeyVisitor { ctx, at })
    }
    fn show<'a, V: ShowVisitor<'a>>(
        &'a self,
        label: &'static str,
        at: Location,
        out: &mut V,
    ) -> ControlFlow<()> {
        out.item(label, at.index, Shown::Hex(&self.0))
    }
}

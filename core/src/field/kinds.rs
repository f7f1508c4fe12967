//! The field kinds: how each kind of value is written and read in RLP and
//! JSON, and shown.

use core::fmt;
use core::marker::PhantomData;
use core::ops::ControlFlow;

use heapless::Vec;
use serde::de::{self, Deserializer, SeqAccess, Visitor};

use super::json_read::{read_str, read_u64, Ctx};
use super::json_write::{max_string_len, JsonWriter, U64_DIGITS};
use super::{FieldSeed, FieldValue, ShowVisitor, Shown};
use crate::address::{Address, AddressError, ADDRESS_TEXT_LEN};
use crate::amount::{Amount, MAX_AMOUNT_DIGITS};
use crate::error::{Error, Location, Problem};
use crate::hex::{self, write_hex_lower};
use crate::rlp::encode::{put_bool, put_header, put_string, put_u64, put_uint};
use crate::rlp::header::{list_len, max_string_len as rlp_string_max, EMPTY_STRING};
use crate::rlp::{BufferFull, Item, RlpError, Sink};
use crate::text::{Text, TextRule};

fn rlp_err(at: Location) -> impl Fn(RlpError) -> Error {
    move |e| Error::Invalid {
        at,
        problem: Problem::Rlp(e),
    }
}

fn invalid(at: Location) -> impl Fn(Problem) -> Error {
    move |problem| Error::Invalid { at, problem }
}

// ------------------------------------------------------------ integers

impl FieldValue for u64 {
    const MAX_RLP_LEN: usize = 9;
    const MAX_JSON_LEN: usize = U64_DIGITS;
    const EMPTY_IS_VALUE: bool = true;

    fn encode_rlp<S: Sink>(&self, out: &mut S) -> Result<(), BufferFull> {
        put_u64(out, *self)
    }
    fn decode_rlp(item: Item<'_>, at: Location) -> Result<Self, Error> {
        item.u64().map_err(rlp_err(at))
    }
    fn write_json(&self, out: &mut JsonWriter<'_>) -> Result<(), BufferFull> {
        out.u64(*self)
    }
    fn read_json<'de, D: Deserializer<'de>>(
        d: D,
        ctx: &Ctx,
        at: Location,
    ) -> Result<Self, D::Error> {
        read_u64(d, ctx, at)
    }
    fn show<'a, V: ShowVisitor<'a>>(
        &'a self,
        label: &'static str,
        at: Location,
        out: &mut V,
    ) -> ControlFlow<()> {
        out.item(label, at.index, Shown::Number(*self))
    }
}

macro_rules! narrow_int {
    ($t:ty, $rlp:expr, $json:expr) => {
        impl FieldValue for $t {
            const MAX_RLP_LEN: usize = $rlp;
            const MAX_JSON_LEN: usize = $json;
            const EMPTY_IS_VALUE: bool = true;

            fn encode_rlp<S: Sink>(&self, out: &mut S) -> Result<(), BufferFull> {
                put_u64(out, u64::from(*self))
            }
            fn decode_rlp(item: Item<'_>, at: Location) -> Result<Self, Error> {
                let wide = item.u64().map_err(rlp_err(at))?;
                <$t>::try_from(wide).map_err(|_| rlp_err(at)(RlpError::IntegerOverflow))
            }
            fn write_json(&self, out: &mut JsonWriter<'_>) -> Result<(), BufferFull> {
                out.u64(u64::from(*self))
            }
            fn read_json<'de, D: Deserializer<'de>>(
                d: D,
                ctx: &Ctx,
                at: Location,
            ) -> Result<Self, D::Error> {
                let wide = read_u64(d, ctx, at)?;
                <$t>::try_from(wide).map_err(|_| {
                    ctx.invalid(
                        at,
                        Problem::OutOfRange {
                            min: 0,
                            max: u64::from(<$t>::MAX),
                        },
                    )
                })
            }
            fn show<'a, V: ShowVisitor<'a>>(
                &'a self,
                label: &'static str,
                at: Location,
                out: &mut V,
            ) -> ControlFlow<()> {
                out.item(label, at.index, Shown::Number(u64::from(*self)))
            }
        }
    };
}

narrow_int!(u8, 2, 3);
narrow_int!(u16, 3, 5);

impl FieldValue for bool {
    const MAX_RLP_LEN: usize = 1;
    const MAX_JSON_LEN: usize = 5;
    const EMPTY_IS_VALUE: bool = true;

    fn encode_rlp<S: Sink>(&self, out: &mut S) -> Result<(), BufferFull> {
        put_bool(out, *self)
    }
    fn decode_rlp(item: Item<'_>, at: Location) -> Result<Self, Error> {
        item.bool().map_err(rlp_err(at))
    }
    fn write_json(&self, out: &mut JsonWriter<'_>) -> Result<(), BufferFull> {
        out.bool(*self)
    }
    fn read_json<'de, D: Deserializer<'de>>(
        d: D,
        ctx: &Ctx,
        at: Location,
    ) -> Result<Self, D::Error> {
        ctx.enter(at.field);
        <bool as de::Deserialize<'de>>::deserialize(d)
    }
    fn show<'a, V: ShowVisitor<'a>>(
        &'a self,
        label: &'static str,
        at: Location,
        out: &mut V,
    ) -> ControlFlow<()> {
        out.item(label, at.index, Shown::Bool(*self))
    }
}

// ------------------------------------------------------------ addresses and amounts

impl FieldValue for Address {
    const MAX_RLP_LEN: usize = 21;
    const MAX_JSON_LEN: usize = ADDRESS_TEXT_LEN + 2;
    const EMPTY_IS_VALUE: bool = false;

    fn encode_rlp<S: Sink>(&self, out: &mut S) -> Result<(), BufferFull> {
        put_string(out, self.as_bytes())
    }
    fn decode_rlp(item: Item<'_>, at: Location) -> Result<Self, Error> {
        item.fixed::<20>().map(Address).map_err(rlp_err(at))
    }
    fn write_json(&self, out: &mut JsonWriter<'_>) -> Result<(), BufferFull> {
        out.ascii_string(&self.to_checksum())
    }
    fn read_json<'de, D: Deserializer<'de>>(
        d: D,
        ctx: &Ctx,
        at: Location,
    ) -> Result<Self, D::Error> {
        let mut buf = [0u8; ADDRESS_TEXT_LEN];
        let text = read_str(d, ctx, at, &mut buf, Problem::Address(AddressError::Length))?;
        Address::parse(text).map_err(|e| ctx.invalid(at, Problem::Address(e)))
    }
    fn show<'a, V: ShowVisitor<'a>>(
        &'a self,
        label: &'static str,
        at: Location,
        out: &mut V,
    ) -> ControlFlow<()> {
        out.item(label, at.index, Shown::Address(*self))
    }
}

impl FieldValue for Amount {
    const MAX_RLP_LEN: usize = 33;
    const MAX_JSON_LEN: usize = MAX_AMOUNT_DIGITS + 2;
    const EMPTY_IS_VALUE: bool = true;

    fn encode_rlp<S: Sink>(&self, out: &mut S) -> Result<(), BufferFull> {
        put_uint(out, &self.to_be_bytes())
    }
    fn decode_rlp(item: Item<'_>, at: Location) -> Result<Self, Error> {
        item.uint::<32>()
            .map(Amount::from_be_bytes)
            .map_err(rlp_err(at))
    }
    fn write_json(&self, out: &mut JsonWriter<'_>) -> Result<(), BufferFull> {
        out.ascii_string(self.to_decimal().as_str().as_bytes())
    }
    fn read_json<'de, D: Deserializer<'de>>(
        d: D,
        ctx: &Ctx,
        at: Location,
    ) -> Result<Self, D::Error> {
        ctx.enter(at.field);
        let raw = <&'de str as de::Deserialize<'de>>::deserialize(d)?;
        // The forms the network reads (spec 2.3: leading zeros, 0x-hex);
        // the value is what gets signed.
        Amount::parse_wire(raw).map_err(|e| ctx.invalid(at, Problem::Amount(e)))
    }
    fn show<'a, V: ShowVisitor<'a>>(
        &'a self,
        label: &'static str,
        at: Location,
        out: &mut V,
    ) -> ControlFlow<()> {
        out.item(label, at.index, Shown::Amount(*self))
    }
}

// ------------------------------------------------------------ texts

impl<const N: usize, R: TextRule> FieldValue for Text<N, R> {
    const MAX_RLP_LEN: usize = rlp_string_max(N);
    const MAX_JSON_LEN: usize = max_string_len(N);
    const EMPTY_IS_VALUE: bool = R::MAY_BE_EMPTY;

    fn encode_rlp<S: Sink>(&self, out: &mut S) -> Result<(), BufferFull> {
        put_string(out, self.as_bytes())
    }
    fn decode_rlp(item: Item<'_>, at: Location) -> Result<Self, Error> {
        let text = item.text().map_err(rlp_err(at))?;
        Text::new(text).map_err(invalid(at))
    }
    fn write_json(&self, out: &mut JsonWriter<'_>) -> Result<(), BufferFull> {
        out.string(self.as_str())
    }
    fn read_json<'de, D: Deserializer<'de>>(
        d: D,
        ctx: &Ctx,
        at: Location,
    ) -> Result<Self, D::Error> {
        let mut buf = [0u8; N];
        let text = read_str(d, ctx, at, &mut buf, Problem::TooLong { max: N })?;
        Text::new(text).map_err(|p| ctx.invalid(at, p))
    }
    fn show<'a, V: ShowVisitor<'a>>(
        &'a self,
        label: &'static str,
        at: Location,
        out: &mut V,
    ) -> ControlFlow<()> {
        out.item(label, at.index, Shown::Text(self.as_str()))
    }
}

// ------------------------------------------------------------ binary

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

// ------------------------------------------------------------ optional values

impl<T: FieldValue> FieldValue for Option<T> {
    const MAX_RLP_LEN: usize = T::MAX_RLP_LEN;
    const MAX_JSON_LEN: usize = T::MAX_JSON_LEN;
    const EMPTY_IS_VALUE: bool = T::EMPTY_IS_VALUE;

    fn absent() -> Option<Self> {
        Some(None)
    }
    fn is_absent(&self) -> bool {
        self.is_none()
    }
    fn encode_rlp<S: Sink>(&self, out: &mut S) -> Result<(), BufferFull> {
        match self {
            Some(v) => v.encode_rlp(out),
            None => out.put(&[EMPTY_STRING]),
        }
    }
    fn decode_rlp(item: Item<'_>, at: Location) -> Result<Self, Error> {
        T::decode_rlp(item, at).map(Some)
    }
    fn write_json(&self, out: &mut JsonWriter<'_>) -> Result<(), BufferFull> {
        match self {
            Some(v) => v.write_json(out),
            None => out.raw(b"null"),
        }
    }
    fn read_json<'de, D: Deserializer<'de>>(
        d: D,
        ctx: &Ctx,
        at: Location,
    ) -> Result<Self, D::Error> {
        struct OptVisitor<'c, T> {
            ctx: &'c Ctx,
            at: Location,
            kind: PhantomData<T>,
        }
        impl<'de, T: FieldValue> Visitor<'de> for OptVisitor<'_, T> {
            type Value = Option<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a value or null")
            }
            fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
                Ok(None)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
                T::read_json(d, self.ctx, self.at).map(Some)
            }
        }
        ctx.enter(at.field);
        d.deserialize_option(OptVisitor {
            ctx,
            at,
            kind: PhantomData,
        })
    }
    fn show<'a, V: ShowVisitor<'a>>(
        &'a self,
        label: &'static str,
        at: Location,
        out: &mut V,
    ) -> ControlFlow<()> {
        match self {
            Some(v) => v.show(label, at, out),
            None => ControlFlow::Continue(()),
        }
    }
}

// ------------------------------------------------------------ lists

/// A list of at most `N` values: an RLP list, a JSON array. Its review
/// shows the count under the list's label, then each element with its
/// position.
impl<T: FieldValue, const N: usize> FieldValue for Vec<T, N> {
    const MAX_RLP_LEN: usize = list_len(N * T::MAX_RLP_LEN);
    const MAX_JSON_LEN: usize = 2 + N * T::MAX_JSON_LEN + N.saturating_sub(1);
    const EMPTY_IS_VALUE: bool = false;

    fn encode_rlp<S: Sink>(&self, out: &mut S) -> Result<(), BufferFull> {
        struct Items<'a, T>(&'a [T]);
        impl<T: FieldValue> crate::rlp::encode::Encode for Items<'_, T> {
            fn encode<S: Sink>(&self, out: &mut S) -> Result<(), BufferFull> {
                self.0.iter().try_for_each(|v| v.encode_rlp(out))
            }
        }
        crate::rlp::encode::put_list(out, &Items(self))
    }
    fn decode_rlp(item: Item<'_>, at: Location) -> Result<Self, Error> {
        let mut out = Vec::new();
        out.decode_rlp_into(item, at)?;
        Ok(out)
    }
    fn decode_rlp_into(&mut self, item: Item<'_>, at: Location) -> Result<(), Error> {
        let mut list = item.list().map_err(rlp_err(at))?;
        self.clear();
        let mut index: u16 = 0;
        while let Some(element) = list.next().map_err(rlp_err(at))? {
            let value = T::decode_rlp(
                element,
                Location {
                    index: Some(index),
                    ..at
                },
            )?;
            self.push(value).map_err(|_| Error::Invalid {
                at,
                problem: Problem::TooLong { max: N },
            })?;
            index = index.saturating_add(1);
        }
        Ok(())
    }
    fn write_json(&self, out: &mut JsonWriter<'_>) -> Result<(), BufferFull> {
        out.begin_array()?;
        for v in self {
            out.element()?;
            v.write_json(out)?;
        }
        out.end_array()
    }
    fn read_json<'de, D: Deserializer<'de>>(
        d: D,
        ctx: &Ctx,
        at: Location,
    ) -> Result<Self, D::Error> {
        struct ListVisitor<'c, T, const N: usize> {
            ctx: &'c Ctx,
            at: Location,
            kind: PhantomData<T>,
        }
        impl<'de, T: FieldValue, const N: usize> Visitor<'de> for ListVisitor<'_, T, N> {
            type Value = Vec<T, N>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T, N>, A::Error> {
                let mut out = Vec::new();
                let mut index: u16 = 0;
                loop {
                    let at = Location {
                        index: Some(index),
                        ..self.at
                    };
                    let Some(value) = seq.next_element_seed(FieldSeed::<T>::new(self.ctx, at))?
                    else {
                        break;
                    };
                    out.push(value)
                        .map_err(|_| self.ctx.invalid(self.at, Problem::TooLong { max: N }))?;
                    index = index.saturating_add(1);
                    self.ctx.enter(self.at.field);
                }
                Ok(out)
            }
        }
        ctx.enter(at.field);
        d.deserialize_seq(ListVisitor::<T, N> {
            ctx,
            at,
            kind: PhantomData,
        })
    }
    fn show<'a, V: ShowVisitor<'a>>(
        &'a self,
        label: &'static str,
        at: Location,
        out: &mut V,
    ) -> ControlFlow<()> {
        // len <= N, and N is a small capacity.
        out.item(label, at.index, Shown::Number(self.len() as u64))?;
        for (i, v) in self.iter().enumerate() {
            let index = u16::try_from(i).unwrap_or(u16::MAX);
            v.show(
                label,
                Location {
                    index: Some(index),
                    ..at
                },
                out,
            )?;
        }
        ControlFlow::Continue(())
    }
}

//! Integers (`u64`, `u8`, `u16`: JSON numbers, RLP integers) and `bool`.

use core::ops::ControlFlow;

use serde::de::{self, Deserializer};

use super::rlp_err;
use crate::error::{Error, Location, Problem};
use crate::field::json_read::{read_u64, Ctx};
use crate::field::json_write::{JsonWriter, U64_DIGITS};
use crate::field::{FieldValue, ShowVisitor, Shown, ValueSchema};
use crate::rlp::encode::{put_bool, put_u64};
use crate::rlp::{BufferFull, Item, RlpError, Sink};

impl FieldValue for u64 {
    const MAX_RLP_LEN: usize = 9;
    const MAX_JSON_LEN: usize = U64_DIGITS;
    const EMPTY_IS_VALUE: bool = true;
    const SCHEMA: ValueSchema = ValueSchema::Integer {
        min: 0,
        max: u64::MAX,
    };

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
            const SCHEMA: ValueSchema = ValueSchema::Integer {
                min: 0,
                max: <$t>::MAX as u64,
            };

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
    const SCHEMA: ValueSchema = ValueSchema::Bool;

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

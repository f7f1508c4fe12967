//! Addresses, amounts and texts: JSON strings a person reads.

use core::ops::ControlFlow;

use serde::de::{self, Deserializer};

use super::{invalid, rlp_err};
use crate::address::{Address, AddressError, ADDRESS_TEXT_LEN};
use crate::amount::{Amount, MAX_AMOUNT_DIGITS};
use crate::error::{Error, Location, Problem};
use crate::field::json_read::{read_str, Ctx};
use crate::field::json_write::{max_string_len, JsonWriter};
use crate::field::{FieldValue, ShowVisitor, Shown, ValueSchema};
use crate::rlp::encode::{put_string, put_uint};
use crate::rlp::header::max_string_len as rlp_string_max;
use crate::rlp::{BufferFull, Item, Sink};
use crate::text::{Text, TextRule};

impl FieldValue for Address {
    const MAX_RLP_LEN: usize = 21;
    const MAX_JSON_LEN: usize = ADDRESS_TEXT_LEN + 2;
    const EMPTY_IS_VALUE: bool = false;
    const SCHEMA: ValueSchema = ValueSchema::Address;

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
    const SCHEMA: ValueSchema = ValueSchema::Amount;

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

impl<const N: usize, R: TextRule> FieldValue for Text<N, R> {
    const MAX_RLP_LEN: usize = rlp_string_max(N);
    const MAX_JSON_LEN: usize = max_string_len(N);
    const EMPTY_IS_VALUE: bool = R::MAY_BE_EMPTY;
    const SCHEMA: ValueSchema = ValueSchema::Text {
        min_len: if R::MAY_BE_EMPTY { 0 } else { 1 },
        max_len: N,
        rule: R::KIND,
    };

    fn encode_rlp<S: Sink>(&self, out: &mut S) -> Result<(), BufferFull> {
        put_string(out, self.as_bytes())
    }
    fn decode_rlp(item: Item<'_>, at: Location) -> Result<Self, Error> {
        let text = item.text().map_err(rlp_err(at))?;
        Text::new(text).map_err(invalid(at))
    }
    /// In place: no second copy of the text on the stack.
    fn decode_rlp_into(&mut self, item: Item<'_>, at: Location) -> Result<(), Error> {
        self.keep_checked(checked_text(item, at, Self::check)?)
            .map_err(invalid(at))
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

/// A text item that `check` passed; not generic, so that each text kind's
/// decoder is a thin wrapper around it (firmware flash: docs/embedded.md,
/// "Protocol 5").
#[inline(never)]
fn checked_text<'a>(
    item: Item<'a>,
    at: Location,
    check: fn(&str) -> Result<(), Problem>,
) -> Result<&'a str, Error> {
    let text = item.text().map_err(rlp_err(at))?;
    check(text).map_err(invalid(at))?;
    Ok(text)
}

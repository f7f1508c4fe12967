//! Field kinds, and the records built from them.
//!
//! Every value a transaction carries is of a kind that implements
//! [`FieldValue`]: how it is written in RLP and read back strictly, written
//! in JSON and read back strictly, shown on a review screen, and described
//! as data ([`ValueSchema`]), plus the largest size of each form as
//! constants. A record (an operation's fields, a memo, a batch entry) is
//! declared once, as its ordered field list, with `record!`; everything
//! else derives from that list, its description ([`Record::FIELDS`])
//! included.
//!
//! - [`json_read`], [`json_write`]: the JSON primitives; [`json_syntax`]:
//!   the grammar check every read also passes;
//! - [`show`]: the review's value kinds;
//! - [`kinds`]: the kinds (`u64`, `bool`, addresses, amounts, texts, bytes,
//!   hashes, keys, optional values, lists);
//! - [`record`]: the [`Record`] trait and the `record!` macro;
//! - [`object`]: a record's JSON object, read;
//! - [`schema`]: fields as data ([`FieldSpec`], [`ValueSchema`]).

pub mod json_read;
pub mod json_syntax;
pub mod json_write;
pub mod kinds;
pub mod object;
pub mod record;
pub mod schema;
pub mod show;
pub mod word;

use core::ops::ControlFlow;

use serde::de::Deserializer;

use crate::error::{Error, Location};
use crate::rlp::{BufferFull, Item, Sink};
pub use json_read::Ctx;
pub use json_write::JsonWriter;
pub use kinds::{Bytes, KeyAsIntegers, B256};
pub use record::Record;
pub use schema::{FieldSpec, ValueSchema};
pub use show::{ShowVisitor, Shown, Unit};

/// One kind of field value.
pub trait FieldValue: Sized {
    /// Largest RLP encoding of a value, in bytes.
    const MAX_RLP_LEN: usize;
    /// Largest JSON text of a value, in bytes.
    const MAX_JSON_LEN: usize;
    /// Whether the empty RLP string (`0x80`) is a value of this kind. An
    /// absent optional field that a later field follows is written as
    /// `0x80`; that placeholder is only unambiguous for kinds where it is
    /// not a value.
    const EMPTY_IS_VALUE: bool;
    /// The JSON form of a value and the limits this kind enforces.
    const SCHEMA: ValueSchema;
    /// Whether this is an optional kind, whose field may be absent (see
    /// [`FieldValue::absent`]).
    const OPTIONAL: bool = false;

    /// The value a missing JSON member or a missing trailing RLP item
    /// stands for: `Some(None)` for an optional kind, `None` (the field is
    /// required) for every other.
    fn absent() -> Option<Self> {
        None
    }

    /// Whether this is an absent optional value.
    fn is_absent(&self) -> bool {
        false
    }

    /// Writes the value's RLP item.
    fn encode_rlp<S: Sink>(&self, out: &mut S) -> Result<(), BufferFull>;

    /// Reads the value from one RLP item; errors name `at`.
    fn decode_rlp(item: Item<'_>, at: Location) -> Result<Self, Error>;

    /// Reads the value from one RLP item into `self`, as
    /// [`decode_rlp`](FieldValue::decode_rlp) does. Kinds that can be large
    /// (lists, records) fill `self` in place, so a device decoding into a
    /// transaction it owns never holds a second copy of the value on its
    /// stack. On an error `self` is some valid value of the kind (not
    /// necessarily the old one).
    fn decode_rlp_into(&mut self, item: Item<'_>, at: Location) -> Result<(), Error> {
        *self = Self::decode_rlp(item, at)?;
        Ok(())
    }

    /// Writes the value's JSON.
    fn write_json(&self, out: &mut JsonWriter<'_>) -> Result<(), BufferFull>;

    /// Reads the value's JSON; errors go to `ctx`, naming `at`.
    fn read_json<'de, D: Deserializer<'de>>(
        d: D,
        ctx: &Ctx,
        at: Location,
    ) -> Result<Self, D::Error>;

    /// Shows the value under `label`.
    fn show<'a, V: ShowVisitor<'a>>(
        &'a self,
        label: &'static str,
        at: Location,
        out: &mut V,
    ) -> ControlFlow<()>;
}

/// A serde seed that reads a `T` at a location: how the visitors read each
/// member's value.
pub struct FieldSeed<'c, T> {
    ctx: &'c Ctx,
    at: Location,
    kind: core::marker::PhantomData<T>,
}

impl<'c, T> FieldSeed<'c, T> {
    /// A seed for the value at `at`.
    pub fn new(ctx: &'c Ctx, at: Location) -> Self {
        FieldSeed {
            ctx,
            at,
            kind: core::marker::PhantomData,
        }
    }
}

impl<'de, T: FieldValue> serde::de::DeserializeSeed<'de> for FieldSeed<'_, T> {
    type Value = T;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        T::read_json(d, self.ctx, self.at)
    }
}

/// A field value as an RLP [`Encode`](crate::rlp::encode::Encode) value.
#[derive(Clone, Copy, Debug)]
pub struct AsRlp<'a, T>(pub &'a T);

impl<T: FieldValue> crate::rlp::encode::Encode for AsRlp<'_, T> {
    fn encode<S: Sink>(&self, out: &mut S) -> Result<(), BufferFull> {
        self.0.encode_rlp(out)
    }
}

//! Records: an ordered list of fields, declared once with `record!`.
//!
//! A record is an RLP list of its fields in order and a JSON object of its
//! fields by name. Declaring the field list once gives the struct, its
//! strict RLP decoder and encoder, its JSON reader and writer, its review,
//! its description as data ([`Record::FIELDS`]) and the largest size of
//! each form (constants, so buffers are sized at compile time).
//!
//! Optional fields (`Option<T>`) follow one rule in RLP: absent fields at
//! the end of the list are left out; an absent field that a present one
//! follows is written as the empty string `0x80`, a placeholder that
//! keeps the later field's position. (This is the rule of BatchPayment's
//! `operations_hash` / `batch_id` tail and TokenIssue's optional
//! `clawback_enabled`.) In JSON an absent field is left out, and `null`
//! reads as absent.

use core::ops::ControlFlow;

use serde::de::MapAccess;

use super::json_read::Ctx;
use super::json_write::JsonWriter;
use super::{FieldSpec, FieldValue, ShowVisitor};
use crate::error::{Error, Location, Problem};
use crate::rlp::encode::Encode;
use crate::rlp::{BufferFull, Item, ListReader, RlpError, Sink};

/// An ordered list of fields; implemented by `record!`.
pub trait Record: FieldValue + Default {
    /// The fields, in order: each one's [`Field`](crate::error::Field),
    /// JSON key, review label, whether it may be absent, and its value's
    /// JSON form and limits.
    const FIELDS: &'static [FieldSpec];
    /// Largest RLP of the fields one after another (no list header).
    const MAX_FIELDS_RLP_LEN: usize;
    /// Largest JSON of the fields as object members (no braces).
    const MAX_FIELDS_JSON_LEN: usize;

    /// Writes the fields' RLP items one after another (no list header).
    fn encode_fields<S: Sink>(&self, out: &mut S) -> Result<(), BufferFull>;

    /// Reads the fields from the rest of a list; `index` is the record's
    /// position when it is a list element. Leaves nothing unread.
    fn decode_fields(list: &mut ListReader<'_>, index: Option<u16>) -> Result<Self, Error> {
        let mut record = Self::default();
        record.decode_fields_into(list, index)?;
        Ok(record)
    }

    /// Reads the fields into `self`, in place (see
    /// [`FieldValue::decode_rlp_into`]); what [`Record::decode_fields`]
    /// does without a second copy of the record on the stack.
    fn decode_fields_into(
        &mut self,
        list: &mut ListReader<'_>,
        index: Option<u16>,
    ) -> Result<(), Error>;

    /// Writes the fields as object members (`"key":value`, absent optional
    /// fields left out).
    fn write_fields(&self, out: &mut JsonWriter<'_>) -> Result<(), BufferFull>;

    /// Reads the member `key` into its field, if the record has it; `seen`
    /// keeps one bit per field (duplicates and missing fields are refused).
    fn read_member<'de, A: MapAccess<'de>>(
        &mut self,
        seen: &mut u32,
        key: &str,
        map: &mut A,
        ctx: &Ctx,
        index: Option<u16>,
    ) -> Result<bool, A::Error>;

    /// Checks that every required field was read.
    fn check_complete(seen: u32) -> Result<(), Error>;

    /// Shows the fields in order.
    fn show_fields<'a, V: ShowVisitor<'a>>(
        &'a self,
        index: Option<u16>,
        out: &mut V,
    ) -> ControlFlow<()>;
}

/// A record's fields as an [`Encode`] value (the payload of its list).
#[derive(Clone, Copy, Debug)]
pub struct Fields<'a, R>(pub &'a R);

impl<R: Record> Encode for Fields<'_, R> {
    fn encode<S: Sink>(&self, out: &mut S) -> Result<(), BufferFull> {
        self.0.encode_fields(out)
    }
}

/// Reads a record's fields from a list, one at a time, applying the
/// optional-field rule.
#[derive(Debug)]
pub struct FieldReader<'r, 'a> {
    list: &'r mut ListReader<'a>,
}

impl<'r, 'a> FieldReader<'r, 'a> {
    /// A reader over the rest of `list`.
    pub fn new(list: &'r mut ListReader<'a>) -> Self {
        FieldReader { list }
    }

    /// Reads the next field into `slot`, in place.
    ///
    /// The optional-field rule exists once, in a function that is not
    /// generic and reaches the kind through a vtable: each kind adds its
    /// decoder and no copy of the rule (an instance of the whole read per
    /// field kind was 27 copies and 10.1 KB of the device's flash, 2.7 KB
    /// more than this way; docs/embedded.md, "Protocol 5").
    #[inline(always)]
    pub fn field_into<T: FieldValue>(&mut self, slot: &mut T, at: Location) -> Result<(), Error> {
        self.slot_into(slot, at)
    }

    #[inline(never)]
    fn slot_into(&mut self, slot: &mut dyn Slot, at: Location) -> Result<(), Error> {
        let rlp = |e| Error::Invalid {
            at,
            problem: Problem::Rlp(e),
        };
        match self.list.next().map_err(rlp)? {
            None if slot.set_absent() => Ok(()),
            None => Err(rlp(RlpError::TooFewItems)),
            Some(item) if slot.placeholder_is_absent() && item.is_empty_string() => {
                if self.list.is_empty() {
                    Err(rlp(RlpError::DanglingPlaceholder))
                } else {
                    slot.set_absent();
                    Ok(())
                }
            }
            Some(item) => slot.decode_into(item, at),
        }
    }

    /// Checks that no item is left.
    pub fn finish(&self) -> Result<(), Error> {
        self.list.finish().map_err(Error::Rlp)
    }
}

/// A field's value as `FieldReader::slot_into` sees it: the
/// optional-field rule's questions and the kind's decoder.
trait Slot {
    /// Sets the absent value and says so, if the kind is optional.
    fn set_absent(&mut self) -> bool;
    /// Whether the empty string stands for an absent value (an optional
    /// kind whose values are never the empty string).
    fn placeholder_is_absent(&self) -> bool;
    /// [`FieldValue::decode_rlp_into`].
    fn decode_into(&mut self, item: Item<'_>, at: Location) -> Result<(), Error>;
}

impl<T: FieldValue> Slot for T {
    fn set_absent(&mut self) -> bool {
        match T::absent() {
            Some(absent) => {
                *self = absent;
                true
            }
            None => false,
        }
    }
    fn placeholder_is_absent(&self) -> bool {
        T::OPTIONAL && !T::EMPTY_IS_VALUE
    }
    fn decode_into(&mut self, item: Item<'_>, at: Location) -> Result<(), Error> {
        self.decode_rlp_into(item, at)
    }
}

/// Declares a record: the struct with public fields, and its [`Record`]
/// and [`FieldValue`] implementations.
///
/// ```text
/// record! {
///     /// A payment.
///     pub struct Payment {
///         /// Who receives the value.
///         recipient: Address => Recipient, "Recipient";
///         value: Amount => Value, "Amount";
///         token: Address => Token, "Token";
///     }
/// }
/// ```
///
/// Each field line gives its name, which is also its JSON key unless an
/// `as "key"` follows it (`kind as "type": …`, where the key is a Rust
/// keyword); its kind (a [`FieldValue`]); its [`Field`](crate::error::Field) (how errors name
/// it); and the label its review item carries (a literal, or a constant
/// where other code shows the same item). The order is the RLP order.
/// This line is the field's only declaration: its JSON key and its path in
/// errors (`crate::json::shape`) and the node's OpenAPI document are read
/// from the record's [`Record::FIELDS`].
macro_rules! record {
    (
        $(#[$meta:meta])*
        pub struct $name:ident $(< const $g:ident : usize = $gdefault:tt >)? {
            $(
                $(#[$fmeta:meta])*
                $fname:ident $(as $key:literal)? : $fty:ty => $field:ident, $label:expr;
            )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
        pub struct $name $(<const $g: usize = $gdefault>)? {
            $(
                $(#[$fmeta])*
                pub $fname: $fty,
            )+
        }

        impl $(<const $g: usize>)? $crate::field::Record for $name $(<$g>)? {
            const FIELDS: &'static [$crate::field::FieldSpec] = &[$(
                $crate::field::FieldSpec {
                    field: $crate::error::Field::$field,
                    key: $crate::field::record::json_key!($fname $($key)?),
                    label: $label,
                    optional: <$fty as $crate::field::FieldValue>::OPTIONAL,
                    value: <$fty as $crate::field::FieldValue>::SCHEMA,
                },
            )+];
            const MAX_FIELDS_RLP_LEN: usize =
                0 $( + <$fty as $crate::field::FieldValue>::MAX_RLP_LEN )+;
            const MAX_FIELDS_JSON_LEN: usize = (0 $(
                + $crate::field::record::json_key!($fname $($key)?).len() + 3
                + <$fty as $crate::field::FieldValue>::MAX_JSON_LEN + 1
            )+) - 1;

            fn encode_fields<S: $crate::rlp::Sink>(
                &self,
                out: &mut S,
            ) -> Result<(), $crate::rlp::BufferFull> {
                use $crate::field::FieldValue as _;
                let present = [$( !self.$fname.is_absent() ),+];
                let end = present.iter().rposition(|p| *p).map_or(0, |i| i + 1);
                let mut i = 0usize;
                $(
                    if i < end {
                        self.$fname.encode_rlp(out)?;
                    }
                    i += 1;
                )+
                let _ = i;
                Ok(())
            }

            fn decode_fields_into(
                &mut self,
                list: &mut $crate::rlp::ListReader<'_>,
                index: Option<u16>,
            ) -> Result<(), $crate::error::Error> {
                let mut reader = $crate::field::record::FieldReader::new(list);
                $(
                    reader.field_into::<$fty>(&mut self.$fname, $crate::error::Location {
                        field: $crate::error::Field::$field,
                        index,
                    })?;
                )+
                reader.finish()
            }

            fn write_fields(
                &self,
                out: &mut $crate::field::JsonWriter<'_>,
            ) -> Result<(), $crate::rlp::BufferFull> {
                use $crate::field::FieldValue as _;
                $(
                    if !self.$fname.is_absent() {
                        out.key($crate::field::record::json_key!($fname $($key)?))?;
                        self.$fname.write_json(out)?;
                    }
                )+
                Ok(())
            }

            fn read_member<'de, A: serde::de::MapAccess<'de>>(
                &mut self,
                seen: &mut u32,
                key: &str,
                map: &mut A,
                ctx: &$crate::field::Ctx,
                index: Option<u16>,
            ) -> Result<bool, A::Error> {
                let mut bit = 1u32;
                $(
                    if key == $crate::field::record::json_key!($fname $($key)?) {
                        let field = $crate::error::Field::$field;
                        $crate::field::object::mark_seen(ctx, seen, bit, field)?;
                        ctx.enter(field);
                        self.$fname = map.next_value_seed($crate::field::FieldSeed::<$fty>::new(
                            ctx,
                            $crate::error::Location { field, index },
                        ))?;
                        return Ok(true);
                    }
                    bit <<= 1;
                )+
                let _ = bit;
                Ok(false)
            }

            fn check_complete(seen: u32) -> Result<(), $crate::error::Error> {
                let mut bit = 1u32;
                $(
                    if seen & bit == 0
                        && <$fty as $crate::field::FieldValue>::absent().is_none()
                    {
                        return Err($crate::error::Error::Json(
                            $crate::error::JsonError::MissingField($crate::error::Field::$field),
                        ));
                    }
                    bit <<= 1;
                )+
                let _ = bit;
                Ok(())
            }

            fn show_fields<'a, V: $crate::field::ShowVisitor<'a>>(
                &'a self,
                index: Option<u16>,
                out: &mut V,
            ) -> core::ops::ControlFlow<()> {
                use $crate::field::FieldValue as _;
                $(
                    self.$fname.show(
                        $label,
                        $crate::error::Location { field: $crate::error::Field::$field, index },
                        out,
                    )?;
                )+
                core::ops::ControlFlow::Continue(())
            }
        }

        impl $(<const $g: usize>)? $crate::field::FieldValue for $name $(<$g>)? {
            const MAX_RLP_LEN: usize = $crate::rlp::header::list_len(
                <Self as $crate::field::Record>::MAX_FIELDS_RLP_LEN,
            );
            const MAX_JSON_LEN: usize = <Self as $crate::field::Record>::MAX_FIELDS_JSON_LEN + 2;
            const EMPTY_IS_VALUE: bool = false;
            const SCHEMA: $crate::field::ValueSchema =
                $crate::field::ValueSchema::Object(<Self as $crate::field::Record>::FIELDS);

            fn encode_rlp<S: $crate::rlp::Sink>(
                &self,
                out: &mut S,
            ) -> Result<(), $crate::rlp::BufferFull> {
                $crate::rlp::encode::put_list(out, &$crate::field::record::Fields(self))
            }

            fn decode_rlp(
                item: $crate::rlp::Item<'_>,
                at: $crate::error::Location,
            ) -> Result<Self, $crate::error::Error> {
                let mut record = Self::default();
                record.decode_rlp_into(item, at)?;
                Ok(record)
            }

            fn decode_rlp_into(
                &mut self,
                item: $crate::rlp::Item<'_>,
                at: $crate::error::Location,
            ) -> Result<(), $crate::error::Error> {
                let mut list = item.list().map_err(|e| $crate::error::Error::Invalid {
                    at,
                    problem: $crate::error::Problem::Rlp(e),
                })?;
                <Self as $crate::field::Record>::decode_fields_into(self, &mut list, at.index)
            }

            fn write_json(
                &self,
                out: &mut $crate::field::JsonWriter<'_>,
            ) -> Result<(), $crate::rlp::BufferFull> {
                out.begin_object()?;
                <Self as $crate::field::Record>::write_fields(self, out)?;
                out.end_object()
            }

            fn read_json<'de, D: serde::de::Deserializer<'de>>(
                d: D,
                ctx: &$crate::field::Ctx,
                at: $crate::error::Location,
            ) -> Result<Self, D::Error> {
                $crate::field::object::read_object::<Self, _, D>(
                    d,
                    ctx,
                    at.index,
                    Some(at.field),
                    &mut $crate::field::object::NoExtras,
                )
            }

            fn show<'a, V: $crate::field::ShowVisitor<'a>>(
                &'a self,
                _label: &'static str,
                at: $crate::error::Location,
                out: &mut V,
            ) -> core::ops::ControlFlow<()> {
                <Self as $crate::field::Record>::show_fields(self, at.index, out)
            }
        }
    };
}

pub(crate) use record;

/// A record field's JSON key: its `as "key"`, or else its name.
macro_rules! json_key {
    ($fname:ident) => {
        stringify!($fname)
    };
    ($fname:ident $key:literal) => {
        $key
    };
}

pub(crate) use json_key;

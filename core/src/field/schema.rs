//! Fields as data. `record!` writes each record's [`FieldSpec`] table
//! ([`Record::FIELDS`](super::Record::FIELDS)) from the same field list it
//! builds everything else from, and each kind describes its JSON values
//! ([`FieldValue::SCHEMA`](super::FieldValue::SCHEMA)). Whatever describes
//! the fields elsewhere reads them here rather than listing them again: the
//! JSON key and path of every [`Field`] (`crate::json::shape`), the node's
//! OpenAPI document.
//!
//! Only consts: nothing here is linked into a firmware that does not read
//! it.

use crate::error::Field;
use crate::text::TextKind;

/// One field of a record, as its `record!` line declares it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldSpec {
    /// The field.
    pub field: Field,
    /// Its key in the record's JSON object.
    pub key: &'static str,
    /// The label of its review item.
    pub label: &'static str,
    /// Whether it may be absent (an optional kind).
    pub optional: bool,
    /// Its value's JSON form and the limits of its kind.
    pub value: ValueSchema,
}

/// The JSON form of a kind's values, with the limits the kind itself
/// enforces when it reads one. An operation's own rules (`Op::check`) may
/// narrow them further.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueSchema {
    /// A JSON integer in `min..=max`.
    Integer {
        /// The smallest value.
        min: u64,
        /// The largest value.
        max: u64,
    },
    /// `true` or `false`.
    Bool,
    /// An address: `0x` and 40 hex digits, all in one case or EIP-55.
    Address,
    /// An amount of base units below 2^256, as decimal text.
    Amount,
    /// Text of `min_len..=max_len` UTF-8 bytes, of the characters `rule`
    /// allows.
    Text {
        /// Fewest bytes (0 or 1).
        min_len: usize,
        /// Most bytes.
        max_len: usize,
        /// The character rule.
        rule: TextKind,
    },
    /// Bytes as `0x` and two hex digits a byte: `min_len..=max_len` bytes.
    Hex {
        /// Fewest bytes.
        min_len: usize,
        /// Most bytes.
        max_len: usize,
    },
    /// A number of at most `max_len` bytes as `0x` and 1 to `2 * max_len`
    /// hex digits (a signature's `r` and `s`).
    HexNumber {
        /// Most bytes.
        max_len: usize,
    },
    /// Exactly `len` bytes as an array of integers 0..=255.
    ByteArray {
        /// The number of bytes.
        len: usize,
    },
    /// Exactly one of these words (case-sensitive).
    Word(&'static [&'static str]),
    /// An array of at most `max_items` values.
    List {
        /// Most elements.
        max_items: usize,
        /// Each element's form.
        items: &'static ValueSchema,
    },
    /// An object: a record's fields.
    Object(&'static [FieldSpec]),
}

impl ValueSchema {
    /// The fields of the objects this value is or holds (a record, or a
    /// list of records).
    pub const fn fields(&self) -> Option<&'static [FieldSpec]> {
        match self {
            ValueSchema::Object(fields) => Some(*fields),
            ValueSchema::List { items, .. } => items.fields(),
            _ => None,
        }
    }

    /// Whether the value is a list.
    pub const fn is_list(&self) -> bool {
        matches!(self, ValueSchema::List { .. })
    }
}

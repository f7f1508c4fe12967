//! The shape of a request body: the members around an operation's fields
//! ([`MEMBERS`]), and where every [`Field`] stands, read from the records
//! that declare the fields ([`Record::FIELDS`]). A field's JSON key and
//! its path in errors (`operations[3].amount`) come from here, so they
//! have no table of their own.

use core::fmt;

use super::signature::{AuthorizationJson, SignatureJson};
use crate::error::Field;
use crate::field::{FieldSpec, Record, ValueSchema};
use crate::review::{LABEL_CHAIN, LABEL_NONCE, LABEL_OPERATION};
use crate::tx::limits::{MAX_CHAIN_ID, MAX_NONCE};
use crate::tx::memo::Memo;
use crate::tx::OpType;

/// `chain_id`.
pub const CHAIN_ID: FieldSpec = FieldSpec {
    field: Field::ChainId,
    key: "chain_id",
    label: LABEL_CHAIN,
    optional: false,
    value: ValueSchema::Integer {
        min: 0,
        max: MAX_CHAIN_ID,
    },
};
/// `nonce`.
pub const NONCE: FieldSpec = FieldSpec {
    field: Field::Nonce,
    key: "nonce",
    label: LABEL_NONCE,
    optional: false,
    value: ValueSchema::Integer {
        min: 0,
        max: MAX_NONCE,
    },
};
/// `memo` (optional in an unsigned document and a v1 body, required in v2).
pub const MEMO: FieldSpec = FieldSpec {
    field: Field::Memo,
    key: "memo",
    label: "Memo",
    optional: true,
    value: ValueSchema::Object(Memo::FIELDS),
};
/// `signature` (v1).
pub const SIGNATURE: FieldSpec = FieldSpec {
    field: Field::Signature,
    key: "signature",
    label: "Signature",
    optional: false,
    value: ValueSchema::Object(SignatureJson::FIELDS),
};
/// `authorization` (v2).
pub const AUTHORIZATION: FieldSpec = FieldSpec {
    field: Field::Authorization,
    key: "authorization",
    label: "Authorization",
    optional: false,
    value: ValueSchema::Object(AuthorizationJson::FIELDS),
};
/// `operation` (an unsigned document's operation name).
pub const OPERATION: FieldSpec = FieldSpec {
    field: Field::Operation,
    key: "operation",
    label: LABEL_OPERATION,
    optional: true,
    value: ValueSchema::Word(OpType::NAMES),
};

/// Every member a body may have besides the operation's fields.
pub const MEMBERS: &[FieldSpec] = &[CHAIN_ID, NONCE, MEMO, SIGNATURE, AUTHORIZATION, OPERATION];

/// The spec of `field` among `fields` and the objects they hold, depth
/// first.
fn find_in(fields: &'static [FieldSpec], field: Field) -> Option<&'static FieldSpec> {
    fields.iter().find_map(|spec| {
        if spec.field == field {
            Some(spec)
        } else {
            spec.value.fields().and_then(|inner| find_in(inner, field))
        }
    })
}

/// Every top-level field list of a body: its own members, then each
/// operation's fields.
fn top_levels() -> impl Iterator<Item = &'static [FieldSpec]> {
    core::iter::once(MEMBERS).chain(OpType::ALL.iter().map(|op| op.fields()))
}

/// Where `field` is first declared: the top-level list that holds it.
fn top_level_of(field: Field) -> Option<&'static [FieldSpec]> {
    top_levels().find(|fields| find_in(fields, field).is_some())
}

impl Field {
    /// The field as declared: its JSON key, label and value. Where a field
    /// stands in several places (`signature`), its first place in
    /// [`MEMBERS`], then the operations in number order.
    pub fn spec(self) -> Option<&'static FieldSpec> {
        top_levels().find_map(|fields| find_in(fields, self))
    }

    /// The field's key in its JSON object.
    pub fn json_key(self) -> &'static str {
        self.spec().map_or("", |spec| spec.key)
    }

    /// The field's path from the body's top level (`operations[].amount`:
    /// `[]` marks a list element); with [`FieldPath::at`], a position.
    pub fn path(self) -> FieldPath {
        FieldPath {
            field: self,
            index: None,
        }
    }
}

/// A field's path from the body's top level, shown as
/// `operations[].amount`, or `operations[3].amount` with a position.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FieldPath {
    field: Field,
    index: Option<u16>,
}

impl FieldPath {
    /// The same path at list position `index` (of the first list on the
    /// way, or of the field itself when it is a list).
    pub const fn at(self, index: Option<u16>) -> Self {
        FieldPath { index, ..self }
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut index = self.index;
        let mut fields = top_level_of(self.field).unwrap_or(&[]);
        // Down one object a step: each step's spec holds the field or is it.
        while let Some(spec) = fields.iter().find(|spec| {
            spec.field == self.field
                || spec
                    .value
                    .fields()
                    .is_some_and(|inner| find_in(inner, self.field).is_some())
        }) {
            f.write_str(spec.key)?;
            if spec.value.is_list() {
                match index.take() {
                    Some(i) => write!(f, "[{i}]")?,
                    None if spec.field != self.field => f.write_str("[]")?,
                    None => {}
                }
            }
            if spec.field == self.field {
                if let Some(i) = index {
                    write!(f, "[{i}]")?;
                }
                return Ok(());
            }
            f.write_str(".")?;
            fields = spec.value.fields().unwrap_or(&[]);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Location;
    use std::string::ToString;

    /// Calls `visit` on every field declaration a body can hold.
    fn each_spec(fields: &'static [FieldSpec], visit: &mut impl FnMut(&'static FieldSpec)) {
        for spec in fields {
            visit(spec);
            if let Some(inner) = spec.value.fields() {
                each_spec(inner, visit);
            }
        }
    }

    #[test]
    fn every_field_is_declared_and_has_one_key() {
        let mut declared = std::vec::Vec::new();
        for fields in top_levels() {
            each_spec(fields, &mut |spec| {
                // A field has the same key wherever a record holds it.
                assert_eq!(spec.key, spec.field.json_key(), "{:?}", spec.field);
                declared.push(spec.field);
            });
        }
        for &field in Field::ALL {
            assert!(declared.contains(&field), "{field:?} is in no record");
            let path = field.path().to_string();
            assert!(path.ends_with(field.json_key()), "{field:?}: {path}");
            assert!(!field.json_key().is_empty());
        }
    }

    #[test]
    fn paths_follow_the_records_nesting() {
        let cases = [
            (Location::field(Field::ChainId), "chain_id"),
            (
                Location::at(Field::OperationAmount, 3),
                "operations[3].amount",
            ),
            (
                Location::field(Field::OperationAmount),
                "operations[].amount",
            ),
            (Location::at(Field::Operations, 2), "operations[2]"),
            (Location::at(Field::SignerWeight, 0), "signers[0].weight"),
            (
                Location::field(Field::MetadataKey),
                "additional_metadata[].key",
            ),
            (Location::field(Field::MemoType), "memo.type"),
            (Location::field(Field::R), "signature.r"),
            (
                Location::field(Field::AuthorizationType),
                "authorization.type",
            ),
            (
                Location::at(Field::SignerPubkey, 1),
                "authorization.signatures[1].signer_pubkey",
            ),
            (Location::at(Field::Symbol, 4), "symbol[4]"),
        ];
        for (at, path) in cases {
            assert_eq!(at.to_string(), path);
        }
        assert_eq!(Field::MemoType.json_key(), "type");
        assert_eq!(Field::Signature.json_key(), "signature");
    }
}

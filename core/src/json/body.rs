//! Request bodies and unsigned documents: the members besides an
//! operation's fields (`chain_id`, `nonce`, `memo`, the signature or
//! authorization, the operation's name), read and written.

use serde::de::MapAccess;

use super::shape::{CHAIN_ID, MEMBERS, MEMO, NONCE, OPERATION};
use super::signature::{AuthorizationJson, SignatureJson};
use crate::error::{Error, Field, JsonError, Location};
use crate::field::json_read::{key_text, required, unescape, unknown_key, Ctx, Unescape};
use crate::field::object::Extras;
use crate::field::{FieldSeed, FieldValue, JsonWriter};
use crate::rlp::BufferFull;
use crate::tx::memo::Memo;
use crate::tx::{OpType, Transaction};

/// Which body is being read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// An unsigned transaction: `chain_id`, `nonce`, the fields, an
    /// optional `memo`.
    Unsigned,
    /// The same, plus `operation` (the CLI's signing input).
    Document,
    /// A v1 request: plus a required `signature`.
    Legacy,
    /// A v2 request: plus a required `memo` and `authorization`; a
    /// `signature` is [`Error::LegacySignatureInNativeBody`].
    Native,
}

/// The members around an operation's fields, as they are read.
#[derive(Debug)]
pub struct Members {
    shape: Shape,
    seen_operation: bool,
    /// `chain_id`.
    pub chain_id: Option<u64>,
    /// `nonce`.
    pub nonce: Option<u64>,
    /// `memo`.
    pub memo: Option<Memo>,
    /// `signature` (v1).
    pub signature: Option<SignatureJson>,
    /// `authorization` (v2).
    pub authorization: Option<AuthorizationJson>,
}

impl Members {
    /// Nothing read yet, for a body of `shape`.
    pub fn new(shape: Shape) -> Self {
        Members {
            shape,
            seen_operation: false,
            chain_id: None,
            nonce: None,
            memo: None,
            signature: None,
            authorization: None,
        }
    }

    /// Completes `tx` (whose operation is read) with these members:
    /// `chain_id`, `nonce` and `memo`; required members that are absent
    /// are errors.
    pub fn fill<const B: usize, const M: usize>(
        &mut self,
        tx: &mut Transaction<B, M>,
    ) -> Result<(), Error> {
        tx.chain_id = required(self.chain_id, Field::ChainId)?;
        tx.nonce = required(self.nonce, Field::Nonce)?;
        if self.shape == Shape::Native && self.memo.is_none() {
            return Err(Error::Json(JsonError::MissingField(Field::Memo)));
        }
        tx.memo = self.memo.take();
        Ok(())
    }
}

fn read_once<'de, T: FieldValue, A: MapAccess<'de>>(
    ctx: &Ctx,
    slot: &mut Option<T>,
    field: Field,
    map: &mut A,
) -> Result<bool, A::Error> {
    if slot.is_some() {
        return Err(ctx.fail(Error::Json(JsonError::DuplicateField(field))));
    }
    ctx.enter(field);
    *slot = Some(map.next_value_seed(FieldSeed::<T>::new(ctx, Location::field(field)))?);
    Ok(true)
}

impl<'de> Extras<'de> for Members {
    fn read_member<A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
        ctx: &Ctx,
    ) -> Result<bool, A::Error> {
        let member = MEMBERS.iter().find(|m| m.key == key).map(|m| m.field);
        match (member, self.shape) {
            (Some(Field::ChainId), _) => read_once(ctx, &mut self.chain_id, Field::ChainId, map),
            (Some(Field::Nonce), _) => read_once(ctx, &mut self.nonce, Field::Nonce, map),
            (Some(Field::Memo), _) => read_once(ctx, &mut self.memo, Field::Memo, map),
            (Some(Field::Signature), Shape::Legacy) => {
                read_once(ctx, &mut self.signature, Field::Signature, map)
            }
            (Some(Field::Signature), Shape::Native) => {
                Err(ctx.fail(Error::LegacySignatureInNativeBody))
            }
            (Some(Field::Authorization), Shape::Native) => {
                read_once(ctx, &mut self.authorization, Field::Authorization, map)
            }
            (Some(Field::Operation), Shape::Document) => {
                // Read (and its value checked) by the first pass.
                if self.seen_operation {
                    return Err(ctx.fail(Error::Json(JsonError::DuplicateField(Field::Operation))));
                }
                self.seen_operation = true;
                map.next_value::<serde::de::IgnoredAny>()?;
                Ok(true)
            }
            _ => Err(unknown_key(ctx, key, None)),
        }
    }
}

/// Writes `chain_id`, `nonce` and the operation's fields as object members
/// (the payload part of a body).
pub fn write_payload<const B: usize, const M: usize>(
    tx: &Transaction<B, M>,
    out: &mut JsonWriter<'_>,
) -> Result<(), BufferFull> {
    out.key(CHAIN_ID.key)?;
    out.u64(tx.chain_id)?;
    out.key(NONCE.key)?;
    out.u64(tx.nonce)?;
    tx.operation.write_fields(out)
}

/// Writes `"memo":{…}`.
pub fn write_memo(memo: &Memo, out: &mut JsonWriter<'_>) -> Result<(), BufferFull> {
    out.key(MEMO.key)?;
    memo.write_json(out)
}

/// Reads the value of `"operation"` in a first pass over a document: the
/// operation's name, or `None` when the document has none.
pub fn find_operation(input: &[u8], max_len: usize) -> Result<Option<OpType>, Error> {
    use core::fmt;
    use serde::de::{Deserializer, IgnoredAny, Visitor};

    struct Finder<'c> {
        ctx: &'c Ctx,
    }
    impl<'de> Visitor<'de> for Finder<'_> {
        type Value = Option<OpType>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<OpType>, A::Error> {
            let mut found = None;
            while let Some(raw) = map.next_key::<&'de str>()? {
                // Keys and the name are compared unescaped, as the second
                // pass and every other JSON reader see them: a key spelled
                // `oper\u0061tion` is `operation`.
                let mut key_buf = [0u8; 32];
                if key_text(raw, self.ctx, &mut key_buf, None)? == OPERATION.key {
                    self.ctx.enter(Field::Operation);
                    let raw_name = map.next_value::<&'de str>()?;
                    let mut name_buf = [0u8; 32];
                    let name = match unescape(raw_name, &mut name_buf) {
                        Ok(name) => name,
                        Err(Unescape::TooLong) => {
                            return Err(self.ctx.fail(Error::UnknownOperation))
                        }
                        Err(Unescape::Invalid) => {
                            return Err(self
                                .ctx
                                .fail(Error::Json(JsonError::InvalidString(Field::Operation))))
                        }
                    };
                    let op = OpType::from_name(name)
                        .ok_or_else(|| self.ctx.fail(Error::UnknownOperation))?;
                    if found.replace(op).is_some() {
                        return Err(self
                            .ctx
                            .fail(Error::Json(JsonError::DuplicateField(Field::Operation))));
                    }
                } else {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            Ok(found)
        }
    }
    crate::field::json_read::parse_document(input, max_len, |de, ctx| {
        de.deserialize_map(Finder { ctx })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ISSUE: &str = r#""chain_id":1,"nonce":1,"symbol":"TEST","name":"Test","decimals":8,"master_authority":"0x0303030303030303030303030303030303030303","is_private":false"#;

    fn op_of(doc: &str) -> Result<Option<OpType>, Error> {
        find_operation(doc.as_bytes(), 1 << 16)
    }

    #[test]
    fn the_operation_is_read_unescaped() {
        // An escaped key is the key `operation`, as any JSON reader sees it.
        let doc = format!(r#"{{"oper\u0061tion":"Payment",{ISSUE}}}"#);
        assert_eq!(op_of(&doc), Ok(Some(OpType::Payment)));
        assert!(crate::json::parse_document::<2, 2>(doc.as_bytes()).is_err());
        // An escaped name is the name.
        let doc = format!(r#"{{"operation":"Token\u0049ssue",{ISSUE}}}"#);
        assert_eq!(op_of(&doc), Ok(Some(OpType::TokenIssue)));
        assert!(crate::json::parse_document::<2, 2>(doc.as_bytes()).is_ok());
        // Both spellings at once are one key twice.
        let doc = format!(r#"{{"operation":"TokenIssue","oper\u0061tion":"TokenIssue",{ISSUE}}}"#);
        assert_eq!(
            op_of(&doc),
            Err(Error::Json(JsonError::DuplicateField(Field::Operation)))
        );
        assert_eq!(
            op_of(r#"{"operation":"Pay\u00"}"#),
            Err(Error::Json(JsonError::InvalidString(Field::Operation)))
        );
        assert_eq!(
            op_of(&format!(r#"{{"operation":"{}"}}"#, "P".repeat(40))),
            Err(Error::UnknownOperation)
        );
    }
}

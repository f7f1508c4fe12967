//! The memo `{type, format, data}` that a transaction may carry.
//!
//! Limits and character rules are the network's `Memo::validate`: `type`
//! at most 128 bytes and `format` at most 64, both of a URI-like ASCII set;
//! `data` at most 256 bytes of any text but control characters; empty
//! fields are exempt. In RLP a memo is `[type, format, data]`; the empty
//! memo is `c3808080`.

use super::limits::{MAX_MEMO_DATA_LEN, MAX_MEMO_FORMAT_LEN, MAX_MEMO_TOTAL, MAX_MEMO_TYPE_LEN};
use crate::error::{Error, Field, Problem};
use crate::field::record::record;
use crate::text::{FreeTextRule, MemoTokenRule, Text};

/// A memo's `type`.
pub type MemoType = Text<MAX_MEMO_TYPE_LEN, MemoTokenRule>;
/// A memo's `format`.
pub type MemoFormat = Text<MAX_MEMO_FORMAT_LEN, MemoTokenRule>;
/// A memo's `data`.
pub type MemoData = Text<MAX_MEMO_DATA_LEN, FreeTextRule>;

/// The review label of a memo's type.
pub const LABEL_MEMO_TYPE: &str = "Memo type";
/// The review label of a memo's format.
pub const LABEL_MEMO_FORMAT: &str = "Memo format";
/// The review label of a memo's data.
pub const LABEL_MEMO_DATA: &str = "Memo data";

record! {
    /// A memo. `Memo::default()` is the empty memo (three empty strings).
    pub struct Memo {
        /// `type` (what the memo is, e.g. `purpose/SALA`).
        kind as "type": MemoType => MemoType, LABEL_MEMO_TYPE;
        /// `format` (how `data` is written, e.g. `text/plain`).
        format: MemoFormat => MemoFormat, LABEL_MEMO_FORMAT;
        /// `data`.
        data: MemoData => MemoData, LABEL_MEMO_DATA;
    }
}

impl Memo {
    /// A memo from its three texts, each checked.
    pub fn new(kind: &str, format: &str, data: &str) -> Result<Self, Error> {
        let memo = Memo {
            kind: Text::new(kind).map_err(|p| Error::invalid(Field::MemoType, p))?,
            format: Text::new(format).map_err(|p| Error::invalid(Field::MemoFormat, p))?,
            data: Text::new(data).map_err(|p| Error::invalid(Field::MemoData, p))?,
        };
        memo.check()?;
        Ok(memo)
    }

    /// Whether all three fields are empty.
    pub fn is_empty(&self) -> bool {
        self.kind.is_empty() && self.format.is_empty() && self.data.is_empty()
    }

    /// The network's whole-memo limit: the three lengths plus 16 at most
    /// 512 (unreachable under the per-field limits; checked all the same).
    pub fn check(&self) -> Result<(), Error> {
        let total = self.kind.len() + self.format.len() + self.data.len() + 16;
        if total > MAX_MEMO_TOTAL {
            return Err(Error::invalid(Field::Memo, Problem::TooLarge));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field::FieldValue;
    use crate::rlp::encode::to_slice;

    struct Enc<'a>(&'a Memo);
    impl crate::rlp::encode::Encode for Enc<'_> {
        fn encode<S: crate::rlp::Sink>(&self, out: &mut S) -> Result<(), crate::rlp::BufferFull> {
            self.0.encode_rlp(out)
        }
    }

    #[test]
    fn encodings_and_rules() {
        let mut buf = [0u8; 600];
        let n = to_slice(&Enc(&Memo::default()), &mut buf).unwrap();
        assert_eq!(hex::encode(&buf[..n]), "c3808080");
        let m = Memo::new("purpose/SALA", "text/plain", "invoice-0001").unwrap();
        let n = to_slice(&Enc(&m), &mut buf).unwrap();
        assert_eq!(
            hex::encode(&buf[..n]),
            "e58c707572706f73652f53414c418a746578742f706c61696e8c696e766f6963652d30303031"
        );
        assert_eq!(
            Memo::new(&"a".repeat(129), "", ""),
            Err(Error::invalid(
                Field::MemoType,
                Problem::TooLong { max: 128 }
            ))
        );
        assert_eq!(
            Memo::new("a b", "", ""),
            Err(Error::invalid(Field::MemoType, Problem::InvalidCharacter))
        );
        assert_eq!(
            Memo::new("", "x\u{e9}", ""),
            Err(Error::invalid(Field::MemoFormat, Problem::InvalidCharacter))
        );
        assert_eq!(
            Memo::new("", "", "line\nbreak"),
            Err(Error::invalid(Field::MemoData, Problem::ControlCharacter))
        );
        assert!(Memo::new(&"a".repeat(128), &"b".repeat(64), &"c".repeat(256)).is_ok());
        assert!(Memo::default().is_empty());
        assert!(!m.is_empty());
    }
}

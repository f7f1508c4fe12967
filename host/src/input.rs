//! JSON documents a person gives the CLI or the node: reading them within
//! the core's limits, naming the field the core calls unknown, and taking
//! the request out of the `{"request": …}` wrapper that `sign --json` and
//! `issue --json` print.

use std::borrow::Cow;

use serde::Deserialize;
use serde_json::value::RawValue;
use tokensign_core::{Address, Error as CoreError, JsonError};

use crate::show::{hex0x, parse_hex32, sanitize};

/// Which kind of document a JSON input is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Document {
    /// An unsigned token-issue payload (seven or eight fields).
    Payload,
    /// A signed request body (the payload's fields and `signature`).
    Request,
    /// A signing document of any operation (`"operation"` and its fields).
    Signing,
}

impl Document {
    fn expected(self) -> &'static str {
        match self {
            Document::Payload => {
                "a token-issue payload has chain_id, nonce, symbol, name, decimals, \
                 master_authority, is_private and optionally clawback_enabled; a document of \
                 another operation names it with \"operation\", e.g. \"Payment\""
            }
            Document::Signing => {
                "a signing document has \"operation\" (the spec's name, e.g. \"Payment\"), \
                 chain_id, nonce, the operation's fields under their JSON names (spec 2.2) and \
                 optionally memo {type, format, data}"
            }
            Document::Request => {
                "a request body has chain_id, nonce, the operation's fields (spec 2.2; name \
                 the operation to read it as that one), optionally memo, and a v1 signature \
                 {r, s, v} or a v2 authorization"
            }
        }
    }
}

/// The core's error about an input, for people: its own text (which names
/// the field), with what the document should hold when a field is
/// unknown.
pub fn describe_core_error(e: CoreError, doc: Document) -> String {
    use tokensign_core::Field;
    match e {
        CoreError::Json(JsonError::UnknownField(_)) => format!("{e} ({})", doc.expected()),
        CoreError::Json(JsonError::WrongType(
            Field::Value | Field::OperationAmount | Field::EscrowFee,
        )) => format!(
            "{e}: an amount is a decimal string in quotes, e.g. \"1000\" (a JSON number cannot \
             hold every amount exactly)"
        ),
        _ => e.to_string(),
    }
}

/// The operation name closest to `name` (a typo, another case), when one
/// is close enough to suggest.
pub fn closest_operation(name: &str) -> Option<&'static str> {
    let name = name.trim().to_ascii_lowercase();
    tokensign_core::tx::OpType::ALL
        .iter()
        .map(|op| {
            (
                edit_distance(&name, &op.name().to_ascii_lowercase()),
                op.name(),
            )
        })
        .filter(|(d, candidate)| *d <= 2 + candidate.len() / 4)
        .min_by_key(|(d, _)| *d)
        .map(|(_, candidate)| candidate)
}

/// Levenshtein distance (names are short: a row at a time).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

/// What the `{"request": …}` wrapper of `sign --json` / `issue --json`
/// claims about its request, to be checked against it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct WrapperClaims {
    /// The signer's address.
    #[serde(default)]
    pub signer: Option<String>,
    /// The signing hash.
    #[serde(default)]
    pub signing_hash: Option<String>,
    /// The transaction hash.
    #[serde(default)]
    pub tx_hash: Option<String>,
    /// The token address.
    #[serde(default)]
    pub token: Option<String>,
    /// The operation's spec name (`sign --json` prints it).
    #[serde(default)]
    pub operation: Option<String>,
    /// `v1` or `v2`.
    #[serde(default)]
    pub scheme: Option<String>,
}

/// A claim of the wrapper that its request contradicts.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "the object's \"{name}\" is {claimed} but its request gives {actual}: the object was \
     altered or assembled from different requests; do not send it"
)]
pub struct ClaimMismatch {
    /// The member: `signer`, `signing_hash`, `tx_hash`, `token`.
    pub name: &'static str,
    /// What the wrapper says (sanitized).
    pub claimed: String,
    /// What the request gives.
    pub actual: String,
}

impl WrapperClaims {
    /// The wrapper's `signer`, `signing_hash`, `tx_hash` and `token`,
    /// where present, must be the request's own.
    pub fn check(
        &self,
        signing_hash: [u8; 32],
        tx_hash: [u8; 32],
        token: Option<Address>,
        signer: &Address,
    ) -> Result<(), ClaimMismatch> {
        let address_ok = |claim: &Option<String>, actual: Option<&Address>| {
            claim
                .as_deref()
                .is_none_or(|c| Address::parse(c).is_ok_and(|a| Some(&a) == actual))
        };
        let hash_ok = |claim: &Option<String>, actual: [u8; 32]| {
            claim
                .as_deref()
                .is_none_or(|c| parse_hex32(c) == Some(actual))
        };
        let checks = [
            (
                "signer",
                address_ok(&self.signer, Some(signer)),
                &self.signer,
                signer.to_string(),
            ),
            (
                "signing_hash",
                hash_ok(&self.signing_hash, signing_hash),
                &self.signing_hash,
                hex0x(&signing_hash),
            ),
            (
                "tx_hash",
                hash_ok(&self.tx_hash, tx_hash),
                &self.tx_hash,
                hex0x(&tx_hash),
            ),
            (
                "token",
                address_ok(&self.token, token.as_ref()),
                &self.token,
                token.map_or("no token".to_owned(), |t| t.to_string()),
            ),
        ];
        for (name, ok, claim, actual) in checks {
            if !ok {
                return Err(ClaimMismatch {
                    name,
                    claimed: sanitize(claim.as_deref().unwrap_or_default()),
                    actual,
                });
            }
        }
        Ok(())
    }
}

/// The request body in `input`: `input` itself, or, when `input` is the
/// wrapper object that `sign --json` and `issue --json` print, the exact
/// bytes of its `request` member and what the wrapper claims.
pub fn request_body(input: &[u8]) -> (Cow<'_, [u8]>, Option<WrapperClaims>) {
    // Two reads: serde's `flatten` cannot carry a borrowed `RawValue`.
    #[derive(Deserialize)]
    struct Wrapper<'a> {
        #[serde(borrow)]
        request: &'a RawValue,
    }
    match serde_json::from_slice::<Wrapper<'_>>(input) {
        Ok(w) if w.request.get().trim_start().starts_with('{') => (
            Cow::Owned(w.request.get().as_bytes().to_vec()),
            Some(serde_json::from_slice(input).unwrap_or_default()),
        ),
        _ => (Cow::Borrowed(input), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokensign_core::json::parse_unsigned;
    use tokensign_core::tx::{OpType, Transaction};
    use tokensign_fixtures::SPEC_PAYLOAD7_JSON;

    fn parse(input: &str) -> Result<Transaction, CoreError> {
        parse_unsigned(OpType::TokenIssue, input.as_bytes())
    }

    #[test]
    fn the_unknown_field_is_named() {
        let input = SPEC_PAYLOAD7_JSON.replace("{", "{\"zeta\":1,\"alpha\":2,");
        let text = describe_core_error(parse(&input).unwrap_err(), Document::Payload);
        assert!(
            text.starts_with("invalid JSON: unknown field `zeta`"),
            "{text}"
        );
        assert!(text.contains("clawback_enabled"), "{text}");
        // Other errors keep the core's text.
        let e = parse("{").unwrap_err();
        assert_eq!(describe_core_error(e, Document::Payload), e.to_string());
        // Terminal controls in a key are not passed through.
        let hostile = SPEC_PAYLOAD7_JSON.replace("{", "{\"a\\u001b[2J\":1,");
        let text = describe_core_error(parse(&hostile).unwrap_err(), Document::Payload);
        assert!(!text.contains('\u{1b}'), "{text}");
    }

    #[test]
    fn a_number_for_an_amount_says_it_must_be_a_string() {
        let doc = br#"{"operation":"Payment","chain_id":1,"nonce":0,"recipient":"0x0202020202020202020202020202020202020202","value":1000,"token":"0x0101010101010101010101010101010101010101"}"#;
        let e = tokensign_core::json::parse_document::<256, 32>(doc).unwrap_err();
        let text = describe_core_error(e, Document::Signing);
        assert!(text.contains("decimal string in quotes"), "{text}");
    }

    #[test]
    fn the_closest_operation_is_suggested() {
        assert_eq!(closest_operation("Paymnet"), Some("Payment"));
        assert_eq!(closest_operation("payment"), Some("Payment"));
        assert_eq!(closest_operation("tokenmint"), Some("TokenMint"));
        assert_eq!(closest_operation("BatchPayments"), Some("BatchPayment"));
        assert_eq!(closest_operation("Transfer"), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn the_wrapper_is_unwrapped_byte_for_byte() {
        let body = r#"{"chain_id":1,  "nonce":2}"#;
        let wrapped = format!(r#"{{"request":{body},"signer":"0xab","tx_hash":"0xcd"}}"#);
        let (got, claims) = request_body(wrapped.as_bytes());
        assert_eq!(&*got, body.as_bytes());
        let claims = claims.unwrap();
        assert_eq!(claims.signer.as_deref(), Some("0xab"));
        assert_eq!(claims.token, None);
        let (got, claims) = request_body(body.as_bytes());
        assert_eq!(&*got, body.as_bytes());
        assert!(claims.is_none());
        let (_, claims) = request_body(br#"{"request":"text"}"#);
        assert!(claims.is_none());
    }
}

//! JSON documents a person gives the CLI or the node: reading them within
//! the core's limits, naming the field the core calls unknown, and taking
//! the request out of the `{"request": …}` wrapper that `sign --json` and
//! `issue --json` print.

use std::borrow::Cow;
use std::fmt;

use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use tokensign_core::{Error as CoreError, Field, JsonError};

/// Which kind of document a JSON input is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Document {
    /// An unsigned token-issue payload (seven or eight fields).
    Payload,
    /// A signed request body (the payload's fields and `signature`).
    Request,
}

/// The payload's fields, in spec order (the core's names).
const PAYLOAD_FIELDS: [Field; 8] = [
    Field::ChainId,
    Field::Nonce,
    Field::Symbol,
    Field::Name,
    Field::Decimals,
    Field::MasterAuthority,
    Field::IsPrivate,
    Field::ClawbackEnabled,
];

/// The fields of `signature`, as the core names them (`signature.r` …).
const SIGNATURE_FIELDS: [Field; 3] = [Field::R, Field::S, Field::V];

impl Document {
    fn knows(self, key: &str) -> bool {
        PAYLOAD_FIELDS.iter().any(|f| f.json_name() == key)
            || (self == Document::Request && key == Field::Signature.json_name())
    }

    fn expected(self) -> &'static str {
        match self {
            Document::Payload => {
                "a payload has chain_id, nonce, symbol, name, decimals, master_authority, \
                 is_private and optionally clawback_enabled"
            }
            Document::Request => {
                "a request has the payload's fields (chain_id, nonce, symbol, name, decimals, \
                 master_authority, is_private, optionally clawback_enabled) and signature {r, s, v}"
            }
        }
    }
}

/// The keys of a JSON object, in document order.
struct Keys(Vec<String>);

impl<'de> Deserialize<'de> for Keys {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeysVisitor;
        impl<'de> Visitor<'de> for KeysVisitor {
            type Value = Keys;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Keys, A::Error> {
                let mut keys = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    map.next_value::<IgnoredAny>()?;
                    keys.push(key);
                }
                Ok(Keys(keys))
            }
        }
        deserializer.deserialize_map(KeysVisitor)
    }
}

/// The first field of `input` that `doc` does not define, as a path
/// (`extra`, `signature.x`); `None` if there is none or `input` is not a
/// JSON object.
///
/// The core's [`JsonError::UnknownField`] carries no name (it parses
/// without allocation and keeps no copy of the key); this finds it again
/// with serde_json. When the core carries the name, this goes.
pub fn unknown_field(input: &[u8], doc: Document) -> Option<String> {
    let Keys(keys) = serde_json::from_slice(input).ok()?;
    if let Some(key) = keys.iter().find(|k| !doc.knows(k)) {
        return Some(key.clone());
    }
    if doc == Document::Request {
        #[derive(Deserialize)]
        struct WithSignature<'a> {
            #[serde(borrow)]
            signature: &'a RawValue,
        }
        let with: WithSignature<'_> = serde_json::from_slice(input).ok()?;
        let Keys(keys) = serde_json::from_str(with.signature.get()).ok()?;
        return keys
            .iter()
            .find(|k| {
                !SIGNATURE_FIELDS
                    .iter()
                    .any(|f| f.json_name().strip_prefix("signature.") == Some(k.as_str()))
            })
            .map(|k| format!("signature.{k}"));
    }
    None
}

/// The core's error about `input`, for people: its own text, with the
/// unknown field named.
pub fn describe_core_error(e: CoreError, input: &[u8], doc: Document) -> String {
    match e {
        CoreError::Json(JsonError::UnknownField) => match unknown_field(input, doc) {
            Some(name) => format!(
                "unknown field `{}` ({})",
                crate::text::sanitize(&name),
                doc.expected()
            ),
            None => format!("{e} ({})", doc.expected()),
        },
        _ => e.to_string(),
    }
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
    use tokensign_core::json::{parse_payload, parse_request};
    use tokensign_fixtures::SPEC_PAYLOAD7_JSON;

    #[test]
    fn the_unknown_field_is_named_in_document_order() {
        let input = SPEC_PAYLOAD7_JSON.replace("{", "{\"zeta\":1,\"alpha\":2,");
        let e = parse_payload(input.as_bytes()).unwrap_err();
        let text = describe_core_error(e, input.as_bytes(), Document::Payload);
        assert!(text.starts_with("unknown field `zeta`"), "{text}");
        assert!(text.contains("clawback_enabled"), "{text}");
        // `signature` is a payload's unknown field, not a request's.
        let signed = SPEC_PAYLOAD7_JSON.replace(
            "}",
            ",\"signature\":{\"r\":\"0x01\",\"s\":\"0x01\",\"v\":0,\"w\":1}}",
        );
        assert_eq!(
            unknown_field(signed.as_bytes(), Document::Payload).as_deref(),
            Some("signature")
        );
        let e = parse_request(signed.as_bytes()).unwrap_err();
        assert_eq!(e, CoreError::Json(JsonError::UnknownField));
        let text = describe_core_error(e, signed.as_bytes(), Document::Request);
        assert!(text.starts_with("unknown field `signature.w`"), "{text}");
        // Other errors keep the core's text.
        let e = parse_payload(b"{").unwrap_err();
        assert_eq!(
            describe_core_error(e, b"{", Document::Payload),
            e.to_string()
        );
        // Terminal controls in a key are not passed through.
        let hostile = SPEC_PAYLOAD7_JSON.replace("{", "{\"a\\u001b[2J\":1,");
        let e = parse_payload(hostile.as_bytes()).unwrap_err();
        assert!(!describe_core_error(e, hostile.as_bytes(), Document::Payload).contains('\u{1b}'));
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

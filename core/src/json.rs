//! Request and payload JSON, in and out of fixed buffers.
//!
//! Tokenising is serde-json-core's. Strings are taken raw (still escaped)
//! and decoded here, because serde-json-core (0.6 and 0.7) cannot decode a
//! `\uXXXX` surrogate pair and lets raw control characters through; the
//! object visitor is written here so that unknown, duplicate and missing
//! fields each get a precise error.

use core::cell::Cell;
use core::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, Visitor};
use serde::Serialize;

use crate::address::{ascii_str, hex_value, write_hex_lower, Address};
use crate::error::{Error, Field, JsonError};
use crate::payload::{PayloadFields, TokenIssuePayload, MAX_NAME_LEN, MAX_SYMBOL_LEN};
use crate::signature::{Signature, SignedRequest};

/// Longest JSON input the parsers look at; longer input is
/// [`JsonError::TooLong`]. Generous: whitespace and `\u` escapes may make a
/// valid document several times longer than its written form.
pub const MAX_JSON_INPUT_LEN: usize = 8192;

const fn digits(mut v: u64) -> usize {
    let mut n = 1;
    while v >= 10 {
        v /= 10;
        n += 1;
    }
    n
}

const INT_MAX_DIGITS: usize = digits(i64::MAX as u64);
/// A name is screen-safe, so only `"` and `\` are escaped: two bytes each.
const NAME_JSON_MAX: usize = 2 * MAX_NAME_LEN;
const PAYLOAD_FIXED: usize = r#"{"chain_id":,"nonce":,"symbol":"","name":"","decimals":,"master_authority":"","is_private":,"clawback_enabled":"#.len()
    + "}".len();
const SIGNATURE_FIXED: usize = r#","signature":{"r":"","s":"","v":}"#.len();

/// Longest unsigned payload JSON that [`write_payload`] writes (364 bytes).
pub const MAX_PAYLOAD_JSON_LEN: usize = PAYLOAD_FIXED
    + 2 * INT_MAX_DIGITS
    + MAX_SYMBOL_LEN
    + NAME_JSON_MAX
    + 2 // decimals
    + 42 // address
    + 2 * "false".len();

/// Longest request JSON that [`write_request`] writes (520 bytes).
pub const MAX_REQUEST_JSON_LEN: usize = MAX_PAYLOAD_JSON_LEN + SIGNATURE_FIXED + 2 * 66 + 1;

// ------------------------------------------------------------ unescaping

fn hex4(bytes: &[u8]) -> Option<u32> {
    bytes
        .iter()
        .try_fold(0u32, |acc, b| Some((acc << 4) | u32::from(hex_value(*b)?)))
}

/// Decodes a raw JSON string body (between its quotes) into `out`.
/// `full` is the error when `out` is too small.
fn unescape<'o>(raw: &str, out: &'o mut [u8], full: Error) -> Result<&'o str, Error> {
    const BAD: Error = Error::Json(JsonError::InvalidString);
    let bytes = raw.as_bytes();
    let (mut i, mut o) = (0usize, 0usize);
    let mut push = |o: &mut usize, chunk: &[u8]| -> Result<(), Error> {
        let end = o.checked_add(chunk.len()).ok_or(full)?;
        out.get_mut(*o..end).ok_or(full)?.copy_from_slice(chunk);
        *o = end;
        Ok(())
    };
    while let Some(&b) = bytes.get(i) {
        if b < 0x20 {
            return Err(BAD);
        }
        if b != b'\\' {
            push(&mut o, &[b])?;
            i += 1;
            continue;
        }
        let esc = bytes.get(i + 1).copied().ok_or(BAD)?;
        i += 2;
        let c = match esc {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let hi = bytes.get(i..i + 4).and_then(hex4).ok_or(BAD)?;
                i += 4;
                let cp = match hi {
                    0xd800..=0xdbff => {
                        if bytes.get(i..i + 2) != Some(b"\\u") {
                            return Err(BAD);
                        }
                        let lo = bytes.get(i + 2..i + 6).and_then(hex4).ok_or(BAD)?;
                        if !(0xdc00..=0xdfff).contains(&lo) {
                            return Err(BAD);
                        }
                        i += 6;
                        0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00)
                    }
                    0xdc00..=0xdfff => return Err(BAD),
                    cp => cp,
                };
                char::from_u32(cp).ok_or(BAD)?
            }
            _ => return Err(BAD),
        };
        let mut tmp = [0u8; 4];
        push(&mut o, c.encode_utf8(&mut tmp).as_bytes())?;
    }
    core::str::from_utf8(out.get(..o).ok_or(BAD)?).map_err(|_| BAD)
}

/// Parses `0x` + 1..=64 hex digits (any case) into a 32-byte big-endian value.
fn parse_scalar_hex(text: &str, field: Field) -> Result<[u8; 32], Error> {
    let bad = Error::InvalidHex(field);
    let digits = text.strip_prefix("0x").ok_or(bad)?.as_bytes();
    if digits.is_empty() || digits.len() > 64 {
        return Err(bad);
    }
    let mut out = [0u8; 32];
    // Digit k from the right sets nibble k of the 64-nibble value.
    for (k, d) in digits.iter().rev().enumerate() {
        let v = hex_value(*d).ok_or(bad)?;
        let byte = out.get_mut(31 - k / 2).ok_or(bad)?;
        *byte |= if k % 2 == 0 { v } else { v << 4 };
    }
    Ok(out)
}

// ------------------------------------------------------------- parsing

/// Collects the precise cause of a failure inside serde's callbacks, which
/// can only return an opaque error.
struct Ctx {
    error: Cell<Option<Error>>,
    field: Cell<Option<Field>>,
}

impl Ctx {
    fn fail<E: de::Error>(&self, e: Error) -> E {
        self.error.set(Some(e));
        E::custom("")
    }
}

#[derive(Default)]
struct RawSig<'a> {
    r: Option<&'a str>,
    s: Option<&'a str>,
    v: Option<u64>,
}

#[derive(Default)]
struct Raw<'a> {
    chain_id: Option<u64>,
    nonce: Option<u64>,
    symbol: Option<&'a str>,
    name: Option<&'a str>,
    decimals: Option<u64>,
    master_authority: Option<&'a str>,
    is_private: Option<bool>,
    clawback_enabled: Option<bool>,
    signature: Option<RawSig<'a>>,
}

fn key_field(key: &str, in_signature: bool) -> Result<Field, Error> {
    let mut buf = [0u8; 24];
    let key = unescape(key, &mut buf, Error::Json(JsonError::UnknownField))?;
    let field = match (in_signature, key) {
        (false, "chain_id") => Field::ChainId,
        (false, "nonce") => Field::Nonce,
        (false, "symbol") => Field::Symbol,
        (false, "name") => Field::Name,
        (false, "decimals") => Field::Decimals,
        (false, "master_authority") => Field::MasterAuthority,
        (false, "is_private") => Field::IsPrivate,
        (false, "clawback_enabled") => Field::ClawbackEnabled,
        (false, "signature") => Field::Signature,
        (true, "r") => Field::R,
        (true, "s") => Field::S,
        (true, "v") => Field::V,
        _ => return Err(Error::Json(JsonError::UnknownField)),
    };
    Ok(field)
}

/// Stores a field's value, refusing a second occurrence.
fn put<T, E: de::Error>(ctx: &Ctx, slot: &mut Option<T>, v: T, field: Field) -> Result<(), E> {
    if slot.is_some() {
        return Err(ctx.fail(Error::Json(JsonError::DuplicateField(field))));
    }
    *slot = Some(v);
    Ok(())
}

struct ObjectSeed<'c> {
    ctx: &'c Ctx,
    allow_signature: bool,
}

impl<'de> DeserializeSeed<'de> for ObjectSeed<'_> {
    type Value = Raw<'de>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Raw<'de>, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ObjectSeed<'_> {
    type Value = Raw<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a token issue object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw<'de>, A::Error> {
        let ctx = self.ctx;
        let mut raw = Raw::default();
        while let Some(key) = map.next_key::<&'de str>()? {
            let field = key_field(key, false).map_err(|e| ctx.fail::<A::Error>(e))?;
            ctx.field.set(Some(field));
            match field {
                Field::ChainId => put(ctx, &mut raw.chain_id, map.next_value()?, field)?,
                Field::Nonce => put(ctx, &mut raw.nonce, map.next_value()?, field)?,
                Field::Symbol => put(ctx, &mut raw.symbol, map.next_value()?, field)?,
                Field::Name => put(ctx, &mut raw.name, map.next_value()?, field)?,
                Field::Decimals => put(ctx, &mut raw.decimals, map.next_value()?, field)?,
                Field::MasterAuthority => {
                    put(ctx, &mut raw.master_authority, map.next_value()?, field)?
                }
                Field::IsPrivate => put(ctx, &mut raw.is_private, map.next_value()?, field)?,
                Field::ClawbackEnabled => {
                    put(ctx, &mut raw.clawback_enabled, map.next_value()?, field)?
                }
                Field::Signature if self.allow_signature => {
                    let sig = map.next_value_seed(SigSeed { ctx })?;
                    put(ctx, &mut raw.signature, sig, field)?;
                }
                _ => return Err(ctx.fail(Error::Json(JsonError::UnknownField))),
            }
        }
        Ok(raw)
    }
}

struct SigSeed<'c> {
    ctx: &'c Ctx,
}

impl<'de> DeserializeSeed<'de> for SigSeed<'_> {
    type Value = RawSig<'de>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<RawSig<'de>, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for SigSeed<'_> {
    type Value = RawSig<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a signature object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawSig<'de>, A::Error> {
        let ctx = self.ctx;
        let mut raw = RawSig::default();
        while let Some(key) = map.next_key::<&'de str>()? {
            let field = key_field(key, true).map_err(|e| ctx.fail::<A::Error>(e))?;
            ctx.field.set(Some(field));
            match field {
                Field::R => put(ctx, &mut raw.r, map.next_value()?, field)?,
                Field::S => put(ctx, &mut raw.s, map.next_value()?, field)?,
                _ => put(ctx, &mut raw.v, map.next_value()?, field)?,
            }
        }
        ctx.field.set(Some(Field::Signature));
        Ok(raw)
    }
}

fn map_serde_error(e: serde_json_core::de::Error, field: Option<Field>) -> JsonError {
    use serde_json_core::de::Error as E;
    match e {
        E::InvalidNumber => JsonError::InvalidNumber,
        E::InvalidType => match field {
            Some(f) => JsonError::WrongType(f),
            None => JsonError::Syntax,
        },
        E::TrailingCharacters => JsonError::TrailingCharacters,
        E::InvalidUnicodeCodePoint => JsonError::InvalidString,
        _ => JsonError::Syntax,
    }
}

fn parse_raw(input: &[u8], allow_signature: bool) -> Result<Raw<'_>, Error> {
    if input.len() > MAX_JSON_INPUT_LEN {
        return Err(JsonError::TooLong.into());
    }
    let ctx = Ctx {
        error: Cell::new(None),
        field: Cell::new(None),
    };
    let mut de = serde_json_core::de::Deserializer::new(input, None);
    let result = ObjectSeed {
        ctx: &ctx,
        allow_signature,
    }
    .deserialize(&mut de)
    .and_then(|raw| de.end().map(|_| raw));
    result.map_err(|e| match ctx.error.take() {
        Some(precise) => precise,
        None => Error::Json(map_serde_error(e, ctx.field.get())),
    })
}

fn required<T>(v: Option<T>, field: Field) -> Result<T, Error> {
    v.ok_or(Error::Json(JsonError::MissingField(field)))
}

fn payload_from_raw(raw: &Raw<'_>) -> Result<TokenIssuePayload, Error> {
    let chain_id = required(raw.chain_id, Field::ChainId)?;
    let nonce = required(raw.nonce, Field::Nonce)?;
    let symbol_raw = required(raw.symbol, Field::Symbol)?;
    let name_raw = required(raw.name, Field::Name)?;
    let decimals = required(raw.decimals, Field::Decimals)?;
    let master_raw = required(raw.master_authority, Field::MasterAuthority)?;
    let is_private = required(raw.is_private, Field::IsPrivate)?;
    let mut symbol_buf = [0u8; MAX_SYMBOL_LEN];
    let symbol = unescape(symbol_raw, &mut symbol_buf, Error::SymbolTooLong)?;
    let mut name_buf = [0u8; MAX_NAME_LEN];
    let name = unescape(name_raw, &mut name_buf, Error::NameTooLong)?;
    let mut master_buf = [0u8; 42];
    let master = unescape(master_raw, &mut master_buf, Error::AddressLength)?;
    TokenIssuePayload::new(PayloadFields {
        chain_id,
        nonce,
        symbol,
        name,
        decimals,
        master_authority: Address::parse(master)?,
        is_private,
        clawback_enabled: raw.clawback_enabled,
    })
}

fn signature_from_raw(raw: &RawSig<'_>) -> Result<Signature, Error> {
    let mut buf = [0u8; 66];
    let r_text = unescape(
        required(raw.r, Field::R)?,
        &mut buf,
        Error::InvalidHex(Field::R),
    )?;
    let r = parse_scalar_hex(r_text, Field::R)?;
    let s_text = unescape(
        required(raw.s, Field::S)?,
        &mut buf,
        Error::InvalidHex(Field::S),
    )?;
    let s = parse_scalar_hex(s_text, Field::S)?;
    let v = match required(raw.v, Field::V)? {
        0 => 0,
        1 => 1,
        _ => return Err(Error::InvalidRecoveryId),
    };
    Ok(Signature { r, s, v })
}

/// Parses an unsigned payload: the seven `TokenIssuePayload` fields, plus
/// `clawback_enabled` for the eight-field form. Unknown (also `signature`),
/// duplicate and missing fields, wrong types, bad numbers and trailing
/// characters are refused; the result is validated.
pub fn parse_payload(input: &[u8]) -> Result<TokenIssuePayload, Error> {
    payload_from_raw(&parse_raw(input, false)?)
}

/// Parses a `TokenIssueRequest` body: the payload fields and `signature`.
///
/// The signature's form is checked (`v` in {0, 1}; `r`, `s` as `0x` + 1..=64
/// hex digits) but not its validity: see [`SignedRequest::signer`].
pub fn parse_request(input: &[u8]) -> Result<SignedRequest, Error> {
    let raw = parse_raw(input, true)?;
    let payload = payload_from_raw(&raw)?;
    let signature = signature_from_raw(
        raw.signature
            .as_ref()
            .ok_or(Error::Json(JsonError::MissingField(Field::Signature)))?,
    )?;
    Ok(SignedRequest { payload, signature })
}

// ------------------------------------------------------------- writing

#[derive(Serialize)]
struct OutSig<'a> {
    r: &'a str,
    s: &'a str,
    v: u8,
}

#[derive(Serialize)]
struct Out<'a> {
    chain_id: u64,
    nonce: u64,
    symbol: &'a str,
    name: &'a str,
    decimals: u8,
    master_authority: &'a str,
    is_private: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    clawback_enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    signature: Option<OutSig<'a>>,
}

/// `0x` + 64 lowercase hex digits.
fn hex32(bytes: &[u8; 32]) -> [u8; 66] {
    let mut out = [0u8; 66];
    out[0] = b'0';
    out[1] = b'x';
    write_hex_lower(bytes, &mut out[2..]);
    out
}

fn write(p: &TokenIssuePayload, sig: Option<&Signature>, out: &mut [u8]) -> Result<usize, Error> {
    let master = p.master_authority().to_checksum();
    let (r, s) = match sig {
        Some(sig) => (hex32(&sig.r), hex32(&sig.s)),
        None => ([0; 66], [0; 66]),
    };
    let body = Out {
        chain_id: p.chain_id(),
        nonce: p.nonce(),
        symbol: p.symbol(),
        name: p.name(),
        decimals: p.decimals(),
        master_authority: ascii_str(&master),
        is_private: p.is_private(),
        clawback_enabled: p.clawback_enabled(),
        signature: sig.map(|sig| OutSig {
            r: ascii_str(&r),
            s: ascii_str(&s),
            v: sig.v,
        }),
    };
    serde_json_core::to_slice(&body, out).map_err(|_| Error::BufferTooSmall)
}

/// Writes the request body exactly as the spec's `TokenIssueRequest`:
/// its field names in spec order, `master_authority` in EIP-55 form, `r`
/// and `s` as `0x` + 64 lowercase hex digits, `v` an integer, and
/// `clawback_enabled` only in the eight-field form. A buffer of
/// [`MAX_REQUEST_JSON_LEN`] bytes is always large enough.
pub fn write_request(request: &SignedRequest, out: &mut [u8]) -> Result<usize, Error> {
    write(&request.payload, Some(&request.signature), out)
}

/// Writes an unsigned payload as JSON (the input format of
/// [`parse_payload`]). A buffer of [`MAX_PAYLOAD_JSON_LEN`] bytes is always
/// large enough.
pub fn write_payload(payload: &TokenIssuePayload, out: &mut [u8]) -> Result<usize, Error> {
    write(payload, None, out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::payload::CHAIN_ID_TESTNET;

    const SPEC8: &str = r#"{"chain_id":1212101,"nonce":2,"symbol":"TEST","name":"TEST Stablecoin","decimals":18,"master_authority":"0x0000000000000000000000000000000000000000","is_private":false,"clawback_enabled":true}"#;

    fn err(json: &str) -> Error {
        parse_payload(json.as_bytes()).unwrap_err()
    }

    #[test]
    fn parses_and_writes_spec_payload() {
        let p = parse_payload(SPEC8.as_bytes()).unwrap();
        assert_eq!(p.chain_id(), CHAIN_ID_TESTNET);
        assert_eq!(p.clawback_enabled(), Some(true));
        let mut buf = [0u8; MAX_PAYLOAD_JSON_LEN];
        let n = write_payload(&p, &mut buf).unwrap();
        assert_eq!(&buf[..n], SPEC8.as_bytes());
    }

    #[test]
    fn escapes_are_decoded() {
        let json = r#"{"chain_id":1,"nonce":0,"symbol":"\u0041B","name":"a\"b\\c\/ \ud83d\ude00 \u00e9","decimals":0,"master_authority":"0x0000000000000000000000000000000000000000","is_private":true}"#;
        let p = parse_payload(json.as_bytes()).unwrap();
        assert_eq!(p.symbol(), "AB");
        assert_eq!(p.name(), "a\"b\\c/ 😀 é");
        assert_eq!(p.clawback_enabled(), None);
        // Escaped key.
        let json = SPEC8.replacen("\"nonce\"", "\"\\u006eonce\"", 1);
        assert_eq!(parse_payload(json.as_bytes()).unwrap().nonce(), 2);
    }

    #[test]
    fn precise_errors() {
        use JsonError::*;
        assert_eq!(
            err(&SPEC8.replacen("\"nonce\":2,", "", 1)),
            Error::Json(MissingField(Field::Nonce))
        );
        assert_eq!(
            err(&SPEC8.replacen("\"nonce\":2,", "\"nonce\":2,\"nonce\":2,", 1)),
            Error::Json(DuplicateField(Field::Nonce))
        );
        assert_eq!(
            err(&SPEC8.replacen("{", "{\"extra\":1,", 1)),
            Error::Json(UnknownField)
        );
        assert_eq!(
            err(&SPEC8.replacen("\"nonce\":2", "\"nonce\":\"2\"", 1)),
            Error::Json(WrongType(Field::Nonce))
        );
        assert_eq!(
            err(&SPEC8.replacen("\"nonce\":2", "\"nonce\":-2", 1)),
            Error::Json(InvalidNumber)
        );
        assert_eq!(
            err(&SPEC8.replacen("\"nonce\":2", "\"nonce\":18446744073709551616", 1)),
            Error::Json(InvalidNumber)
        );
        assert_eq!(
            err(&SPEC8.replacen("\"nonce\":2", "\"nonce\":9223372036854775808", 1)),
            Error::NonceOutOfRange
        );
        assert!(matches!(
            err(&SPEC8.replacen("\"nonce\":2", "\"nonce\":2.5", 1)),
            Error::Json(_)
        ));
        assert_eq!(err(&format!("{SPEC8} x")), Error::Json(TrailingCharacters));
        assert_eq!(
            err(&SPEC8.replacen("TEST Stablecoin", "TEST\\ud800x", 1)),
            Error::Json(InvalidString)
        );
        assert_eq!(
            err(&SPEC8.replacen("TEST Stablecoin", "TEST\tStable", 1)),
            Error::Json(InvalidString)
        );
        assert_eq!(
            err(&SPEC8.replacen("TEST Stablecoin", "TEST\\u202eStable", 1)),
            Error::NameUnsafeCharacter
        );
        assert_eq!(
            err(&SPEC8.replacen("\"decimals\":18", "\"decimals\":19", 1)),
            Error::DecimalsOutOfRange
        );
        assert_eq!(
            err(&SPEC8.replacen("\"TEST\"", "\"TE-ST\"", 1)),
            Error::SymbolNotAlphanumeric
        );
        assert_eq!(
            err(&SPEC8.replacen("\"is_private\":false", "\"is_private\":0", 1)),
            Error::Json(WrongType(Field::IsPrivate))
        );
        assert_eq!(err("[]"), Error::Json(Syntax));
        assert_eq!(err(""), Error::Json(Syntax));
        assert!(matches!(
            err(&SPEC8.replacen("{", "{\"signature\":{},", 1)),
            Error::Json(UnknownField)
        ));
        let long = " ".repeat(MAX_JSON_INPUT_LEN + 1);
        assert_eq!(err(&long), Error::Json(TooLong));
    }

    #[test]
    fn request_round_trip_and_short_hex() {
        let key = crate::signature::signing_key_from_bytes(&[7; 32]).unwrap();
        let req = SignedRequest::sign(parse_payload(SPEC8.as_bytes()).unwrap(), &key).unwrap();
        let mut buf = [0u8; MAX_REQUEST_JSON_LEN];
        let n = write_request(&req, &mut buf).unwrap();
        let text = core::str::from_utf8(&buf[..n]).unwrap();
        assert!(text.ends_with(&format!(",\"v\":{}}}}}", req.signature.v)));
        assert_eq!(parse_request(&buf[..n]).unwrap(), req);
        // Short hex is accepted and left-padded.
        let mut short = req.clone();
        short.signature.r = [0; 32];
        short.signature.r[31] = 0x0a;
        let n = write_request(&short, &mut buf).unwrap();
        let text = core::str::from_utf8(&buf[..n]).unwrap().replacen(
            &format!("0x{}", "0".repeat(62) + "0a"),
            "0xA",
            1,
        );
        assert_eq!(parse_request(text.as_bytes()).unwrap(), short);
        for bad in ["0x", "0xg", "12", &format!("0x{}", "1".repeat(65))] {
            let t = core::str::from_utf8(&buf[..n]).unwrap().replacen(
                &format!("0x{}", "0".repeat(62) + "0a"),
                bad,
                1,
            );
            assert_eq!(
                parse_request(t.as_bytes()),
                Err(Error::InvalidHex(Field::R)),
                "{bad}"
            );
        }
        let v27 = core::str::from_utf8(&buf[..n]).unwrap().replacen(
            &format!("\"v\":{}", short.signature.v),
            "\"v\":27",
            1,
        );
        assert_eq!(parse_request(v27.as_bytes()), Err(Error::InvalidRecoveryId));
        let nosig = SPEC8;
        assert_eq!(
            parse_request(nosig.as_bytes()),
            Err(Error::Json(JsonError::MissingField(Field::Signature)))
        );
    }

    #[test]
    fn worst_case_fits_the_constants() {
        let name = "\"".repeat(MAX_NAME_LEN);
        let p = TokenIssuePayload::new(PayloadFields {
            chain_id: i64::MAX as u64,
            nonce: i64::MAX as u64,
            symbol: "S2345678901234567890",
            name: &name,
            decimals: 18,
            master_authority: Address([0xab; 20]),
            is_private: false,
            clawback_enabled: Some(false),
        })
        .unwrap();
        let req = SignedRequest {
            payload: p.clone(),
            signature: Signature {
                r: [0xff; 32],
                s: [0xff; 32],
                v: 1,
            },
        };
        let mut buf = [0u8; MAX_REQUEST_JSON_LEN];
        assert_eq!(write_request(&req, &mut buf), Ok(MAX_REQUEST_JSON_LEN));
        assert_eq!(write_payload(&p, &mut buf), Ok(MAX_PAYLOAD_JSON_LEN));
        assert_eq!(
            write_request(&req, &mut buf[..MAX_REQUEST_JSON_LEN - 1]),
            Err(Error::BufferTooSmall)
        );
        assert_eq!(
            parse_request(&buf[..0]).unwrap_err(),
            Error::Json(JsonError::Syntax)
        );
    }
}

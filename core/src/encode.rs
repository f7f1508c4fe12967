//! Canonical RLP of the payload, its strict decoder, and the three hashes.
//!
//! The RLP is written here rather than taken from `alloy-rlp`, the field's
//! reference encoder: `alloy-rlp` links `alloc` unconditionally, and a
//! Cortex-M binary that depends on it does not link without a global
//! allocator. `alloy-rlp` is the test oracle instead (see `tests/`).

use sha3::{Digest, Keccak256};

use crate::address::Address;
use crate::error::{Error, RlpError};
use crate::payload::{PayloadFields, TokenIssuePayload, MAX_NAME_LEN, MAX_SYMBOL_LEN};
use crate::signature::Signature;

/// keccak256 of `data`.
pub fn keccak256(data: &[u8]) -> [u8; 32] {
    Keccak256::digest(data).into()
}

/// Length of the RLP item for a byte string of `len` bytes whose first byte
/// is `first` (only looked at when `len == 1`).
const fn string_item_len(len: usize, first: u8) -> usize {
    if len == 1 && first < 0x80 {
        1
    } else {
        header_len(len) + len
    }
}

/// Length of a string or list header announcing `len` payload bytes.
const fn header_len(len: usize) -> usize {
    if len <= 55 {
        1
    } else {
        1 + be_len(len as u64)
    }
}

/// Number of bytes in the minimal big-endian form of `v` (0 for zero).
const fn be_len(v: u64) -> usize {
    (64 - v.leading_zeros() as usize).div_ceil(8)
}

/// Length of the RLP item for the integer `v`.
const fn int_item_len(v: u64) -> usize {
    let n = be_len(v);
    if v < 0x80 {
        1
    } else {
        1 + n
    }
}

const MAX_INT_ITEM: usize = int_item_len(u64::MAX);
const MAX_BODY_LEN: usize = 2 * MAX_INT_ITEM
    + string_item_len(MAX_SYMBOL_LEN, 0xff)
    + string_item_len(MAX_NAME_LEN, 0xff)
    + 1 // decimals, at most 18
    + string_item_len(20, 0xff) // address
    + 1 // is_private
    + 1; // clawback_enabled

/// Largest canonical RLP of any valid payload, in bytes (187). A buffer of
/// this size always holds [`encode_rlp`]'s output.
pub const MAX_RLP_LEN: usize = header_len(MAX_BODY_LEN) + MAX_BODY_LEN;

/// Largest RLP of `[payload, v, r, s]` (the transaction-hash preimage).
pub const MAX_TX_RLP_LEN: usize = header_len(MAX_RLP_LEN + 1 + 2 * 33) + MAX_RLP_LEN + 1 + 2 * 33;

/// Where encoded bytes go: a fixed buffer or a hasher.
trait Sink {
    fn put(&mut self, bytes: &[u8]) -> Result<(), Error>;
}

struct SliceSink<'a> {
    buf: &'a mut [u8],
    pos: usize,
}

impl Sink for SliceSink<'_> {
    fn put(&mut self, bytes: &[u8]) -> Result<(), Error> {
        let end = self
            .pos
            .checked_add(bytes.len())
            .ok_or(Error::BufferTooSmall)?;
        self.buf
            .get_mut(self.pos..end)
            .ok_or(Error::BufferTooSmall)?
            .copy_from_slice(bytes);
        self.pos = end;
        Ok(())
    }
}

impl Sink for Keccak256 {
    fn put(&mut self, bytes: &[u8]) -> Result<(), Error> {
        self.update(bytes);
        Ok(())
    }
}

fn put_header<S: Sink>(sink: &mut S, len: usize, short_base: u8) -> Result<(), Error> {
    if len <= 55 {
        // len <= 55 fits a u8 and short_base + 55 <= 0xf7.
        sink.put(&[short_base.wrapping_add(len as u8)])
    } else {
        let be = (len as u64).to_be_bytes();
        let n = be_len(len as u64);
        // long_base = short_base + 55; n <= 8.
        sink.put(&[short_base.wrapping_add(55).wrapping_add(n as u8)])?;
        sink.put(be.get(8 - n..).ok_or(Error::BufferTooSmall)?)
    }
}

fn put_string<S: Sink>(sink: &mut S, bytes: &[u8]) -> Result<(), Error> {
    match bytes {
        [b] if *b < 0x80 => sink.put(bytes),
        _ => {
            put_header(sink, bytes.len(), 0x80)?;
            sink.put(bytes)
        }
    }
}

/// `bytes` without its leading zero bytes: a big-endian integer's minimal form.
fn trim_zeros(bytes: &[u8]) -> &[u8] {
    let first = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    bytes.get(first..).unwrap_or(&[])
}

fn put_int_bytes<S: Sink>(sink: &mut S, be: &[u8]) -> Result<(), Error> {
    put_string(sink, trim_zeros(be))
}

fn put_int<S: Sink>(sink: &mut S, v: u64) -> Result<(), Error> {
    put_int_bytes(sink, &v.to_be_bytes())
}

fn put_bool<S: Sink>(sink: &mut S, v: bool) -> Result<(), Error> {
    sink.put(if v { &[0x01] } else { &[0x80] })
}

fn int_bytes_item_len(be: &[u8]) -> usize {
    let t = trim_zeros(be);
    string_item_len(t.len(), t.first().copied().unwrap_or(0))
}

fn body_len(p: &TokenIssuePayload) -> usize {
    let f = p.fields();
    int_item_len(f.chain_id)
        + int_item_len(f.nonce)
        + string_item_len(
            f.symbol.len(),
            f.symbol.as_bytes().first().copied().unwrap_or(0),
        )
        + string_item_len(
            f.name.len(),
            f.name.as_bytes().first().copied().unwrap_or(0),
        )
        + int_item_len(f.decimals)
        + string_item_len(20, 0xff)
        + 1
        + usize::from(f.clawback_enabled.is_some())
}

/// Length of the payload's canonical RLP, at most [`MAX_RLP_LEN`].
pub fn rlp_len(p: &TokenIssuePayload) -> usize {
    let body = body_len(p);
    header_len(body) + body
}

fn put_payload<S: Sink>(sink: &mut S, p: &TokenIssuePayload) -> Result<(), Error> {
    let f: PayloadFields<'_> = p.fields();
    put_header(sink, body_len(p), 0xc0)?;
    put_int(sink, f.chain_id)?;
    put_int(sink, f.nonce)?;
    put_string(sink, f.symbol.as_bytes())?;
    put_string(sink, f.name.as_bytes())?;
    put_int(sink, f.decimals)?;
    put_string(sink, f.master_authority.as_bytes())?;
    put_bool(sink, f.is_private)?;
    if let Some(clawback) = f.clawback_enabled {
        put_bool(sink, clawback)?;
    }
    Ok(())
}

/// Writes the canonical RLP of `p` into `out` and returns its length.
///
/// The list holds `[chain_id, nonce, symbol, name, decimals,
/// master_authority, is_private]`, plus `clawback_enabled` when it is `Some`.
/// A buffer of [`MAX_RLP_LEN`] bytes is always large enough; a smaller one
/// may give [`Error::BufferTooSmall`].
pub fn encode_rlp(p: &TokenIssuePayload, out: &mut [u8]) -> Result<usize, Error> {
    let mut sink = SliceSink { buf: out, pos: 0 };
    put_payload(&mut sink, p)?;
    Ok(sink.pos)
}

/// keccak256 of the payload's canonical RLP: the hash that is signed.
pub fn signing_hash(p: &TokenIssuePayload) -> [u8; 32] {
    let mut hasher = Keccak256::new();
    // A hasher never refuses bytes.
    let _ = put_payload(&mut hasher, p);
    hasher.finalize().into()
}

/// The transaction hash: keccak256(rlp([payload, v, r, s])) with v, r and s
/// as RLP integers (so a leading zero byte of r or s is dropped).
pub fn tx_hash(p: &TokenIssuePayload, sig: &Signature) -> [u8; 32] {
    let v = [sig.v];
    let inner = rlp_len(p)
        + int_bytes_item_len(&v)
        + int_bytes_item_len(&sig.r)
        + int_bytes_item_len(&sig.s);
    let mut hasher = Keccak256::new();
    let _ = put_header(&mut hasher, inner, 0xc0)
        .and_then(|()| put_payload(&mut hasher, p))
        .and_then(|()| put_int_bytes(&mut hasher, &v))
        .and_then(|()| put_int_bytes(&mut hasher, &sig.r))
        .and_then(|()| put_int_bytes(&mut hasher, &sig.s));
    hasher.finalize().into()
}

/// The token (mint) address an issue creates: the last 20 bytes of
/// keccak256(master_authority ++ symbol).
pub fn token_address(master_authority: &Address, symbol: &str) -> Address {
    let mut hasher = Keccak256::new();
    hasher.update(master_authority.as_bytes());
    hasher.update(symbol.as_bytes());
    let hash: [u8; 32] = hasher.finalize().into();
    let mut out = [0u8; 20];
    out.copy_from_slice(&hash[12..]);
    Address(out)
}

// ---------------------------------------------------------------- decoding

/// One decoded RLP item: whether it is a list, its payload, and the rest of
/// the input after it.
struct Item<'a> {
    is_list: bool,
    payload: &'a [u8],
    rest: &'a [u8],
}

fn split(input: &[u8], at: usize) -> Result<(&[u8], &[u8]), RlpError> {
    if at > input.len() {
        return Err(RlpError::UnexpectedEnd);
    }
    Ok(input.split_at(at))
}

/// Reads a long-form length of `n` bytes; canonical means no leading zero,
/// and a value above 55.
fn long_len(input: &[u8], n: usize) -> Result<(usize, &[u8]), RlpError> {
    let (len_bytes, rest) = split(input, n)?;
    if len_bytes.first() == Some(&0) {
        return Err(RlpError::NonCanonicalLength);
    }
    let mut len: usize = 0;
    for b in len_bytes {
        len = len
            .checked_mul(256)
            .and_then(|l| l.checked_add(usize::from(*b)))
            .ok_or(RlpError::UnexpectedEnd)?;
    }
    if len <= 55 {
        return Err(RlpError::NonCanonicalLength);
    }
    Ok((len, rest))
}

fn read_item(input: &[u8]) -> Result<Item<'_>, RlpError> {
    let (&first, after) = input.split_first().ok_or(RlpError::UnexpectedEnd)?;
    let (is_list, len, body) = match first {
        0x00..=0x7f => {
            return Ok(Item {
                is_list: false,
                payload: input.get(..1).unwrap_or(&[]),
                rest: after,
            });
        }
        0x80..=0xb7 => (false, usize::from(first - 0x80), after),
        0xb8..=0xbf => {
            let (len, body) = long_len(after, usize::from(first - 0xb7))?;
            (false, len, body)
        }
        0xc0..=0xf7 => (true, usize::from(first - 0xc0), after),
        0xf8..=0xff => {
            let (len, body) = long_len(after, usize::from(first - 0xf7))?;
            (true, len, body)
        }
    };
    let (payload, rest) = split(body, len)?;
    if !is_list && len == 1 && payload.first().is_some_and(|b| *b < 0x80) {
        return Err(RlpError::NonCanonicalSingleByte);
    }
    Ok(Item {
        is_list,
        payload,
        rest,
    })
}

/// Reads the items of a list one at a time.
struct ListReader<'a> {
    rest: &'a [u8],
}

impl<'a> ListReader<'a> {
    fn string(&mut self) -> Result<&'a [u8], RlpError> {
        let item = read_item(self.rest).map_err(|e| match e {
            RlpError::UnexpectedEnd => RlpError::ListLengthMismatch,
            e => e,
        })?;
        if item.is_list {
            return Err(RlpError::ExpectedString);
        }
        self.rest = item.rest;
        Ok(item.payload)
    }

    fn next_string(&mut self) -> Result<&'a [u8], RlpError> {
        if self.rest.is_empty() {
            return Err(RlpError::WrongFieldCount);
        }
        self.string()
    }

    fn int(&mut self) -> Result<u64, RlpError> {
        let bytes = self.next_string()?;
        if bytes.first() == Some(&0) {
            return Err(RlpError::LeadingZero);
        }
        if bytes.len() > 8 {
            return Err(RlpError::IntegerOverflow);
        }
        Ok(bytes.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b)))
    }

    fn text(&mut self) -> Result<&'a str, RlpError> {
        core::str::from_utf8(self.next_string()?).map_err(|_| RlpError::InvalidUtf8)
    }

    fn bool(&mut self) -> Result<bool, RlpError> {
        match self.next_string()? {
            [0x01] => Ok(true),
            [] => Ok(false),
            _ => Err(RlpError::InvalidBool),
        }
    }
}

/// Decodes a canonical payload RLP, refusing every non-canonical form, and
/// validates the result like [`TokenIssuePayload::new`].
pub fn decode_rlp(input: &[u8]) -> Result<TokenIssuePayload, Error> {
    let item = read_item(input)?;
    if !item.is_list {
        return Err(RlpError::ExpectedList.into());
    }
    if !item.rest.is_empty() {
        return Err(RlpError::TrailingBytes.into());
    }
    let mut list = ListReader { rest: item.payload };
    let chain_id = list.int()?;
    let nonce = list.int()?;
    let symbol = list.text()?;
    let name = list.text()?;
    let decimals = list.int()?;
    let master: [u8; 20] = list
        .next_string()?
        .try_into()
        .map_err(|_| RlpError::InvalidAddressLength)?;
    let is_private = list.bool()?;
    let clawback_enabled = if list.rest.is_empty() {
        None
    } else {
        Some(list.bool()?)
    };
    if !list.rest.is_empty() {
        return Err(RlpError::WrongFieldCount.into());
    }
    TokenIssuePayload::new(PayloadFields {
        chain_id,
        nonce,
        symbol,
        name,
        decimals,
        master_authority: Address(master),
        is_private,
        clawback_enabled,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::payload::CHAIN_ID_TESTNET;

    fn spec7() -> TokenIssuePayload {
        TokenIssuePayload::new(PayloadFields {
            chain_id: CHAIN_ID_TESTNET,
            nonce: 2,
            symbol: "TEST",
            name: "TEST Stablecoin",
            decimals: 18,
            master_authority: Address::ZERO,
            is_private: false,
            clawback_enabled: None,
        })
        .unwrap()
    }

    #[test]
    fn spec_seven_field_rlp() {
        let mut buf = [0u8; MAX_RLP_LEN];
        let n = encode_rlp(&spec7(), &mut buf).unwrap();
        assert_eq!(
            hex::encode(&buf[..n]),
            "f183127ec50284544553548f5445535420537461626c65636f696e1294000000000000000000000000000000000000000080"
        );
        assert_eq!(n, rlp_len(&spec7()));
        assert_eq!(
            hex::encode(signing_hash(&spec7())),
            "42b8740f273fdb3dc9051dba6d98b2e8ef744fe4e053d6f5ed17a89ec2cb417c"
        );
        assert_eq!(decode_rlp(&buf[..n]).unwrap(), spec7());
    }

    #[test]
    fn max_sizes() {
        assert_eq!(MAX_RLP_LEN, 187);
        assert_eq!(MAX_TX_RLP_LEN, 256);
        let name = "n".repeat(120);
        let p = TokenIssuePayload::new(PayloadFields {
            chain_id: i64::MAX as u64,
            nonce: i64::MAX as u64,
            symbol: "S2345678901234567890",
            name: &name,
            decimals: 18,
            master_authority: Address([0xff; 20]),
            is_private: true,
            clawback_enabled: Some(false),
        })
        .unwrap();
        // The largest valid payload fills MAX_RLP_LEN exactly.
        assert_eq!(rlp_len(&p), MAX_RLP_LEN);
        let mut buf = [0u8; MAX_RLP_LEN];
        assert_eq!(encode_rlp(&p, &mut buf), Ok(MAX_RLP_LEN));
        assert_eq!(decode_rlp(&buf).unwrap(), p);
        let mut small = [0u8; 100];
        assert_eq!(encode_rlp(&p, &mut small), Err(Error::BufferTooSmall));
    }

    #[test]
    fn token_address_vector() {
        assert_eq!(
            hex::encode(token_address(&Address::ZERO, "TEST").0),
            "32b832b49fc164cae5e6e80d4abc995c7d494519"
        );
    }

    fn dec(h: &str) -> Result<TokenIssuePayload, Error> {
        decode_rlp(&hex::decode(h).unwrap())
    }

    #[test]
    fn decoder_refuses_non_canonical() {
        let good = "f183127ec50284544553548f5445535420537461626c65636f696e1294000000000000000000000000000000000000000080";
        assert!(dec(good).is_ok());
        // Trailing byte.
        assert_eq!(
            dec(&format!("{good}00")),
            Err(Error::Rlp(RlpError::TrailingBytes))
        );
        // Truncated.
        assert_eq!(
            dec(&good[..good.len() - 2]),
            Err(Error::Rlp(RlpError::UnexpectedEnd))
        );
        // Long-form list header for a short list.
        assert_eq!(
            dec(&format!("f831{}", &good[2..])),
            Err(Error::Rlp(RlpError::NonCanonicalLength))
        );
        // Nonce 2 as 0x8102 (single byte wrapped).
        let wrapped = good
            .replacen("ec50284", "ec5028102", 1)
            .replacen("f1", "f2", 1);
        assert_eq!(
            dec(&wrapped),
            Err(Error::Rlp(RlpError::NonCanonicalSingleByte))
        );
        // Nonce with a leading zero: 0x820002.
        let lz = good
            .replacen("ec50284", "ec582000284", 1)
            .replacen("f1", "f3", 1);
        assert_eq!(dec(&lz), Err(Error::Rlp(RlpError::LeadingZero)));
        // Zero encoded as 0x00 instead of 0x80 (is_private).
        let zero = format!("{}00", &good[..good.len() - 2]);
        assert_eq!(dec(&zero), Err(Error::Rlp(RlpError::InvalidBool)));
        // Not a list.
        assert_eq!(dec("80"), Err(Error::Rlp(RlpError::ExpectedList)));
        // Empty list.
        assert_eq!(dec("c0"), Err(Error::Rlp(RlpError::WrongFieldCount)));
        // Nine fields.
        let nine = format!("f3{}0101", &good[2..]);
        assert_eq!(dec(&nine), Err(Error::Rlp(RlpError::WrongFieldCount)));
        // Eight fields decodes with clawback.
        let eight = format!("f2{}01", &good[2..]);
        assert_eq!(dec(&eight).unwrap().clawback_enabled(), Some(true));
        // Invalid UTF-8 symbol.
        let bad_utf8 = good.replacen("8454455354", "84ff455354", 1);
        assert_eq!(dec(&bad_utf8), Err(Error::Rlp(RlpError::InvalidUtf8)));
        // Short address.
        assert_eq!(
            dec("c58080808080"),
            Err(Error::Rlp(RlpError::WrongFieldCount))
        );
        assert_eq!(
            dec("c7808080808080"),
            Err(Error::Rlp(RlpError::UnexpectedEnd))
        );
        assert_eq!(
            dec("c6808080808080"),
            Err(Error::Rlp(RlpError::InvalidAddressLength))
        );
        assert_eq!(
            dec("c78080010180c080"),
            Err(Error::Rlp(RlpError::ExpectedString))
        );
        // 9-byte integer.
        assert_eq!(
            dec("ca89010000000000000000"),
            Err(Error::Rlp(RlpError::IntegerOverflow))
        );
        // Out-of-range chain id reaches validation.
        let mut v = vec![0xc0u8];
        v.extend_from_slice(&[0x88, 0x80, 0, 0, 0, 0, 0, 0, 0]);
        v.extend_from_slice(&hex::decode(&good[10..]).unwrap());
        v[0] = 0xc0 + (v.len() - 1) as u8;
        assert_eq!(decode_rlp(&v), Err(Error::ChainIdOutOfRange));
    }
}

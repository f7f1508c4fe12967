//! The structured round trip: arbitrary TokenIssue fields and key →
//! validate → sign (v1 and v2) → write JSON → parse → verify → the same
//! transaction and signer.

use arbitrary::{Arbitrary, Unstructured};
use k256::ecdsa::signature::hazmat::PrehashVerifier;
use tokensign_core::legacy::LegacyTx;
use tokensign_core::native::NativeTx;
use tokensign_core::text::Text;
use tokensign_core::tx::{Memo, TokenIssue};
use tokensign_core::{
    json, keccak256, signing_key_from_bytes, verify_hash, Address, Error, Field, OpType, Problem,
    Transaction,
};

use crate::invariants::{check_legacy_signed, check_native_signed, check_tx, write_json};
use crate::reference;

/// One round-trip case. Its byte layout is simple and invertible
/// ([`RoundTripInput::to_bytes`]) so that seeds can be written from the
/// spec's vectors:
///
/// | bytes | field |
/// | --- | --- |
/// | 32 | secret key |
/// | 8 | chain_id, little-endian |
/// | 8 | nonce, little-endian |
/// | 8 | decimals, little-endian |
/// | 1 | flags: bit 0 is_private, bit 1 clawback given, bit 2 clawback value, bit 3 memo, bits 4-5 symbol mode, bits 6-7 name mode |
/// | 20 | master_authority |
/// | 1 | symbol length in bytes, n |
/// | n | symbol |
/// | rest | name |
///
/// Missing bytes read as zero. A text in mode 0 or 2 is its bytes as UTF-8
/// (invalid sequences replaced); in mode 1 or 3 each byte picks a character
/// from an alphabet (alphanumerics for the symbol; printable, escaped and a
/// few unsafe characters for the name), which reaches valid payloads often.
/// With the memo bit, the transaction carries the memo `purpose/SALA`,
/// `text/plain` and the symbol as its data (the empty memo when the symbol
/// is not memo data).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoundTripInput {
    pub secret: [u8; 32],
    pub chain_id: u64,
    pub nonce: u64,
    pub decimals: u64,
    pub is_private: bool,
    pub clawback_enabled: Option<bool>,
    pub master_authority: [u8; 20],
    pub memo: bool,
    pub symbol: String,
    pub name: String,
}

const SYMBOL_ALPHABET: &[char] = &[
    'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O', 'P', 'Q', 'R', 'S',
    'T', 'U', 'V', 'W', 'X', 'Y', 'Z', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l',
    'm', 'n', 'o', 'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z', '0', '1', '2', '3', '4',
    '5', '6', '7', '8', '9', 'Ä', 'é', 'ß', 'Ω', 'Ж', '日', '本', '٣', 'ⅷ', '𝔸', '-', ' ', '$',
];

const NAME_ALPHABET: &[char] = &[
    'A', 'b', 'Z', 'z', '0', '9', ' ', '"', '\\', '/', '\'', '<', '>', '&', '€', '—', '✓', '日',
    'é', '😀', '\u{7f}', '\u{a0}', '\u{2028}', '\u{202e}', '\u{200b}', '\u{feff}', '\u{e000}',
    '\u{1}', '\t', '\n', '\u{ad}', '\u{3164}',
];

fn text(bytes: &[u8], mapped: bool, alphabet: &[char]) -> String {
    if mapped {
        bytes
            .iter()
            .map(|b| alphabet[usize::from(*b) % alphabet.len()])
            .collect()
    } else {
        String::from_utf8_lossy(bytes).into_owned()
    }
}

impl RoundTripInput {
    /// Reads a case from fuzz bytes (layout above).
    pub fn from_bytes(data: &[u8]) -> Self {
        let mut rest = data;
        let mut take = |n: usize| -> Vec<u8> {
            let k = n.min(rest.len());
            let mut out = rest[..k].to_vec();
            out.resize(n, 0);
            rest = &rest[k..];
            out
        };
        let secret: [u8; 32] = take(32).try_into().expect("32");
        let u64le = |v: Vec<u8>| u64::from_le_bytes(v.try_into().expect("8"));
        let chain_id = u64le(take(8));
        let nonce = u64le(take(8));
        let decimals = u64le(take(8));
        let flags = take(1)[0];
        let master_authority: [u8; 20] = take(20).try_into().expect("20");
        let symbol_len = usize::from(take(1)[0]);
        let symbol_bytes = take(symbol_len);
        let name_bytes = rest.to_vec();
        RoundTripInput {
            secret,
            chain_id,
            nonce,
            decimals,
            is_private: flags & 1 != 0,
            clawback_enabled: (flags & 2 != 0).then_some(flags & 4 != 0),
            master_authority,
            memo: flags & 8 != 0,
            symbol: text(&symbol_bytes, flags & 0x10 != 0, SYMBOL_ALPHABET),
            name: text(&name_bytes, flags & 0x40 != 0, NAME_ALPHABET),
        }
    }

    /// The bytes that [`RoundTripInput::from_bytes`] reads back as this
    /// case, with both texts as plain UTF-8 (mode 0). The symbol must be at
    /// most 255 bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = self.secret.to_vec();
        out.extend_from_slice(&self.chain_id.to_le_bytes());
        out.extend_from_slice(&self.nonce.to_le_bytes());
        out.extend_from_slice(&self.decimals.to_le_bytes());
        let flags = u8::from(self.is_private)
            | match self.clawback_enabled {
                None => 0,
                Some(false) => 2,
                Some(true) => 6,
            }
            | if self.memo { 8 } else { 0 };
        out.push(flags);
        out.extend_from_slice(&self.master_authority);
        out.push(u8::try_from(self.symbol.len()).expect("symbol of at most 255 bytes"));
        out.extend_from_slice(self.symbol.as_bytes());
        out.extend_from_slice(self.name.as_bytes());
        out
    }

    /// The transaction these fields make (memo per flag bit 3), or the
    /// first rule they break.
    pub fn transaction<const B: usize, const M: usize>(&self) -> Result<Transaction<B, M>, Error> {
        let text_error = |field: Field| move |p: Problem| Error::invalid(field, p);
        let issue = TokenIssue {
            symbol: Text::new(&self.symbol).map_err(text_error(Field::Symbol))?,
            name: Text::new(&self.name).map_err(text_error(Field::Name))?,
            decimals: u8::try_from(self.decimals).map_err(|_| {
                Error::invalid(Field::Decimals, Problem::OutOfRange { min: 0, max: 255 })
            })?,
            master_authority: Address(self.master_authority),
            is_private: self.is_private,
            clawback_enabled: self.clawback_enabled,
        };
        let mut tx = Transaction::new(self.chain_id, self.nonce, issue);
        if self.memo {
            // The symbol as the memo's data, when it is one.
            tx.memo =
                Some(Memo::new("purpose/SALA", "text/plain", &self.symbol).unwrap_or_default());
        }
        tx.check()?;
        Ok(tx)
    }
}

impl<'a> Arbitrary<'a> for RoundTripInput {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        let len = u.arbitrary_len::<u8>()?;
        Ok(Self::from_bytes(u.bytes(len)?))
    }

    fn arbitrary_take_rest(u: Unstructured<'a>) -> arbitrary::Result<Self> {
        Ok(Self::from_bytes(u.take_rest()))
    }
}

/// The round trip on raw fuzz bytes.
pub fn roundtrip_bytes(data: &[u8]) {
    roundtrip(&RoundTripInput::from_bytes(data));
}

/// The round trip: validation agrees with the spec's rules; a valid
/// transaction encodes, signs (v1 and v2), writes, parses and verifies back
/// to the same transaction and the key's own address.
pub fn roundtrip(input: &RoundTripInput) {
    let valid = reference::issue_is_valid(
        input.chain_id,
        input.nonce,
        &input.symbol,
        &input.name,
        input.decimals,
    );
    let tx: Transaction = match input.transaction() {
        Ok(tx) => {
            assert!(valid, "accepted an invalid issue: {input:?}");
            tx
        }
        Err(e) => {
            assert!(!valid, "refused a valid issue ({e:?}): {input:?}");
            return;
        }
    };
    check_tx(&tx, 20);

    let key = match signing_key_from_bytes(&input.secret) {
        Ok(key) => key,
        Err(e) => {
            assert_eq!(e, Error::InvalidSecretKey);
            // Zero or not below the curve order: sign with another key.
            signing_key_from_bytes(&keccak256(&input.secret)).expect("a hash is a valid key")
        }
    };
    let me = key.address();
    let other = Address(keccak256(me.as_bytes())[..20].try_into().expect("20"));

    // v1.
    let request = LegacyTx::sign(tx.clone(), &key).expect("signing succeeds");
    assert!(request.signature.v <= 1, "v is the y-parity");
    let hash = request.signing_hash().expect("in v1");
    let (k256_sig, _) = request
        .signature
        .to_k256()
        .expect("the core's own signature is well-formed and low-S");
    k256::ecdsa::VerifyingKey::from_sec1_bytes(&key.public_key_compressed())
        .expect("the key's public key is a curve point")
        .verify_prehash(&hash, &k256_sig)
        .expect("k256 verifies the signature over the signing hash");
    let body = write_json(json::MAX_LEGACY_JSON_LEN, "write_legacy", |b| {
        json::write_legacy(&request, b)
    });
    let parsed = json::parse_legacy(OpType::TokenIssue, &body).expect("the written request parses");
    assert_eq!(parsed, request, "same transaction and signature");
    assert_eq!(parsed.signer(), Ok(me), "same signer");
    assert_eq!(
        verify_hash(&hash, &parsed.signature, &other),
        Err(Error::SignerMismatch),
        "verifies against the signer only"
    );
    reference::assert_issue_json_holds(&body, &tx, Some(&request.signature));
    check_legacy_signed(&parsed);

    // v2.
    let signed = NativeTx::sign(tx.clone(), &key).expect("signing succeeds");
    let (k256_sig, _) = match &signed.authorization {
        tokensign_core::native::Authorization::Single(sig) => sig.to_k256().expect("low-S"),
        other => panic!("a single signer's authorization is {other:?}"),
    };
    k256::ecdsa::VerifyingKey::from_sec1_bytes(&key.public_key_compressed())
        .expect("the key's public key is a curve point")
        .verify_prehash(&signed.signing_hash(), &k256_sig)
        .expect("k256 verifies the v2 signature");
    assert_ne!(signed.signing_hash(), hash, "v2 signs other bytes than v1");
    let body = write_json(json::MAX_NATIVE_JSON_LEN, "write_native", |b| {
        json::write_native(&signed, b)
    });
    let parsed = json::parse_native(OpType::TokenIssue, &body).expect("the written body parses");
    assert_eq!(parsed, signed, "same v2 transaction");
    assert_eq!(parsed.sender(), Ok(me), "same sender");
    check_native_signed(&parsed);
}

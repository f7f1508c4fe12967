//! `definition_decode`: any bytes as a signed token definition.
//!
//! The core's decoder gives the same answer as a reference decoder
//! written here from `docs/definitions.md` (the same definition, or the
//! same refusal); an accepted definition encodes back to exactly its bytes;
//! its signature is either its signer's (and k256, independently, recovers
//! that signer) or refused as `BadSignature`, never anything else; a
//! trusted definition is used by a review only for its chain and token,
//! and a review in its unit (or a server's word on it) passes every review
//! invariant. Seeds: the signed definitions below and their damaged forms.

use tokensign_core::amount::{Amount, MAX_WHOLE_TOKENS_LEN};
use tokensign_core::definition::{
    DefinitionError, SignedDefinition, TokenDefinition, TokenUnit, DEFINITION_LEN,
    SIGNED_DEFINITION_LEN,
};
use tokensign_core::native::Descriptor;
use tokensign_core::review::Review;
use tokensign_core::tx::Payment;
use tokensign_core::{keccak256, Address, Scheme, SigningKey, Transaction};

use crate::review_checks::check_review;

/// The reference decoder's verdict: the fields, or the refusal's name.
#[derive(Debug, PartialEq, Eq)]
enum Reference {
    Ok {
        chain_id: u64,
        token: [u8; 20],
        decimals: u8,
        symbol: Vec<u8>,
        signer: [u8; 20],
        signature: [u8; 65],
    },
    Refused(&'static str),
}

/// The format's table, read in its order: the version first (whatever
/// the length), then the length, then the fields in encoding order.
fn reference(data: &[u8]) -> Reference {
    match data.first() {
        None => return Reference::Refused("Truncated"),
        Some(1) => {}
        Some(_) => return Reference::Refused("UnsupportedVersion"),
    }
    if data.len() < 136 {
        return Reference::Refused("Truncated");
    }
    if data.len() > 136 {
        return Reference::Refused("TrailingBytes");
    }
    let decimals = data[29];
    if decimals > 18 {
        return Reference::Refused("DecimalsOutOfRange");
    }
    let len = usize::from(data[30]);
    if len == 0 || len > 20 {
        return Reference::Refused("SymbolLength");
    }
    let symbol = &data[31..31 + len];
    if !symbol
        .iter()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_lowercase() || b.is_ascii_digit())
    {
        return Reference::Refused("SymbolCharacter");
    }
    if data[31 + len..51].iter().any(|&b| b != 0) {
        return Reference::Refused("NonZeroPadding");
    }
    Reference::Ok {
        chain_id: u64::from_be_bytes(data[1..9].try_into().expect("8 bytes")),
        token: data[9..29].try_into().expect("20 bytes"),
        decimals,
        symbol: symbol.to_vec(),
        signer: data[51..71].try_into().expect("20 bytes"),
        signature: data[71..136].try_into().expect("65 bytes"),
    }
}

fn name(e: &DefinitionError) -> &'static str {
    match e {
        DefinitionError::Truncated { .. } => "Truncated",
        DefinitionError::TrailingBytes { .. } => "TrailingBytes",
        DefinitionError::UnsupportedVersion(_) => "UnsupportedVersion",
        DefinitionError::DecimalsOutOfRange(_) => "DecimalsOutOfRange",
        DefinitionError::SymbolLength(_) => "SymbolLength",
        DefinitionError::SymbolCharacter => "SymbolCharacter",
        DefinitionError::NonZeroPadding => "NonZeroPadding",
        DefinitionError::BadSignature => "BadSignature",
        DefinitionError::UntrustedSigner(_) => "UntrustedSigner",
        DefinitionError::WrongChain { .. } => "WrongChain",
        DefinitionError::WrongToken { .. } => "WrongToken",
    }
}

/// The signer k256 recovers from `hash` and the 65 signature bytes, if the
/// signature is well-formed (low-S, `v` 0 or 1).
fn k256_signer(hash: &[u8; 32], sig: &[u8; 65]) -> Option<[u8; 20]> {
    use k256::ecdsa::{RecoveryId, Signature, VerifyingKey};
    let signature = Signature::from_slice(&sig[..64]).ok()?;
    if signature.normalize_s().is_some() || sig[64] > 1 {
        return None;
    }
    let recid = RecoveryId::from_byte(sig[64])?;
    let key = VerifyingKey::recover_from_prehash(hash, &signature, recid).ok()?;
    let point = key.to_encoded_point(false);
    let hash = keccak256(&point.as_bytes()[1..]);
    hash[12..].try_into().ok()
}

/// The check of one input.
pub fn definition_decode(data: &[u8]) {
    let decoded = SignedDefinition::decode(data);
    match (reference(data), &decoded) {
        (Reference::Refused(want), Err(e)) => {
            assert_eq!(name(e), want, "refused as {e:?}");
            assert!(!e.to_string().is_empty());
        }
        (Reference::Refused(want), Ok(d)) => {
            panic!("accepted {d:?}, the reference refuses: {want}")
        }
        (Reference::Ok { .. }, Err(e)) => panic!("refused {e:?}, the reference accepts"),
        (
            Reference::Ok {
                chain_id,
                token,
                decimals,
                symbol,
                signer,
                signature,
            },
            Ok(d),
        ) => {
            let def = &d.definition;
            assert_eq!(def.chain_id, chain_id);
            assert_eq!(def.token.0, token);
            assert_eq!(def.unit.decimals(), decimals);
            assert_eq!(def.unit.symbol().as_str().as_bytes(), &symbol[..]);
            assert_eq!(d.signer.0, signer);
            assert_eq!(
                (d.signature.r, d.signature.s, d.signature.v),
                (
                    signature[..32].try_into().expect("r"),
                    signature[32..64].try_into().expect("s"),
                    signature[64]
                )
            );
            let hash = keccak256(&[b"tokensign.token-definition".as_slice(), &data[..51]].concat());
            assert_eq!(def.signing_hash(), hash, "signing hash");
            check_accepted(data, d, k256_signer(&hash, &signature));
        }
    }
}

fn check_accepted(data: &[u8], d: &SignedDefinition, k256: Option<[u8; 20]>) {
    // Canonical: the bytes are the only encoding of what they hold.
    assert_eq!(&d.encode()[..], data, "re-encoding");
    assert_eq!(data.len(), SIGNED_DEFINITION_LEN);
    assert_eq!(
        TokenDefinition::decode(&data[..DEFINITION_LEN]),
        Ok(d.definition)
    );
    // Whole tokens of a few amounts fit their buffer.
    for bytes in [&data[71..103], &data[104..136]] {
        let amount = Amount::from_be_bytes(bytes.try_into().expect("32 bytes"));
        let whole = amount
            .to_whole_tokens(d.definition.unit.decimals())
            .expect("decimals in range");
        assert!(whole.as_str().len() <= MAX_WHOLE_TOKENS_LEN);
    }
    let signer = d.signer;
    let payment = |chain_id: u64, token: Address| -> Transaction<4, 2> {
        Transaction::new(
            chain_id,
            1,
            Payment {
                recipient: Address([2; 20]),
                value: Amount::from_be_bytes(data[71..103].try_into().expect("32 bytes")),
                token,
            },
        )
    };
    let here = payment(d.definition.chain_id, d.definition.token);
    let review = Review::new(&here, Scheme::Native, Descriptor::Single);
    check_review(&review.with_reported_unit(&d.definition.unit), 20);
    match d.check_signature() {
        Ok(()) => {
            assert_eq!(k256, Some(signer.0), "k256 recovers another signer");
            assert_eq!(d.verify(&[]), Err(DefinitionError::UntrustedSigner(signer)));
            let trusted = d.verify(&[Address([9; 20]), signer]).expect("trusted");
            let review = review.with_definition(&trusted).expect("applies");
            check_review(&review, 1 + usize::from(data[0]) % 64);
            let elsewhere = payment(d.definition.chain_id ^ 1, d.definition.token);
            assert!(matches!(
                Review::new(&elsewhere, Scheme::Native, Descriptor::Single)
                    .with_definition(&trusted),
                Err(DefinitionError::WrongChain { .. })
            ));
            let other = Address(d.definition.token.0.map(|b| !b));
            let other = payment(d.definition.chain_id, other);
            assert!(matches!(
                Review::new(&other, Scheme::Native, Descriptor::Single).with_definition(&trusted),
                Err(DefinitionError::WrongToken { .. })
            ));
        }
        Err(e) => {
            assert_eq!(e, DefinitionError::BadSignature);
            assert_ne!(k256, Some(signer.0), "k256 accepts what the core refuses");
            assert_eq!(d.verify(&[signer]), Err(DefinitionError::BadSignature));
        }
    }
}

/// The seeds: definitions signed by a test key, and each kind of damage.
pub fn seeds() -> Vec<(String, Vec<u8>)> {
    let key = SigningKey::from_bytes(&[0x42; 32]).expect("a valid key");
    let sign = |chain_id: u64, token: [u8; 20], symbol: &str, decimals: u8| {
        TokenDefinition {
            chain_id,
            token: Address(token),
            unit: TokenUnit::new(symbol, decimals).expect("a valid unit"),
        }
        .sign(&key)
        .expect("signs")
        .encode()
        .to_vec()
    };
    let usdx = sign(1_212_101, [0x5f; 20], "USDX", 6);
    let patched = |at: usize, b: u8| {
        let mut bytes = usdx.clone();
        bytes[at] = b;
        bytes
    };
    let mut out = vec![
        ("usdx".to_owned(), usdx.clone()),
        (
            "longest".to_owned(),
            sign(21_210, [0xff; 20], "S2345678901234567890", 18),
        ),
        ("zero-decimals".to_owned(), sign(u64::MAX, [0; 20], "a", 0)),
        ("truncated".to_owned(), usdx[..135].to_vec()),
        ("bare".to_owned(), usdx[..51].to_vec()),
        ("version-2".to_owned(), patched(0, 2)),
        ("decimals-19".to_owned(), patched(29, 19)),
        ("symbol-length-21".to_owned(), patched(30, 21)),
        ("symbol-character".to_owned(), patched(32, b'-')),
        ("padding".to_owned(), patched(50, 1)),
        ("altered".to_owned(), patched(29, 2)),
        ("high-v".to_owned(), patched(135, 2)),
    ];
    let mut long = usdx;
    long.push(0);
    out.push(("trailing".to_owned(), long));
    out
}

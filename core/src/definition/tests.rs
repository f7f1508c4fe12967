//! The definitions' round trip, the check that `decode_verified` is
//! `decode` then `verify`, every refusal by name, and units.

use super::token::AT_DECIMALS;
use super::*;
use crate::address::Address;
use crate::key::SigningKey;
use std::string::ToString;

fn key(byte: u8) -> SigningKey {
    SigningKey::from_bytes(&[byte; 32]).unwrap()
}

fn usdx() -> TokenDefinition {
    TokenDefinition {
        chain_id: 1_212_101,
        token: Address([0x5f; 20]),
        unit: TokenUnit::new("USDX", 6).unwrap(),
    }
}

#[test]
fn round_trips_and_verifies() {
    let def = usdx();
    let bytes = def.encode();
    assert_eq!(bytes[0], 1);
    assert_eq!(&bytes[31..35], b"USDX");
    assert!(bytes[35..].iter().all(|&b| b == 0));
    assert_eq!(TokenDefinition::decode(&bytes), Ok(def));
    let signed = def.sign(&key(7)).unwrap();
    let wire = signed.encode();
    assert_eq!(SignedDefinition::decode(&wire), Ok(signed));
    let trusted = signed.verify(&[key(7).address()]).unwrap();
    assert_eq!(trusted.definition(), &def);
    assert_eq!(trusted.signer(), key(7).address());
    assert_eq!(trusted.check_applies(1_212_101, Some(def.token)), Ok(()));
}

/// `decode_verified` hashes the bytes it received: the same answers as
/// `decode` then `verify`, for a good definition and for every kind of
/// refusal, in the same order (decoding, trust, signature).
#[test]
fn decode_verified_is_decode_then_verify() {
    let signed = usdx().sign(&key(7)).unwrap();
    let wire = signed.encode();
    let signer = key(7).address();
    let trusted = |a: &Address| *a == signer;
    assert_eq!(
        SignedDefinition::decode_verified(&wire, trusted),
        signed.verify(&[signer])
    );
    assert!(SignedDefinition::decode_verified(&wire, trusted).is_ok());
    // Any byte of the definition changed (decimals here) breaks the
    // signature the hash of the received bytes is checked against.
    let mut altered = wire;
    altered[AT_DECIMALS] = 2;
    let decoded = SignedDefinition::decode(&altered).unwrap();
    assert_eq!(decoded.definition.unit.decimals(), 2);
    assert_eq!(
        SignedDefinition::decode_verified(&altered, trusted),
        Err(DefinitionError::BadSignature)
    );
    assert_eq!(
        SignedDefinition::decode_verified(&wire, |_| false),
        Err(DefinitionError::UntrustedSigner(signer))
    );
    // A decoding error comes before the trust check.
    assert_eq!(
        SignedDefinition::decode_verified(&wire[1..], |_| false),
        Err(SignedDefinition::decode(&wire[1..]).unwrap_err())
    );
}

#[test]
fn every_refusal_by_name() {
    let def = usdx();
    let signed = def.sign(&key(7)).unwrap();
    let trusted = [key(7).address()];
    // Untrusted signer, bad signature.
    assert_eq!(
        signed.verify(&[key(8).address()]),
        Err(DefinitionError::UntrustedSigner(key(7).address()))
    );
    let mut altered = signed;
    altered.definition.unit = TokenUnit::new("USDX", 2).unwrap();
    assert_eq!(altered.verify(&trusted), Err(DefinitionError::BadSignature));
    let mut claimed = def.sign(&key(8)).unwrap();
    claimed.signer = key(7).address();
    assert_eq!(claimed.verify(&trusted), Err(DefinitionError::BadSignature));
    let mut high = signed;
    high.signature.v = 2;
    assert_eq!(high.verify(&trusted), Err(DefinitionError::BadSignature));
    // Wrong chain, wrong token, no token.
    let ok = signed.verify(&trusted).unwrap();
    assert_eq!(
        ok.check_applies(21210, Some(def.token)),
        Err(DefinitionError::WrongChain {
            definition: 1_212_101,
            transaction: 21210
        })
    );
    let other = Address([1; 20]);
    assert_eq!(
        ok.check_applies(1_212_101, Some(other)),
        Err(DefinitionError::WrongToken {
            definition: def.token,
            transaction: Some(other)
        })
    );
    assert!(ok
        .check_applies(1_212_101, None)
        .unwrap_err()
        .to_string()
        .contains("moves no token"));
    // Malformed encodings.
    let wire = signed.encode();
    assert_eq!(
        SignedDefinition::decode(&wire[..100]),
        Err(DefinitionError::Truncated {
            len: 100,
            expected: SIGNED_DEFINITION_LEN
        })
    );
    assert_eq!(
        SignedDefinition::decode(&[]),
        Err(DefinitionError::Truncated {
            len: 0,
            expected: SIGNED_DEFINITION_LEN
        })
    );
    let mut long = [0u8; SIGNED_DEFINITION_LEN + 1];
    long[..SIGNED_DEFINITION_LEN].copy_from_slice(&wire);
    assert_eq!(
        SignedDefinition::decode(&long),
        Err(DefinitionError::TrailingBytes {
            len: SIGNED_DEFINITION_LEN + 1,
            expected: SIGNED_DEFINITION_LEN
        })
    );
    let patched = |at: usize, b: u8| {
        let mut w = wire;
        w[at] = b;
        SignedDefinition::decode(&w)
    };
    assert_eq!(patched(0, 2), Err(DefinitionError::UnsupportedVersion(2)));
    assert_eq!(patched(0, 0), Err(DefinitionError::UnsupportedVersion(0)));
    assert_eq!(
        SignedDefinition::decode(&[2]),
        Err(DefinitionError::UnsupportedVersion(2))
    );
    assert_eq!(
        patched(29, 19),
        Err(DefinitionError::DecimalsOutOfRange(19))
    );
    assert_eq!(patched(30, 0), Err(DefinitionError::SymbolLength(0)));
    assert_eq!(patched(30, 21), Err(DefinitionError::SymbolLength(21)));
    assert_eq!(patched(32, b'-'), Err(DefinitionError::SymbolCharacter));
    assert_eq!(patched(32, 0xd0), Err(DefinitionError::SymbolCharacter));
    // Length 5 takes the first padding byte (zero) as a character.
    assert_eq!(patched(30, 5), Err(DefinitionError::SymbolCharacter));
    assert_eq!(patched(50, b'A'), Err(DefinitionError::NonZeroPadding));
    // Every message is one line that says what is wrong.
    for e in [
        DefinitionError::BadSignature,
        DefinitionError::UntrustedSigner(Address::ZERO),
        DefinitionError::NonZeroPadding,
    ] {
        assert!(!e.to_string().contains('\n'));
    }
}

#[test]
fn units_and_symbols() {
    assert_eq!(
        TokenUnit::new("USDX", 19),
        Err(DefinitionError::DecimalsOutOfRange(19))
    );
    assert_eq!(TokenUnit::new("", 6), Err(DefinitionError::SymbolLength(0)));
    assert_eq!(
        TokenUnit::new(&"A".repeat(21), 6),
        Err(DefinitionError::SymbolLength(21))
    );
    assert_eq!(
        TokenUnit::new("USD\u{421}", 6),
        Err(DefinitionError::SymbolCharacter)
    );
    assert_eq!(
        TokenUnit::new("USD C", 6),
        Err(DefinitionError::SymbolCharacter)
    );
    let unit = TokenUnit::new("A1b2", 0).unwrap();
    assert_eq!(unit.symbol().as_str(), "A1b2");
    assert_eq!(unit.decimals(), 0);
    assert_eq!(std::format!("{:?}", unit.symbol()), "\"A1b2\"");
}

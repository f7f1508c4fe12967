//! The spec's published values (shared/spec/onemoney-issue-token.md), and
//! the check that they are in the files verbatim.

use super::generator::*;

use tokensign_core::tx::token_address;
use tokensign_core::{Address, Transaction};
use tokensign_fixtures::{SPEC_ADDRESS, SPEC_TOKEN};
use tokensign_tests::vectors::{self};
use tokensign_tests::{key_address, key_from_hex, SPEC_KEY};

pub struct SpecSig {
    pub name: &'static str,
    pub nonce: u64,
    pub clawback: Option<bool>,
    pub rlp: Option<&'static str>,
    pub signing_hash: &'static str,
    pub r: &'static str,
    pub s: &'static str,
    pub v: u8,
    pub tx_hash: Option<&'static str>,
    pub tx_hash_rs_32_bytes: Option<&'static str>,
}

/// Every value the spec publishes, verbatim.
pub const SPEC: [SpecSig; 3] = [
    SpecSig {
        name: "spec-eight-field",
        nonce: 2,
        clawback: Some(true),
        rlp: None,
        signing_hash: "0x01882eb8bee7e2d0d553a0debc95f5d666d55e481b64ee9c6159b4c50831b9f0",
        r: "0xdb4741c7f2ce4a2d78e790331075284efaeee0b217e9c9ccf334d3014d98b7bb",
        s: "0x6ba551adfd0b9d7236298ae267575255e0b54b0d569dc9824d1445d2c546dc9e",
        v: 1,
        tx_hash: None,
        tx_hash_rs_32_bytes: None,
    },
    SpecSig {
        name: "spec-seven-field",
        nonce: 2,
        clawback: None,
        rlp: Some("0xf183127ec50284544553548f5445535420537461626c65636f696e1294000000000000000000000000000000000000000080"),
        signing_hash: "0x42b8740f273fdb3dc9051dba6d98b2e8ef744fe4e053d6f5ed17a89ec2cb417c",
        r: "0xfe70d12f46caee1a1028dad2d203a3fbd0b1ea7b0453c7dd84916c84c77d958a",
        s: "0x5d93e5428c6554638fef64fb3f51bf9bce920a6b149ac67b54f22775504126f2",
        v: 0,
        tx_hash: Some("0x071b111c6ce877d2a4e86f69313f32fe646db84d023c679c253071ae0259fc33"),
        tx_hash_rs_32_bytes: None,
    },
    SpecSig {
        name: "spec-eight-field-nonce-177-r-leading-zero",
        nonce: 177,
        clawback: Some(true),
        rlp: None,
        signing_hash: "0x6f5a59f0e4303b5f6731eb933f889d29d250f16b251a4e95099835c46c4bc89c",
        r: "0x00d2b4c2222421dc3bbd22a3b41e550c11af45fd9ad701e82ce4865372dfe5bd",
        s: "0x364c769195363fc50484600bd468d9e4db36020a51f8d5387f5abb513fb80ff4",
        v: 0,
        tx_hash: Some("0xa281221ec4188ef9ac8b3d69211b87917b9aef0aa617135b0be23541468dce3c"),
        tx_hash_rs_32_bytes: Some(
            "0x833f3f773c685e70e349aab517cbadc173c3a34f95237b979aa6cae8c6057da2",
        ),
    },
];

pub fn spec_payload(nonce: u64, clawback: Option<bool>) -> Transaction {
    OwnedFields {
        chain_id: 1_212_101,
        nonce,
        symbol: "TEST".to_owned(),
        name: "TEST Stablecoin".to_owned(),
        decimals: 18,
        master: [0; 20],
        is_private: false,
        clawback,
    }
    .payload()
}
/// The spec's published values are in the files, verbatim.
#[test]
pub fn spec_values_are_in_the_files() {
    let file = vectors::load_named("spec.json");
    for s in &SPEC {
        let v = file.get(s.name);
        assert_eq!(v.private_key.as_deref(), Some(SPEC_KEY.as_str()));
        assert_eq!(v.payload.nonce, s.nonce);
        assert_eq!(v.payload.clawback_enabled, s.clawback);
        assert_eq!(v.signing_hash, s.signing_hash);
        let sig = v.signature.as_ref().expect("signature");
        assert_eq!((sig.r.as_str(), sig.s.as_str(), sig.v), (s.r, s.s, s.v));
        if let Some(rlp) = s.rlp {
            assert_eq!(v.rlp, rlp);
        }
        if let Some(h) = s.tx_hash {
            assert_eq!(v.tx_hash.as_deref(), Some(h));
        }
        assert_eq!(v.tx_hash_rs_32_bytes.as_deref(), s.tx_hash_rs_32_bytes);
        assert_eq!(v.token_address, SPEC_TOKEN);
    }
    assert_eq!(
        key_address(&key_from_hex(&SPEC_KEY)),
        Address::parse(SPEC_ADDRESS).unwrap()
    );
    assert_eq!(
        token_address(&Address::ZERO, "TEST"),
        Address::parse(SPEC_TOKEN).unwrap()
    );
}

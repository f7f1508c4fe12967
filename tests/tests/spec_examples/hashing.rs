//! v2 hashing (spec 4): the constants (4.1), a leading-zero `r` (4.3) and
//! the worked example `Payment_single` (4.6).

use super::support::*;
use tokensign_core::field::AsRlp;
use tokensign_core::native::{self, Authorization, Descriptor, NativeTx, DOMAIN};
use tokensign_core::Signature;
use tokensign_tests::{hex0x, key_address, key_from_hex, rlp, unhex_n, SPEC_KEY};

/// 4.1: the domain, the descriptors.
#[test]
fn constants_4_1() {
    assert_eq!(
        hex0x(DOMAIN),
        "0x316d6f6e65792e6e61746976652e7472616e73616374696f6e2e7632"
    );
    assert_eq!(
        hex::encode(rlp(&tokensign_core::rlp::encode::Str(DOMAIN))),
        "9c316d6f6e65792e6e61746976652e7472616e73616374696f6e2e7632"
    );
    assert_eq!(hex::encode(rlp(&Descriptor::Single)), "c180");
    assert_eq!(
        hex::encode(rlp(&Descriptor::Multisig(addr(0xa0)))),
        format!("d60194{}", "a0".repeat(20))
    );
}
/// 4.3: a real signature whose r starts with a zero byte; the transaction
/// hash keeps r minimal.
#[test]
fn leading_zero_r_4_3() {
    let key = key_from_hex(&SPEC_KEY);
    let tx = payment_single(28, None);
    assert_eq!(
        hex0x(&rlp(&native::payload_rlp(&tx))),
        "0xf83ef83883127ec51c940202020202020202020202020202020202020202880de0b6b3a7640000940101010101010101010101010101010101010101c3808080"
    );
    assert_eq!(
        hex0x(&native::signing_hash(&tx, Descriptor::Single)),
        "0x8d9a72dfd810122831c74769d060fe3b3271509cd59a902acf7fb971e169178c"
    );
    let signed = NativeTx::sign(tx, &key).unwrap();
    let expected = Signature {
        r: unhex_n("0x00e262f313b614f378dd7416fdc6f50cca2acd12efeaa63eba73478eecbc4926"),
        s: unhex_n("0x57d99fe01df989c757e5cd983dbaf8ea3491333e73a047576bcf555de664b6cd"),
        v: 0,
    };
    assert_eq!(signed.authorization, Authorization::Single(expected));
    assert_eq!(
        hex0x(&signed.tx_hash()),
        "0x3a52c8a2b135b575d9b02f56ad8f57ec121766e65096d32184fb7b3bcc3ea182"
    );
    assert_ne!(
        hex0x(&signed.tx_hash()),
        "0xce246c27ef0a472cb40c38a52ce94455cc7b61f1cbf91d03584105f3d55227fb"
    );
    // The proof's r is a 31-byte integer: `9f` and 31 bytes.
    let proof = hex::encode(rlp(&native::Proof(&signed.authorization)));
    assert!(proof[4..].starts_with("9fe262f3"), "{proof}");
    assert_eq!(signed.sender(), Ok(key_address(&key)));
}
/// 4.6: the worked example, step by step (dummy, high-S signature: for
/// hashing only).
#[test]
fn worked_example_4_6() {
    let tx = payment_single(1, Some(spec_memo()));
    let p = "f83883127ec501940202020202020202020202020202020202020202880de0b6b3a7640000940101010101010101010101010101010101010101";
    let m = "e58c707572706f73652f53414c418a746578742f706c61696e8c696e766f6963652d30303031";
    assert_eq!(hex::encode(rlp(&tx.payload())), p);
    assert_eq!(hex::encode(rlp(&AsRlp(&spec_memo()))), m);
    let payload_rlp = format!("f860{p}{m}");
    assert_eq!(hex::encode(rlp(&native::payload_rlp(&tx))), payload_rlp);
    let head = "9c316d6f6e65792e6e61746976652e7472616e73616374696f6e2e763201c180";
    let unsigned = format!("f884{head}b862{payload_rlp}");
    assert_eq!(
        hex::encode(rlp(&native::unsigned(&tx, Descriptor::Single))),
        unsigned
    );
    assert_eq!(
        hex0x(&native::signing_hash(&tx, Descriptor::Single)),
        "0xba315765f290d96913ab216c29462b0fc02768bb568831d6fcc2a600fe45dc62"
    );
    let dummy = Authorization::Single(Signature {
        r: [0xaa; 32],
        s: [0xbb; 32],
        v: 1,
    });
    let proof = format!("f843a0{}a0{}01", "aa".repeat(32), "bb".repeat(32));
    assert_eq!(hex::encode(rlp(&native::Proof(&dummy))), proof);
    assert_eq!(
        hex::encode(rlp(&native::signed(&tx, &dummy))),
        format!("f8c9{head}b862{payload_rlp}{proof}")
    );
    assert_eq!(
        hex0x(&native::tx_hash(&tx, &dummy)),
        "0xb6a28315164c84e89e57090639d20e2b0b94d0be7e13551e9630ae230eacf6d7"
    );
    // The dummy is high-S: the paths that check signatures refuse it.
    assert_eq!(dummy.check_form(), Err(tokensign_core::Error::HighS));
    // The same payment with the empty memo.
    let empty = payment_single(1, None);
    assert_eq!(
        hex::encode(rlp(&native::payload_rlp(&empty))),
        format!("f83e{p}c3808080")
    );
    assert_eq!(
        hex0x(&native::signing_hash(&empty, Descriptor::Single)),
        "0xcd6415c41cfd7fa8bcbac8f0cedc480c5c24b02d1b1e28f1554553551b3c15d9"
    );
    assert_eq!(
        hex0x(&native::tx_hash(&empty, &dummy)),
        "0xb48bcde982f72a33177d6a9be72e0eedbcdc1ad3591da0c5e5b7a269e404bfb3"
    );
}

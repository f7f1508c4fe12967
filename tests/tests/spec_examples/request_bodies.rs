//! v2 request bodies (spec 5): the signed Payment (5.3) and the signed
//! TokenIssue (5.4), with the TS SDK's low-S dummy.

use super::support::*;
use tokensign_core::native::{self, Authorization, Descriptor, NativeTx};
use tokensign_core::tx::TokenIssue;
use tokensign_core::{json, Address, OpType, Signature, Transaction};
use tokensign_fixtures::SPEC_ADDRESS;
use tokensign_tests::{hex0x, key_address, key_from_hex, rlp, unhex_n, SPEC_KEY};

/// 5.3: the Payment signed with the spec's key, and its request body.
#[test]
fn signed_payment_5_3() {
    let key = key_from_hex(&SPEC_KEY);
    assert_eq!(key_address(&key), Address::parse(SPEC_ADDRESS).unwrap());
    let signed = NativeTx::sign(payment_single(1, Some(spec_memo())), &key).unwrap();
    let sig = Signature {
        r: unhex_n("0x4c727af120a86012eca28709db5185bf85244df39867f26ba417890a3c237956"),
        s: unhex_n("0x21cc4a638067238e4f73b5fbeb338e395fc928bf5d2471869a64303992e0af7a"),
        v: 1,
    };
    assert_eq!(signed.authorization, Authorization::Single(sig));
    assert_eq!(
        hex0x(&signed.signing_hash()),
        "0xba315765f290d96913ab216c29462b0fc02768bb568831d6fcc2a600fe45dc62"
    );
    assert_eq!(
        hex0x(&signed.tx_hash()),
        "0xda9fd7fe74e9b1aa12733886d39eaa14edd9fbca14df8544f1049977cd05f792"
    );
    assert_eq!(signed.sender(), Ok(key_address(&key)));
    assert_eq!(signed.path(), "/v2/transactions/payment");
    let body = br#"{
      "chain_id": 1212101,
      "nonce": 1,
      "recipient": "0x0202020202020202020202020202020202020202",
      "value": "1000000000000000000",
      "token": "0x0101010101010101010101010101010101010101",
      "memo": {"type": "purpose/SALA", "format": "text/plain", "data": "invoice-0001"},
      "authorization": {
        "type": "single_secp256k1",
        "signature": {
          "r": "0x4c727af120a86012eca28709db5185bf85244df39867f26ba417890a3c237956",
          "s": "0x21cc4a638067238e4f73b5fbeb338e395fc928bf5d2471869a64303992e0af7a",
          "v": 1
        }
      }
    }"#;
    assert_eq!(
        json::parse_native(OpType::Payment, body),
        Ok(signed.clone())
    );
    // Our body says the same as the spec's.
    let mut out = vec![0u8; json::MAX_NATIVE_JSON_LEN];
    let n = json::write_native(&signed, &mut out).unwrap();
    let ours: serde_json::Value = serde_json::from_slice(&out[..n]).unwrap();
    let theirs: serde_json::Value = serde_json::from_slice(body).unwrap();
    assert_eq!(ours, theirs);
}
/// 5.4: the TokenIssue signed with the spec's key (empty memo, eight
/// fields), its body, hash and token; and the TS SDK's low-S dummy over
/// 4.6's payment.
#[test]
fn signed_token_issue_5_4() {
    let key = key_from_hex(&SPEC_KEY);
    let issue = TokenIssue {
        symbol: text("TEST"),
        name: text("Test Token"),
        decimals: 8,
        master_authority: addr(0x03),
        is_private: false,
        clawback_enabled: Some(true),
    };
    let tx: Transaction = Transaction::new(1_212_101, 2, issue.clone());
    assert_eq!(
        hex0x(&rlp(&native::payload_rlp(&tx))),
        "0xf2ed83127ec50284544553548a5465737420546f6b656e089403030303030303030303030303030303030303038001c3808080"
    );
    assert_eq!(
        hex0x(&native::signing_hash(&tx, Descriptor::Single)),
        "0x23a205613e45fe52f8865a78f3aac93434cb713aab31559e73e338f0306def5b"
    );
    let signed = NativeTx::sign(tx.clone(), &key).unwrap();
    let sig = Signature {
        r: unhex_n("0xa6d19eb0ca880ab0e64a95f0fd1bf67287ffab38892896a55e92e40973e684c5"),
        s: unhex_n("0x689e18b722a9c935b3ad7bfe9d16de9f49b6140d595abc34ceb55c5cd9a57d7c"),
        v: 1,
    };
    assert_eq!(signed.authorization, Authorization::Single(sig));
    assert_eq!(
        hex0x(&signed.tx_hash()),
        "0xde7ee56e2b057ebf29dfed93d05948df751e3bc480fda6c44bfdf3beea500835"
    );
    assert_eq!(
        hex0x(issue.token_address().as_bytes()),
        "0x4633f2109174c2161ee8b9c19ad177207bb2bade"
    );
    // Without clawback_enabled, v2 signs the same eight fields.
    let seven = TokenIssue {
        clawback_enabled: None,
        ..issue
    };
    assert_eq!(
        NativeTx::sign(Transaction::new(1_212_101, 2, seven), &key),
        Ok(signed.clone())
    );
    let body = br#"{"chain_id":1212101,"nonce":2,"symbol":"TEST","name":"Test Token","decimals":8,
      "master_authority":"0x0303030303030303030303030303030303030303","is_private":false,
      "clawback_enabled":true,"memo":{"type":"","format":"","data":""},
      "authorization":{"type":"single_secp256k1","signature":{
        "r":"0xa6d19eb0ca880ab0e64a95f0fd1bf67287ffab38892896a55e92e40973e684c5",
        "s":"0x689e18b722a9c935b3ad7bfe9d16de9f49b6140d595abc34ceb55c5cd9a57d7c","v":1}}}"#;
    assert_eq!(json::parse_native(OpType::TokenIssue, body), Ok(signed));
    // The TS low-S dummy over the Payment_single payload.
    let dummy = Authorization::Single(Signature {
        r: [0xaa; 32],
        s: [0x11; 32],
        v: 1,
    });
    assert_eq!(dummy.check_form(), Ok(()));
    assert_eq!(
        hex0x(&native::tx_hash(
            &payment_single(1, Some(spec_memo())),
            &dummy
        )),
        "0xf6aedca96bc071df12a00d937507b47d45663f4495999b66526368bf9f39f3e5"
    );
}

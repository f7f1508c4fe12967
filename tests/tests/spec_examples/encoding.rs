//! Encoding rules (spec 3): scalars (3.2), nested lists and the operations
//! hash (3.3), the v1 memo (3.4); and the U256 forms of JSON values (2.3).

use super::support::*;
use tokensign_core::field::{AsRlp, Bytes, KeyAsIntegers, B256};
use tokensign_core::legacy::{self};
use tokensign_core::native::NativeTx;
use tokensign_core::text::{FreeTextRule, IdentifierRule};
use tokensign_core::tx::{
    AuthorityAction, BatchEntry, BatchPayment, Memo, MetadataEntry, MultisigSigner, Payment,
};
use tokensign_core::{json, Address, Amount, OpType, Operation, Transaction};
use tokensign_tests::{hex0x, key_address, key_from_hex, rlp, unhex, SPEC_KEY};

/// 3.2: scalars, addresses, booleans, texts, bytes, hashes, and
/// hex-looking texts signed as text.
#[test]
fn scalars_3_2() {
    for (v, e) in [
        (0u64, "80"),
        (1, "01"),
        (127, "7f"),
        (128, "8180"),
        (1_212_101, "83127ec5"),
    ] {
        assert_eq!(item(&v), e, "{v}");
        assert_eq!(item(&Amount::from_u64(v)), e, "{v} as U256");
    }
    assert_eq!(
        item(&Amount::from_u64(1_000_000_000_000_000_000)),
        "880de0b6b3a7640000"
    );
    assert_eq!(item(&Amount::MAX), format!("a0{}", "ff".repeat(32)));
    assert_eq!(item(&addr(0x01)), format!("94{}", "01".repeat(20)));
    assert_eq!(item(&Address::ZERO), format!("94{}", "00".repeat(20)));
    assert_eq!(item(&true), "01");
    assert_eq!(item(&false), "80");
    assert_eq!(item(&text::<20, FreeTextRule>("TEST")), "8454455354");
    assert_eq!(item(&text::<20, FreeTextRule>("")), "80");
    assert_eq!(item(&text::<20, FreeTextRule>("A")), "41");
    assert_eq!(item(&Bytes::<256>::parse_hex("0x").unwrap()), "80");
    assert_eq!(item(&Bytes::<256>::parse_hex("0x00").unwrap()), "00");
    assert_eq!(item(&B256([0; 32])), format!("a0{}", "00".repeat(32)));
    // Hex-looking texts are texts: 66 characters, 42 characters, case kept.
    let hash = format!("0x1234{}cdef", "ab".repeat(28));
    assert_eq!(hash.len(), 66);
    let encoded = item(&text::<128, IdentifierRule>(&hash));
    assert!(encoded.starts_with("b84230783132"), "{encoded}");
    assert_eq!(encoded.len(), 2 * (2 + 66));
    let lower = "0x1234567890abcdef1234567890abcdef12345678";
    let encoded = item(&text::<128, IdentifierRule>(lower));
    assert!(encoded.starts_with("aa3078"), "{encoded}");
    assert_eq!(encoded.len(), 2 * 43);
    assert_ne!(
        item(&text::<128, IdentifierRule>(
            &lower.to_uppercase().replace("0X", "0x")
        )),
        encoded
    );
    // Enum words are texts too (2.2's notes).
    assert_eq!(item(&AuthorityAction::Grant), "854772616e74");
}
/// 3.3: a metadata entry, a CreateMultiSig signer (a key as 33 integers),
/// the canonical two-operation batch and its hash, and the optional tail.
#[test]
fn nested_lists_3_3() {
    let entry = MetadataEntry {
        key: text("version"),
        value: text("1.0"),
    };
    assert_eq!(item(&entry), "cc8776657273696f6e83312e30");
    let mut key = [0x11u8; 33];
    key[0] = 0x02;
    let signer = MultisigSigner {
        public_key: KeyAsIntegers(key),
        weight: 1,
    };
    assert_eq!(item(&signer), format!("e3e102{}01", "11".repeat(32)));
    // Bytes 00 01 7f 80 ff as integers: 80 01 7f 8180 81ff.
    let mut key = [0x01u8; 33];
    key[..5].copy_from_slice(&[0x00, 0x01, 0x7f, 0x80, 0xff]);
    let encoded = item(&KeyAsIntegers(key));
    assert!(encoded.starts_with("e38001"), "{encoded}");
    assert!(encoded.contains("80017f818081ff"), "{encoded}");

    let operations = [
        BatchEntry {
            recipient: addr(0x0c),
            amount: Amount::from_u64(1000),
        },
        BatchEntry {
            recipient: addr(0x0d),
            amount: Amount::from_u64(2000),
        },
    ];
    let mut batch = BatchPayment::<256> {
        token: addr(0x01),
        operations: heapless::Vec::from_slice(&operations).unwrap(),
        created_at: 1_700_000_000,
        operations_hash: None,
        batch_id: None,
    };
    let list = format!(
        "f2d894{}8203e8d894{}8207d0",
        "0c".repeat(20),
        "0d".repeat(20)
    );
    assert_eq!(hex::encode(rlp(&AsRlp(&batch.operations))), list);
    let hash = batch.compute_operations_hash();
    assert_eq!(
        hex0x(&hash.0),
        "0x5e2223ed47383af13d07e685fa659cb3409d0ce949ff34a3cd74b572c9d28656"
    );
    assert_eq!(
        hash.0,
        tokensign_core::keccak256(&unhex(&format!("0x{list}")))
    );

    // The tail after created_at (840x6553f100 is created_at).
    let tail = |b: &BatchPayment<256>| {
        let p = hex::encode(rlp(&Transaction::<256, 32>::new(1, 1, b.clone()).payload()));
        let at = p.find("846553f100").unwrap() + 10;
        p[at..].to_owned()
    };
    assert_eq!(tail(&batch), "");
    batch.operations_hash = Some(hash);
    assert_eq!(tail(&batch), format!("a0{}", hex::encode(hash.0)));
    batch.batch_id = Some(text("id"));
    assert_eq!(tail(&batch), format!("a0{}826964", hex::encode(hash.0)));
    batch.operations_hash = None;
    assert_eq!(tail(&batch), "80826964");
    batch.batch_id = Some(text(""));
    assert_eq!(tail(&batch), "8080", "a present empty id keeps its slot");
    batch.operations_hash = Some(B256([0; 32]));
    batch.batch_id = None;
    assert_eq!(tail(&batch), format!("a0{}", "00".repeat(32)));
}
/// 3.4: a v1 Payment, bare and with a memo.
#[test]
fn v1_memo_3_4() {
    let payment = Payment {
        recipient: Address::parse("0xa634dfba8c7550550817898bc4820cd10888aac5").unwrap(),
        value: Amount::from_u64(10),
        token: Address::parse("0x5458747a0efb9ebeb8696fcac1479278c0872fbe").unwrap(),
    };
    let bare: Transaction = Transaction::new(1_212_101, 0, payment);
    assert_eq!(
        hex0x(&legacy::signing_hash(&bare).unwrap()),
        "0xe9e5e0f091a176e9eb239b17b930f5cd8d10e5782127b854840df65c67e22f99"
    );
    let memo = Memo::new("purpose/SALA", "text/plain", "invoice-001").unwrap();
    let with_memo = bare.clone().with_memo(memo);
    assert_eq!(
        hex0x(&legacy::signing_hash(&with_memo).unwrap()),
        "0xbf20bc43bf021d9e034552c84339eb2682d7f0b2ac422e5eee591675c8cce7ed"
    );
    // Through the v1 request body too.
    let body = br#"{"chain_id":1212101,"nonce":0,"recipient":"0xa634dfba8c7550550817898bc4820cd10888aac5","value":"10","token":"0x5458747a0efb9ebeb8696fcac1479278c0872fbe","memo":{"type":"purpose/SALA","format":"text/plain","data":"invoice-001"}}"#;
    assert_eq!(json::parse_unsigned(OpType::Payment, body), Ok(with_memo));
}
/// 2.3: the network reads a U256 as decimal digits (leading zeros
/// allowed; the TS SDK sends a caller's `"007"` as is) or as `0x`-hex. The
/// RLP encodes the integer, so every form of one value is the same signed
/// transaction: 5.3's signature verifies over each, and the hashes are
/// 5.3's.
#[test]
fn u256_forms_2_3() {
    let key = key_from_hex(&SPEC_KEY);
    let signed = NativeTx::sign(payment_single(1, Some(spec_memo())), &key).unwrap();
    let body = |value: &str| {
        format!(
            r#"{{"chain_id": 1212101, "nonce": 1,
            "recipient": "0x0202020202020202020202020202020202020202", "value": "{value}",
            "token": "0x0101010101010101010101010101010101010101",
            "memo": {{"type": "purpose/SALA", "format": "text/plain", "data": "invoice-0001"}},
            "authorization": {{"type": "single_secp256k1", "signature": {{
              "r": "0x4c727af120a86012eca28709db5185bf85244df39867f26ba417890a3c237956",
              "s": "0x21cc4a638067238e4f73b5fbeb338e395fc928bf5d2471869a64303992e0af7a",
              "v": 1}}}}}}"#
        )
    };
    for value in [
        "1000000000000000000",
        "0001000000000000000000",
        "0xde0b6b3a7640000",
        "0XDE0B6B3A7640000",
        "0x00000de0b6B3a7640000",
    ] {
        let parsed = json::parse_native(OpType::Payment, body(value).as_bytes());
        assert_eq!(parsed, Ok(signed.clone()), "{value}");
        let parsed = parsed.unwrap();
        assert_eq!(parsed.sender(), Ok(key_address(&key)), "{value}");
        assert_eq!(
            hex0x(&parsed.tx_hash()),
            "0xda9fd7fe74e9b1aa12733886d39eaa14edd9fbca14df8544f1049977cd05f792"
        );
        // The unsigned document reads the same value (what `sign` signs).
        let unsigned = format!(
            r#"{{"chain_id": 1212101, "nonce": 1,
            "recipient": "0x0202020202020202020202020202020202020202", "value": "{value}",
            "token": "0x0101010101010101010101010101010101010101"}}"#
        );
        let tx: Transaction = json::parse_unsigned(OpType::Payment, unsigned.as_bytes()).unwrap();
        assert_eq!(tx, payment_single(1, None), "{value}");
    }
    let max = "115792089237316195423570985008687907853269984665640564039457584007913129639935";
    for value in [
        max,
        &format!("000{max}"),
        &format!("0x{}", "f".repeat(64)),
        &format!("0x00{}", "F".repeat(64)),
    ] {
        let unsigned = format!(
            r#"{{"chain_id": 1, "nonce": 1, "recipient": "0x0202020202020202020202020202020202020202", "value": "{value}", "token": "0x0101010101010101010101010101010101010101"}}"#
        );
        let tx: Transaction = json::parse_unsigned(OpType::Payment, unsigned.as_bytes()).unwrap();
        let Operation::Payment(p) = tx.operation else {
            panic!("a payment")
        };
        assert_eq!(p.value, Amount::MAX, "{value}");
    }
    for bad in [
        "",
        "0x",
        "-1",
        "+1",
        "1e18",
        "1.0",
        " 1",
        "1_000",
        "0x-1",
        "0xg",
        "0o17",
        "115792089237316195423570985008687907853269984665640564039457584007913129639936",
        &format!("0x1{}", "0".repeat(64)),
    ] {
        let parsed: Result<NativeTx, _> = json::parse_native(OpType::Payment, body(bad).as_bytes());
        assert!(parsed.is_err(), "{bad:?} was accepted");
    }
}

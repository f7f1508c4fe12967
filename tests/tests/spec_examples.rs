//! The examples `onemoney-transactions.md` derives (beyond its vector
//! files), through the core's public API: the scalar encodings of 3.2, the
//! nested lists and operations hash of 3.3, the v1 memo example of 3.4, the
//! constants of 4.1, the leading-zero `r` of 4.3, the worked example of
//! 4.6, the signed Payment of 5.3, the signed TokenIssue of 5.4 and the TS
//! SDK's low-S dummy, and the look-alike integers of 8.1.

use tokensign_core::field::{AsRlp, Bytes, FieldValue, KeyAsIntegers, B256};
use tokensign_core::legacy::{self, LegacyTx};
use tokensign_core::native::{self, Authorization, Descriptor, NativeTx, DOMAIN};
use tokensign_core::text::{FreeTextRule, IdentifierRule, Text};
use tokensign_core::tx::{
    AuthorityAction, BatchEntry, BatchPayment, Memo, MetadataEntry, MultisigSigner, PauseAction,
    Payment, TokenIssue,
};
use tokensign_core::{json, Address, Amount, OpType, Operation, Signature, Transaction};
use tokensign_tests::{hex0x, key_address, key_from_hex, rlp, unhex, unhex_n, SPEC_KEY};

const SPEC_ADDRESS: &str = "0x2045a425D0e131E747f8be2F044413733e412d7d";

fn addr(byte: u8) -> Address {
    Address([byte; 20])
}

fn item<T: FieldValue>(value: &T) -> String {
    hex::encode(rlp(&AsRlp(value)))
}

fn text<const N: usize, R: tokensign_core::text::TextRule>(s: &str) -> Text<N, R> {
    Text::new(s).unwrap()
}

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

/// 4.6's inputs.
fn payment_single(nonce: u64, memo: Option<Memo>) -> Transaction {
    let tx = Transaction::new(
        1_212_101,
        nonce,
        Payment {
            recipient: addr(0x02),
            value: Amount::from_u64(1_000_000_000_000_000_000),
            token: addr(0x01),
        },
    );
    Transaction { memo, ..tx }
}

fn spec_memo() -> Memo {
    Memo::new("purpose/SALA", "text/plain", "invoice-0001").unwrap()
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

/// 8.1: TokenPause's action words are TokenBurn values.
#[test]
fn look_alike_integers_8_1() {
    let word = |a: PauseAction| rlp(&AsRlp(&a));
    assert_eq!(hex::encode(word(PauseAction::Pause)), "855061757365");
    assert_eq!(
        rlp(&AsRlp(&Amount::from_u64(345_232_470_885))),
        word(PauseAction::Pause)
    );
    assert_eq!(
        rlp(&AsRlp(&Amount::from_u64(24_046_801_970_885_477))),
        word(PauseAction::Unpause)
    );
    // And a legacy request for one is a legacy request for the other.
    let key = key_from_hex(&SPEC_KEY);
    let pause: Transaction = Transaction::new(
        1_212_101,
        997,
        tokensign_core::tx::TokenPause {
            action: PauseAction::Pause,
            token: addr(0x01),
        },
    );
    let burn: Transaction = Transaction::new(
        1_212_101,
        997,
        tokensign_core::tx::TokenBurn {
            value: Amount::from_u64(345_232_470_885),
            token: addr(0x01),
        },
    );
    let signed = LegacyTx::sign(pause.clone(), &key).unwrap();
    let replayed = LegacyTx {
        tx: burn.clone(),
        signature: signed.signature,
    };
    assert_eq!(
        replayed.signer(),
        Ok(key_address(&key)),
        "v1 does not bind the operation"
    );
    let native_signed = NativeTx::sign(pause, &key).unwrap();
    let native_replayed = NativeTx {
        tx: native::normalize(burn),
        authorization: native_signed.authorization.clone(),
    };
    assert_ne!(native_replayed.sender(), Ok(key_address(&key)), "v2 does");
    assert!(matches!(
        native_replayed.tx.operation,
        Operation::TokenBurn(_)
    ));
}

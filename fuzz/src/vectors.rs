//! The spec's known-answer vectors (`tests/vectors/spec/`), read at seed
//! generation time: the v2 signing vectors, the typed legacy and batch
//! bodies. Copied unchanged from the spec; see its README for what each
//! file pins.

use serde_json::Value;
use tokensign_core::native::{self, Authorization, MemberSignature};
use tokensign_core::text::Text;
use tokensign_core::{Address, OpType, Signature, Transaction};

/// A spec vector file, parsed.
pub fn load(name: &str) -> Value {
    let path = format!(
        "{}/../tests/vectors/spec/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).expect("vector JSON")
}

pub fn unhex(text: &str) -> Vec<u8> {
    let digits = text.strip_prefix("0x").expect("0x prefix");
    (0..digits.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&digits[i..i + 2], 16).expect("hex"))
        .collect()
}

pub fn unhex_n<const N: usize>(text: &str) -> [u8; N] {
    unhex(text).try_into().expect("length")
}

pub fn signature(v: &Value) -> Signature {
    Signature {
        r: unhex_n(v["r"].as_str().expect("r")),
        s: unhex_n(v["s"].as_str().expect("s")),
        v: u8::try_from(v["v"].as_u64().expect("v")).expect("small"),
    }
}

/// One transaction of `native-v2-signing-vectors.json`.
pub struct NativeVector {
    /// The vector's name.
    pub name: String,
    /// Its operation.
    pub op: OpType,
    /// `payload_rlp`.
    pub payload: Vec<u8>,
    /// `unsigned_transaction_rlp`.
    pub unsigned: Vec<u8>,
    /// `signed_transaction_rlp`.
    pub signed: Vec<u8>,
    /// The payload, decoded.
    pub tx: Transaction,
    /// The authorization (dummy, high-S signatures).
    pub authorization: Authorization,
}

/// Every transaction of `native-v2-signing-vectors.json`.
pub fn native_vectors() -> Vec<NativeVector> {
    let file = load("native-v2-signing-vectors.json");
    let mut out = Vec::new();
    for group in ["base_vectors", "supplemental_vectors"] {
        for v in file[group].as_array().expect("vectors") {
            let op = OpType::from_number(v["operation_type"].as_u64().expect("type")).expect("op");
            let payload = unhex(v["payload_rlp"].as_str().expect("payload"));
            let tx = native::decode_payload_rlp(op, &payload).expect("a vector decodes");
            let proof = &v["authorization_proof"];
            let authorization = match v["authorization_kind"].as_u64() {
                Some(0) => Authorization::Single(signature(&proof["signature"])),
                _ => Authorization::Multisig {
                    account: Address::parse(v["multisig_account"].as_str().expect("account"))
                        .expect("address"),
                    signatures: proof["signatures"]
                        .as_array()
                        .expect("signatures")
                        .iter()
                        .map(|s| MemberSignature {
                            signer_pubkey: unhex_n(s["signer_pubkey"].as_str().expect("key")),
                            signature: signature(&s["signature"]),
                        })
                        .collect(),
                },
            };
            out.push(NativeVector {
                name: v["name"].as_str().expect("name").to_string(),
                op,
                payload,
                unsigned: unhex(v["unsigned_transaction_rlp"].as_str().expect("unsigned")),
                signed: unhex(v["signed_transaction_rlp"].as_str().expect("signed")),
                tx,
                authorization,
            });
        }
    }
    out
}

/// The typed bodies of `legacy-vectors.json` (payload plus memo) and their
/// signatures.
pub fn legacy_vectors() -> Vec<(String, OpType, Value, Option<Signature>)> {
    let file = load("legacy-vectors.json");
    let vectors = file["vectors"].as_array().expect("vectors");
    vectors
        .iter()
        .map(|v| {
            let op = OpType::from_name(v["operation"].as_str().expect("op")).expect("known");
            let mut body = v["payload"].clone();
            if !v["memo"].is_null() {
                body["memo"] = v["memo"].clone();
            }
            let name = v["name"].as_str().expect("name").to_string();
            (name, op, body, v.get("signature").map(signature))
        })
        .collect()
}

/// The typed bodies of `batch-payment-vectors.json` (payload plus memo, as
/// given: `null` for absent options) and their signatures.
pub fn batch_vectors() -> Vec<(String, Value, Signature)> {
    let file = load("batch-payment-vectors.json");
    let vectors = file["vectors"].as_array().expect("vectors");
    vectors
        .iter()
        .map(|v| {
            let mut body = v["payload"].clone();
            if let Some(memo) = v["options"].get("memo").filter(|m| !m.is_null()) {
                body["memo"] = memo.clone();
            }
            let name = v["name"].as_str().expect("name").to_string();
            (name, body, signature(&v["authorization"]))
        })
        .collect()
}

/// A batch vector's transaction, built by the typed fields (the vectors
/// the network refuses too: the encoders do not judge them).
pub fn batch_tx(body: &Value) -> Transaction {
    use tokensign_core::field::B256;
    use tokensign_core::tx::{BatchEntry, BatchPayment, Memo};
    use tokensign_core::Amount;
    let batch = BatchPayment {
        token: Address::parse(body["token"].as_str().expect("token")).expect("address"),
        operations: body["operations"]
            .as_array()
            .expect("operations")
            .iter()
            .map(|o| BatchEntry {
                recipient: Address::parse(o["recipient"].as_str().expect("recipient"))
                    .expect("address"),
                amount: Amount::parse(o["amount"].as_str().expect("amount")).expect("amount"),
            })
            .collect(),
        created_at: body["created_at"].as_u64().expect("created_at"),
        operations_hash: body["operations_hash"].as_str().map(|h| B256(unhex_n(h))),
        batch_id: body["batch_id"]
            .as_str()
            .map(|t| Text::new(t).expect("batch id")),
    };
    let mut tx = Transaction::new(
        body["chain_id"].as_u64().expect("chain"),
        body["nonce"].as_u64().expect("nonce"),
        batch,
    );
    tx.memo = body.get("memo").map(|m| {
        Memo::new(
            m["type"].as_str().expect("type"),
            m["format"].as_str().expect("format"),
            m["data"].as_str().expect("data"),
        )
        .expect("memo")
    });
    tx
}

//! The CLI and the node read JSON strictly, as the network does. The
//! core's reader once took an array starting with `,`
//! (`"signers":[,{…}]`): `tokensign sign` signed it and the node admitted
//! the CreateMultiSig. Now `sign` refuses it by name and byte, and the
//! node answers every signed body edited into something that is not JSON
//! with 400 and an `error_code`, changing nothing.

mod cli_support;
mod server_common;

use server_common::*;
use tokensign::node::codes;
use tokensign_core::field::KeyAsIntegers;
use tokensign_core::legacy::LegacyTx;
use tokensign_core::native::NativeTx;
use tokensign_core::tx::{CreateMultiSig, MultisigSigner, Payment, CHAIN_ID_TESTNET};
use tokensign_core::{json as cjson, Amount, SigningKey, Transaction};
use tokensign_fixtures::json_mutations::structural_mutations;

fn create_multisig() -> CreateMultiSig {
    let mut signers = heapless::Vec::new();
    for byte in [11u8, 12, 13] {
        signers
            .push(MultisigSigner {
                public_key: KeyAsIntegers(key(byte).public_key_compressed()),
                weight: 1,
            })
            .unwrap();
    }
    CreateMultiSig {
        signers,
        threshold: 2,
    }
}

fn v2_body(tx: Transaction, signer: &SigningKey) -> (&'static str, String) {
    let signed = NativeTx::sign(tx, signer).unwrap();
    let mut out = vec![0u8; cjson::MAX_NATIVE_JSON_LEN];
    let n = cjson::write_native(&signed, &mut out).unwrap();
    (signed.path(), String::from_utf8(out[..n].to_vec()).unwrap())
}

fn nonce(node: &tokensign::node::RunningNode, who: &SigningKey) -> u64 {
    let r = get(
        node.addr,
        &format!("/v1/accounts/nonce?address={}", who.address()),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["nonce"].as_u64().unwrap()
}

#[test]
fn a_signers_array_starting_with_a_comma_gets_400() {
    let dir = tempfile::tempdir().unwrap();
    let op = operator();
    let node = start(dir.path(), vec![addr(&op)]);
    let tx: Transaction = Transaction::new(CHAIN_ID_TESTNET, 0, create_multisig());
    let (path, body) = v2_body(tx, &op);
    let edited = body.replacen("\"signers\":[{", "\"signers\":[,{", 1);
    assert_ne!(edited, body);
    post_json(node.addr, path, &edited).assert_error(400, codes::MALFORMED_JSON);
    assert_eq!(nonce(&node, &op), 0, "the refused body changed the nonce");
    // The account was not created: the valid body creates it now.
    let r = post_json(node.addr, path, &body);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(nonce(&node, &op), 1);
}

#[test]
fn every_mutation_of_a_signed_body_that_is_not_json_gets_400() {
    let dir = tempfile::tempdir().unwrap();
    let op = operator();
    let node = start(dir.path(), vec![addr(&op)]);
    let payment = Payment {
        recipient: addr(&operator2()),
        value: Amount::from_u128(5),
        token: master(),
    };
    let legacy = LegacyTx::sign(payload(0, "GRAM", Some(false)), &op).unwrap();
    let bodies = [
        v2_body(
            Transaction::new(CHAIN_ID_TESTNET, 0, create_multisig()),
            &op,
        ),
        v2_body(Transaction::new(CHAIN_ID_TESTNET, 0, payment), &op),
        ("/v1/tokens/issue", body_of(&legacy)),
    ];
    let mut refused = 0;
    for (path, body) in &bodies {
        for m in structural_mutations(body.as_bytes()) {
            if serde_json::from_slice::<serde_json::Value>(&m.bytes).is_ok() {
                continue;
            }
            let text = String::from_utf8(m.bytes).unwrap();
            let r = post_json(node.addr, path, &text);
            assert_eq!(r.status, 400, "{path}, {}: {}", m.what, r.body);
            let code = r.json()["error_code"].as_str().map(str::to_owned);
            assert!(
                code.is_some_and(|c| !c.is_empty()),
                "{path}, {}: no error_code in {}",
                m.what,
                r.body
            );
            refused += 1;
        }
    }
    assert!(refused > 1_000, "only {refused} mutations sent");
    assert_eq!(nonce(&node, &op), 0, "a refused body changed the ledger");
}

#[test]
fn sign_refuses_a_signers_array_starting_with_a_comma_by_name() {
    let tx: Transaction = Transaction::new(CHAIN_ID_TESTNET, 0, create_multisig());
    let mut out = vec![0u8; cjson::MAX_DOCUMENT_JSON_LEN];
    let n = cjson::write_document(&tx, &mut out).unwrap();
    let doc = String::from_utf8(out[..n].to_vec()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let key = cli_support::write_file(dir.path(), "k", cli_support::SPEC_KEY);
    let sign = |doc: &str| {
        cli_support::call(
            &[
                "--json",
                "sign",
                "--scheme",
                "v2",
                "--private-key-file",
                &key,
            ],
            doc.as_bytes(),
        )
    };
    assert_eq!(sign(&doc).code, 0);
    let comma = doc.find("\"signers\":[").unwrap() + "\"signers\":[".len();
    let edited = format!("{},{}", &doc[..comma], &doc[comma..]);
    let refused = sign(&edited);
    assert_eq!(refused.code, 2, "{refused:?}");
    let answer = cli_support::json_of(&refused);
    assert_eq!(answer["error"]["kind"], "bad_input", "{refused:?}");
    assert!(answer.get("tx_hash").is_none(), "{refused:?}");
    let named = format!("malformed JSON at byte {comma}: a value or `]` must come here");
    assert!(refused.stderr.contains(&named), "{refused:?}");
}

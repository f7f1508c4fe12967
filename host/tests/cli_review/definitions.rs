//! Token definitions: each refusal named, a server's metadata labelled as
//! its word, and the embedded node's own signed definitions.

use super::coverage::*;
use super::support::*;
use crate::cli_support::scripted::{scripted, Settings};
use crate::cli_support::*;
use serde_json::{json, Value};
use tokensign_core::Address;

/// The definition file with its signed bytes changed at `at` to `byte`
/// and its members kept in agreement (so that the damage reaches the
/// signed-bytes checks).
fn damaged(path: &str, at: usize, byte: u8, dir: &std::path::Path, name: &str) -> String {
    let mut file: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut signed = key_bytes(file["signed"].as_str().unwrap());
    signed[at] = byte;
    file["signed"] = json!(format!("0x{}", hex::encode(&signed)));
    file["encoding"] = json!(format!("0x{}", hex::encode(&signed[..51])));
    if at == 29 {
        file["decimals"] = json!(byte);
    }
    write_file(dir, name, &file.to_string())
}

#[test]
fn each_refusal_of_a_definition_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let key = write_file(d, "k", SPEC_KEY);
    let docs = documents(d);
    let payment = sign(&docs[0], "v2", &key, &[]);
    let body = payment["request"].to_string();
    let good = definition_file(d, "1212101", TOKEN, "good.json");
    let mainnet = definition_file(d, "21210", TOKEN, "mainnet.json");
    let other = definition_file(d, "1212101", R2, "other.json");
    let altered = damaged(&good, 29, 2, d, "altered.json");
    let version = damaged(&good, 0, 2, d, "version.json");
    let mut short: Value = serde_json::from_str(&std::fs::read_to_string(&good).unwrap()).unwrap();
    let s = short["signed"].as_str().unwrap().to_owned();
    short["signed"] = json!(s[..s.len() - 2]);
    let truncated = write_file(d, "truncated.json", &short.to_string());
    let trust = ["--trust-definitions", DEF_SIGNER];
    let cases: [(&str, bool, &str); 6] = [
        (
            &mainnet,
            true,
            "is for chain 21210, the transaction is on chain 1212101",
        ),
        (
            &other,
            true,
            "is for token 0x0303030303030303030303030303030303030303",
        ),
        (&altered, true, "signature is not valid for its signer"),
        (
            &good,
            false,
            "which is not a trusted definitions signer: trust that key first if you know it (to \
             trust it: --trust-definitions 0x17c5185167401eD00cF5F5b2fc97D9BBfDb7D025)",
        ),
        (&truncated, true, "truncated: 135 bytes"),
        (&version, true, "version 2 is not supported"),
    ];
    for (file, trusted, why) in cases {
        let mut args = vec!["--definition", file];
        if trusted {
            args.extend_from_slice(&trust);
        }
        // verify, sign and a write command refuse it, by file and reason.
        let out = verify(&body, "Payment", &args);
        assert_eq!(out.code, 2, "{file}: {out:?}");
        let name = std::path::Path::new(file)
            .file_name()
            .unwrap()
            .to_str()
            .unwrap();
        assert!(out.stderr.contains(why), "{why:?} in {out:?}");
        assert!(out.stderr.contains(name), "{name} in {out:?}");
        let mut sign_args = vec!["sign", "--scheme", "v2", "--private-key-file", &key];
        sign_args.extend_from_slice(&args);
        let out = call(&sign_args, docs[0].to_string().as_bytes());
        assert_eq!(out.code, 2, "{out:?}");
        assert!(out.stderr.contains(why), "{out:?}");
        assert!(out.stdout.is_empty(), "nothing signed: {out:?}");
        let mut pay = vec![
            "pay",
            "--to",
            R,
            "--token",
            TOKEN,
            "--value",
            "1500000",
            "--chain-id",
            "1212101",
            "--nonce",
            "3",
            "--scheme",
            "v2",
            "--dry-run",
            "--private-key-file",
            &key,
        ];
        pay.extend_from_slice(&args);
        let out = call(&pay, b"");
        assert_eq!(out.code, 2, "{out:?}");
        assert!(out.stderr.contains(why), "{out:?}");
        // `definition verify` names the same refusal (trust and the
        // transaction's chain and token given as flags).
        let mut check = vec![
            "definition",
            "verify",
            file,
            "--chain-id",
            "1212101",
            "--token",
            TOKEN,
        ];
        if trusted {
            check.extend_from_slice(&trust);
        }
        let out = call(&check, b"");
        if trusted {
            assert_eq!(out.code, 2, "{file}: {out:?}");
        }
    }
    // A file whose spelled-out members disagree with its signed bytes.
    let mut edited: Value = serde_json::from_str(&std::fs::read_to_string(&good).unwrap()).unwrap();
    edited["symbol"] = json!("USDC");
    let edited = write_file(d, "edited.json", &edited.to_string());
    let out = verify(&body, "Payment", &["--definition", &edited]);
    assert!(
        out.stderr
            .contains("\"symbol\" does not match the signed definition"),
        "{out:?}"
    );
    // Several definitions: the one for this token is used.
    let out = verify(
        &body,
        "Payment",
        &[
            "--definition",
            &other,
            "--definition",
            &good,
            "--trust-definitions",
            DEF_SIGNER,
        ],
    );
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(json_of(&out)["token_unit"]["from"], format!("{:?}", good));
    // And `definition verify` of the good one.
    let out = call(
        &[
            "--json",
            "definition",
            "verify",
            &good,
            "--trust-definitions",
            DEF_SIGNER,
        ],
        b"",
    );
    assert_eq!(out.code, 0, "{out:?}");
    let obj = json_of(&out);
    assert_eq!(
        (obj["symbol"].as_str(), obj["decimals"].as_u64()),
        (Some("USDX"), Some(6))
    );
    assert_eq!(obj["trusted"], true);
    // A device signs no definition.
    let out = call(
        &[
            "definition",
            "sign",
            "--chain-id",
            "1",
            "--token",
            TOKEN,
            "--symbol",
            "A",
            "--decimals",
            "0",
            "--signer",
            "device",
            "--device",
            "emulated",
        ],
        b"",
    );
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("never a token definition"), "{out:?}");
}

#[test]
fn a_server_s_metadata_is_labelled_as_its_word() {
    let server = scripted(Settings::default(), vec![]);
    let dir = tempfile::tempdir().unwrap();
    let key = write_file(dir.path(), "k", SPEC_KEY);
    let out = run(&[
        "--json",
        "pay",
        "--to",
        R,
        "--token",
        TOKEN,
        "--value",
        "1500000",
        "--dry-run",
        "--url",
        &server.url,
        "--private-key-file",
        &key,
    ]);
    assert_eq!(out.code, 0, "{out:?}");
    let token = Address::parse(TOKEN).unwrap();
    for needle in [
        "  Amount            1.5 USDX (per server)\n".to_owned(),
        "  Base units        1500000\n".to_owned(),
        format!("  Token             Unknown token {token} (server says USDX)\n"),
        // Not a tokensign local node: the chain by its network name.
        "  Chain             1Money Testnet\n".to_owned(),
        "as the server's token metadata says (not verified".to_owned(),
    ] {
        assert!(out.stderr.contains(&needle), "{needle:?} in {out:?}");
    }
    let obj = json_of(&out);
    assert_eq!(obj["token_unit"]["source"], "server");
    assert!(pairs(&obj["review"]).contains(&("Amount".into(), "1.5 USDX (per server)".into())));
}

#[test]
fn the_embedded_node_is_a_local_node_and_signs_its_tokens_definitions() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data = data.to_str().unwrap();
    let issued = run(&[
        "--json",
        "issue",
        "--symbol",
        "USDX",
        "--name",
        "X Dollar",
        "--decimals",
        "6",
        "--master-authority",
        SPEC_ADDRESS,
        "--clawback-enabled",
        "true",
        "--data-dir",
        data,
    ]);
    assert_eq!(issued.code, 0, "{issued:?}");
    assert!(
        issued
            .stderr
            .contains("  Chain             local node (chain id 1212101)\n"),
        "{issued:?}"
    );
    let token = json_of(&issued)["token"].as_str().unwrap().to_owned();
    let out = run(&[
        "--json",
        "pay",
        "--to",
        R,
        "--token",
        &token,
        "--value",
        "1500000",
        "--dry-run",
        "--data-dir",
        data,
    ]);
    assert_eq!(out.code, 0, "{out:?}");
    let obj = json_of(&out);
    let review = pairs(&obj["review"]);
    assert!(
        review.contains(&("Amount".into(), "1.5 USDX".into())),
        "{review:?}"
    );
    assert!(
        review.contains(&("Token".into(), format!("USDX {token}"))),
        "{review:?}"
    );
    assert!(review.contains(&("Chain".into(), "local node (chain id 1212101)".into())));
    assert_eq!(obj["token_unit"]["from"], "the local node");
    // Its key is its own, in the data directory.
    let signer = tokensign::node::definition::definitions_key(std::path::Path::new(data))
        .unwrap()
        .address();
    assert_eq!(obj["token_unit"]["signer"], signer.to_string());
}

//! One review everywhere: `sign`, `verify` (request bodies of every
//! operation in both schemes, and partial signature files), the write
//! commands and `multisig combine` print the core's review, and `--json`
//! carries it as `"review": [{"label", "value"}]`.
//!
//! Every field of every operation is checked to be in the review by
//! reading the signed document's values (not the core's review code):
//! addresses as EIP-55, amounts as their base units (and, with a
//! definition, in whole tokens written from the digits here), texts
//! quoted with their non-ASCII characters as code points and a warning
//! before them, numbers, yes/no, keys as hex. Each refusal of a token
//! definition is checked by name: wrong chain, wrong token, bad signature,
//! untrusted signer, truncated, wrong version, and a definition for an
//! operation that moves no token.

mod cli_support;

use cli_support::scripted::{scripted, Settings};
use cli_support::*;
use serde_json::{json, Value};
use tokensign_core::Address;

const TOKEN: &str = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const R: &str = "0x0202020202020202020202020202020202020202";
const R2: &str = "0x0303030303030303030303030303030303030303";
/// The definitions key of these tests (as the vectors' key: 0x42 repeated).
const DEF_KEY: &str = "4242424242424242424242424242424242424242424242424242424242424242";
const DEF_SIGNER: &str = "0x17c5185167401eD00cF5F5b2fc97D9BBfDb7D025";

/// Two members' compressed public keys, ascending.
fn member_keys(dir: &std::path::Path) -> (String, String) {
    let one = write_file(dir, "m1", SPEC_KEY);
    let two = write_file(dir, "m2", &"11".repeat(32));
    let key = |f: &str| {
        json_of(&call(&["--json", "address", "--private-key-file", f], b""))["public_key"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let (a, b) = (key(&one), key(&two));
    if a < b {
        (a, b)
    } else {
        (b, a)
    }
}

fn key_bytes(hex_key: &str) -> Vec<u8> {
    hex::decode(hex_key.trim_start_matches("0x")).unwrap()
}

/// A signing document of every operation, with texts that need a warning
/// (a memo and a metadata value with non-ASCII characters).
fn documents(dir: &std::path::Path) -> Vec<Value> {
    let (k1, k2) = member_keys(dir);
    let memo =
        json!({"type": "purpose/SALA", "format": "text/plain", "data": "caf\u{e9} \u{2713}"});
    vec![
        json!({"operation": "Payment", "chain_id": 1212101, "nonce": 3, "recipient": R,
               "value": "1500000", "token": TOKEN, "memo": memo}),
        json!({"operation": "TokenIssue", "chain_id": 1212101, "nonce": 0, "symbol": "USDX",
               "name": "X Dollar", "decimals": 6, "master_authority": R, "is_private": false,
               "clawback_enabled": true}),
        json!({"operation": "TokenMint", "chain_id": 1212101, "nonce": 1, "recipient": R,
               "value": "2000000", "token": TOKEN}),
        json!({"operation": "TokenAuthority", "chain_id": 1212101, "nonce": 2, "action": "Grant",
               "authority_type": "MintBurnTokens", "authority_address": R, "token": TOKEN,
               "value": "250000000"}),
        json!({"operation": "TokenBlacklist", "chain_id": 1212101, "nonce": 4, "action": "Add",
               "address": R2, "token": TOKEN}),
        json!({"operation": "TokenWhitelist", "chain_id": 1212101, "nonce": 5, "action": "Remove",
               "address": R2, "token": TOKEN}),
        json!({"operation": "TokenPause", "chain_id": 1212101, "nonce": 6, "action": "Pause",
               "token": TOKEN}),
        json!({"operation": "TokenBurn", "chain_id": 1212101, "nonce": 7, "value": "1",
               "token": TOKEN}),
        json!({"operation": "TokenClawback", "chain_id": 1212101, "nonce": 8, "token": TOKEN,
               "from": R2, "recipient": R, "value": "999999"}),
        json!({"operation": "TokenMetadata", "chain_id": 1212101, "nonce": 9, "name": "X Dollar",
               "uri": "https://x.example/usdx", "token": TOKEN,
               "additional_metadata": [{"key": "issuer", "value": "X Bank"},
                                       {"key": "region", "value": "Z\u{fc}rich"}]}),
        json!({"operation": "TokenBridgeAndMint", "chain_id": 1212101, "nonce": 10,
               "recipient": R, "value": "10000000", "token": TOKEN, "source_chain_id": 1,
               "source_tx_hash": "0xabc123", "bridge_metadata": "ref-7"}),
        json!({"operation": "TokenBurnAndBridge", "chain_id": 1212101, "nonce": 11, "sender": R,
               "value": "3000000", "token": TOKEN, "destination_chain_id": 8453,
               "destination_address": "0x00000000000000000000000000000000000000Ab",
               "escrow_fee": "250", "bridge_metadata": "", "bridge_param": "0x0102"}),
        json!({"operation": "CreateMultiSig", "chain_id": 1212101, "nonce": 12,
               "signers": [{"public_key": key_bytes(&k1), "weight": 1},
                           {"public_key": key_bytes(&k2), "weight": 2}],
               "threshold": 2}),
        json!({"operation": "BatchPayment", "chain_id": 1212101, "nonce": 13, "token": TOKEN,
               "operations": [{"recipient": R, "amount": "1000000"},
                              {"recipient": R2, "amount": "2500000"}],
               "created_at": 1700000000, "batch_id": "payroll-7"}),
    ]
}

/// `units` in whole tokens of `decimals`, from the digits (independent of
/// the core's arithmetic).
fn whole(units: &str, decimals: usize) -> String {
    let padded = format!("{units:0>width$}", width = decimals + 1);
    let (int, frac) = padded.split_at(padded.len() - decimals);
    match frac.trim_end_matches('0') {
        "" => int.to_owned(),
        frac => format!("{int}.{frac}"),
    }
}

/// A text as a screen must show it: quoted, `\` doubled, every character
/// outside printable ASCII as `\u{HEX}`.
fn rendered(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ' '..='~' => out.push(c),
            _ => out.push_str(&format!("\\u{{{:X}}}", u32::from(c))),
        }
    }
    out.push('"');
    out
}

/// The review's (label, value) pairs.
fn pairs(review: &Value) -> Vec<(String, String)> {
    review
        .as_array()
        .unwrap_or_else(|| panic!("no review array: {review}"))
        .iter()
        .map(|i| {
            (
                i["label"].as_str().unwrap().to_owned(),
                i["value"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// Checks that `review` shows every value of `doc` (see the module
/// documentation), in `decimals` when a unit is known.
fn assert_covers(review: &[(String, String)], doc: &Value, unit: Option<usize>, ctx: &str) {
    let has = |want: &str| review.iter().any(|(_, v)| v == want);
    let contains = |want: &str| review.iter().any(|(_, v)| v.contains(want));
    let mut leaves = Vec::new();
    fn walk<'v>(v: &'v Value, key: &'v str, out: &mut Vec<(&'v str, &'v Value)>) {
        match v {
            Value::Object(m) => m.iter().for_each(|(k, v)| walk(v, k, out)),
            Value::Array(a) if key != "public_key" => a.iter().for_each(|v| walk(v, key, out)),
            _ => out.push((key, v)),
        }
    }
    walk(doc, "", &mut leaves);
    for (key, value) in leaves {
        match (key, value) {
            ("operation", _) => {}
            ("chain_id", Value::Number(n)) => {
                let named = match n.as_u64() {
                    Some(1_212_101) => "1Money Testnet".to_owned(),
                    Some(21_210) => "1Money Mainnet".to_owned(),
                    _ => n.to_string(),
                };
                assert!(
                    review.contains(&("Chain".into(), named.clone())),
                    "{ctx}: chain {named} not shown: {review:?}"
                );
            }
            ("public_key", Value::Array(bytes)) => {
                let bytes: Vec<u8> = bytes.iter().map(|b| b.as_u64().unwrap() as u8).collect();
                let hex = format!("0x{}", hex::encode(bytes));
                assert!(has(&hex), "{ctx}: key {hex} not shown: {review:?}");
            }
            ("value" | "amount" | "escrow_fee", Value::String(units))
                if key != "value" || units.bytes().all(|b| b.is_ascii_digit()) =>
            {
                match unit {
                    None => assert!(has(units), "{ctx}: {key} {units} not shown: {review:?}"),
                    Some(d) => {
                        let at = review
                            .iter()
                            .position(|(l, v)| l.starts_with("Base units") && v == units)
                            .unwrap_or_else(|| {
                                panic!("{ctx}: base units {units} not shown: {review:?}")
                            });
                        let want = format!("{} USDX", whole(units, d));
                        assert_eq!(review[at - 1].1, want, "{ctx}: {key} in whole tokens");
                    }
                }
            }
            (
                "recipient" | "token" | "master_authority" | "authority_address" | "address"
                | "from" | "sender",
                Value::String(s),
            ) => {
                let eip55 = Address::parse(s).unwrap().to_string();
                assert!(
                    contains(&eip55),
                    "{ctx}: address {eip55} not shown: {review:?}"
                );
            }
            ("action" | "authority_type", Value::String(word)) => {
                assert!(has(word), "{ctx}: {word} not shown")
            }
            ("bridge_param", Value::String(hex)) => assert!(has(hex), "{ctx}: {hex} not shown"),
            (_, Value::String(text)) => {
                let shown = rendered(text);
                let at = review
                    .iter()
                    .position(|(_, v)| *v == shown)
                    .unwrap_or_else(|| panic!("{ctx}: {key} {shown} not shown: {review:?}"));
                let non_ascii = !text.bytes().all(|b| (b' '..=b'~').contains(&b));
                let warned = at > 0 && review[at - 1].0 == "Warning";
                assert_eq!(warned, non_ascii, "{ctx}: the warning before {key} {shown}");
                if warned {
                    assert_eq!(
                        review[at - 1].1,
                        format!("{} contains non-ASCII characters", review[at].0)
                    );
                }
            }
            (_, Value::Number(n)) => {
                assert!(
                    has(&n.to_string()),
                    "{ctx}: {key} {n} not shown: {review:?}"
                )
            }
            (_, Value::Bool(b)) => {
                assert!(has(if *b { "Yes" } else { "No" }), "{ctx}: {key} not shown")
            }
            other => panic!("{ctx}: unexpected leaf {other:?}"),
        }
    }
    assert_eq!(review.first().map(|p| p.0.as_str()), Some("Operation"));
    assert_eq!(review.last().map(|p| p.0.as_str()), Some("Signing scheme"));
}

fn definition_file(dir: &std::path::Path, chain: &str, token: &str, name: &str) -> String {
    let key = write_file(dir, "defkey", DEF_KEY);
    let path = dir.join(name);
    let out = call(
        &[
            "definition",
            "sign",
            "--chain-id",
            chain,
            "--token",
            token,
            "--symbol",
            "USDX",
            "--decimals",
            "6",
            "--private-key-file",
            &key,
            "--out",
            path.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(out.code, 0, "{out:?}");
    path.to_str().unwrap().to_owned()
}

/// Signs `doc` in `scheme`; returns the `--json` object.
fn sign(doc: &Value, scheme: &str, key: &str, extra: &[&str]) -> Value {
    let mut args = vec![
        "--json",
        "sign",
        "--scheme",
        scheme,
        "--private-key-file",
        key,
    ];
    args.extend_from_slice(extra);
    let out = call(&args, doc.to_string().as_bytes());
    assert_eq!(out.code, 0, "{doc}: {out:?}");
    // The review went to stderr, stdout is the object.
    assert!(out.stderr.contains("Operation"), "{out:?}");
    json_of(&out)
}

fn verify(body: &str, op: &str, extra: &[&str]) -> Run {
    let mut args = vec!["--json", "verify", "--operation", op];
    args.extend_from_slice(extra);
    call(&args, body.as_bytes())
}

#[test]
fn sign_and_verify_show_every_field_of_every_operation_in_both_schemes() {
    let dir = tempfile::tempdir().unwrap();
    let key = write_file(dir.path(), "k", SPEC_KEY);
    let def = definition_file(dir.path(), "1212101", TOKEN, "usdx.json");
    let with_def = [
        "--definition",
        def.as_str(),
        "--trust-definitions",
        DEF_SIGNER,
    ];
    for doc in documents(dir.path()) {
        let op = doc["operation"].as_str().unwrap();
        let moves_token = doc.get("token").is_some();
        let schemes: &[&str] = match op {
            "CreateMultiSig" | "BatchPayment" => &["v2"],
            _ => &["v1", "v2"],
        };
        for scheme in schemes {
            let ctx = format!("{op} {scheme}");
            let signed = sign(&doc, scheme, &key, &[]);
            assert_covers(
                &pairs(&signed["review"]),
                &doc,
                None,
                &format!("sign {ctx}"),
            );
            let body = signed["request"].to_string();
            // verify: every field, the token unknown without a definition.
            let out = verify(&body, op, &[]);
            assert_eq!(out.code, 0, "{ctx}: {out:?}");
            let obj = json_of(&out);
            assert_eq!(obj["kind"], "request");
            let review = pairs(&obj["review"]);
            assert_covers(&review, &doc, None, &format!("verify {ctx}"));
            let scheme_shown = &review.last().unwrap().1;
            assert!(scheme_shown.starts_with(scheme), "{ctx}: {scheme_shown}");
            if moves_token {
                let token = Address::parse(TOKEN).unwrap();
                assert!(
                    review.contains(&("Token".into(), format!("Unknown token {token}"))),
                    "{ctx}: {review:?}"
                );
                assert!(obj["token_unit"].is_null());
            }
            // The text form: the same items, one per line.
            let text = call(&["verify", "--operation", op], body.as_bytes());
            assert_eq!(text.code, 0, "{text:?}");
            for (label, value) in &review {
                let line = format!("  {label:<18}{value}\n");
                assert!(text.stdout.contains(&line), "{ctx}: {line:?} in {text:?}");
            }
            // With the definition: every amount in whole tokens.
            let out = verify(&body, op, &with_def);
            if !moves_token {
                assert_eq!(out.code, 2, "{ctx}: {out:?}");
                assert!(out.stderr.contains("moves no token"), "{ctx}: {out:?}");
                continue;
            }
            assert_eq!(out.code, 0, "{ctx}: {out:?}");
            let obj = json_of(&out);
            let review = pairs(&obj["review"]);
            assert_covers(
                &review,
                &doc,
                Some(6),
                &format!("verify {ctx} with a definition"),
            );
            assert!(review.contains(&(
                "Token".into(),
                format!("USDX {}", Address::parse(TOKEN).unwrap())
            )));
            assert_eq!(obj["token_unit"]["source"], "definition");
            assert_eq!(obj["token_unit"]["signer"], DEF_SIGNER);
            // No amount is left in base units alone.
            for (i, (label, value)) in review.iter().enumerate() {
                if label.starts_with("Base units") {
                    assert!(review[i - 1].1.ends_with(" USDX"), "{ctx}: {review:?}");
                } else if ["Amount", "Allowance", "Escrow fee", "Total"]
                    .iter()
                    .any(|l| label.starts_with(l))
                {
                    assert!(value.ends_with(" USDX"), "{ctx}: {label} {value}");
                }
            }
        }
    }
    // The batch total, in both forms.
    let batch = &documents(dir.path())[13];
    let signed = sign(batch, "v2", &key, &[]);
    let out = verify(&signed["request"].to_string(), "BatchPayment", &with_def);
    let review = pairs(&json_of(&out)["review"]);
    let total = review.iter().position(|(l, _)| l == "Total").unwrap();
    assert_eq!(review[total].1, "3.5 USDX");
    assert_eq!(review[total + 1], ("Base units".into(), "3500000".into()));
}

#[test]
fn verify_text_shows_the_review_and_sign_shows_it_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let key = write_file(dir.path(), "k", SPEC_KEY);
    let def = definition_file(dir.path(), "1212101", TOKEN, "usdx.json");
    let doc = &documents(dir.path())[0];
    let out = call(
        &[
            "sign",
            "--scheme",
            "v2",
            "--private-key-file",
            &key,
            "--definition",
            &def,
            "--trust-definitions",
            DEF_SIGNER,
        ],
        doc.to_string().as_bytes(),
    );
    assert_eq!(out.code, 0, "{out:?}");
    for needle in [
        "Payment signed:",
        "  Amount            1.5 USDX\n",
        "  Base units        1500000\n",
        "  Warning           Memo data contains non-ASCII characters\n",
        "  Memo data         \"caf\\u{E9} \\u{2713}\"\n",
        "  Chain             1Money Testnet\n",
        "token unit        USDX with 6 decimals, from",
    ] {
        assert!(out.stderr.contains(needle), "{needle:?} in {out:?}");
    }
    // sign --lines prints no review: a definition there is refused.
    let lines = call(
        &[
            "sign",
            "--lines",
            "--private-key-file",
            &key,
            "--definition",
            &def,
        ],
        doc.to_string().as_bytes(),
    );
    assert_eq!(lines.code, 2, "{lines:?}");
    assert!(
        lines.stderr.contains("sign --lines prints no review"),
        "{lines:?}"
    );
    // Stdout is the request alone.
    let body = out.stdout.trim();
    assert!(body.starts_with('{') && !body.contains('\n'), "{out:?}");
    let text = call(
        &[
            "verify",
            "--operation",
            "Payment",
            "--definition",
            &def,
            "--trust-definitions",
            DEF_SIGNER,
        ],
        body.as_bytes(),
    );
    assert_eq!(text.code, 0, "{text:?}");
    assert!(text.stdout.starts_with("Valid signature.\n"), "{text:?}");
    assert!(text.stdout.contains("Payment signed:\n"), "{text:?}");
    assert!(
        text.stdout.contains("  Amount            1.5 USDX\n"),
        "{text:?}"
    );
}

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
fn partial_signatures_verify_and_combine_with_the_review() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (k1, k2) = member_keys(d);
    let keys = [
        write_file(d, "a", SPEC_KEY),
        write_file(d, "b", &"11".repeat(32)),
    ];
    let account = call(
        &[
            "multisig",
            "address",
            "--member",
            &k1,
            "--member",
            &k2,
            "--threshold",
            "2",
        ],
        b"",
    )
    .stdout
    .trim()
    .to_owned();
    let def = definition_file(d, "1212101", TOKEN, "usdx.json");
    let mut files = Vec::new();
    for (i, key) in keys.iter().enumerate() {
        let file = d.join(format!("part{i}.json")).to_str().unwrap().to_owned();
        let out = call(
            &[
                "pay",
                "--to",
                R,
                "--token",
                TOKEN,
                "--value",
                "1500000",
                "--multisig",
                &account,
                "--out",
                &file,
                "--chain-id",
                "1212101",
                "--nonce",
                "0",
                "--scheme",
                "v2",
                "--private-key-file",
                key,
                "--definition",
                &def,
                "--trust-definitions",
                DEF_SIGNER,
            ],
            b"",
        );
        assert_eq!(out.code, 0, "{out:?}");
        assert!(
            out.stdout.contains("  Amount            1.5 USDX\n"),
            "{out:?}"
        );
        assert!(
            out.stdout
                .contains(&format!("  Multisig account  {account}\n")),
            "{out:?}"
        );
        files.push(file);
    }
    // verify recognises a partial file: its member, its account, the review.
    let out = call(&["--json", "verify", &files[0]], b"");
    assert_eq!(out.code, 0, "{out:?}");
    let obj = json_of(&out);
    assert_eq!(obj["kind"], "partial");
    assert_eq!(obj["account"], account.as_str());
    let member = obj["member"].as_str().unwrap().to_owned();
    let review = pairs(&obj["review"]);
    assert!(review.contains(&("Multisig account".into(), account.clone())));
    assert!(review.contains(&("Amount".into(), "1500000".into())));
    let out = call(
        &[
            "verify",
            &files[0],
            "--definition",
            &def,
            "--trust-definitions",
            DEF_SIGNER,
        ],
        b"",
    );
    assert!(out.stdout.starts_with("Valid partial signature"), "{out:?}");
    assert!(
        out.stdout
            .contains(&format!("  member            {member}\n")),
        "{out:?}"
    );
    assert!(
        out.stdout.contains("  Amount            1.5 USDX\n"),
        "{out:?}"
    );
    // A damaged partial: the error names the file and the member.
    let mut part: Value =
        serde_json::from_str(&std::fs::read_to_string(&files[1]).unwrap()).unwrap();
    part["transaction"]["value"] = json!("1500001");
    let bad = write_file(d, "bad.json", &part.to_string());
    let bad_member = part["signer"].as_str().unwrap().to_owned();
    for args in [
        vec!["verify", bad.as_str()],
        vec!["multisig", "combine", "--dry-run", &files[0], &bad],
    ] {
        let out = call(&args, b"");
        assert_eq!(out.code, 2, "{out:?}");
        assert!(out.stderr.contains("bad.json"), "{out:?}");
        assert!(
            out.stderr.contains(&format!("member {bad_member}")),
            "{out:?}"
        );
    }
    // combine prints the review of what it assembled.
    let out = call(
        &[
            "--json",
            "multisig",
            "combine",
            "--dry-run",
            &files[0],
            &files[1],
            "--definition",
            &def,
            "--trust-definitions",
            DEF_SIGNER,
        ],
        b"",
    );
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stderr.contains("  Amount            1.5 USDX\n"),
        "{out:?}"
    );
    let review = pairs(&json_of(&out)["review"]);
    assert!(review.contains(&("Amount".into(), "1.5 USDX".into())));
    assert!(review.contains(&("Multisig account".into(), account)));
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

/// The device's own pages: with a definition from a signer the emulated
/// device trusts (`--device-trust`), the device shows `1.5 USDX` with the
/// base units on the next line; without one, base units and `Unknown
/// token`; a definition the device does not trust is refused by the
/// device, by name, with nothing signed.
#[test]
fn the_device_shows_whole_tokens_only_with_a_definition_it_trusts() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data = data.to_str().unwrap();
    let issued = run(&[
        "--json",
        "issue",
        "--symbol",
        "TOKX",
        "--name",
        "X Token",
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
    let token = json_of(&issued)["token"].as_str().unwrap().to_owned();
    let usdx = definition_file(dir.path(), "1212101", &token, "usdx.json");
    let pay = |extra: &[&str]| {
        let mut args = vec![
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
            "--signer",
            "device",
            "--device",
            "emulated",
        ];
        args.extend_from_slice(extra);
        run(&args)
    };
    let pages = |out: &Run| -> Vec<String> {
        json_of(out)["device_pages"]
            .as_array()
            .unwrap_or_else(|| panic!("no device_pages: {out:?}"))
            .iter()
            .map(|p| p.as_str().unwrap().to_owned())
            .collect()
    };

    let out = pay(&["--device-trust", DEF_SIGNER, "--definition", &usdx]);
    assert_eq!(out.code, 0, "{out:?}");
    let shown = pages(&out);
    let at = shown.iter().position(|p| p == "Amount: 1.5 USDX");
    assert!(at.is_some(), "{shown:?}");
    assert_eq!(shown[at.unwrap() + 1], "Base units: 1500000", "{shown:?}");
    assert!(
        shown.iter().any(|p| p.starts_with("Token (1/3): USDX 0x")),
        "{shown:?}"
    );
    assert!(!shown.iter().any(|p| p.contains("Unknown")), "{shown:?}");
    // The host's review (which trusts --device-trust for this run) agrees.
    let review = pairs(&json_of(&out)["review"]);
    assert!(
        review.contains(&("Amount".into(), "1.5 USDX".into())),
        "{review:?}"
    );

    // Without a definition: base units, the token unknown on the device
    // (the local node's own definition serves the host's review only).
    let out = pay(&["--device-trust", DEF_SIGNER]);
    assert_eq!(out.code, 0, "{out:?}");
    let shown = pages(&out);
    assert!(shown.contains(&"Amount: 1500000".to_owned()), "{shown:?}");
    assert!(
        !shown.iter().any(|p| p.starts_with("Base units")),
        "{shown:?}"
    );
    assert!(
        shown
            .iter()
            .any(|p| p.starts_with("Token (1/3): Unknown token 0x")),
        "{shown:?}"
    );

    // `sign` through the device carries the device's pages too.
    let doc = json!({
        "operation": "Payment", "chain_id": 1212101, "nonce": 5, "recipient": R,
        "value": "1500000", "token": token,
    });
    let out = call(
        &[
            "--json",
            "sign",
            "--scheme",
            "v1",
            "--signer",
            "device",
            "--device",
            "emulated",
            "--device-trust",
            DEF_SIGNER,
            "--definition",
            &usdx,
        ],
        doc.to_string().as_bytes(),
    );
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        pages(&out).contains(&"Amount: 1.5 USDX".to_owned()),
        "{out:?}"
    );
    assert!(
        out.stderr.contains("  device screen: Amount: 1.5 USDX\n"),
        "{out:?}"
    );

    // One member's partial signature through the device: its pages on
    // stderr, and in the --json object with --out.
    let part = dir.path().join("part.json");
    let out = run(&[
        "--json",
        "pay",
        "--to",
        R,
        "--token",
        &token,
        "--value",
        "1500000",
        "--multisig",
        R2,
        "--out",
        part.to_str().unwrap(),
        "--chain-id",
        "1212101",
        "--nonce",
        "0",
        "--scheme",
        "v2",
        "--signer",
        "device",
        "--device",
        "emulated",
        "--device-trust",
        DEF_SIGNER,
        "--definition",
        &usdx,
    ]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        pages(&out).contains(&"Amount: 1.5 USDX".to_owned()),
        "{out:?}"
    );
    assert!(
        out.stderr.contains("  device screen: Amount: 1.5 USDX\n"),
        "{out:?}"
    );
    assert_eq!(json_of(&out)["format"], "tokensign-multisig-partial-1");

    // Trusted by the host only: the device refuses it by name.
    let out = pay(&["--definition", &usdx, "--trust-definitions", DEF_SIGNER]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr
            .contains("the definition's signer is not trusted by the device"),
        "{out:?}"
    );
    assert!(out.stderr.contains("tokensign device trust"), "{out:?}");
}

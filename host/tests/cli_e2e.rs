//! End-to-end tests of the `tokensign` binary: the embedded server, a
//! `node` child process with a `keygen` keystore, offline sign/verify
//! against the spec's vectors, and the ABC-Lab mint.

mod cli_support;

use cli_support::node::start_node;
use cli_support::*;
use tokensign::cmd::Failure;

const MASTER: &str = SPEC_ADDRESS;

#[test]
fn issue_on_the_embedded_server_then_duplicate_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data = data.to_str().unwrap();
    let args = [
        "issue",
        "--symbol",
        "USDX",
        "--name",
        "X Dollar",
        "--decimals",
        "6",
        "--master-authority",
        MASTER,
        "--data-dir",
        data,
    ];
    let first = run(&args);
    assert_eq!(first.code, 0, "{first:?}");
    // What will be signed: every field, and the token it creates.
    for needle in [
        // The node is `dual`: `--scheme auto` signs native v2, whose
        // review is the core's pages (a TokenIssue signs eight fields).
        "eight-field form",
        "Chain             local node (chain id 1212101)",
        "Nonce             0",
        "Symbol            \"USDX\"",
        "Name              \"X Dollar\"",
        "Decimals          6",
        &format!("Master authority  {MASTER}"),
        "Private           No",
        "Clawback          Yes",
        "Signing scheme    v2",
        "Token address     0x",
        "development key: PUBLIC AND INSECURE",
        "Accepted.",
        "transaction hash  0x",
    ] {
        assert!(
            first.stdout.contains(needle),
            "missing {needle:?} in {first:?}"
        );
    }
    // The token shown is the core's derivation.
    let token =
        tokensign_core::tx::token_address(&tokensign_core::Address::parse(MASTER).unwrap(), "USDX")
            .to_string();
    assert!(first.stdout.contains(&format!("token             {token}")));
    // The review comes before the result.
    let review = first.stdout.find("Token issue to sign").unwrap();
    let result = first.stdout.find("Accepted.").unwrap();
    assert!(review < result);

    // Same symbol and master authority again: the server's error code and
    // the documented exit code.
    let second = run(&args);
    assert_eq!(
        second.code,
        i32::from(Failure::Rejected.code()),
        "{second:?}"
    );
    assert!(second.stderr.contains("TOKEN_ALREADY_EXISTS"), "{second:?}");
    assert!(second.stderr.contains("HTTP 422"), "{second:?}");

    // --json: one object, with the server's error code.
    let mut json_args = vec!["--json"];
    json_args.extend_from_slice(&args);
    let third = run(&json_args);
    assert_eq!(third.code, 3);
    let obj = json_of(&third);
    assert_eq!(obj["error"]["error_code"], "TOKEN_ALREADY_EXISTS");
    assert_eq!(obj["error"]["exit_code"], 3);
    assert_eq!(obj["error"]["kind"], "rejected");
}

#[test]
fn issue_json_and_mint_the_abc_example() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data = data.to_str().unwrap();
    let issued = run(&[
        "--json",
        "issue",
        "--symbol",
        "UKGILT2030",
        "--name",
        "UK Gilt 2030",
        "--decimals",
        "2",
        "--master-authority",
        MASTER,
        "--clawback-enabled",
        "false",
        "--data-dir",
        data,
        // The v1 body is parsed below, whatever mode the node is in.
        "--scheme",
        "v1",
    ]);
    assert_eq!(issued.code, 0, "{issued:?}");
    let obj = json_of(&issued);
    assert_eq!(obj["status"], "accepted");
    assert_eq!(obj["scheme"], "v1");
    assert_eq!(obj["request"]["symbol"], "UKGILT2030");
    assert_eq!(obj["request"]["clawback_enabled"], false);
    // The review went to stderr, so stdout is one object.
    assert!(issued
        .stderr
        .contains("Token issue to sign (eight-field form)"));
    // The JSON's hashes are the core's over the request it shows.
    let body = serde_json::to_vec(&obj["request"]).unwrap();
    let request = tokensign_fixtures::parse_issue_request(&body).unwrap();
    assert_eq!(
        obj["tx_hash"],
        format!("0x{}", hex::encode(request.tx_hash().unwrap()))
    );
    assert_eq!(
        obj["token"],
        tokensign_fixtures::issued_token(&request.tx)
            .unwrap()
            .to_string()
    );

    let minted = run(&[
        "abc-lab",
        "mint",
        "--asset-id",
        "UKGILT2030",
        "--amount",
        "100",
        "--recipient",
        "0xA1B2C3D4E5F6A7B8C9D0",
        "--data-dir",
        data,
    ]);
    assert_eq!(minted.code, 0, "{minted:?}");
    for needle in [
        "status       success",
        "asset_id     UKGILT2030",
        "amount       100",
        "assigned_to  0xA1B2C3D4E5F6A7B8C9D0",
    ] {
        assert!(minted.stdout.contains(needle), "{needle:?} in {minted:?}");
    }
    // The document's 409 for a second mint of the same asset, and 404 for an
    // unknown asset: both rejections.
    let again = run(&[
        "--json",
        "abc-lab",
        "mint",
        "--asset-id",
        "UKGILT2030",
        "--amount",
        "100",
        "--recipient",
        "0xA1B2C3D4E5F6A7B8C9D0",
        "--data-dir",
        data,
    ]);
    assert_eq!(again.code, 3, "{again:?}");
    assert_eq!(json_of(&again)["error"]["error_code"], "DUPLICATE_MINT");
    let unknown = run(&[
        "abc-lab",
        "mint",
        "--asset-id",
        "NOPE",
        "--amount",
        "1",
        "--recipient",
        "0xA1",
        "--data-dir",
        data,
    ]);
    assert_eq!(unknown.code, 3, "{unknown:?}");
    assert!(unknown.stderr.contains("ASSET_NOT_FOUND"), "{unknown:?}");
}

#[test]
fn node_child_with_a_keygen_keystore_operator() {
    let dir = tempfile::tempdir().unwrap();
    let password = write_file(dir.path(), "pw", "correct horse battery\n");
    let keystore = dir.path().join("op.json");
    let keystore = keystore.to_str().unwrap();

    let made = run(&[
        "--json",
        "keygen",
        "--light-kdf",
        "--out",
        keystore,
        "--password-file",
        &password,
    ]);
    assert_eq!(made.code, 0, "{made:?}");
    let operator = json_of(&made)["address"].as_str().unwrap().to_owned();
    // keygen never overwrites.
    let again = run(&["keygen", "--out", keystore, "--password-file", &password]);
    assert_eq!(again.code, 2, "{again:?}");
    assert!(again.stderr.contains("already exists"));
    // address reads the keystore back.
    let addr = run(&[
        "address",
        "--keystore",
        keystore,
        "--password-file",
        &password,
    ]);
    assert_eq!(addr.code, 0, "{addr:?}");
    assert_eq!(addr.stdout.trim(), operator);
    // The password may also come from the environment.
    let addr = run_with(
        &["address", "--keystore", keystore],
        &[("TOKENSIGN_PASSWORD", "correct horse battery")],
        None,
    );
    assert_eq!(addr.stdout.trim(), operator, "{addr:?}");

    let data = dir.path().join("node");
    let (_node, url) = start_node(data.to_str().unwrap(), &[&operator]);
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");

    let issue = |symbol: &str, env: &[(&str, &str)], extra: &[&str]| {
        let mut args = vec![
            "issue",
            "--url",
            &url,
            "--symbol",
            symbol,
            "--name",
            "Op Token",
            "--decimals",
            "0",
            "--master-authority",
            MASTER,
            "--is-private",
        ];
        args.extend_from_slice(extra);
        run_with(&args, env, None)
    };
    let ok = issue(
        "OPX",
        &[],
        &["--keystore", keystore, "--password-file", &password],
    );
    assert_eq!(ok.code, 0, "{ok:?}");
    assert!(ok.stdout.contains("Private           Yes"), "{ok:?}");
    assert!(ok.stdout.contains(&format!("signer            {operator}")));
    assert!(ok.stdout.contains("Nonce             0"), "{ok:?}");

    // The same key through environment fallbacks; the nonce is fetched.
    let ok = issue(
        "OPY",
        &[
            ("TOKENSIGN_KEYSTORE", keystore),
            ("TOKENSIGN_PASSWORD_FILE", &password),
        ],
        &[],
    );
    assert_eq!(ok.code, 0, "{ok:?}");
    assert!(ok.stdout.contains("Nonce             1"), "{ok:?}");

    // A key that is not an operator: the server's refusal.
    let key_file = write_file(dir.path(), "k", &format!("0x{SPEC_KEY}\n"));
    let refused = issue("OPZ", &[], &["--private-key-file", &key_file]);
    assert_eq!(refused.code, 3, "{refused:?}");
    assert!(
        refused.stderr.contains("SIGNER_NOT_OPERATOR"),
        "{refused:?}"
    );
    assert!(!refused.all().contains(SPEC_KEY));

    // The development key is refused before anything is sent.
    let dev = issue("OPW", &[], &["--dev-key"]);
    assert_eq!(dev.code, 2, "{dev:?}");
    assert!(dev.stderr.contains("development key"), "{dev:?}");

    // Wrong chain id: the server's error code.
    let wrong = issue(
        "OPV",
        &[],
        &[
            "--keystore",
            keystore,
            "--password-file",
            &password,
            "--chain-id",
            "21210",
        ],
    );
    assert_eq!(wrong.code, 3, "{wrong:?}");
    assert!(wrong.stderr.contains("WRONG_CHAIN_ID"), "{wrong:?}");
}

#[test]
fn sign_then_verify_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let key_file = write_file(dir.path(), "k", SPEC_KEY);
    let payload = write_file(dir.path(), "p.json", &spec_payload7(2));
    let signed = run(&[
        "sign",
        "--payload",
        &payload,
        "--private-key-file",
        &key_file,
    ]);
    assert_eq!(signed.code, 0, "{signed:?}");
    let body = signed.stdout.trim().to_owned();
    let request = write_file(dir.path(), "r.json", &body);

    let verified = run(&["verify", &request]);
    assert_eq!(verified.code, 0, "{verified:?}");
    assert!(verified
        .stdout
        .contains(&format!("signer            {SPEC_ADDRESS}")));
    let seven = tokensign_fixtures::SPEC_ANSWERS[1];
    assert!(verified
        .stdout
        .contains(&format!("transaction hash  {}", seven.tx_hash.unwrap())));
    assert!(verified
        .stdout
        .contains(&format!("signing hash      {}", seven.signing_hash)));

    // From stdin, as JSON.
    let verified = run_with(&["--json", "verify"], &[], Some(body.as_bytes()));
    assert_eq!(verified.code, 0, "{verified:?}");
    let obj = json_of(&verified);
    assert_eq!(obj["signer"], SPEC_ADDRESS);
    assert_eq!(
        obj["token"].as_str().unwrap().to_lowercase(),
        tokensign_fixtures::SPEC_TOKEN
    );

    // A bad signature: non-zero, and says why.
    let tampered = body.replace("\"v\":0", "\"v\":27");
    let bad = run_with(&["verify", "-"], &[], Some(tampered.as_bytes()));
    assert_eq!(bad.code, 2, "{bad:?}");
    assert!(bad.stderr.contains("v must be 0 or 1"), "{bad:?}");
    let r = &body[body.find("\"r\":\"").unwrap() + 5..];
    let r = &r[..66];
    let zero_r = body.replace(r, &format!("0x{}", "0".repeat(64)));
    let bad = run_with(&["verify"], &[], Some(zero_r.as_bytes()));
    assert_eq!(bad.code, 2, "{bad:?}");
    assert!(bad.stderr.contains("invalid signature"), "{bad:?}");
    let bad = run_with(&["verify"], &[], Some(b"{\"chain_id\":1}"));
    assert_eq!(bad.code, 2, "{bad:?}");
}

/// Offline `sign --json` against every spec vector.
#[test]
fn offline_sign_matches_the_spec_vectors() {
    let vectors = tokensign_fixtures::SPEC_ANSWERS;
    for (i, vector) in vectors.iter().enumerate() {
        // The key from the environment, the payload from stdin.
        let out = run_with(
            &["--json", "sign"],
            &[("TOKENSIGN_PRIVATE_KEY", &format!("0x{SPEC_KEY}"))],
            Some(vector.payload_json().as_bytes()),
        );
        assert_eq!(out.code, 0, "vector {i}: {out:?}");
        assert!(!out.all().contains(SPEC_KEY), "vector {i}: key leaked");
        let obj = json_of(&out);
        assert_eq!(obj["signing_hash"], vector.signing_hash, "vector {i}");
        assert_eq!(obj["request"]["signature"]["r"], vector.r, "vector {i}");
        assert_eq!(obj["request"]["signature"]["s"], vector.s, "vector {i}");
        assert_eq!(obj["request"]["signature"]["v"], vector.v, "vector {i}");
        if let Some(tx) = vector.tx_hash {
            assert_eq!(obj["tx_hash"], tx, "vector {i}");
        }
        assert_eq!(obj["signer"], SPEC_ADDRESS, "vector {i}");
        assert_eq!(
            obj["token"].as_str().unwrap().to_lowercase(),
            tokensign_fixtures::SPEC_TOKEN,
            "vector {i}"
        );
        // The request is embedded byte for byte: spec field order.
        let request_text = out.stdout.split("\"request\":").nth(1).unwrap();
        assert!(request_text.starts_with("{\"chain_id\":1212101,\"nonce\":"));
    }
    // Plain `sign` prints exactly the request body.
    let plain = run_with(
        &["sign", "--payload", "-"],
        &[("TOKENSIGN_PRIVATE_KEY", SPEC_KEY)],
        Some(spec_payload7(2).as_bytes()),
    );
    assert_eq!(plain.code, 0, "{plain:?}");
    assert_eq!(
        plain.stdout,
        "{\"chain_id\":1212101,\"nonce\":2,\"symbol\":\"TEST\",\"name\":\"TEST Stablecoin\",\"decimals\":18,\
         \"master_authority\":\"0x0000000000000000000000000000000000000000\",\"is_private\":false,\
         \"signature\":{\"r\":\"0xfe70d12f46caee1a1028dad2d203a3fbd0b1ea7b0453c7dd84916c84c77d958a\",\
         \"s\":\"0x5d93e5428c6554638fef64fb3f51bf9bce920a6b149ac67b54f22775504126f2\",\"v\":0}}\n"
    );
}

/// The library entry point gives the same results in process.
#[test]
fn in_process_main_with() {
    fn call(args: &[&str], stdin: &[u8]) -> (u8, String, String) {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let mut input = stdin;
        let mut io = tokensign::cmd::Io {
            out: &mut out,
            err: &mut err,
            input: &mut input,
        };
        let mut argv = vec!["tokensign"];
        argv.extend_from_slice(args);
        let code = tokensign::cmd::main_with(argv, &mut io);
        let code = if code == std::process::ExitCode::SUCCESS {
            0
        } else {
            // ExitCode has no accessor; map through the documented codes.
            let text = String::from_utf8_lossy(&err).into_owned();
            text.rsplit("exit code ")
                .next()
                .and_then(|t| t.split_whitespace().next())
                .and_then(|n| n.parse().ok())
                .unwrap_or(255)
        };
        (
            code,
            String::from_utf8(out).unwrap(),
            String::from_utf8(err).unwrap(),
        )
    }
    let (code, out, _) = call(&["--dev-key", "--json", "address"], b"");
    assert_eq!(code, 0);
    let obj: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(obj["address"], tokensign::signer::dev_address().to_string());
    assert_eq!(obj["dev_key"], true);

    let (code, out, _) = call(&["--dev-key", "sign"], spec_payload8(2).as_bytes());
    assert_eq!(code, 0);
    let request = tokensign_fixtures::parse_issue_request(out.trim().as_bytes()).unwrap();
    assert_eq!(request.signer().unwrap(), tokensign::signer::dev_address());

    let (code, _, err) = call(&["sign"], spec_payload8(2).as_bytes());
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("needs a key"));
}

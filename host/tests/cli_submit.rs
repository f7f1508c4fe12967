//! `tokensign submit`: a request signed offline, carried as a file and
//! sent later. Every operation in both schemes reaches its path with its
//! bytes unchanged; a multisig combined file; a transaction already known
//! is not sent again; a tampered file, a partial signature and the wrong
//! scheme for the server's mode are refused before anything is sent; and
//! against a real node, sign → verify → submit --wait completes a payment.

mod cli_support;

use cli_support::node::start_node;
use cli_support::ops::{ops, R, T};
use cli_support::scripted::{op_of_path, scripted, Settings};
use cli_support::*;
use serde_json::Value;
use tokensign_core::tx::{token_address, OpType};
use tokensign_core::Address;

/// Signs `args` offline into a `--dry-run --out` file in `scheme`.
fn signed_file(dir: &std::path::Path, name: &str, args: &[&str], url: &str, key: &str) -> String {
    let out = dir.join(name);
    let out = out.to_str().unwrap().to_owned();
    let mut all: Vec<&str> = args.to_vec();
    all.extend_from_slice(&[
        "--dry-run",
        "--out",
        &out,
        "--url",
        url,
        "--private-key-file",
        key,
        "--chain-id",
        "1212101",
        "--nonce",
        "7",
    ]);
    let run = call(&all, b"");
    assert_eq!(run.code, 0, "{args:?}: {run:?}");
    assert!(run.stdout.contains("written to"), "{run:?}");
    out
}

/// The `request` member of a `--json` object file, as its exact bytes.
fn request_bytes(file: &str) -> Vec<u8> {
    let text = std::fs::read(file).unwrap();
    let (body, claims) = tokensign::input::request_body(&text);
    assert!(claims.is_some());
    body.into_owned()
}

#[test]
fn every_operation_in_both_schemes_goes_to_its_path_unchanged() {
    let server = scripted(Settings::default(), vec![]);
    let dir = tempfile::tempdir().unwrap();
    let key = write_file(dir.path(), "k", SPEC_KEY);
    let (mut sent, ops) = (0, ops());
    for (i, op) in ops.iter().enumerate() {
        for scheme in ["v1", "v2"] {
            if scheme == "v1" && op.op.v1_path().is_none() {
                continue;
            }
            let mut args: Vec<&str> = op.args.iter().map(String::as_str).collect();
            args.extend(["--scheme", scheme]);
            let file = signed_file(
                dir.path(),
                &format!("{i}-{scheme}.json"),
                &args,
                &server.url,
                &key,
            );
            let before = server.posts().len();
            let run = call(&["submit", &file, "--url", &server.url], b"");
            assert_eq!(run.code, 0, "{:?} {scheme}: {run:?}", op.op);
            assert!(run.stdout.contains("Accepted."), "{run:?}");
            let posts = server.posts();
            assert_eq!(posts.len(), before + 1, "{:?} {scheme}", op.op);
            let post = posts.last().unwrap();
            let (got, v2) = op_of_path(&post.target).unwrap();
            assert_eq!((got, v2), (op.op, scheme == "v2"), "{}", post.target);
            assert_eq!(post.body, request_bytes(&file), "{:?} {scheme}", op.op);
            sent += 1;
        }
    }
    let v2_only = ops.iter().filter(|o| o.op.v1_path().is_none()).count();
    assert_eq!(sent, ops.len() * 2 - v2_only);
    assert!(ops.len() >= 14 && v2_only == 2);
}

#[test]
fn a_bare_body_names_its_operation_when_its_fields_fit_two() {
    let server = scripted(Settings::default(), vec![]);
    let dir = tempfile::tempdir().unwrap();
    let key = write_file(dir.path(), "k", SPEC_KEY);
    let doc = format!(
        r#"{{"operation":"Payment","chain_id":1212101,"nonce":7,"recipient":"{R}","value":"5","token":"{T}"}}"#
    );
    let signed = call(
        &["sign", "--scheme", "v1", "--private-key-file", &key],
        doc.as_bytes(),
    );
    assert_eq!(signed.code, 0, "{signed:?}");
    let body = write_file(dir.path(), "body.json", &signed.stdout);
    let run = call(&["submit", &body, "--url", &server.url], b"");
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("Payment and TokenMint"), "{run:?}");
    assert!(run.stderr.contains("--operation"), "{run:?}");
    assert!(server.posts().is_empty());
    let run = call(
        &[
            "submit",
            &body,
            "--operation",
            "Paymnet",
            "--url",
            &server.url,
        ],
        b"",
    );
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("did you mean Payment?"), "{run:?}");
    // From stdin, named: sent to the v1 payment path.
    let run = call(
        &[
            "submit",
            "-",
            "--operation",
            "Payment",
            "--url",
            &server.url,
        ],
        signed.stdout.as_bytes(),
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(server.posts()[0].target, "/v1/transactions/payment");
    // `sign --json` names the operation itself.
    let wrapped = call(
        &["--json", "sign", "--private-key-file", &key],
        doc.as_bytes(),
    );
    let file = write_file(dir.path(), "wrapped.json", &wrapped.stdout);
    let run = call(&["--json", "submit", &file, "--url", &server.url], b"");
    assert_eq!(run.code, 0, "{run:?}");
    let obj = json_of(&run);
    assert_eq!(obj["status"], "accepted");
    assert_eq!(obj["operation"], "Payment");
    assert_eq!(server.posts()[1].target, "/v2/transactions/payment");
}

#[test]
fn tampered_files_partials_and_the_wrong_scheme_are_refused_before_sending() {
    let server = scripted(
        Settings {
            mode: Some("v2_only"),
            ..Settings::default()
        },
        vec![],
    );
    let dir = tempfile::tempdir().unwrap();
    let key = write_file(dir.path(), "k", SPEC_KEY);
    let pay = ["pay", "--to", R, "--token", T, "--value", "1000"];

    // A value changed inside the object: its claims no longer hold.
    let file = signed_file(
        dir.path(),
        "a.json",
        &[&pay[..], &["--scheme", "v2"]].concat(),
        &server.url,
        &key,
    );
    let text = std::fs::read_to_string(&file).unwrap();
    let tampered = write_file(
        dir.path(),
        "t.json",
        &text.replacen("\"1000\"", "\"9000\"", 1),
    );
    let run = call(&["submit", &tampered, "--url", &server.url], b"");
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("altered"), "{run:?}");
    // The bare body changed: another signer, which --expect-signer catches.
    let body = String::from_utf8(request_bytes(&file)).unwrap();
    let bare = write_file(
        dir.path(),
        "b.json",
        &body.replacen("\"1000\"", "\"9000\"", 1),
    );
    let run = call(
        &[
            "submit",
            &bare,
            "--expect-signer",
            SPEC_ADDRESS,
            "--url",
            &server.url,
        ],
        b"",
    );
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("not signed by"), "{run:?}");
    // A signature that is not one.
    let broken = write_file(
        dir.path(),
        "s.json",
        &body
            .replace("\"v\":0", "\"v\":5")
            .replace("\"v\":1", "\"v\":5"),
    );
    let run = call(&["submit", &broken, "--url", &server.url], b"");
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("nothing was sent"), "{run:?}");

    // A v1 request to a v2_only server: refused, never re-signed.
    let v1 = signed_file(
        dir.path(),
        "v1.json",
        &[&pay[..], &["--scheme", "v1"]].concat(),
        &server.url,
        &key,
    );
    let run = call(&["submit", &v1, "--url", &server.url], b"");
    assert_eq!(run.code, 3, "{run:?}");
    assert!(run.stderr.contains("v2_only"), "{run:?}");
    assert!(run.stderr.contains("never resent"), "{run:?}");

    // One member's partial signature is not a request.
    let partial = dir.path().join("p.json");
    let run = call(
        &[
            "pay",
            "--to",
            R,
            "--token",
            T,
            "--value",
            "1",
            "--multisig",
            R,
            "--out",
            partial.to_str().unwrap(),
            "--chain-id",
            "1",
            "--nonce",
            "0",
            "--private-key-file",
            &key,
        ],
        b"",
    );
    assert_eq!(run.code, 0, "{run:?}");
    let run = call(
        &["submit", partial.to_str().unwrap(), "--url", &server.url],
        b"",
    );
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("multisig combine"), "{run:?}");
    assert!(run.stderr.contains(SPEC_ADDRESS), "{run:?}");
    assert!(server.posts().is_empty(), "{:?}", server.posts());
}

#[test]
fn a_known_transaction_is_reported_and_not_sent_again() {
    let server = scripted(
        Settings {
            found: true,
            ..Settings::default()
        },
        vec![],
    );
    let dir = tempfile::tempdir().unwrap();
    let key = write_file(dir.path(), "k", SPEC_KEY);
    let file = signed_file(
        dir.path(),
        "a.json",
        &["pay", "--to", R, "--token", T, "--value", "1"],
        &server.url,
        &key,
    );
    let run = call(&["submit", &file, "--url", &server.url], b"");
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("Already known"), "{run:?}");
    let run = call(&["--json", "submit", &file, "--url", &server.url], b"");
    assert_eq!(json_of(&run)["status"], "already_known");
    assert!(server.posts().is_empty());
}

#[test]
fn a_combined_multisig_file_is_submitted() {
    let server = scripted(Settings::default(), vec![]);
    let dir = tempfile::tempdir().unwrap();
    let k1 = write_file(dir.path(), "k1", SPEC_KEY);
    let k2 = write_file(dir.path(), "k2", &"11".repeat(32));
    let pk = |k: &str| {
        json_of(&call(&["--json", "address", "--private-key-file", k], b""))["public_key"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let (p1, p2) = (pk(&k1), pk(&k2));
    let account = call(
        &[
            "multisig",
            "address",
            "--member",
            &p1,
            "--member",
            &p2,
            "--threshold",
            "2",
        ],
        b"",
    );
    let account = account.stdout.trim().to_owned();
    let mut parts = Vec::new();
    for (i, k) in [&k1, &k2].iter().enumerate() {
        let out = dir.path().join(format!("part{i}.json"));
        let run = call(
            &[
                "pay",
                "--to",
                R,
                "--token",
                T,
                "--value",
                "5",
                "--multisig",
                &account,
                "--out",
                out.to_str().unwrap(),
                "--chain-id",
                "1212101",
                "--nonce",
                "3",
                "--private-key-file",
                k,
            ],
            b"",
        );
        assert_eq!(run.code, 0, "{run:?}");
        parts.push(out.to_str().unwrap().to_owned());
    }
    let combined = call(
        &[
            "--json",
            "multisig",
            "combine",
            &parts[0],
            &parts[1],
            "--dry-run",
        ],
        b"",
    );
    assert_eq!(combined.code, 0, "{combined:?}");
    let file = write_file(dir.path(), "combined.json", &combined.stdout);
    let run = call(&["submit", &file, "--url", &server.url], b"");
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains(&account), "{run:?}");
    let post = &server.posts()[0];
    assert_eq!(post.target, OpType::Payment.v2_path());
    assert_eq!(post.body, request_bytes(&file));
}

/// The offline flow against a real node: sign a payment without sending,
/// verify the file, submit it and wait for finality; the balance moves.
#[test]
fn sign_verify_submit_wait_completes_a_payment_on_a_node() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("node");
    let (_node, url) = start_node(data.to_str().unwrap(), &[]);
    let words = write_file(
        dir.path(),
        "words",
        "test test test test test test test test test test test junk",
    );
    let master = Address::parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8").unwrap();
    let token = token_address(&master, "DEVUSD").to_string();
    let bob = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
    let file = dir.path().join("pay.json");
    let file = file.to_str().unwrap();
    let run = call(
        &[
            "pay",
            "--to",
            bob,
            "--token",
            &token,
            "--value",
            "2500",
            "--dry-run",
            "--out",
            file,
            "--url",
            &url,
            "--mnemonic-file",
            &words,
        ],
        b"",
    );
    assert_eq!(run.code, 0, "{run:?}");
    let verify = call(&["verify", file], b"");
    assert_eq!(verify.code, 0, "{verify:?}");
    assert!(
        verify
            .stdout
            .contains("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"),
        "{verify:?}"
    );
    let balance = |who: &str| -> String {
        let run = call(
            &[
                "--json",
                "balance",
                "--token",
                &token,
                "--address",
                who,
                "--url",
                &url,
            ],
            b"",
        );
        json_of(&run)["balance"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    let before = balance(bob);
    let run = call(&["submit", file, "--wait", "--url", &url], b"");
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("Accepted."), "{run:?}");
    assert!(run.stdout.contains("Finalized."), "{run:?}");
    let after = balance(bob);
    let (b, a): (u128, u128) = (before.parse().unwrap(), after.parse().unwrap());
    assert_eq!(a, b + 2500);
    // Again: known by hash, not sent twice.
    let run = call(&["--json", "submit", file, "--url", &url], b"");
    assert_eq!(run.code, 0, "{run:?}");
    let obj: Value = json_of(&run);
    assert_eq!(obj["status"], "already_known");
    assert_eq!(balance(bob), after);
}

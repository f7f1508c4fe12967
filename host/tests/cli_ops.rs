//! Every operation command against a scripted server, in both schemes:
//! the exact path and body each sends, `--scheme auto` reading
//! `/api/status` once, amounts in whole tokens. The submit outcomes are in
//! cli_ops_outcomes.rs.

mod cli_support;

use cli_support::ops::{ops, Op, R, T};
use cli_support::scripted::{op_of_path, scripted, Settings};
use cli_support::*;
use serde_json::Value;
use tokensign_core::json::{parse_legacy, parse_native};
use tokensign_core::tx::OpType;

fn run_op(op: &Op, url: &str, key: &str, extra: &[&str]) -> Run {
    let mut args: Vec<&str> = vec!["--json"];
    args.extend(op.args.iter().map(String::as_str));
    args.extend_from_slice(&["--url", url, "--private-key-file", key, "--retries", "0"]);
    args.extend_from_slice(extra);
    call(&args, b"")
}

#[test]
fn every_operation_is_sent_to_its_path_in_the_scheme_the_server_asks_for() {
    let dir = tempfile::tempdir().unwrap();
    let key = write_file(dir.path(), "k", SPEC_KEY);
    for (mode, v2) in [
        (Some("dual"), true),
        (Some("v2_only"), true),
        (None, false),
        (Some("v1_only"), false),
    ] {
        for op in ops() {
            let server = scripted(
                Settings {
                    mode,
                    ..Settings::default()
                },
                vec![],
            );
            let out = run_op(&op, &server.url, &key, &[]);
            let name = format!("{} ({mode:?})", op.args[0]);
            assert_eq!(
                server.count("GET /api/status"),
                1,
                "{name}: status read once"
            );
            if !v2 && op.op.v1_path().is_none() {
                // A v2-only operation on a v1 server: refused, nothing sent.
                assert_eq!(out.code, 3, "{name}: {out:?}");
                assert!(
                    out.stderr.contains("only in the native v2 scheme"),
                    "{out:?}"
                );
                assert!(server.posts().is_empty(), "{name}");
                continue;
            }
            assert_eq!(out.code, 0, "{name}: {out:?}");
            let posts = server.posts();
            assert_eq!(posts.len(), 1, "{name}");
            let post = &posts[0];
            let path = if v2 {
                op.op.v2_path()
            } else {
                op.op.v1_path().unwrap()
            };
            assert_eq!(post.target, path, "{name}");
            assert_eq!(op_of_path(&post.target), Some((op.op, v2)));
            let (tx, sender) = if v2 {
                let r = parse_native::<256, 32>(op.op, &post.body).unwrap();
                let sender = r.sender().unwrap();
                (r.tx, sender)
            } else {
                let r = parse_legacy::<256, 32>(op.op, &post.body).unwrap();
                let sender = r.signer().unwrap();
                (r.tx, sender)
            };
            assert_eq!(sender.to_string(), SPEC_ADDRESS, "{name}");
            assert_eq!((tx.chain_id, tx.nonce), (1212101, 7), "{name}");
            let body: Value = serde_json::from_slice(&post.body).unwrap();
            for (k, v) in &op.fields {
                let got = &body[*k];
                let same = match (got.as_str(), v.as_str()) {
                    (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
                    _ => got == v,
                };
                assert!(same, "{name}: {k} is {got}, want {v}");
            }
            // The --json result describes what was sent.
            let obj = json_of(&out);
            assert_eq!(obj["status"], "accepted");
            assert_eq!(obj["path"], path);
            assert_eq!(obj["scheme"], if v2 { "v2" } else { "v1" });
            assert_eq!(
                obj["request"], body,
                "{name}: the body printed is the body sent"
            );
            if op.op == OpType::CreateMultiSig {
                assert!(obj["account"].as_str().unwrap().starts_with("0x"), "{obj}");
            }
        }
    }
}

#[test]
fn a_forced_scheme_reads_no_status_and_dry_run_sends_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let key = write_file(dir.path(), "k", SPEC_KEY);
    let server = scripted(Settings::default(), vec![]);
    let op = &ops()[0];
    let out = run_op(op, &server.url, &key, &["--scheme", "v1", "--dry-run"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(json_of(&out)["status"], "dry_run");
    assert_eq!(json_of(&out)["path"], "/v1/transactions/payment");
    assert_eq!(server.count("GET /api/status"), 0);
    assert!(server.posts().is_empty());
    // Chain id, nonce and scheme given: no server at all.
    let out = call(
        &[
            "pay",
            "--to",
            R,
            "--token",
            T,
            "--amount",
            "0.25",
            "--token-decimals",
            "2",
            "--chain-id",
            "1212101",
            "--nonce",
            "1",
            "--scheme",
            "v2",
            "--dry-run",
            "--url",
            "http://127.0.0.1:9",
            "--private-key-file",
            &key,
        ],
        b"",
    );
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.contains("\"value\":\"25\""), "{out:?}");
    assert!(out.stdout.contains("Dry run: nothing was sent"), "{out:?}");
}

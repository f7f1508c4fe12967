//! `tokensign dev …`: each development control through the CLI, against a
//! node, as lines and `--json`, with the exit codes of its failures.

mod cli_support;
mod server_common;

use cli_support::{call, json_of, write_file, Run};
use serde_json::json;
use server_common::live::*;
use server_common::*;
use tokensign_core::Address;

/// `tokensign [--json] dev <args> --url <node>`.
fn dev(live: &Live, json_mode: bool, args: &[&str]) -> Run {
    let url = format!("http://{}", live.a());
    let mut argv = Vec::new();
    if json_mode {
        argv.push("--json");
    }
    argv.push("dev");
    argv.extend_from_slice(args);
    argv.extend_from_slice(&["--url", &url]);
    call(&argv, b"")
}

fn ok(run: Run) -> Run {
    assert_eq!(run.code, 0, "{run:?}");
    run
}

fn balance(live: &Live, who: &Address) -> String {
    get(
        live.a(),
        &format!(
            "/v1/accounts/token_account?address={who}&token={}",
            live.token
        ),
    )
    .json()["balance"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn set_balance_and_set_nonce() {
    let live = live_with(|_| {});
    let token = live.token.to_string();
    let who = keyless(0x11).to_string();
    let out = ok(dev(
        &live,
        false,
        &[
            "set-balance",
            "--address",
            &who,
            "--token",
            &token,
            "--value",
            "1500",
        ],
    ));
    assert!(out.stdout.contains("1500 (was 0)"), "{out:?}");
    assert_eq!(balance(&live, &keyless(0x11)), "1500");
    // Whole tokens, converted with the token's decimals (6, read from it).
    let out = ok(dev(
        &live,
        true,
        &[
            "set-balance",
            "--address",
            &who,
            "--token",
            &token,
            "--amount",
            "2.5",
        ],
    ));
    assert_eq!(json_of(&out)["balance"], "2500000");
    assert_eq!(json_of(&out)["previous"], "1500");
    // Refused by the node: exit 3 with its code.
    let out = dev(
        &live,
        true,
        &[
            "set-balance",
            "--address",
            &who,
            "--token",
            &keyless(9).to_string(),
            "--value",
            "1",
        ],
    );
    assert_eq!(out.code, 3, "{out:?}");
    assert_eq!(json_of(&out)["error"]["error_code"], "TOKEN_NOT_FOUND");
    // Bad input never reaches the node: exit 2.
    let out = dev(
        &live,
        false,
        &[
            "set-balance",
            "--address",
            "0x12",
            "--token",
            &token,
            "--value",
            "1",
        ],
    );
    assert_eq!(out.code, 2, "{out:?}");

    let out = ok(dev(
        &live,
        false,
        &["set-nonce", "--address", &who, "--nonce", "9"],
    ));
    assert!(out.stdout.contains(": 9 (was 0)"), "{out:?}");
    assert_eq!(
        get(live.a(), &format!("/v1/accounts/nonce?address={who}")).json()["nonce"],
        9
    );
}

#[test]
fn send_moves_tokens_as_an_account_whose_key_is_never_given() {
    let live = live_with(|_| {});
    let holder = keyless(0x21);
    live.pay(holder, 1000);
    let dir = tempfile::tempdir().unwrap();
    let doc = write_file(
        dir.path(),
        "pay.json",
        &json!({"operation": "Payment", "recipient": keyless(0x22).to_string(),
                "value": "300", "token": live.token.to_string()})
        .to_string(),
    );
    let out = ok(dev(
        &live,
        true,
        &["send", "--from", &holder.to_string(), &doc],
    ));
    let hash = json_of(&out)["hash"].as_str().unwrap().to_owned();
    assert_eq!(balance(&live, &holder), "700");
    assert_eq!(balance(&live, &keyless(0x22)), "300");
    let receipt = get(
        live.a(),
        &format!("/v1/transactions/receipt/by_hash?hash={hash}"),
    )
    .json();
    assert_eq!(receipt["impersonated"], true);
    assert_eq!(receipt["from"], holder.to_string());
    // Lines: the hash.
    let out = ok(dev(
        &live,
        false,
        &["send", "--from", &holder.to_string(), &doc],
    ));
    assert!(
        out.stdout.starts_with(&format!("sent as {holder}: 0x")),
        "{out:?}"
    );
    // A rule refuses: exit 3, the node's code.
    let big = write_file(
        dir.path(),
        "big.json",
        &json!({"operation": "Payment", "recipient": keyless(0x22).to_string(),
                "value": "100000", "token": live.token.to_string()})
        .to_string(),
    );
    let out = dev(&live, true, &["send", "--from", &holder.to_string(), &big]);
    assert_eq!(out.code, 3, "{out:?}");
    assert_eq!(json_of(&out)["error"]["error_code"], "INSUFFICIENT_BALANCE");
    // A document with its own `from` is refused before sending (but a
    // clawback's `from` is its holder).
    let own = write_file(
        dir.path(),
        "own.json",
        &json!({"operation": "Payment", "from": holder.to_string()}).to_string(),
    );
    assert_eq!(
        dev(&live, false, &["send", "--from", &holder.to_string(), &own]).code,
        2
    );
    let master = master_key().address().to_string();
    for doc in [
        json!({"operation": "TokenBlacklist", "action": "Add", "address": holder.to_string(),
               "token": live.token.to_string()}),
        json!({"operation": "TokenClawback", "from": holder.to_string(), "recipient": master,
               "value": "400", "token": live.token.to_string()}),
    ] {
        let path = write_file(dir.path(), "doc.json", &doc.to_string());
        ok(dev(&live, false, &["send", "--from", &master, &path]));
    }
    assert_eq!(balance(&live, &holder), "0");
}

#[test]
fn modes_and_fees() {
    let live = live_with(|_| {});
    let out = ok(dev(&live, false, &["modes"]));
    assert_eq!(out.stdout, "write mode dual\nread_only  false\n");
    let out = ok(dev(
        &live,
        true,
        &["modes", "--read-only", "true", "--write-mode", "v2_only"],
    ));
    assert_eq!(
        json_of(&out),
        json!({"write_mode": "v2_only", "read_only": true})
    );
    assert_eq!(get(live.a(), "/api/status").json()["read_only"], true);
    assert_eq!(dev(&live, false, &["modes", "--write-mode", "v3"]).code, 2);

    let token = live.token.to_string();
    let out = ok(dev(
        &live,
        true,
        &["fees", "--flat", "5", "--token-fee", &format!("{token}=2")],
    ));
    assert_eq!(json_of(&out)["flat"], "5");
    assert_eq!(json_of(&out)["per_token"][&token], "2");
    let out = ok(dev(&live, false, &["fees", "--remove-token-fee", &token]));
    assert!(out.stdout.starts_with("flat fee   5\n"), "{out:?}");
    assert!(!out.stdout.contains(&token), "{out:?}");
    assert_eq!(dev(&live, false, &["fees", "--token-fee", "nope"]).code, 2);
}

#[test]
fn checkpoints() {
    let live = live_with(|_| {});
    let out = ok(dev(&live, false, &["checkpoint-mode", "manual"]));
    assert_eq!(
        out.stdout,
        "checkpoints: manual; 0 transaction(s) pending\n"
    );
    let hash = live.pay(keyless(0x31), 1);
    let out = ok(dev(&live, true, &["checkpoint-mode"]));
    assert_eq!(json_of(&out)["pending"], 1);
    let out = ok(dev(&live, true, &["checkpoint"]));
    assert_eq!(json_of(&out)["transactions"], 1);
    let number = json_of(&out)["number"].clone();
    let receipt = get(
        live.a(),
        &format!("/v1/transactions/receipt/by_hash?hash={hash}"),
    )
    .json();
    assert_eq!(receipt["checkpoint_number"], number);
    let out = ok(dev(
        &live,
        false,
        &["checkpoint-mode", "interval", "--every", "100"],
    ));
    assert_eq!(
        out.stdout,
        "checkpoints: interval, every 100 ms; 0 transaction(s) pending\n"
    );
    let out = dev(&live, true, &["checkpoint-mode", "interval"]);
    assert_eq!(out.code, 3, "{out:?}");
    assert_eq!(json_of(&out)["error"]["error_code"], "MISSING_FIELD");
    assert_eq!(
        dev(&live, false, &["checkpoint-mode", "--every", "5"]).code,
        2
    );
    ok(dev(&live, false, &["checkpoint-mode", "auto"]));
}

#[test]
fn faults() {
    let live = live_with(|_| {});
    let out = ok(dev(
        &live,
        false,
        &[
            "fault",
            "--route",
            "/v2/transactions/payment",
            "--error-code",
            "SERVICE_UNAVAILABLE",
            "--status",
            "503",
            "--count",
            "2",
        ],
    ));
    assert_eq!(
        out.stdout,
        "/v2/transactions/payment: the next 2 write(s) answer 503 SERVICE_UNAVAILABLE\n"
    );
    let out = ok(dev(&live, true, &["faults"]));
    assert_eq!(json_of(&out)["faults"][0]["remaining"], 2);
    let out = ok(dev(&live, false, &["clear-faults"]));
    assert_eq!(out.stdout, "no fault armed\n");
    let out = dev(
        &live,
        true,
        &["fault", "--route", "/nowhere", "--error-code", "X"],
    );
    assert_eq!(out.code, 3, "{out:?}");
    assert_eq!(json_of(&out)["error"]["error_code"], "INVALID_VALUE");
}

#[test]
fn snapshot_and_revert() {
    let live = live_with(|_| {});
    let to = keyless(0x41);
    let out = ok(dev(&live, true, &["snapshot"]));
    let id = json_of(&out)["id"].as_u64().unwrap();
    let at = json_of(&out)["checkpoint"].as_u64().unwrap();
    assert_eq!(at, live.latest());
    live.pay(to, 9);
    assert_eq!(balance(&live, &to), "9");
    let out = ok(dev(&live, false, &["revert", &id.to_string()]));
    assert_eq!(
        out.stdout,
        format!("reverted to snapshot {id}: the latest checkpoint is {at} again\n")
    );
    assert_eq!(balance(&live, &to), "0");
    // Used up by the revert: refused by name, exit 3.
    let out = dev(&live, true, &["revert", &id.to_string()]);
    assert_eq!(out.code, 3, "{out:?}");
    assert_eq!(json_of(&out)["error"]["error_code"], "SNAPSHOT_NOT_FOUND");
    let out = ok(dev(&live, false, &["snapshot"]));
    assert!(
        out.stdout.starts_with("snapshot ") && out.stdout.contains("tokensign dev revert"),
        "{out:?}"
    );
    // Not a number: exit 2, nothing sent.
    assert_eq!(dev(&live, false, &["revert", "x"]).code, 2);
}

#[test]
fn no_node_and_controls_off() {
    // Nothing listens: exit 4, nothing was sent.
    let out = call(&["dev", "checkpoint", "--url", "http://127.0.0.1:9"], b"");
    assert_eq!(out.code, 4, "{out:?}");
    // A node with the controls off: exit 3, the code says why.
    let live = live_with(|c| c.dev_controls = Some(false));
    let out = dev(&live, true, &["modes"]);
    assert_eq!(out.code, 3, "{out:?}");
    assert_eq!(
        json_of(&out)["error"]["error_code"],
        "DEV_CONTROLS_DISABLED"
    );
}

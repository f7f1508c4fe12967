//! The reads against a scripted server: `balance`, `token`, `nonce`,
//! `status`, `tx` (by hash, `--receipt`, `--wait` until finalized and its
//! timeout), and their bad inputs.

mod cli_support;

use cli_support::scripted::{scripted, Settings};
use cli_support::*;

const T: &str = "0x0101010101010101010101010101010101010101";
const HASH: &str = "0xabababababababababababababababababababababababababababababababab";

#[test]
fn balance_token_nonce_and_status() {
    let server = scripted(Settings::default(), vec![]);
    let url = server.url.as_str();
    let dir = tempfile::tempdir().unwrap();
    let key = write_file(dir.path(), "k", SPEC_KEY);

    // The holder defaults to the key's address.
    let out = call(
        &[
            "--json",
            "balance",
            "--token",
            T,
            "--url",
            url,
            "--private-key-file",
            &key,
        ],
        b"",
    );
    assert_eq!(out.code, 0, "{out:?}");
    let obj = json_of(&out);
    assert_eq!(obj["balance"], "12500000");
    assert_eq!(obj["address"], SPEC_ADDRESS);
    let asked = format!(
        "GET /v1/accounts/token_account?address={}&token={T}",
        SPEC_ADDRESS
    );
    assert_eq!(server.count(&asked), 1, "{:?}", server.seen());
    let out = call(&["balance", "--token", T, "--url", url], b"");
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("--address"), "{out:?}");

    let out = call(&["token", "--token", T, "--url", url], b"");
    assert_eq!(out.code, 0, "{out:?}");
    for needle in [
        "USDX",
        "decimals                6",
        "supply                  99000000",
        "0x0202020202020202020202020202020202020202 (allowance 1000)",
        "blacklist               0x0303030303030303030303030303030303030303",
    ] {
        assert!(out.stdout.contains(needle), "{needle}: {out:?}");
    }
    let out = call(&["--json", "token", "--token", T, "--url", url], b"");
    assert_eq!(json_of(&out)["decimals"], 6);

    let out = call(&["nonce", "--address", T, "--url", url], b"");
    assert_eq!((out.code, out.stdout.trim()), (0, "7"), "{out:?}");

    let out = call(&["--json", "status", "--url", url], b"");
    let obj = json_of(&out);
    assert_eq!(obj["status"]["native_write_mode"], "dual");
    assert_eq!(obj["auto_scheme"], "v2");
    let old = scripted(
        Settings {
            mode: None,
            ..Settings::default()
        },
        vec![],
    );
    let out = call(&["status", "--url", &old.url], b"");
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.contains("no /api/status"), "{out:?}");
    assert!(out.stdout.contains("signs v1"), "{out:?}");
}

#[test]
fn tx_by_hash_receipt_and_wait() {
    let found = scripted(
        Settings {
            found: true,
            ..Settings::default()
        },
        vec![],
    );
    let out = call(
        &["--json", "tx", HASH, "--receipt", "--url", &found.url],
        b"",
    );
    assert_eq!(out.code, 0, "{out:?}");
    let obj = json_of(&out);
    assert_eq!(obj["transaction"]["transaction_type"], "TokenTransfer");
    assert_eq!(obj["receipt"]["success"], true);

    // Not known: exit 3, says what to do.
    let missing = scripted(Settings::default(), vec![]);
    let out = call(&["tx", HASH, "--url", &missing.url], b"");
    assert_eq!(out.code, 3, "{out:?}");
    assert!(out.stderr.contains("check the hash"), "{out:?}");

    // --wait polls the finalized receipt until it comes (the second look).
    let out = call(
        &["--json", "tx", HASH, "--wait", "--url", &missing.url],
        b"",
    );
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(json_of(&out)["finalized"]["epoch"], 9);
    assert_eq!(missing.count("GET /v1/transactions/finalized/by_hash"), 2);
    // No progress line off a terminal.
    assert!(!out.stderr.contains('\r'), "{out:?}");

    // Never finalized: exit 5 at the timeout, with what to do next.
    let never = scripted(
        Settings {
            finalized_at: 0,
            ..Settings::default()
        },
        vec![],
    );
    let out = call(
        &[
            "tx",
            HASH,
            "--wait",
            "--wait-timeout",
            "1",
            "--url",
            &never.url,
        ],
        b"",
    );
    assert_eq!(out.code, 5, "{out:?}");
    assert!(out.stderr.contains("not finalized within 1 s"), "{out:?}");
    assert!(out.stderr.contains("--wait"), "{out:?}");

    let out = call(&["token", "--token", "0x12", "--url", &never.url], b"");
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("invalid --token"), "{out:?}");
    let out = call(&["nonce", "--address", "nope", "--url", &never.url], b"");
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("invalid --address"), "{out:?}");
    let out = call(&["tx", "0x12", "--url", &never.url], b"");
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("64 hex digits"), "{out:?}");
}

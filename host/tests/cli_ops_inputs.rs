//! What a person types for an operation's values: amounts in whole tokens
//! converted with the token's decimals (never rounded), and batch payments
//! from flags and a file, in order.

mod cli_support;

use cli_support::scripted::{scripted, Settings};
use cli_support::*;

const T: &str = "0x0101010101010101010101010101010101010101";
const R: &str = "0x0202020202020202020202020202020202020202";
const A: &str = "0x0303030303030303030303030303030303030303";

#[test]
fn amounts_in_whole_tokens_use_the_tokens_decimals_and_never_round() {
    let dir = tempfile::tempdir().unwrap();
    let key = write_file(dir.path(), "k", SPEC_KEY);
    let server = scripted(Settings::default(), vec![]);
    let pay = |amount: &str| {
        call(
            &[
                "pay",
                "--to",
                R,
                "--token",
                T,
                "--amount",
                amount,
                "--url",
                &server.url,
                "--private-key-file",
                &key,
                "--dry-run",
            ],
            b"",
        )
    };
    let out = pay("12.5");
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.contains("\"value\":\"12500000\""), "{out:?}");
    assert!(out.stderr.contains("decimals: 6"), "{out:?}");
    let out = pay("0.0000001");
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("7 fractional digits"), "{out:?}");
    assert!(out.stderr.contains("6 decimals"), "{out:?}");
    // The largest U256 in base units is exact.
    let max = "115792089237316195423570985008687907853269984665640564039457584007913129639935";
    let out = call(
        &[
            "pay",
            "--to",
            R,
            "--token",
            T,
            "--value",
            max,
            "--url",
            &server.url,
            "--private-key-file",
            &key,
            "--dry-run",
        ],
        b"",
    );
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.contains(max), "{out:?}");
    assert!(server.posts().is_empty());
    // An unknown token: the read is refused, and the message says what to do.
    let unknown = scripted(
        Settings {
            token_known: false,
            ..Settings::default()
        },
        vec![],
    );
    let out = call(
        &[
            "pay",
            "--to",
            R,
            "--token",
            T,
            "--amount",
            "1",
            "--url",
            &unknown.url,
            "--private-key-file",
            &key,
        ],
        b"",
    );
    assert_eq!(out.code, 3, "{out:?}");
    assert!(out.stderr.contains("TOKEN_NOT_FOUND"), "{out:?}");
    assert!(out.stderr.contains("--token-decimals"), "{out:?}");
    assert!(unknown.posts().is_empty());
}

#[test]
fn batch_payments_from_a_file_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let key = write_file(dir.path(), "k", SPEC_KEY);
    let file = write_file(
        dir.path(),
        "payments.csv",
        &format!("# recipient,amount\n{R},10\n\n{A},0020\n"),
    );
    let out = call(
        &[
            "--json",
            "batch-pay",
            "--token",
            T,
            "--pay",
            &format!("{A}=1"),
            "--payments",
            &file,
            "--created-at",
            "5",
            "--batch-id",
            "run-1",
            "--chain-id",
            "1212101",
            "--nonce",
            "0",
            "--scheme",
            "v2",
            "--dry-run",
            "--private-key-file",
            &key,
        ],
        b"",
    );
    assert_eq!(out.code, 0, "{out:?}");
    let obj = json_of(&out);
    assert_eq!(
        obj["request"]["operations"],
        serde_json::json!([
            {"recipient": A, "amount": "1"},
            {"recipient": R, "amount": "10"},
            {"recipient": A, "amount": "20"},
        ])
    );
    assert_eq!(obj["request"]["batch_id"], "run-1");
    let bad = write_file(dir.path(), "bad.csv", &format!("{R};10\n"));
    let out = call(
        &[
            "batch-pay",
            "--token",
            T,
            "--payments",
            &bad,
            "--private-key-file",
            &key,
            "--url",
            "http://127.0.0.1:9",
        ],
        b"",
    );
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("payments line 1"), "{out:?}");
}

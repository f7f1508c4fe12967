//! The submit outcomes of a write against a scripted server: scheme
//! refusals (never resent under the other scheme), a wrong answer hash, a
//! 200 without a hash, a stall, a refusal with a code, a read-only node.

mod cli_support;

use std::time::Duration;

use cli_support::scripted::{scripted, Answer, Settings};
use cli_support::*;
use tokensign_core::tx::OpType;

const T: &str = "0x0101010101010101010101010101010101010101";
const R: &str = "0x0202020202020202020202020202020202020202";

/// `pay` of 1000 base units to `url` with the spec key, `--json`.
fn pay(url: &str, key: &str, extra: &[&str]) -> Run {
    let mut args = vec![
        "--json",
        "pay",
        "--to",
        R,
        "--token",
        T,
        "--value",
        "1000",
        "--url",
        url,
        "--private-key-file",
        key,
        "--retries",
        "0",
    ];
    args.extend_from_slice(extra);
    call(&args, b"")
}

#[test]
fn submit_outcomes_have_their_exit_codes_and_a_refused_scheme_is_never_resent() {
    let dir = tempfile::tempdir().unwrap();
    let key = write_file(dir.path(), "k", SPEC_KEY);
    let path = OpType::Payment.v2_path();

    // The node says dual but refuses /v2: exit 3, told to re-run, one POST.
    let server = scripted(
        Settings::default(),
        vec![(
            path,
            vec![Answer::Status(403, "DOMAIN_SEPARATED_SIGNATURE_NOT_ACTIVE")],
        )],
    );
    let out = pay(&server.url, &key, &[]);
    assert_eq!(out.code, 3, "{out:?}");
    assert!(out.stderr.contains("--scheme v1"), "{out:?}");
    assert!(out.stderr.contains("not resent"), "{out:?}");
    assert_eq!(server.posts().len(), 1);
    assert_eq!(server.count("POST /v1"), 0);

    // v2_only refuses /v1 with 410.
    let server = scripted(
        Settings::default(),
        vec![(
            OpType::Payment.v1_path().unwrap(),
            vec![Answer::Status(410, "LEGACY_NATIVE_WRITE_ENDPOINT_DISABLED")],
        )],
    );
    let out = pay(&server.url, &key, &["--scheme", "v1"]);
    assert_eq!(out.code, 3, "{out:?}");
    assert!(out.stderr.contains("--scheme v2"), "{out:?}");
    assert_eq!(server.count("POST /v2"), 0);

    // Another hash: accepted, not what was signed (exit 6), never resent.
    let server = scripted(Settings::default(), vec![(path, vec![Answer::WrongHash])]);
    let out = pay(&server.url, &key, &[]);
    assert_eq!(out.code, 6, "{out:?}");
    assert_eq!(server.posts().len(), 1);

    // 200 without a hash: unknown, looked up (spec 7.3).
    let server = scripted(
        Settings {
            found: true,
            ..Settings::default()
        },
        vec![(path, vec![Answer::NoHash])],
    );
    let out = pay(&server.url, &key, &[]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(json_of(&out)["confirmed_by_lookup"], true);
    assert_eq!(server.posts().len(), 1, "never resent");
    let server = scripted(Settings::default(), vec![(path, vec![Answer::NoHash])]);
    let out = pay(&server.url, &key, &[]);
    assert_eq!(out.code, 5, "{out:?}");
    assert!(out.stderr.contains("OUTCOME UNKNOWN"), "{out:?}");

    // A stall past the timeout: unknown outcome after a look-up.
    let server = scripted(
        Settings::default(),
        vec![(path, vec![Answer::Stall(Duration::from_secs(3))])],
    );
    let out = pay(&server.url, &key, &["--timeout", "1"]);
    assert_eq!(out.code, 5, "{out:?}");
    assert!(
        server.count("GET /v1/transactions/by_hash") >= 1,
        "looked up"
    );

    // A refusal with a body: exit 3 with the server's code.
    let server = scripted(
        Settings::default(),
        vec![(path, vec![Answer::Status(422, "INSUFFICIENT_BALANCE")])],
    );
    let out = pay(&server.url, &key, &[]);
    assert_eq!(out.code, 3, "{out:?}");
    assert_eq!(json_of(&out)["error"]["error_code"], "INSUFFICIENT_BALANCE");

    // A read-only node: nothing is signed or sent.
    let server = scripted(
        Settings {
            read_only: true,
            ..Settings::default()
        },
        vec![],
    );
    let out = pay(&server.url, &key, &[]);
    assert_eq!(out.code, 3, "{out:?}");
    assert!(out.stderr.contains("read_only"), "{out:?}");
    assert!(server.posts().is_empty());
}

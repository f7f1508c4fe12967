//! Key sources: key files, the environment, keystores and their passwords,
//! `keygen`.

use super::support::*;
use crate::cli_support::*;

/// Unreadable, malformed and zero keys, two key sources, keystores with
/// wrong or missing passwords, and `keygen` over a file or with no password.
#[test]
fn bad_keys_and_keystores_are_refused() {
    let fx = Fixtures::new();
    let issue = |extra: &[&str]| fx.issue(extra);
    let d = fx.dir.path();
    let Fixtures {
        key_file,
        bad_key_file,
        short_key_file,
        zero_key_file,
        missing,
        pw_file,
        wrong_pw,
        keystore,
        not_keystore,
        data,
        url,
        ..
    } = &fx;
    let cases = vec![
        Case {
            name: "unreadable key file",
            args: issue(&["--url", url, "--private-key-file", missing]),
            env: vec![],
            stdin: None,
            code: 2,
            needles: &["cannot read private key file", "missing"],
        },
        Case {
            name: "key file with a non-hex character",
            args: issue(&["--url", url, "--private-key-file", bad_key_file]),
            env: vec![],
            stdin: None,
            code: 2,
            needles: &["non-hex character"],
        },
        Case {
            name: "key file too short",
            args: s(&["address", "--private-key-file", short_key_file]),
            env: vec![],
            stdin: None,
            code: 2,
            needles: &["expected 64 hex digits"],
        },
        Case {
            name: "zero key",
            args: s(&["address", "--private-key-file", zero_key_file]),
            env: vec![],
            stdin: None,
            code: 2,
            needles: &["not a valid secp256k1 key"],
        },
        Case {
            name: "bad key in the environment",
            args: s(&["address"]),
            env: vec![("TOKENSIGN_PRIVATE_KEY", format!("{SPEC_KEY}00"))],
            stdin: None,
            code: 2,
            needles: &["$TOKENSIGN_PRIVATE_KEY", "64 hex digits"],
        },
        Case {
            name: "two key sources",
            args: s(&["address", "--private-key-file", key_file, "--dev-key"]),
            env: vec![],
            stdin: None,
            code: 2,
            needles: &["only one of"],
        },
        Case {
            name: "wrong keystore password",
            args: issue(&[
                "--url",
                url,
                "--keystore",
                keystore,
                "--password-file",
                wrong_pw,
            ]),
            env: vec![],
            stdin: None,
            code: 2,
            needles: &["wrong password for keystore"],
        },
        Case {
            name: "wrong keystore password from the environment",
            args: s(&["address", "--keystore", keystore]),
            env: vec![("TOKENSIGN_PASSWORD", "nope".to_owned())],
            stdin: None,
            code: 2,
            needles: &["wrong password"],
        },
        Case {
            name: "keystore password with no terminal",
            args: s(&["address", "--keystore", keystore]),
            env: vec![],
            stdin: None,
            code: 2,
            needles: &["no terminal", "--password-file"],
        },
        Case {
            name: "not a keystore",
            args: s(&[
                "address",
                "--keystore",
                not_keystore,
                "--password-file",
                pw_file,
            ]),
            env: vec![],
            stdin: None,
            code: 2,
            needles: &["not a usable Ethereum v3 keystore"],
        },
        Case {
            name: "missing keystore",
            args: s(&["address", "--keystore", missing, "--password-file", pw_file]),
            env: vec![],
            stdin: None,
            code: 2,
            needles: &["cannot read keystore"],
        },
        Case {
            name: "keygen over an existing file",
            args: s(&["keygen", "--out", keystore, "--password-file", pw_file]),
            env: vec![],
            stdin: None,
            code: 2,
            needles: &["already exists"],
        },
        Case {
            name: "keygen with an empty password",
            args: s(&[
                "keygen",
                "--out",
                &format!("{data}-new.json"),
                "--password-file",
                &write_file(d, "empty", "\n"),
            ]),
            env: vec![],
            stdin: None,
            code: 2,
            needles: &["empty password"],
        },
    ];
    check(&cases);
}

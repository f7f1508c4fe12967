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
    let cases = vec![
        Case {
            name: "unreadable key file",
            args: issue(&["--url", &fx.url, "--private-key-file", &fx.missing]),
            env: vec![],
            stdin: None,
            code: 2,
            needles: &["cannot read private key file", "missing"],
        },
        Case {
            name: "key file with a non-hex character",
            args: issue(&["--url", &fx.url, "--private-key-file", &fx.bad_key_file]),
            env: vec![],
            stdin: None,
            code: 2,
            needles: &["non-hex character"],
        },
        Case {
            name: "key file too short",
            args: s(&["address", "--private-key-file", &fx.short_key_file]),
            env: vec![],
            stdin: None,
            code: 2,
            needles: &["expected 64 hex digits"],
        },
        Case {
            name: "zero key",
            args: s(&["address", "--private-key-file", &fx.zero_key_file]),
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
            args: s(&["address", "--private-key-file", &fx.key_file, "--dev-key"]),
            env: vec![],
            stdin: None,
            code: 2,
            needles: &["only one of"],
        },
        Case {
            name: "wrong keystore password",
            args: issue(&[
                "--url",
                &fx.url,
                "--keystore",
                &fx.keystore,
                "--password-file",
                &fx.wrong_pw,
            ]),
            env: vec![],
            stdin: None,
            code: 2,
            needles: &["wrong password for keystore"],
        },
        Case {
            name: "wrong keystore password from the environment",
            args: s(&["address", "--keystore", &fx.keystore]),
            env: vec![("TOKENSIGN_PASSWORD", "nope".to_owned())],
            stdin: None,
            code: 2,
            needles: &["wrong password"],
        },
        Case {
            name: "keystore password with no terminal",
            args: s(&["address", "--keystore", &fx.keystore]),
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
                &fx.not_keystore,
                "--password-file",
                &fx.pw_file,
            ]),
            env: vec![],
            stdin: None,
            code: 2,
            needles: &["not a usable Ethereum v3 keystore"],
        },
        Case {
            name: "missing keystore",
            args: s(&[
                "address",
                "--keystore",
                &fx.missing,
                "--password-file",
                &fx.pw_file,
            ]),
            env: vec![],
            stdin: None,
            code: 2,
            needles: &["cannot read keystore"],
        },
        Case {
            name: "keygen over an existing file",
            args: s(&[
                "keygen",
                "--out",
                &fx.keystore,
                "--password-file",
                &fx.pw_file,
            ]),
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
                &format!("{}-new.json", fx.data),
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

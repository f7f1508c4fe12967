//! Documents read from files or stdin: malformed, unknown fields, too large,
//! missing, invalid values, unsigned.

use super::support::*;
use crate::cli_support::*;

/// Malformed, unknown, oversized, missing and invalid documents, and a
/// payload without a signature given to `verify`.
#[test]
fn bad_documents_are_refused() {
    let fx = Fixtures::new();
    let key_env = key_env();
    let cases = vec![
        Case {
            name: "malformed payload file",
            args: s(&["sign", "--payload", &fx.malformed]),
            env: key_env.clone(),
            stdin: None,
            code: 2,
            needles: &["invalid payload", "malformed JSON"],
        },
        Case {
            name: "payload with an unknown field",
            args: s(&["sign", "--payload", &fx.unknown_field]),
            env: key_env.clone(),
            stdin: None,
            code: 2,
            needles: &["invalid payload", "unknown field `extra`"],
        },
        Case {
            name: "payload too large",
            args: s(&["sign", "--payload", &fx.too_big]),
            env: key_env.clone(),
            stdin: None,
            code: 2,
            needles: &["longer than any valid"],
        },
        Case {
            name: "missing payload file",
            args: s(&["sign", "--payload", &fx.missing]),
            env: key_env.clone(),
            stdin: None,
            code: 2,
            needles: &["cannot read the payload"],
        },
        Case {
            name: "payload on stdin with decimals 19",
            args: s(&["--json", "sign"]),
            env: key_env.clone(),
            stdin: Some(spec_payload8(2).replace("\"decimals\":18", "\"decimals\":19")),
            code: 2,
            needles: &["\"kind\":\"bad_input\"", "at most 18"],
        },
        Case {
            name: "verify a payload without a signature",
            args: s(&["verify"]),
            env: vec![],
            stdin: Some(spec_payload7(2)),
            code: 2,
            needles: &["invalid request body", "missing field `signature`"],
        },
    ];
    check(&cases);
}

//! The flags of `issue`: addresses, symbol, name, decimals, nonce, clawback.

use super::support::*;

/// Each bad flag of `issue` names the flag and the rule it breaks.
#[test]
fn issue_flags_are_refused_with_their_rule() {
    let fx = Fixtures::new();
    let issue = |extra: &[&str]| fx.issue(extra);
    let key_env = key_env();
    let cases = vec![
        Case {
            name: "address too short",
            args: with(issue(&[]), "--master-authority", "0x1234"),
            env: key_env.clone(),
            stdin: None,
            code: 2,
            needles: &["invalid --master-authority", "40 hex digits"],
        },
        Case {
            name: "address without 0x",
            args: with(issue(&[]), "--master-authority", &MASTER[2..]),
            env: vec![],
            stdin: None,
            code: 2,
            needles: &["must start with 0x"],
        },
        Case {
            name: "bad checksum",
            args: with(
                issue(&[]),
                "--master-authority",
                "0x2045A425D0e131E747f8be2F044413733e412d7d",
            ),
            env: vec![],
            stdin: None,
            code: 2,
            needles: &["EIP-55 checksum"],
        },
        Case {
            name: "non-hex address",
            args: with(
                issue(&[]),
                "--master-authority",
                "0x2045a425d0e131e747f8be2f044413733e412d7g",
            ),
            env: vec![],
            stdin: None,
            code: 2,
            needles: &["non-hex"],
        },
        Case {
            name: "symbol too long",
            args: with(issue(&[]), "--symbol", "ABCDEFGHIJKLMNOPQRSTU"),
            env: vec![],
            stdin: None,
            code: 2,
            needles: &["invalid --symbol", "at most 20 bytes"],
        },
        Case {
            name: "symbol not alphanumeric",
            args: with(issue(&[]), "--symbol", "US-D"),
            env: vec![],
            stdin: None,
            code: 2,
            needles: &["invalid --symbol", "alphanumeric"],
        },
        Case {
            name: "empty name",
            args: with(issue(&[]), "--name", ""),
            env: vec![],
            stdin: None,
            code: 2,
            needles: &["invalid --name", "must not be empty"],
        },
        Case {
            name: "name with a bidi override",
            args: with(issue(&[]), "--name", "X\u{202e}Dollar"),
            env: vec![],
            stdin: None,
            code: 2,
            needles: &["invalid --name", "bidirectional"],
        },
        Case {
            name: "decimals 19",
            args: with(issue(&[]), "--decimals", "19"),
            env: vec![],
            stdin: None,
            code: 2,
            needles: &["invalid --decimals", "at most 18"],
        },
        Case {
            name: "decimals not a number",
            args: with(issue(&[]), "--decimals", "six"),
            env: vec![],
            stdin: None,
            code: 2,
            needles: &["--decimals"],
        },
        Case {
            name: "nonce above int64",
            args: issue(&["--nonce", "9223372036854775808"]),
            env: vec![],
            stdin: None,
            code: 2,
            needles: &["invalid --nonce"],
        },
        Case {
            name: "clawback not a boolean",
            args: issue(&["--clawback-enabled", "yes"]),
            env: vec![],
            stdin: None,
            code: 2,
            needles: &["--clawback-enabled"],
        },
    ];
    check(&cases);
}

//! Commands and their arguments: the old ABC-Lab mint form, bad amounts, a
//! bad operator, an unknown command.

use super::support::*;

/// The old mint form names the new command; bad amounts, a bad operator and
/// an unknown command are usage errors.
#[test]
fn bad_commands_are_refused() {
    let fx = Fixtures::new();
    let cases = vec![
        Case {
            name: "the old ABC-Lab form of mint names the new command",
            args: s(&[
                "--json",
                "mint",
                "--asset-id",
                "X",
                "--amount",
                "1",
                "--recipient",
                "0xA1",
            ]),
            env: vec![],
            stdin: None,
            code: 2,
            needles: &["abc-lab mint", "TokenMint", "\"kind\":\"bad_input\""],
        },
        Case {
            name: "mint with a negative amount",
            args: s(&[
                "abc-lab",
                "mint",
                "--asset-id",
                "X",
                "--amount",
                "-1",
                "--recipient",
                "0xA1",
                "--data-dir",
                &fx.data,
            ]),
            env: vec![],
            stdin: None,
            code: 2,
            needles: &["--amount", "greater than zero"],
        },
        Case {
            name: "mint with a text amount",
            args: s(&[
                "abc-lab",
                "mint",
                "--asset-id",
                "X",
                "--amount",
                "lots",
                "--recipient",
                "0xA1",
                "--data-dir",
                &fx.data,
            ]),
            env: vec![],
            stdin: None,
            code: 2,
            needles: &["--amount", "not a number"],
        },
        Case {
            name: "node with a bad operator",
            args: s(&["node", "--operator", "0xnope", "--data-dir", &fx.data]),
            env: vec![],
            stdin: None,
            code: 2,
            needles: &["invalid --operator"],
        },
        Case {
            name: "unknown command",
            args: s(&["frobnicate"]),
            env: vec![],
            stdin: None,
            code: 2,
            needles: &["frobnicate"],
        },
    ];
    check(&cases);
}

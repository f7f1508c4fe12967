//! Where a transaction goes: the development key against a real network,
//! no key, a network without a clawback choice, `--url` and `--network`.

use super::support::*;
use crate::cli_support::*;

/// The development key never goes to a real network, a network needs a
/// clawback choice, and a destination is one valid URL or network.
#[test]
fn where_to_send_is_refused_when_unsafe_or_unclear() {
    let fx = Fixtures::new();
    let issue = |extra: &[&str]| fx.issue(extra);
    let key_env = key_env();
    let cases = vec![
        Case {
            name: "dev key flag against --url",
            args: issue(&["--url", &fx.url, "--dev-key"]),
            env: vec![],
            stdin: None,
            code: 2,
            needles: &["development key", "PUBLIC and INSECURE"],
        },
        Case {
            name: "dev key from a key file against --url",
            args: issue(&["--url", &fx.url, "--private-key-file", &fx.dev_key_file]),
            env: vec![],
            stdin: None,
            code: 2,
            needles: &["development key"],
        },
        Case {
            name: "dev key against --network local",
            args: issue(&["--network", "local", "--dev-key"]),
            env: vec![],
            stdin: None,
            code: 2,
            needles: &["development key"],
        },
        Case {
            name: "no key against --url",
            args: issue(&["--url", &fx.url]),
            env: vec![],
            stdin: None,
            code: 2,
            needles: &["no signing key", "--keystore"],
        },
        Case {
            name: "testnet without a clawback choice",
            args: issue(&["--network", "testnet"]),
            env: key_env.clone(),
            stdin: None,
            code: 2,
            needles: &["--clawback-enabled true", "NEVER be changed"],
        },
        Case {
            name: "mainnet from the environment without a clawback choice",
            args: issue(&[]),
            env: vec![
                ("TOKENSIGN_NETWORK", "mainnet".to_owned()),
                ("TOKENSIGN_PRIVATE_KEY", SPEC_KEY.to_owned()),
            ],
            stdin: None,
            code: 2,
            needles: &["api.mainnet.1money.network", "--clawback-enabled"],
        },
        Case {
            name: "a live URL without a clawback choice",
            args: issue(&["--url", "https://api.testnet.1money.network/"]),
            env: key_env.clone(),
            stdin: None,
            code: 2,
            needles: &["live 1Money network", "clawback"],
        },
        Case {
            name: "--url and --network together",
            args: issue(&["--url", &fx.url, "--network", "local"]),
            env: vec![],
            stdin: None,
            code: 2,
            needles: &["cannot be used with"],
        },
        Case {
            name: "unknown network",
            args: issue(&["--network", "devnet"]),
            env: vec![],
            stdin: None,
            code: 2,
            needles: &["devnet"],
        },
        Case {
            name: "bad URL",
            args: issue(&[
                "--url",
                "ftp://example.com",
                "--private-key-file",
                &fx.key_file,
            ]),
            env: vec![],
            stdin: None,
            code: 2,
            needles: &["invalid server URL", "http://"],
        },
    ];
    check(&cases);
}

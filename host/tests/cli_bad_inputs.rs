//! A table of bad command lines: each gets a clear message and its
//! documented exit code, and no run ever prints the key or the password.

mod cli_support;

use cli_support::*;

const MASTER: &str = SPEC_ADDRESS;
const PASSWORD: &str = "hunter2-very-secret-pw";

struct Case {
    name: &'static str,
    args: Vec<String>,
    env: Vec<(&'static str, String)>,
    stdin: Option<String>,
    code: i32,
    needles: &'static [&'static str],
}

#[test]
fn bad_inputs_have_clear_messages_and_documented_codes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let key_file = write_file(d, "key", &format!("  0x{SPEC_KEY}\n"));
    let dev_key_file = write_file(d, "devkey", tokensign::signer::DEV_PRIVATE_KEY_HEX);
    let bad_key_file = write_file(d, "badkey", &format!("{}zz", &SPEC_KEY[..62]));
    let short_key_file = write_file(d, "shortkey", &SPEC_KEY[..40]);
    let zero_key_file = write_file(d, "zerokey", &"0".repeat(64));
    let missing = d.join("missing").to_str().unwrap().to_owned();
    let pw_file = write_file(d, "pw", PASSWORD);
    let wrong_pw = write_file(d, "wrongpw", "not-the-password");
    let keystore = d.join("ks.json").to_str().unwrap().to_owned();
    let made = run(&[
        "keygen",
        "--light-kdf",
        "--out",
        &keystore,
        "--password-file",
        &pw_file,
    ]);
    assert_eq!(made.code, 0, "{made:?}");
    let not_keystore = write_file(d, "notks.json", "{\"crypto\": 5}");
    let malformed = write_file(d, "bad.json", "{\"chain_id\": 1, \"nonce\": ");
    let unknown_field = write_file(
        d,
        "unknown.json",
        &spec_payload7(2).replace("{", "{\"extra\":1,"),
    );
    let too_big = write_file(
        d,
        "big.json",
        &" ".repeat(tokensign_core::json::MAX_JSON_INPUT_LEN + 1),
    );
    let data = d.join("data").to_str().unwrap().to_owned();
    // A port nothing listens on: these cases must fail before any network.
    let url = "http://127.0.0.1:9".to_owned();

    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let issue = |extra: &[&str]| {
        let mut v = s(&[
            "issue",
            "--symbol",
            "USDX",
            "--name",
            "X Dollar",
            "--decimals",
            "6",
            "--master-authority",
            MASTER,
            "--data-dir",
            &data,
        ]);
        v.extend(s(extra));
        v
    };
    let with = |args: Vec<String>, from: &str, to: &str| -> Vec<String> {
        let mut args = args;
        if let Some(i) = args.iter().position(|a| a == from) {
            args[i + 1] = to.to_owned();
        }
        args
    };
    let key_env = vec![("TOKENSIGN_PRIVATE_KEY", SPEC_KEY.to_owned())];

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
        Case {
            name: "dev key flag against --url",
            args: issue(&["--url", &url, "--dev-key"]),
            env: vec![],
            stdin: None,
            code: 2,
            needles: &["development key", "PUBLIC and INSECURE"],
        },
        Case {
            name: "dev key from a key file against --url",
            args: issue(&["--url", &url, "--private-key-file", &dev_key_file]),
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
            args: issue(&["--url", &url]),
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
            args: issue(&["--url", &url, "--network", "local"]),
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
                &key_file,
            ]),
            env: vec![],
            stdin: None,
            code: 2,
            needles: &["invalid server URL", "http://"],
        },
        Case {
            name: "unreadable key file",
            args: issue(&["--url", &url, "--private-key-file", &missing]),
            env: vec![],
            stdin: None,
            code: 2,
            needles: &["cannot read private key file", "missing"],
        },
        Case {
            name: "key file with a non-hex character",
            args: issue(&["--url", &url, "--private-key-file", &bad_key_file]),
            env: vec![],
            stdin: None,
            code: 2,
            needles: &["non-hex character"],
        },
        Case {
            name: "key file too short",
            args: s(&["address", "--private-key-file", &short_key_file]),
            env: vec![],
            stdin: None,
            code: 2,
            needles: &["expected 64 hex digits"],
        },
        Case {
            name: "zero key",
            args: s(&["address", "--private-key-file", &zero_key_file]),
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
            args: s(&["address", "--private-key-file", &key_file, "--dev-key"]),
            env: vec![],
            stdin: None,
            code: 2,
            needles: &["only one of"],
        },
        Case {
            name: "wrong keystore password",
            args: issue(&[
                "--url",
                &url,
                "--keystore",
                &keystore,
                "--password-file",
                &wrong_pw,
            ]),
            env: vec![],
            stdin: None,
            code: 2,
            needles: &["wrong password for keystore"],
        },
        Case {
            name: "wrong keystore password from the environment",
            args: s(&["address", "--keystore", &keystore]),
            env: vec![("TOKENSIGN_PASSWORD", "nope".to_owned())],
            stdin: None,
            code: 2,
            needles: &["wrong password"],
        },
        Case {
            name: "keystore password with no terminal",
            args: s(&["address", "--keystore", &keystore]),
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
                &not_keystore,
                "--password-file",
                &pw_file,
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
                &missing,
                "--password-file",
                &pw_file,
            ]),
            env: vec![],
            stdin: None,
            code: 2,
            needles: &["cannot read keystore"],
        },
        Case {
            name: "malformed payload file",
            args: s(&["sign", "--payload", &malformed]),
            env: key_env.clone(),
            stdin: None,
            code: 2,
            needles: &["invalid payload", "malformed JSON"],
        },
        Case {
            name: "payload with an unknown field",
            args: s(&["sign", "--payload", &unknown_field]),
            env: key_env.clone(),
            stdin: None,
            code: 2,
            needles: &["invalid payload", "unknown field `extra`"],
        },
        Case {
            name: "payload too large",
            args: s(&["sign", "--payload", &too_big]),
            env: key_env.clone(),
            stdin: None,
            code: 2,
            needles: &["longer than any valid"],
        },
        Case {
            name: "missing payload file",
            args: s(&["sign", "--payload", &missing]),
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
        Case {
            name: "keygen over an existing file",
            args: s(&["keygen", "--out", &keystore, "--password-file", &pw_file]),
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
                &data,
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
                &data,
            ]),
            env: vec![],
            stdin: None,
            code: 2,
            needles: &["--amount", "not a number"],
        },
        Case {
            name: "node with a bad operator",
            args: s(&["node", "--operator", "0xnope", "--data-dir", &data]),
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

    for case in &cases {
        let args: Vec<&str> = case.args.iter().map(String::as_str).collect();
        let env: Vec<(&str, &str)> = case.env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let out = run_with(&args, &env, case.stdin.as_deref().map(str::as_bytes));
        assert_eq!(out.code, case.code, "{}: {out:?}", case.name);
        let all = out.all();
        for needle in case.needles {
            assert!(
                all.contains(needle),
                "{}: {needle:?} not in {out:?}",
                case.name
            );
        }
        // Secrets never appear, in any case, in any form.
        for secret in [
            SPEC_KEY,
            &SPEC_KEY.to_uppercase(),
            &SPEC_KEY[..32],
            &SPEC_KEY[32..],
            PASSWORD,
        ] {
            assert!(
                !all.contains(secret),
                "{}: secret in output: {out:?}",
                case.name
            );
        }
        assert!(!all.contains("panicked"), "{}: {out:?}", case.name);
    }
}

/// With a known key in use, successful commands do not print it either.
#[test]
fn successful_runs_do_not_print_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let key_file = write_file(dir.path(), "key", SPEC_KEY);
    let data = dir.path().join("data");
    let runs = [
        run(&["address", "--private-key-file", &key_file]),
        run_with(
            &["--json", "sign", "--private-key-file", &key_file],
            &[],
            Some(spec_payload7(5).as_bytes()),
        ),
        run(&[
            "issue",
            "--symbol",
            "SAFE",
            "--name",
            "Safe",
            "--decimals",
            "1",
            "--master-authority",
            SPEC_ADDRESS,
            "--private-key-file",
            &key_file,
            "--data-dir",
            data.to_str().unwrap(),
        ]),
    ];
    for out in &runs {
        assert_eq!(out.code, 0, "{out:?}");
        assert!(!out.all().contains(SPEC_KEY), "{out:?}");
        assert!(!out.all().contains(&SPEC_KEY.to_uppercase()), "{out:?}");
    }
    assert_eq!(runs[0].stdout.trim(), SPEC_ADDRESS);
    // A user key on the embedded server is trusted there too (not the dev key).
    assert!(!runs[2].stdout.contains("development key"), "{:?}", runs[2]);
}

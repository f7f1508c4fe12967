//! Bad inputs of every operation command: the exit code (2: nothing was
//! sent) and a message that names the flag and says what to do. Each
//! runs against an address where nothing listens, so a command that
//! reached for the server would exit 4, not 2.

mod cli_support;

use cli_support::*;

const T: &str = "0x0101010101010101010101010101010101010101";
const R: &str = "0x0202020202020202020202020202020202020202";
const DEAD: &str = "http://127.0.0.1:9";

#[test]
fn bad_inputs_of_every_operation_command() {
    let dir = tempfile::tempdir().unwrap();
    let key = write_file(dir.path(), "k", SPEC_KEY);
    let words = write_file(
        dir.path(),
        "w",
        "test test test test test test test test test test test jank",
    );
    let garbage = write_file(dir.path(), "g.json", "{\"format\":\"x\"}");
    let pk = format!(
        "0x{}",
        hex::encode(tokensign_fixtures::spec_key().public_key_compressed())
    );
    let pk0 = format!("{pk}:0");
    let pk2 = format!(
        "0x{}",
        hex::encode(tokensign_fixtures::repeated_byte_key(0x22).public_key_compressed())
    );
    let (pay0, pay1) = (format!("{R}=0"), format!("{R}=1"));
    let cases: Vec<(&str, Vec<&str>, &[&str])> = vec![
        (
            "pay: bad recipient",
            vec!["pay", "--to", "0x12", "--token", T, "--value", "1"],
            &["invalid --recipient"],
        ),
        (
            "pay: no amount",
            vec!["pay", "--to", R, "--token", T],
            &["--value"],
        ),
        (
            "pay: both amounts",
            vec![
                "pay", "--to", R, "--token", T, "--value", "1", "--amount", "1",
            ],
            &["--amount"],
        ),
        (
            "pay: negative value",
            vec!["pay", "--to", R, "--token", T, "--value", "-1"],
            &["invalid --value", "base units"],
        ),
        (
            "pay: fractional value",
            vec!["pay", "--to", R, "--token", T, "--value", "1.5"],
            &["invalid --value", "--amount"],
        ),
        (
            "pay: float amount",
            vec!["pay", "--to", R, "--token", T, "--amount", "1e3"],
            &["invalid --amount", "no exponent"],
        ),
        (
            "pay: memo type with a space",
            vec![
                "pay",
                "--to",
                R,
                "--token",
                T,
                "--value",
                "1",
                "--memo-type",
                "a b",
            ],
            &["invalid --memo-type"],
        ),
        (
            "pay: memo data with a control",
            vec![
                "pay",
                "--to",
                R,
                "--token",
                T,
                "--value",
                "1",
                "--memo-data",
                "a\u{7}b",
            ],
            &["invalid --memo-data"],
        ),
        (
            "pay: bad multisig account",
            vec![
                "pay",
                "--to",
                R,
                "--token",
                T,
                "--value",
                "1",
                "--multisig",
                "nope",
            ],
            &["invalid --multisig"],
        ),
        (
            "mint: bad token",
            vec!["mint", "--to", R, "--token", "0xZZ", "--value", "1"],
            &["invalid --token"],
        ),
        (
            "burn: text amount",
            vec!["burn", "--token", T, "--amount", "lots"],
            &["invalid --amount"],
        ),
        (
            "grant: unknown authority",
            vec![
                "grant",
                "--authority-type",
                "root",
                "--address",
                R,
                "--token",
                T,
            ],
            &["--authority-type", "mint-burn-tokens"],
        ),
        (
            "grant: bad allowance",
            vec![
                "grant",
                "--authority-type",
                "pause",
                "--address",
                R,
                "--token",
                T,
                "--value",
                "x",
            ],
            &["invalid --value"],
        ),
        (
            "revoke: bad holder",
            vec![
                "revoke",
                "--authority-type",
                "pause",
                "--address",
                "R",
                "--token",
                T,
            ],
            &["invalid --address"],
        ),
        (
            "blacklist: no token",
            vec!["blacklist", "--address", R],
            &["--token"],
        ),
        (
            "whitelist: bad account",
            vec!["whitelist", "--address", "0x", "--token", T],
            &["invalid --address"],
        ),
        (
            "pause: bad token",
            vec!["pause", "--token", "token"],
            &["invalid --token"],
        ),
        ("unpause: no token", vec!["unpause"], &["--token"]),
        (
            "clawback: bad holder",
            vec![
                "clawback", "--token", T, "--from", "x", "--to", R, "--value", "1",
            ],
            &["invalid --from"],
        ),
        (
            "metadata: entry without =",
            vec![
                "metadata",
                "--token",
                T,
                "--name",
                "N",
                "--uri",
                "https://u",
                "--entry",
                "k",
            ],
            &["invalid --entry", "KEY=VALUE"],
        ),
        (
            "metadata: empty name",
            vec!["metadata", "--token", T, "--name", "", "--uri", "https://u"],
            &["invalid --name"],
        ),
        (
            "metadata: empty uri",
            vec!["metadata", "--token", T, "--name", "N", "--uri", ""],
            &["invalid --uri"],
        ),
        (
            "bridge-mint: source chain 0",
            vec![
                "bridge-mint",
                "--to",
                R,
                "--token",
                T,
                "--value",
                "1",
                "--source-chain-id",
                "0",
                "--source-tx-hash",
                "h",
            ],
            &["invalid --source-chain-id"],
        ),
        (
            "bridge-mint: empty source tx",
            vec![
                "bridge-mint",
                "--to",
                R,
                "--token",
                T,
                "--value",
                "1",
                "--source-chain-id",
                "1",
                "--source-tx-hash",
                "",
            ],
            &["invalid --source-tx-hash"],
        ),
        (
            "burn-bridge: odd bridge param",
            vec![
                "burn-bridge",
                "--token",
                T,
                "--value",
                "1",
                "--destination-chain-id",
                "1",
                "--destination-address",
                R,
                "--bridge-param",
                "0xabc",
            ],
            &["--bridge-param"],
        ),
        (
            "burn-bridge: destination chain 0",
            vec![
                "burn-bridge",
                "--token",
                T,
                "--value",
                "1",
                "--destination-chain-id",
                "0",
                "--destination-address",
                R,
            ],
            &["invalid --destination-chain-id"],
        ),
        (
            "burn-bridge: bad escrow fee",
            vec![
                "burn-bridge",
                "--token",
                T,
                "--value",
                "1",
                "--destination-chain-id",
                "1",
                "--destination-address",
                R,
                "--escrow-fee",
                "-2",
            ],
            &["invalid --escrow-fee"],
        ),
        (
            "batch-pay: no payments",
            vec!["batch-pay", "--token", T],
            &["at least one payment"],
        ),
        (
            "batch-pay: payment without =",
            vec!["batch-pay", "--token", T, "--pay", R],
            &["invalid --pay", "RECIPIENT=BASE_UNITS"],
        ),
        (
            "batch-pay: zero amount",
            vec![
                "batch-pay",
                "--token",
                T,
                "--pay",
                &pay0,
                "--created-at",
                "1",
            ],
            &["--pay"],
        ),
        (
            "batch-pay: v1",
            vec!["batch-pay", "--token", T, "--pay", &pay1, "--scheme", "v1"],
            &["only in the native v2 scheme", "--scheme v2"],
        ),
        (
            "multisig create: bad member",
            vec![
                "multisig",
                "create",
                "--member",
                "alice",
                "--member",
                &pk,
                "--threshold",
                "1",
            ],
            &["invalid --member", "address book"],
        ),
        (
            "multisig create: weight 0",
            vec!["multisig", "create", "--member", &pk0, "--threshold", "1"],
            &["weight must be 1 to 255"],
        ),
        (
            "multisig create: one member",
            vec!["multisig", "create", "--member", &pk, "--threshold", "1"],
            &["invalid --member"],
        ),
        (
            "multisig create: v1",
            vec![
                "multisig",
                "create",
                "--member",
                &pk2,
                "--member",
                &pk,
                "--threshold",
                "1",
                "--scheme",
                "v1",
            ],
            &["--scheme v2"],
        ),
        (
            "multisig combine: not a partial",
            vec!["multisig", "combine", &garbage],
            &["g.json", "not a tokensign partial"],
        ),
        (
            "multisig combine: no file",
            vec!["multisig", "combine"],
            &["PARTIAL"],
        ),
        (
            "a bad derivation path",
            vec![
                "pay",
                "--to",
                R,
                "--token",
                T,
                "--value",
                "1",
                "--mnemonic-file",
                &words,
                "--path",
                "m/x",
            ],
            &["invalid --path", "m/44'/60'/0'/0/0"],
        ),
        (
            "a wrong mnemonic word",
            vec![
                "pay",
                "--to",
                R,
                "--token",
                T,
                "--value",
                "1",
                "--mnemonic-file",
                &words,
                "--chain-id",
                "1",
                "--nonce",
                "0",
                "--scheme",
                "v2",
                "--dry-run",
            ],
            &["word 12", "nothing was signed"],
        ),
        (
            "two key sources",
            vec![
                "pay",
                "--to",
                R,
                "--token",
                T,
                "--value",
                "1",
                "--mnemonic-file",
                &words,
                "--private-key-file",
                &key,
            ],
            &["only one of"],
        ),
        (
            "verify: unknown operation",
            vec!["verify", "--operation", "Teleport"],
            &["unknown operation"],
        ),
    ];
    let mut failures: Vec<String> = Vec::new();
    for (name, mut args, needles) in cases {
        if !["multisig combine: no file", "verify: unknown operation"].contains(&name)
            && !args.contains(&"--mnemonic-file")
        {
            args.extend_from_slice(&["--private-key-file", &key]);
        }
        if args[0] != "verify" {
            args.extend_from_slice(&["--url", DEAD]);
        }
        let out = call(&args, b"{}");
        if out.code != 2 || !needles.iter().all(|n| out.stderr.contains(n)) {
            failures.push(format!(
                "{name}: code {}, wanted {needles:?} in:\n{}",
                out.code, out.stderr
            ));
        }
        // No secret in any message.
        assert!(
            !out.all().contains(SPEC_KEY) && !out.all().contains("jank"),
            "{name}"
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n---\n"));
    // With --json, the error is one JSON object on stdout.
    let out = call(
        &[
            "--json", "pay", "--to", "0x12", "--token", T, "--value", "1", "--url", DEAD,
        ],
        b"",
    );
    assert_eq!(json_of(&out)["error"]["kind"], "bad_input");
}

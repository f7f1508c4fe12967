//! Every command end to end against `tokensign node`, in both schemes,
//! and the multisig flow with three signers (one the emulated device).
//!
//! The same commands against a scripted server (status modes, refusals,
//! timeouts, wrong answer hashes) are in cli_ops.rs, cli_ops_outcomes.rs
//! and cli_multisig.rs.

mod cli_support;

use cli_support::node::start_node;
use cli_support::*;
use serde_json::Value;

const R: &str = "0x0202020202020202020202020202020202020202";
const A: &str = "0x0303030303030303030303030303030303030303";
const JUNK: &str = "test test test test test test test test test test test junk";

/// Runs a command against the node with the spec key; returns its JSON.
struct Node {
    url: String,
    key: String,
    _dir: tempfile::TempDir,
    _child: cli_support::node::KillOnDrop,
}

impl Node {
    fn start() -> Node {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let (child, url) = start_node(data.to_str().unwrap(), &[SPEC_ADDRESS]);
        let key = write_file(dir.path(), "k", SPEC_KEY);
        Node {
            url,
            key,
            _dir: dir,
            _child: child,
        }
    }

    /// The command's run, with `--json`, the node's URL and the spec key.
    fn run(&self, args: &[&str]) -> Run {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--url", &self.url, "--private-key-file", &self.key]);
        run(&all)
    }

    /// As [`Node::run`], asserting success; the result object.
    fn ok(&self, args: &[&str]) -> Value {
        let out = self.run(args);
        assert_eq!(out.code, 0, "{args:?}: {out:?}");
        json_of(&out)
    }

    fn balance(&self, holder: &str, token: &str) -> String {
        self.ok(&["balance", "--address", holder, "--token", token])["balance"]
            .as_str()
            .unwrap()
            .to_owned()
    }
}

#[test]
fn every_operation_end_to_end_in_both_schemes() {
    let node = Node::start();
    let status = node.ok(&["status"]);
    assert!(status["has_status_route"].as_bool().unwrap(), "{status}");
    for scheme in ["v1", "v2"] {
        let s = |args: &[&str]| {
            let mut all = args.to_vec();
            all.extend_from_slice(&["--scheme", scheme]);
            node.ok(&all)
        };
        let symbol = format!("E2E{}", scheme.to_uppercase());
        let issued = s(&[
            "issue",
            "--symbol",
            &symbol,
            "--name",
            "E2E token",
            "--decimals",
            "2",
            "--master-authority",
            SPEC_ADDRESS,
            "--clawback-enabled",
            "true",
        ]);
        assert_eq!(issued["scheme"], scheme);
        let token = issued["token"].as_str().unwrap().to_owned();
        let t = token.as_str();
        s(&[
            "grant",
            "--authority-type",
            "mint-burn-tokens",
            "--address",
            SPEC_ADDRESS,
            "--token",
            t,
            "--value",
            "1000000",
        ]);
        // Whole tokens with the token's two decimals.
        s(&[
            "mint",
            "--to",
            SPEC_ADDRESS,
            "--token",
            t,
            "--amount",
            "500.25",
        ]);
        assert_eq!(node.balance(SPEC_ADDRESS, t), "50025");
        let paid = s(&["pay", "--to", R, "--token", t, "--value", "1000"]);
        assert_eq!(node.balance(R, t), "1000");
        let hash = paid["tx_hash"].as_str().unwrap();
        let finalized = node.ok(&["tx", hash, "--wait", "--wait-timeout", "60"]);
        assert_eq!(finalized["finalized"]["success"], true, "{finalized}");
        let read = node.ok(&["tx", hash, "--receipt"]);
        assert_eq!(read["receipt"]["success"], true, "{read}");
        s(&["burn", "--token", t, "--value", "25"]);
        s(&["blacklist", "--address", R, "--token", t]);
        s(&[
            "clawback",
            "--token",
            t,
            "--from",
            R,
            "--to",
            SPEC_ADDRESS,
            "--value",
            "500",
        ]);
        s(&["blacklist", "--address", R, "--token", t, "--remove"]);
        assert_eq!(node.balance(R, t), "500");
        s(&["pause", "--token", t]);
        let refused = node.run(&[
            "pay", "--to", R, "--token", t, "--value", "1", "--scheme", scheme,
        ]);
        assert_eq!(refused.code, 3, "a paused token: {refused:?}");
        s(&["unpause", "--token", t]);
        s(&[
            "metadata",
            "--token",
            t,
            "--name",
            "E2E token",
            "--uri",
            "https://e2e.example",
            "--entry",
            "k=v",
        ]);
        let info = node.ok(&["token", "--token", t]);
        assert_eq!(info["meta"]["uri"], "https://e2e.example");
        s(&[
            "grant",
            "--authority-type",
            "bridge",
            "--address",
            SPEC_ADDRESS,
            "--token",
            t,
        ]);
        s(&[
            "bridge-mint",
            "--to",
            SPEC_ADDRESS,
            "--token",
            t,
            "--value",
            "10",
            "--source-chain-id",
            "1",
            "--source-tx-hash",
            "0xabc",
        ]);
        s(&[
            "burn-bridge",
            "--token",
            t,
            "--value",
            "5",
            "--destination-chain-id",
            "8453",
            "--destination-address",
            R,
        ]);
        s(&[
            "revoke",
            "--authority-type",
            "bridge",
            "--address",
            SPEC_ADDRESS,
            "--token",
            t,
        ]);
        if scheme == "v2" {
            s(&[
                "batch-pay",
                "--token",
                t,
                "--pay",
                &format!("{R}=1"),
                "--pay",
                &format!("{A}=2"),
            ]);
            assert_eq!(node.balance(A, t), "2");
        }
        // The whitelist belongs to a private token.
        let private = s(&[
            "issue",
            "--symbol",
            &format!("P{symbol}"),
            "--name",
            "Private",
            "--decimals",
            "0",
            "--master-authority",
            SPEC_ADDRESS,
            "--is-private",
            "--clawback-enabled",
            "false",
        ]);
        let p = private["token"].as_str().unwrap().to_owned();
        s(&["whitelist", "--address", R, "--token", &p]);
        s(&["whitelist", "--address", R, "--token", &p, "--remove"]);
        // The nonce went up with every write.
        let nonce = node.ok(&["nonce", "--address", SPEC_ADDRESS]);
        assert!(nonce["nonce"].as_u64().unwrap() > 10, "{nonce}");
    }
}

/// Runs today: the node answers `/api/status` (v1_only on main) and
/// takes a v1 token issue.
#[test]
fn auto_scheme_follows_the_node() {
    let node = Node::start();
    let status = node.ok(&["status"]);
    let want = status["auto_scheme"].as_str().unwrap().to_owned();
    let issued = node.ok(&[
        "issue",
        "--symbol",
        "AUTO",
        "--name",
        "Auto",
        "--decimals",
        "0",
        "--master-authority",
        SPEC_ADDRESS,
        "--clawback-enabled",
        "false",
    ]);
    assert_eq!(issued["scheme"], want.as_str());
    assert_eq!(
        issued["path"].as_str().unwrap(),
        format!("/{want}/tokens/issue")
    );
}

#[test]
fn multisig_with_three_signers_one_a_device_against_the_node() {
    let node = Node::start();
    let dir = tempfile::tempdir().unwrap();
    let words = write_file(dir.path(), "words", JUNK);
    let sources: [Vec<&str>; 3] = [
        vec!["--private-key-file", &node.key],
        vec!["--mnemonic-file", &words, "--mnemonic-index", "1"],
        vec!["--signer", "device", "--device", "emulated"],
    ];
    let mut members = Vec::new();
    for source in &sources {
        let mut args = vec!["--json", "address"];
        args.extend_from_slice(source);
        members.push(
            json_of(&run(&args))["public_key"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    let issued = node.ok(&[
        "issue",
        "--symbol",
        "MSIG",
        "--name",
        "Multisig",
        "--decimals",
        "0",
        "--master-authority",
        SPEC_ADDRESS,
        "--clawback-enabled",
        "false",
    ]);
    let token = issued["token"].as_str().unwrap().to_owned();
    let created = node.ok(&[
        "multisig",
        "create",
        "--member",
        &members[0],
        "--member",
        &members[1],
        "--member",
        &members[2],
        "--threshold",
        "3",
    ]);
    let account = created["account"].as_str().unwrap().to_owned();
    node.ok(&[
        "mint", "--to", &account, "--token", &token, "--value", "100",
    ]);
    let mut files = Vec::new();
    for (i, source) in sources.iter().enumerate() {
        let file = dir.path().join(format!("p{i}.json"));
        let file = file.to_str().unwrap().to_owned();
        let mut args = vec![
            "pay",
            "--to",
            R,
            "--token",
            &token,
            "--value",
            "40",
            "--multisig",
            &account,
            "--out",
            &file,
            "--url",
            &node.url,
        ];
        args.extend_from_slice(source);
        let out = run(&args);
        assert_eq!(out.code, 0, "{out:?}");
        files.push(file);
    }
    let out = run(&[
        "--json", "multisig", "combine", &files[0], &files[1], &files[2], "--url", &node.url,
    ]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(node.balance(R, &token), "40");
    assert_eq!(node.balance(&account, &token), "60");
}

//! The multisig flow from creation to an accepted transaction with three
//! signers of three kinds (a key file, a BIP-39 mnemonic, the emulated
//! device), each signing alone; then `multisig combine` checks every
//! partial and submits the v2 request, proof in ascending key order.
//! Against the scripted server (the node's e2e twin is in cli_ops_node.rs).

mod cli_support;

use cli_support::scripted::{scripted, Settings};
use cli_support::*;
use tokensign_core::json::parse_native;
use tokensign_core::native::Authorization;
use tokensign_core::tx::OpType;

const T: &str = "0x0101010101010101010101010101010101010101";
const R: &str = "0x0202020202020202020202020202020202020202";
const JUNK: &str = "test test test test test test test test test test test junk";

#[test]
fn three_signers_one_a_device_create_sign_apart_combine_and_submit() {
    let server = scripted(Settings::default(), vec![]);
    let url = server.url.as_str();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let key = write_file(d, "k", SPEC_KEY);
    let words = write_file(d, "words", &format!("{JUNK}\n"));
    let sources: [Vec<&str>; 3] = [
        vec!["--private-key-file", &key],
        vec!["--mnemonic-file", &words, "--mnemonic-index", "1"],
        vec!["--signer", "device", "--device", "emulated"],
    ];
    let mut book = String::from("# members\n");
    let mut addresses = Vec::new();
    for (name, source) in ["alice", "bob", "carol"].iter().zip(&sources) {
        let mut args = vec!["--json", "address"];
        args.extend_from_slice(source);
        let obj = json_of(&call(&args, b""));
        book.push_str(&format!("{name} {}\n", obj["public_key"].as_str().unwrap()));
        addresses.push(obj["address"].as_str().unwrap().to_owned());
    }
    // Anvil's second account, from the mnemonic at index 1.
    assert_eq!(addresses[1], "0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
    let book = write_file(d, "book", &book);

    // The address, derived locally, whatever the members' order; a member
    // by address is looked up in the book too.
    let address = |members: &[&str]| {
        let mut args = vec![
            "multisig",
            "address",
            "--threshold",
            "3",
            "--address-book",
            &book,
        ];
        for m in members {
            args.extend_from_slice(&["--member", m]);
        }
        let out = call(&args, b"");
        assert_eq!(out.code, 0, "{out:?}");
        out.stdout.trim().to_owned()
    };
    let bob_by_address = format!("{}:2", addresses[1]);
    let account = address(&["alice", "bob:2", "carol"]);
    assert_eq!(address(&["carol", &bob_by_address, "alice"]), account);
    assert_ne!(
        address(&["alice", "bob", "carol"]),
        account,
        "weights count"
    );

    // Created by alice, single-signed (v2 only).
    let out = call(
        &[
            "--json",
            "multisig",
            "create",
            "--member",
            "alice",
            "--member",
            "bob:2",
            "--member",
            "carol",
            "--threshold",
            "3",
            "--address-book",
            &book,
            "--url",
            url,
            "--private-key-file",
            &key,
        ],
        b"",
    );
    assert_eq!(out.code, 0, "{out:?}");
    let created = json_of(&out);
    assert_eq!(created["account"], account.as_str());
    assert_eq!(created["path"], OpType::CreateMultiSig.v2_path());

    // Each member signs the same payment alone, into its own file.
    let mut files = Vec::new();
    for (i, source) in sources.iter().enumerate() {
        let file = d.join(format!("part{i}.json"));
        let file = file.to_str().unwrap().to_owned();
        let mut args = vec![
            "pay",
            "--to",
            R,
            "--token",
            T,
            "--value",
            "10",
            "--memo-data",
            "payroll",
            "--multisig",
            &account,
            "--out",
            &file,
            "--url",
            url,
        ];
        args.extend_from_slice(source);
        let out = call(&args, b"");
        assert_eq!(out.code, 0, "{out:?}");
        assert!(
            out.stdout.contains("Partial signature of Payment"),
            "{out:?}"
        );
        files.push(file);
    }
    // The nonce is the account's, asked once per member.
    assert_eq!(
        server.count(&format!("GET /v1/accounts/nonce?address={account}")),
        3,
        "{:?}",
        server.seen()
    );
    assert_eq!(
        server.count("POST /v2/transactions/payment"),
        0,
        "nothing sent yet"
    );
    // A partial file is never overwritten.
    let again = call(
        &[
            "pay",
            "--to",
            R,
            "--token",
            T,
            "--value",
            "10",
            "--multisig",
            &account,
            "--out",
            &files[0],
            "--url",
            url,
            "--private-key-file",
            &key,
        ],
        b"",
    );
    assert_eq!(again.code, 2, "{again:?}");
    assert!(again.stderr.contains("already exists"), "{again:?}");

    // A dry run prints the combined request and sends nothing.
    let dry = call(
        &[
            "--json",
            "multisig",
            "combine",
            &files[1],
            &files[2],
            &files[0],
            "--dry-run",
        ],
        b"",
    );
    assert_eq!(dry.code, 0, "{dry:?}");
    assert_eq!(json_of(&dry)["status"], "dry_run");
    assert_eq!(json_of(&dry)["account"], account.as_str());
    assert_eq!(server.count("POST /v2/transactions/payment"), 0);
    // Combined (in any order) and submitted.
    let out = call(
        &[
            "--json", "multisig", "combine", &files[2], &files[0], &files[1], "--url", url,
        ],
        b"",
    );
    assert_eq!(out.code, 0, "{out:?}");
    let result = json_of(&out);
    assert_eq!(result["status"], "accepted");
    assert_eq!(result["signer"], account.as_str());
    let posts = server.posts();
    let post = posts.last().unwrap();
    assert_eq!(post.target, "/v2/transactions/payment");
    let request = parse_native::<256, 32>(OpType::Payment, &post.body).unwrap();
    assert_eq!(request.sender().unwrap().to_string(), account);
    assert_eq!(request.tx.nonce, 7);
    let Authorization::Multisig { signatures, .. } = &request.authorization else {
        panic!("not a multisig authorization");
    };
    assert_eq!(signatures.len(), 3);
    assert!(signatures
        .windows(2)
        .all(|w| w[0].signer_pubkey < w[1].signer_pubkey));

    // verify reads the combined request: the account, three members.
    let verified = call(
        &["--json", "verify", "--expect-signer", &account],
        out.stdout.as_bytes(),
    );
    assert_eq!(verified.code, 0, "{verified:?}");
    assert_eq!(json_of(&verified)["multisig_members"], 3);

    // Every partial is checked before anything is sent.
    let before = server.posts().len();
    let text = std::fs::read_to_string(&files[1]).unwrap();
    let mut part: serde_json::Value = serde_json::from_str(&text).unwrap();
    part["signature"]["v"] = (1 - part["signature"]["v"].as_u64().unwrap()).into();
    let tampered = write_file(d, "tampered.json", &part.to_string());
    let out = call(
        &["multisig", "combine", &files[0], &tampered, "--url", url],
        b"",
    );
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("tampered.json"), "{out:?}");
    // Another nonce is another transaction.
    let other = d.join("other.json");
    let other = other.to_str().unwrap();
    let signed = call(
        &[
            "pay",
            "--to",
            R,
            "--token",
            T,
            "--value",
            "10",
            "--memo-data",
            "payroll",
            "--multisig",
            &account,
            "--out",
            other,
            "--nonce",
            "8",
            "--url",
            url,
            "--private-key-file",
            &key,
        ],
        b"",
    );
    assert_eq!(signed.code, 0, "{signed:?}");
    let out = call(
        &["multisig", "combine", &files[1], other, "--url", url],
        b"",
    );
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("another transaction"), "{out:?}");
    // The same member twice.
    let out = call(
        &["multisig", "combine", &files[0], &files[0], "--url", url],
        b"",
    );
    assert_eq!(out.code, 2, "{out:?}");
    assert_eq!(server.posts().len(), before, "nothing sent");
    // With the chain id and nonce given, a member signs with no server.
    let offline = d.join("offline.json");
    let out = call(
        &[
            "pay",
            "--to",
            R,
            "--token",
            T,
            "--value",
            "10",
            "--multisig",
            &account,
            "--out",
            offline.to_str().unwrap(),
            "--chain-id",
            "1212101",
            "--nonce",
            "7",
            "--url",
            "http://127.0.0.1:9",
            "--signer",
            "device",
            "--device",
            "emulated",
        ],
        b"",
    );
    assert_eq!(out.code, 0, "{out:?}");
    // v1 cannot carry a multisig authorization.
    let out = call(
        &[
            "pay",
            "--to",
            R,
            "--token",
            T,
            "--value",
            "1",
            "--multisig",
            &account,
            "--scheme",
            "v1",
            "--private-key-file",
            &key,
            "--url",
            url,
        ],
        b"",
    );
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("--scheme v1"), "{out:?}");
}

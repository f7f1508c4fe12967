//! Partial signature files: verified and combined with the review.

use super::coverage::*;
use super::support::*;
use crate::cli_support::*;
use serde_json::{json, Value};

#[test]
fn partial_signatures_verify_and_combine_with_the_review() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (k1, k2) = member_keys(d);
    let keys = [
        write_file(d, "a", SPEC_KEY),
        write_file(d, "b", &"11".repeat(32)),
    ];
    let account = call(
        &[
            "multisig",
            "address",
            "--member",
            &k1,
            "--member",
            &k2,
            "--threshold",
            "2",
        ],
        b"",
    )
    .stdout
    .trim()
    .to_owned();
    let def = definition_file(d, "1212101", TOKEN, "usdx.json");
    let mut files = Vec::new();
    for (i, key) in keys.iter().enumerate() {
        let file = d.join(format!("part{i}.json")).to_str().unwrap().to_owned();
        let out = call(
            &[
                "pay",
                "--to",
                R,
                "--token",
                TOKEN,
                "--value",
                "1500000",
                "--multisig",
                &account,
                "--out",
                &file,
                "--chain-id",
                "1212101",
                "--nonce",
                "0",
                "--scheme",
                "v2",
                "--private-key-file",
                key,
                "--definition",
                &def,
                "--trust-definitions",
                DEF_SIGNER,
            ],
            b"",
        );
        assert_eq!(out.code, 0, "{out:?}");
        assert!(
            out.stdout.contains("  Amount            1.5 USDX\n"),
            "{out:?}"
        );
        assert!(
            out.stdout
                .contains(&format!("  Multisig account  {account}\n")),
            "{out:?}"
        );
        files.push(file);
    }
    // verify recognises a partial file: its member, its account, the review.
    let out = call(&["--json", "verify", &files[0]], b"");
    assert_eq!(out.code, 0, "{out:?}");
    let obj = json_of(&out);
    assert_eq!(obj["kind"], "partial");
    assert_eq!(obj["account"], account.as_str());
    let member = obj["member"].as_str().unwrap().to_owned();
    let review = pairs(&obj["review"]);
    assert!(review.contains(&("Multisig account".into(), account.clone())));
    assert!(review.contains(&("Amount".into(), "1500000".into())));
    let out = call(
        &[
            "verify",
            &files[0],
            "--definition",
            &def,
            "--trust-definitions",
            DEF_SIGNER,
        ],
        b"",
    );
    assert!(out.stdout.starts_with("Valid partial signature"), "{out:?}");
    assert!(
        out.stdout
            .contains(&format!("  member            {member}\n")),
        "{out:?}"
    );
    assert!(
        out.stdout.contains("  Amount            1.5 USDX\n"),
        "{out:?}"
    );
    // A damaged partial: the error names the file and the member.
    let mut part: Value =
        serde_json::from_str(&std::fs::read_to_string(&files[1]).unwrap()).unwrap();
    part["transaction"]["value"] = json!("1500001");
    let bad = write_file(d, "bad.json", &part.to_string());
    let bad_member = part["signer"].as_str().unwrap().to_owned();
    for args in [
        vec!["verify", bad.as_str()],
        vec!["multisig", "combine", "--dry-run", &files[0], &bad],
    ] {
        let out = call(&args, b"");
        assert_eq!(out.code, 2, "{out:?}");
        assert!(out.stderr.contains("bad.json"), "{out:?}");
        assert!(
            out.stderr.contains(&format!("member {bad_member}")),
            "{out:?}"
        );
    }
    // combine prints the review of what it assembled.
    let out = call(
        &[
            "--json",
            "multisig",
            "combine",
            "--dry-run",
            &files[0],
            &files[1],
            "--definition",
            &def,
            "--trust-definitions",
            DEF_SIGNER,
        ],
        b"",
    );
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stderr.contains("  Amount            1.5 USDX\n"),
        "{out:?}"
    );
    let review = pairs(&json_of(&out)["review"]);
    assert!(review.contains(&("Amount".into(), "1.5 USDX".into())));
    assert!(review.contains(&("Multisig account".into(), account)));
}

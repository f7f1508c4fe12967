//! The device's own pages: whole tokens only with a definition it trusts.

use super::coverage::*;
use super::support::*;
use crate::cli_support::*;
use serde_json::json;

/// The device's own pages: with a definition from a signer the emulated
/// device trusts (`--device-trust`), the device shows `1.5 USDX` with the
/// base units on the next line; without one, base units and `Unknown
/// token`; a definition the device does not trust is refused by the
/// device, by name, with nothing signed.
#[test]
fn the_device_shows_whole_tokens_only_with_a_definition_it_trusts() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data = data.to_str().unwrap();
    let issued = run(&[
        "--json",
        "issue",
        "--symbol",
        "TOKX",
        "--name",
        "X Token",
        "--decimals",
        "6",
        "--master-authority",
        SPEC_ADDRESS,
        "--clawback-enabled",
        "true",
        "--data-dir",
        data,
    ]);
    assert_eq!(issued.code, 0, "{issued:?}");
    let token = json_of(&issued)["token"].as_str().unwrap().to_owned();
    let usdx = definition_file(dir.path(), "1212101", &token, "usdx.json");
    let pay = |extra: &[&str]| {
        let mut args = vec![
            "--json",
            "pay",
            "--to",
            R,
            "--token",
            &token,
            "--value",
            "1500000",
            "--dry-run",
            "--data-dir",
            data,
            "--signer",
            "device",
            "--device",
            "emulated",
        ];
        args.extend_from_slice(extra);
        run(&args)
    };
    let pages = |out: &Run| -> Vec<String> {
        json_of(out)["device_pages"]
            .as_array()
            .unwrap_or_else(|| panic!("no device_pages: {out:?}"))
            .iter()
            .map(|p| p.as_str().unwrap().to_owned())
            .collect()
    };

    let out = pay(&["--device-trust", DEF_SIGNER, "--definition", &usdx]);
    assert_eq!(out.code, 0, "{out:?}");
    let shown = pages(&out);
    let at = shown.iter().position(|p| p == "Amount: 1.5 USDX");
    assert!(at.is_some(), "{shown:?}");
    assert_eq!(shown[at.unwrap() + 1], "Base units: 1500000", "{shown:?}");
    assert!(
        shown.iter().any(|p| p.starts_with("Token (1/3): USDX 0x")),
        "{shown:?}"
    );
    assert!(!shown.iter().any(|p| p.contains("Unknown")), "{shown:?}");
    // The host's review (which trusts --device-trust for this run) agrees.
    let review = pairs(&json_of(&out)["review"]);
    assert!(
        review.contains(&("Amount".into(), "1.5 USDX".into())),
        "{review:?}"
    );

    // Without a definition: base units, the token unknown on the device
    // (the local node's own definition serves the host's review only).
    let out = pay(&["--device-trust", DEF_SIGNER]);
    assert_eq!(out.code, 0, "{out:?}");
    let shown = pages(&out);
    assert!(shown.contains(&"Amount: 1500000".to_owned()), "{shown:?}");
    assert!(
        !shown.iter().any(|p| p.starts_with("Base units")),
        "{shown:?}"
    );
    assert!(
        shown
            .iter()
            .any(|p| p.starts_with("Token (1/3): Unknown token 0x")),
        "{shown:?}"
    );

    // `sign` through the device carries the device's pages too.
    let doc = json!({
        "operation": "Payment", "chain_id": 1212101, "nonce": 5, "recipient": R,
        "value": "1500000", "token": token,
    });
    let out = call(
        &[
            "--json",
            "sign",
            "--scheme",
            "v1",
            "--signer",
            "device",
            "--device",
            "emulated",
            "--device-trust",
            DEF_SIGNER,
            "--definition",
            &usdx,
        ],
        doc.to_string().as_bytes(),
    );
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        pages(&out).contains(&"Amount: 1.5 USDX".to_owned()),
        "{out:?}"
    );
    assert!(
        out.stderr.contains("  device screen: Amount: 1.5 USDX\n"),
        "{out:?}"
    );

    // One member's partial signature through the device: its pages on
    // stderr, and in the --json object with --out.
    let part = dir.path().join("part.json");
    let out = run(&[
        "--json",
        "pay",
        "--to",
        R,
        "--token",
        &token,
        "--value",
        "1500000",
        "--multisig",
        R2,
        "--out",
        part.to_str().unwrap(),
        "--chain-id",
        "1212101",
        "--nonce",
        "0",
        "--scheme",
        "v2",
        "--signer",
        "device",
        "--device",
        "emulated",
        "--device-trust",
        DEF_SIGNER,
        "--definition",
        &usdx,
    ]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        pages(&out).contains(&"Amount: 1.5 USDX".to_owned()),
        "{out:?}"
    );
    assert!(
        out.stderr.contains("  device screen: Amount: 1.5 USDX\n"),
        "{out:?}"
    );
    assert_eq!(json_of(&out)["format"], "tokensign-multisig-partial-1");

    // Trusted by the host only: the device refuses it by name.
    let out = pay(&["--definition", &usdx, "--trust-definitions", DEF_SIGNER]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr
            .contains("the definition's signer is not trusted by the device"),
        "{out:?}"
    );
    assert!(out.stderr.contains("tokensign device trust"), "{out:?}");
}

//! Signed token definitions on the device's own screen: the host sends the
//! definition its review uses with the sign request, the device checks it
//! against its own trusted signers (`--device-trust` for the emulated
//! device) and shows the amount in whole tokens; without the definition
//! the device shows base units and marks the token unknown; a definition
//! the device does not trust is refused by the device, by name, and
//! nothing is signed.

mod cli_support;

use cli_support::*;

const TOKEN: &str = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const RECIPIENT: &str = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
/// The definitions key of these tests (as the vectors' key: 0x42 repeated).
const DEF_KEY: &str = "4242424242424242424242424242424242424242424242424242424242424242";
const DEF_SIGNER: &str = "0x17c5185167401eD00cF5F5b2fc97D9BBfDb7D025";

/// A definition of TOKEN on the local chain (USDX, 6 decimals), signed by
/// DEF_KEY, in `dir`.
fn definition_file(dir: &std::path::Path) -> String {
    let key = write_file(dir, "defkey", DEF_KEY);
    let path = dir.join("usdx.json");
    let out = call(
        &[
            "definition",
            "sign",
            "--chain-id",
            "1212101",
            "--token",
            TOKEN,
            "--symbol",
            "USDX",
            "--decimals",
            "6",
            "--private-key-file",
            &key,
            "--out",
            path.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(out.code, 0, "{out:?}");
    path.to_str().unwrap().to_owned()
}

/// `tokensign --json pay` of 1,500,000 base units of TOKEN, signed on the
/// emulated device, offline, with `extra` flags.
fn pay(extra: &[&str]) -> Run {
    let mut args = vec![
        "--json",
        "pay",
        "--recipient",
        RECIPIENT,
        "--token",
        TOKEN,
        "--value",
        "1500000",
        "--dry-run",
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
    ];
    args.extend_from_slice(extra);
    call(&args, b"")
}

fn device_pages(out: &Run) -> Vec<String> {
    json_of(out)["device_pages"]
        .as_array()
        .unwrap_or_else(|| panic!("no device_pages: {out:?}"))
        .iter()
        .map(|p| p.as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn the_device_shows_whole_tokens_from_a_definition_it_trusts() {
    let dir = tempfile::tempdir().unwrap();
    let definition = definition_file(dir.path());
    let out = pay(&[
        "--definition",
        &definition,
        "--trust-definitions",
        DEF_SIGNER,
        "--device-trust",
        DEF_SIGNER,
    ]);
    assert_eq!(out.code, 0, "{out:?}");
    let pages = device_pages(&out);
    assert!(pages.contains(&"Amount: 1.5 USDX".to_owned()), "{pages:?}");
    assert!(
        pages.iter().any(|p| p.contains("1500000")),
        "the base units on a second line: {pages:?}"
    );
    assert!(
        !pages.iter().any(|p| p.contains("Unknown token")),
        "{pages:?}"
    );
    // The device's screen is printed apart from the host's review.
    assert!(
        out.stderr.contains("device screen: Amount: 1.5 USDX"),
        "{out:?}"
    );

    // The same command without the definition: base units, the token
    // marked unknown, on the device as on the host.
    let out = pay(&["--device-trust", DEF_SIGNER]);
    assert_eq!(out.code, 0, "{out:?}");
    let pages = device_pages(&out);
    assert!(pages.contains(&"Amount: 1500000".to_owned()), "{pages:?}");
    assert!(
        pages
            .iter()
            .any(|p| p.starts_with("Token") && p.contains("Unknown token")),
        "{pages:?}"
    );
    assert!(!pages.iter().any(|p| p.contains("USDX")), "{pages:?}");
}

#[test]
fn a_definition_the_device_does_not_trust_is_refused_on_the_device() {
    let dir = tempfile::tempdir().unwrap();
    let definition = definition_file(dir.path());
    // The host trusts the definitions key; the device does not.
    let out = pay(&[
        "--definition",
        &definition,
        "--trust-definitions",
        DEF_SIGNER,
    ]);
    assert_ne!(out.code, 0, "{out:?}");
    assert!(
        out.stderr.contains("not a trusted definitions signer"),
        "refused by name: {out:?}"
    );
    assert!(out.stderr.contains(DEF_SIGNER), "{out:?}");
    assert!(!out.stdout.contains("signature"), "nothing signed: {out:?}");
}

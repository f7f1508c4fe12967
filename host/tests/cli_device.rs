//! `--signer device` and `sign --lines` through the binary; the device is the in-process emulated
//! device (the core's device state machine seeded with the public test mnemonic; it signs with
//! the key of m/44'/60'/0'/0/0, anvil's account 0).

mod cli_support;

use cli_support::*;
use tokensign::cmd::Failure;

/// anvil's account 0: the emulated device's default key.
const DEVICE_ADDRESS: &str = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";

/// The emulated device's default key, derived here from the mnemonic.
fn device_key() -> tokensign_core::SigningKey {
    key_of(&tokensign::device::default_path())
}

/// The emulated device's key of `path`, derived here from the mnemonic.
fn key_of(path: &tokensign_core::hd::DerivationPath) -> tokensign_core::SigningKey {
    use tokensign_core::hd::{self, Mnemonic};
    let seed = Mnemonic::parse(tokensign::device::TEST_MNEMONIC)
        .unwrap()
        .to_seed("")
        .unwrap();
    hd::derive_signing_key(seed.as_bytes(), path).unwrap()
}

#[test]
fn device_address_of_the_default_an_index_and_a_path() {
    use tokensign_core::hd::DerivationPath;
    let out = run(&["device", "address", "--device", "emulated"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.stdout.trim(), DEVICE_ADDRESS);

    let out = run(&[
        "device",
        "address",
        "--account-index",
        "3",
        "--device",
        "emulated",
    ]);
    assert_eq!(out.code, 0, "{out:?}");
    let third = key_of(&DerivationPath::ethereum(3).unwrap()).address();
    assert_eq!(out.stdout.trim(), third.to_string());
    assert_ne!(third.to_string(), DEVICE_ADDRESS);

    // A path off the default pattern (hardened last step, depth 4).
    let path = "m/44'/60'/7'/1'";
    let out = run(&[
        "--json",
        "device",
        "address",
        "--path",
        path,
        "--confirm",
        "--device",
        "emulated",
    ]);
    assert_eq!(out.code, 0, "{out:?}");
    let obj = json_of(&out);
    let key = key_of(&DerivationPath::parse(path).unwrap());
    assert_eq!(obj["address"], key.address().to_string());
    assert_eq!(obj["path"], path);
    assert_eq!(obj["confirmed"], true);
    assert!(out.stderr.contains("Check on the device"), "{out:?}");
}

#[test]
fn device_public_key_and_version() {
    use tokensign_core::hd::DerivationPath;
    let out = run(&[
        "device",
        "public-key",
        "--account-index",
        "1",
        "--device",
        "emulated",
    ]);
    assert_eq!(out.code, 0, "{out:?}");
    let key = key_of(&DerivationPath::ethereum(1).unwrap());
    assert_eq!(
        out.stdout.trim(),
        format!("0x{}", hex::encode(key.public_key_compressed()))
    );

    let out = run(&["--json", "device", "version", "--device", "emulated"]);
    assert_eq!(out.code, 0, "{out:?}");
    let obj = json_of(&out);
    assert_eq!(obj["protocol"], tokensign_core::device::PROTOCOL_VERSION);
    assert_eq!(obj["core"], env!("CARGO_PKG_VERSION"));
}

#[test]
fn device_commands_refuse_bad_flags_with_what_to_do() {
    let bad_input = i32::from(Failure::BadInput.code());
    let out = run(&[
        "device", "address", "--path", "m/44'/x", "--device", "emulated",
    ]);
    assert_eq!(out.code, bad_input, "{out:?}");
    assert!(
        out.stderr.contains("--path") && out.stderr.contains("m/44'/60'/0'/0/0"),
        "{out:?}"
    );

    let out = run(&[
        "device",
        "address",
        "--account-index",
        "2147483648",
        "--device",
        "emulated",
    ]);
    assert_eq!(out.code, bad_input, "{out:?}");
    assert!(out.stderr.contains("below 2147483648"), "{out:?}");

    let out = run(&[
        "device",
        "public-key",
        "--path",
        "m/0",
        "--account-index",
        "1",
        "--device",
        "emulated",
    ]);
    assert_eq!(out.code, bad_input, "{out:?}");

    let out = run(&["device", "version"]);
    assert_eq!(out.code, bad_input, "{out:?}");
    assert!(out.stderr.contains("--device SPEC"), "{out:?}");
}

#[test]
fn offline_sign_on_the_emulated_device_gives_the_hosts_signature() {
    let dir = tempfile::tempdir().unwrap();
    let payload = write_file(dir.path(), "p.json", &spec_payload8(2));
    let out = run(&[
        "--json",
        "sign",
        "--payload",
        &payload,
        "--signer",
        "device",
        "--device",
        "emulated",
    ]);
    assert_eq!(out.code, 0, "{out:?}");
    let obj = json_of(&out);
    assert_eq!(obj["signer"], DEVICE_ADDRESS);
    assert_eq!(device_key().address().to_string(), DEVICE_ADDRESS);
    // RFC 6979: the device's signature is the one the host's key makes.
    let expected = tokensign_core::legacy::LegacyTx::sign(
        tokensign_fixtures::spec_payload(2, Some(true)),
        &device_key(),
    )
    .unwrap()
    .signature;
    let sig = &obj["request"]["signature"];
    assert_eq!(sig["r"], format!("0x{}", hex::encode(expected.r)));
    assert_eq!(sig["s"], format!("0x{}", hex::encode(expected.s)));
    assert_eq!(sig["v"], expected.v);
}

#[test]
fn issue_on_the_embedded_server_through_the_emulated_device() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let out = run(&[
        "issue",
        "--symbol",
        "DEVX",
        "--name",
        "Device Dollar",
        "--decimals",
        "2",
        "--master-authority",
        SPEC_ADDRESS,
        "--data-dir",
        data.to_str().unwrap(),
        "--signer",
        "device",
        "--device",
        "emulated",
    ]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout
            .contains(&format!("signer            {DEVICE_ADDRESS}")),
        "{out:?}"
    );
    assert!(out.stdout.contains("Accepted."), "{out:?}");
}

#[test]
fn device_flags_are_checked() {
    // --signer device without --device.
    let out = run(&["address", "--signer", "device"]);
    assert_eq!(out.code, i32::from(Failure::BadInput.code()), "{out:?}");
    assert!(out.stderr.contains("--device"), "{out:?}");
    // A device that cannot be opened.
    let out = run(&[
        "address",
        "--signer",
        "device",
        "--device",
        "/nonexistent/tty",
    ]);
    assert_eq!(out.code, i32::from(Failure::BadInput.code()), "{out:?}");
    assert!(out.stderr.contains("/nonexistent/tty"), "{out:?}");
    // Two key sources at once.
    let out = run(&[
        "address",
        "--dev-key",
        "--signer",
        "device",
        "--device",
        "emulated",
    ]);
    assert_eq!(out.code, i32::from(Failure::BadInput.code()), "{out:?}");
    // Nothing listens on port 9: the device signed, the request never arrived.
    let out = run(&[
        "issue",
        "--symbol",
        "DEVX",
        "--name",
        "D",
        "--decimals",
        "2",
        "--master-authority",
        SPEC_ADDRESS,
        "--url",
        "http://127.0.0.1:9",
        "--chain-id",
        "1212101",
        "--nonce",
        "0",
        // A forced scheme: `auto` would ask the (absent) server first.
        "--scheme",
        "v1",
        "--signer",
        "device",
        "--device",
        "emulated",
    ]);
    assert_eq!(out.code, i32::from(Failure::Network.code()), "{out:?}");
    assert!(out.stdout.contains("transaction hash  0x"), "{out:?}");
    // The address command reports the device's address.
    let out = run(&["address", "--signer", "device", "--device", "emulated"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.contains(DEVICE_ADDRESS), "{out:?}");
}

#[test]
fn sign_lines_signs_every_line_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let key_file = write_file(dir.path(), "key", SPEC_KEY);
    let input: String = (0..40).map(|n| spec_payload7(n) + "\n").collect();
    let out = run_with(
        &["sign", "--lines", "--private-key-file", &key_file],
        &[],
        Some(input.as_bytes()),
    );
    assert_eq!(out.code, 0, "{out:?}");
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 40);
    for (n, line) in lines.iter().enumerate() {
        let request = tokensign_fixtures::parse_issue_request(line.as_bytes()).unwrap();
        assert_eq!(request.tx.nonce, n as u64);
        assert_eq!(request.signer().unwrap().to_string(), SPEC_ADDRESS);
    }
    // The spec's seven-field vector is line 3 (nonce 2).
    assert!(lines[2].contains("0xfe70d12f46caee1a1028dad2d203a3fbd0b1ea7b0453c7dd84916c84c77d958a"));

    let bad = format!("{}\n{{\"nonce\":1}}\n", spec_payload7(0));
    let out = run_with(
        &["sign", "--lines", "--private-key-file", &key_file],
        &[],
        Some(bad.as_bytes()),
    );
    assert_eq!(out.code, i32::from(Failure::BadInput.code()), "{out:?}");
    assert!(out.stderr.contains("line 2"), "{out:?}");
    assert!(out.stdout.is_empty(), "{out:?}");
}

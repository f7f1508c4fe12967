//! The signer layer's tests: every signer behind the trait gives the same
//! signature for the same input, and the checks around it.

use tokensign_core::Signature;
use tokensign_fixtures::{spec_key, spec_payload, SPEC_ADDRESS, SPEC_ANSWERS, SPEC_KEY_HEX};

use super::*;
use crate::device::{DeviceClient, EmulatedDevice, OpenSettings, Transport};
use crate::show::hex0x;

#[test]
fn dev_key_is_the_documented_text() {
    let secret = parse_hex_key(DEV_PRIVATE_KEY_HEX).unwrap();
    assert_eq!(&secret[..], b"tokensign-insecure-dev-key-00001");
    assert!(is_dev_signer(&KeySigner::dev()));
    assert!(!is_dev_signer(&KeySigner::new(spec_key(), "spec")));
}

#[test]
fn hex_key_forms() {
    let k = SPEC_KEY_HEX;
    let a = parse_hex_key(k).unwrap();
    assert_eq!(*parse_hex_key(&format!("  0x{k}\n")).unwrap(), *a);
    assert_eq!(
        *parse_hex_key(&format!("0X{}", k.to_uppercase())).unwrap(),
        *a
    );
    for bad in [
        "",
        "0x",
        &k[1..],
        &format!("{k}00"),
        &format!("g{}", &k[1..]),
    ] {
        let why = parse_hex_key(bad).unwrap_err();
        assert!(!why.contains(&k[..8]));
    }
}

#[test]
fn keystore_round_trip_and_refusals() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("k.json");
    let address = keygen(&path, "pw", KdfStrength::Light).unwrap();
    let key = decrypt_keystore(&path, "pw").unwrap();
    assert_eq!(key.address(), address);
    let e = decrypt_keystore(&path, "nope").unwrap_err();
    assert!(matches!(e, SignerError::WrongPassword { .. }), "{e}");
    let e = keygen(&path, "pw", KdfStrength::Light).unwrap_err();
    assert!(e.to_string().contains("already exists"), "{e}");
    assert!(matches!(
        keygen(&dir.path().join("e.json"), "", KdfStrength::Light),
        Err(SignerError::EmptyPassword)
    ));
    // Hostile shapes are refused without a panic.
    let text = std::fs::read_to_string(&path).unwrap();
    let mut json: serde_json::Value = serde_json::from_str(&text).unwrap();
    json["crypto"]["kdfparams"]["dklen"] = 8.into();
    std::fs::write(&path, json.to_string()).unwrap();
    assert!(matches!(
        decrypt_keystore(&path, "pw"),
        Err(SignerError::KeystoreShape { .. })
    ));
    json["crypto"]["kdfparams"]["dklen"] = 32.into();
    json["crypto"]["cipherparams"]["iv"] = "00".into();
    std::fs::write(&path, json.to_string()).unwrap();
    assert!(decrypt_keystore(&path, "pw").is_err());
    json["crypto"]["cipherparams"]["iv"] = "00".repeat(16).into();
    json["crypto"]["kdfparams"]["n"] = (1u64 << 40).into();
    std::fs::write(&path, json.to_string()).unwrap();
    assert!(decrypt_keystore(&path, "pw").is_err());
    std::fs::write(&path, "[]").unwrap();
    assert!(decrypt_keystore(&path, "pw").is_err());
}

/// The same key as a key here and inside the emulated device (the test
/// mnemonic's first account): the same signature through the trait, in
/// both schemes, the same address and public key.
#[test]
fn every_signer_gives_the_same_answer_through_the_trait() {
    use tokensign_core::hd::Mnemonic;
    use tokensign_core::native::{self, Descriptor};
    let seed = Mnemonic::parse(crate::device::TEST_MNEMONIC)
        .unwrap()
        .to_seed("")
        .unwrap();
    let derived =
        tokensign_core::hd::derive_signing_key(seed.as_bytes(), &crate::device::default_path())
            .unwrap();
    let key: Box<dyn Signer> = Box::new(KeySigner::new(derived, "test mnemonic, account 0"));
    let device: Box<dyn Signer> = Box::new(
        DeviceSigner::open(
            "emulated",
            &OpenSettings::default(),
            crate::device::default_path(),
        )
        .unwrap(),
    );
    assert_eq!(device.address(), key.address());
    assert_eq!(device.public_key(), key.public_key());
    for answer in SPEC_ANSWERS {
        let legacy_tx = answer.payload();
        let native_tx = native::normalize(answer.payload());
        let inputs = [
            SigningInput::legacy(&legacy_tx).unwrap(),
            SigningInput::native(&native_tx, Descriptor::Single),
        ];
        assert_eq!(hex0x(inputs[0].digest()), answer.signing_hash);
        for input in inputs {
            let by_key = sign_checked(key.as_ref(), &input).unwrap();
            let by_device = sign_checked(device.as_ref(), &input).unwrap();
            assert_eq!(by_key, by_device);
        }
    }
    let pk = key.public_key().unwrap();
    assert!(matches!(pk.0[0], 2 | 3));
    assert_eq!(pk.to_string().len(), 2 + 66);
    assert_eq!(device.describe(), "device emulated (m/44'/60'/0'/0/0)");
}

#[test]
fn a_signature_of_another_key_is_caught() {
    /// Reports the spec address but signs with another key.
    struct Impostor;
    impl Signer for Impostor {
        fn address(&self) -> tokensign_core::Address {
            tokensign_fixtures::spec_address()
        }
        fn public_key(&self) -> Option<PublicKey> {
            None
        }
        fn describe(&self) -> String {
            "impostor".into()
        }
        fn sign(&self, input: &SigningInput<'_>) -> Result<Signature, SignerError> {
            KeySigner::dev().sign(input)
        }
    }
    let payload = spec_payload(2, None);
    let e = sign_legacy(&Impostor, payload).unwrap_err();
    assert!(matches!(e, SignerError::WrongSigner { .. }), "{e}");
    assert!(e.to_string().contains(SPEC_ADDRESS), "{e}");
}

#[test]
fn a_rejection_on_the_device_is_its_own_error() {
    let mut device = EmulatedDevice::with_test_mnemonic().unwrap();
    device.set_reject(true);
    let client = DeviceClient::new(Box::new(device) as Box<dyn Transport>);
    let signer = DeviceSigner::over(client, "emulated", crate::device::default_path()).unwrap();
    let e = sign_legacy(&signer, spec_payload(2, Some(true))).unwrap_err();
    assert!(matches!(e, SignerError::DeviceRejected), "{e}");
}

#[test]
fn two_key_sources_are_refused() {
    let options = KeyOptions {
        dev_key: true,
        device: Some("emulated".into()),
        ..KeyOptions::default()
    };
    assert!(matches!(options.source(), Err(SignerError::TwoSources(_))));
}

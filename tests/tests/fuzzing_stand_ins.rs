//! The fuzzing stand-ins (the core's `fuzzing` module: a test signature,
//! one-round PBKDF2, BIP-32 keys remembered per seed and path) exist only in builds with `cfg(fuzzing)`, which
//! cargo-fuzz alone sets. This proves that a
//! normal build cannot reach them: it signs and recovers with real
//! secp256k1 and refuses a stand-in signature, and in the sources every
//! use of the stand-ins sits under `#[cfg(fuzzing)]`.

use std::path::{Path, PathBuf};

use alloy_primitives::{
    keccak256, Address as AlloyAddress, Signature as AlloySignature, B256, U256,
};
use tokensign_core::{recover_hash, signing_key_from_bytes, Error, Signature};

/// A stand-in signature as the fuzzing module makes it, written here from
/// its documentation: `r` the signer's address, `s` the keccak of a tag,
/// the address and the hash (top two bits cleared, lowest bit set).
fn stand_in(address: &[u8; 20], hash: &[u8; 32]) -> Signature {
    let mut r = [0u8; 32];
    r[12..].copy_from_slice(address);
    let mut preimage = b"tokensign fuzzing stand-in signature".to_vec();
    preimage.extend_from_slice(address);
    preimage.extend_from_slice(hash);
    let mut s = keccak256(&preimage).0;
    s[0] &= 0x3f;
    s[31] |= 1;
    Signature { r, s, v: 0 }
}

/// Checked when this file compiles: a build with `cfg(fuzzing)` fails here.
const _: () = assert!(!cfg!(fuzzing), "a normal build has no cfg(fuzzing)");

#[test]
fn signing_and_recovery_are_real_secp256k1() {
    let key = signing_key_from_bytes(&[0x42; 32]).expect("a valid key");
    let address = key.address();
    let hash = keccak256(b"the signed bytes").0;
    let sig = key.sign_hash(&hash).expect("signs");
    assert_ne!(sig, stand_in(&address.0, &hash), "a stand-in signature");
    // An independent secp256k1 implementation recovers the same signer.
    let alloy = AlloySignature::new(
        U256::from_be_bytes(sig.r),
        U256::from_be_bytes(sig.s),
        sig.v == 1,
    );
    let recovered = alloy
        .recover_address_from_prehash(&B256::from(hash))
        .expect("recovers");
    assert_eq!(recovered, AlloyAddress::from(address.0));
    assert_eq!(recover_hash(&hash, &sig), Ok(address));
    // The stand-in of the same signer and hash is not accepted as theirs.
    match recover_hash(&hash, &stand_in(&address.0, &hash)) {
        Ok(other) => assert_ne!(other, address, "a stand-in signature recovered"),
        Err(e) => assert_eq!(e, Error::RecoveryFailed),
    }
}

#[test]
fn bip32_derivation_is_real_and_not_remembered() {
    use tokensign_core::hd::{derive_signing_key, DerivationPath, Mnemonic};
    // The public test mnemonic's accounts 0 and 1 (anvil's first two
    // accounts, published with the mnemonic).
    let seed = Mnemonic::parse("test test test test test test test test test test test junk")
        .expect("the test mnemonic")
        .to_seed("")
        .expect("a seed");
    let account = |i| {
        derive_signing_key(
            seed.as_bytes(),
            &DerivationPath::ethereum(i).expect("a path"),
        )
        .expect("derives")
        .address()
        .to_string()
    };
    assert_eq!(account(0), "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    assert_eq!(account(1), "0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
    // A second seed at the same path gives its own key (the BIP-39
    // vector's well-known account 0), not one remembered for the first.
    let other = Mnemonic::parse(
        "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about",
    )
    .expect("a BIP-39 vector")
    .to_seed("")
    .expect("a seed");
    let path = DerivationPath::ethereum(0).expect("a path");
    let address = derive_signing_key(other.as_bytes(), &path)
        .expect("derives")
        .address();
    assert_eq!(
        address.to_string(),
        "0x9858EfFD232B4033E47d90003D41EC34EcaEda94"
    );
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("a source directory") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_use_of_the_stand_ins_is_under_cfg_fuzzing() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    rust_files(&root.join("core/src"), &mut files);
    rust_files(&root.join("host/src"), &mut files);
    let mut uses = 0;
    for file in &files {
        if file.ends_with("core/src/fuzzing.rs") {
            continue;
        }
        let text = std::fs::read_to_string(file).expect("readable");
        let lines: Vec<&str> = text.lines().collect();
        for (n, line) in lines.iter().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            if !(code.contains("fuzzing::") || code.contains("mod fuzzing")) {
                continue;
            }
            uses += 1;
            // The item, statement or expression is the next one after a
            // `#[cfg(fuzzing)]` (possibly an `if` block's first lines).
            let guarded = lines[n.saturating_sub(2)..n]
                .iter()
                .any(|l| l.trim() == "#[cfg(fuzzing)]");
            assert!(
                guarded,
                "{}:{}: a use of the fuzzing stand-ins outside #[cfg(fuzzing)]: {line}",
                file.display(),
                n + 1
            );
        }
    }
    assert!(uses >= 6, "the scan found the known hooks ({uses})");
}

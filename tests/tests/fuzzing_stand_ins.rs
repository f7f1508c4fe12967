//! The fuzzing stand-ins (the core's `fuzzing` module: a test signature,
//! one-round PBKDF2) exist only in builds with `cfg(fuzzing)`, which
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
    assert!(uses >= 5, "the scan found the known hooks ({uses})");
}

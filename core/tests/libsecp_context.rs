//! The libsecp256k1 context: signing before any context is installed (a
//! temporary one per call) and after installing a randomised one gives the
//! same signatures; a second context is refused. Its own test binary, so
//! that nothing else has installed a context first.
#![cfg(feature = "libsecp256k1")]

use tokensign_core::backend::libsecp256k1::{install, installed, Context, InstallError};
use tokensign_core::{keccak256, recover_hash, sign_hash, SigningKey};

#[test]
fn installed_context_signs_like_the_temporary_one() {
    let keys: Vec<SigningKey> = (1u8..=8)
        .map(|i| SigningKey::from_bytes(&keccak256(&[i])).unwrap())
        .collect();
    let hashes: Vec<[u8; 32]> = (0u8..32).map(|i| keccak256(&[i, i])).collect();
    let sign_all = || -> Vec<_> {
        keys.iter()
            .flat_map(|k| hashes.iter().map(move |h| sign_hash(h, k).unwrap()))
            .collect()
    };

    assert!(!installed());
    let before = sign_all();

    let context: &'static mut Context = Box::leak(Box::new(Context::new()));
    assert_eq!(format!("{context:?}"), "Context { built: false, .. }");
    install(context, Some(&[0xa5; 32])).unwrap();
    assert!(installed());
    let after = sign_all();
    assert_eq!(before, after, "blinding must not change a signature");

    // Keys made after installation are the same keys.
    let again = SigningKey::from_bytes(&keccak256(&[1])).unwrap();
    assert_eq!(again.address(), keys[0].address());
    assert_eq!(
        recover_hash(&hashes[0], &after[0]).unwrap(),
        keys[0].address()
    );

    let second = install(Box::leak(Box::new(Context::new())), None);
    assert_eq!(second, Err(InstallError::AlreadyInstalled));
    assert!(second
        .unwrap_err()
        .to_string()
        .contains("already installed"));
}

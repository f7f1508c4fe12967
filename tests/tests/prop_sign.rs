//! sign -> recover gives the key's address.
//!
//! 1,000 cases, not 10,000: each case is an RFC 6979 signature and a public
//! key recovery (two scalar multiplications plus a key derivation), about
//! a thousand times the cost of an encode/decode round trip; 1,000 random
//! keys and payloads already cover the parity, high-S normalisation and
//! leading-zero paths (each about 1 case in 2, 1 in 2 and 1 in 128), and
//! the 2,000-case differential test signs once more per case.

use proptest::prelude::*;
use tokensign_core::{
    recover, sign, signing_key_from_bytes, verify, Address, Error, Signature, SignedRequest,
};
use tokensign_tests::regressions;
use tokensign_tests::strategies;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 1_000,
        failure_persistence: regressions::persistence("prop_sign"),
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn sign_then_recover_gives_the_signer(secret in strategies::secret_key(), f in strategies::fields()) {
        let key = signing_key_from_bytes(&secret).unwrap();
        let me = key.address();
        let p = f.payload();
        let sig = sign(&p, &key).unwrap();
        prop_assert!(sig.v <= 1);
        // Deterministic (RFC 6979).
        prop_assert_eq!(sign(&p, &key), Ok(sig));
        // Low-S: the top bit of s is clear.
        prop_assert!(sig.s[0] < 0x80);
        prop_assert_eq!(recover(&p, &sig), Ok(me));
        prop_assert_eq!(verify(&p, &sig, &me), Ok(()));
        let request = SignedRequest::sign(p.clone(), &key).unwrap();
        prop_assert_eq!(request.signature, sig);
        prop_assert_eq!(request.signer(), Ok(me));
        // The other parity recovers another key, or none.
        let flipped = Signature { v: 1 - sig.v, ..sig };
        prop_assert_ne!(recover(&p, &flipped), Ok(me));
        prop_assert_ne!(verify(&p, &sig, &Address([0x5a; 20])), Ok(()));
        prop_assert!(matches!(verify(&p, &flipped, &me), Err(Error::SignerMismatch | Error::RecoveryFailed)));
    }
}

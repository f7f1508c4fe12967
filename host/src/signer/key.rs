//! A key held in this process, and the development key.

use tokensign_core::{sign_hash, signing_key_from_bytes, Address, Signature, SigningKey};

use super::{PublicKey, Signer, SignerError, SigningInput};

/// The development operator key, as 64 hex digits.
///
/// **INSECURE AND PUBLIC.** It is the ASCII text
/// `tokensign-insecure-dev-key-00001`, published in this source and in
/// `docs/cli.md`; anyone can sign with it. The embedded local server trusts
/// it so that `tokensign issue` works out of the box, and the CLI refuses to
/// use it against any other server.
pub const DEV_PRIVATE_KEY_HEX: &str =
    "746f6b656e7369676e2d696e7365637572652d6465762d6b65792d3030303031";

/// The development key (see [`DEV_PRIVATE_KEY_HEX`]).
pub fn dev_key() -> SigningKey {
    // The constant is valid hex and a valid scalar (a unit test checks
    // both); the fallback, the scalar 1, is unreachable.
    super::parse_hex_key(DEV_PRIVATE_KEY_HEX)
        .ok()
        .and_then(|secret| signing_key_from_bytes(&secret).ok())
        .unwrap_or_else(|| {
            let mut one = [0u8; 32];
            one[31] = 1;
            SigningKey::from_bytes(&one).expect("the scalar 1 is a valid key")
        })
}

/// The address of the development key.
pub fn dev_address() -> Address {
    dev_key().address()
}

/// Whether `address` is the development key's.
pub fn is_dev_address(address: &Address) -> bool {
    *address == dev_address()
}

/// A secret key held in this process (the core's `SigningKey` clears its
/// scalar on drop), with where it came from.
pub struct KeySigner {
    key: SigningKey,
    address: Address,
    public_key: PublicKey,
    origin: String,
}

impl KeySigner {
    /// A signer of `key`; `origin` says where the key came from, for
    /// people (never the key itself).
    pub fn new(key: SigningKey, origin: impl Into<String>) -> Self {
        KeySigner {
            address: key.address(),
            public_key: PublicKey(key.public_key_compressed()),
            key,
            origin: origin.into(),
        }
    }

    /// The development key.
    pub fn dev() -> Self {
        Self::new(dev_key(), "the development key (PUBLIC, INSECURE)")
    }
}

impl std::fmt::Debug for KeySigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "KeySigner({}, {})", self.address, self.origin)
    }
}

impl Signer for KeySigner {
    fn address(&self) -> Address {
        self.address
    }

    fn public_key(&self) -> Option<PublicKey> {
        Some(self.public_key)
    }

    fn describe(&self) -> String {
        self.origin.clone()
    }

    fn sign(&self, input: &SigningInput<'_>) -> Result<Signature, SignerError> {
        sign_hash(input.digest(), &self.key).map_err(SignerError::Signing)
    }

    fn sign_definition(
        &self,
        definition: &tokensign_core::definition::TokenDefinition,
    ) -> Option<Result<Signature, SignerError>> {
        Some(
            definition
                .sign(&self.key)
                .map(|signed| signed.signature)
                .map_err(SignerError::Signing),
        )
    }
}

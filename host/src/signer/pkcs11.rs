//! A key in a hardware security module (HSM), through its PKCS#11 module
//! (the `cryptoki` crate): how institutions hold keys they never want on
//! a laptop. Tested against SoftHSM2.
//!
//! The key is a secp256k1 EC key pair in a token, found by the labels of
//! the token and of the key. The module signs the 32-byte prehash with
//! `CKM_ECDSA` and returns `r || s`; the network wants low S and a
//! recovery id, which the module does not give: the signer normalises S
//! (n − s when s > n/2, RustCrypto's `normalize_s`) and finds the recovery
//! id by recovering the key's address from the signature. The PIN lives in
//! a zeroizing buffer only.

use std::path::PathBuf;
use std::sync::Mutex;

use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
use cryptoki::error::{Error as CkError, RvError};
use cryptoki::mechanism::Mechanism;
use cryptoki::object::{Attribute, AttributeType, KeyType, ObjectClass, ObjectHandle};
use cryptoki::session::{Session, UserType};
use cryptoki::slot::Slot;
use cryptoki::types::AuthPin;
use tokensign_core::{address_of_uncompressed, Address, Signature};
use zeroize::Zeroizing;

use super::{PublicKey, Signer, SignerError, SigningInput};
use crate::show::{sanitize, show_path};

/// The DER of secp256k1's object identifier (1.3.132.0.10), a key's
/// `CKA_EC_PARAMS`.
pub const SECP256K1_OID_DER: [u8; 7] = [0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x0a];

/// Which key in which token of which module.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pkcs11Key {
    /// The PKCS#11 module (a shared library, e.g. SoftHSM2's
    /// `/usr/lib/softhsm/libsofthsm2.so`).
    pub module: PathBuf,
    /// The token's label.
    pub token: String,
    /// The key's label (`CKA_LABEL` of its private and public objects).
    pub key: String,
}

impl Pkcs11Key {
    /// For people: `PKCS#11 key "ops" in token "vault" (module "…")`.
    pub fn describe(&self) -> String {
        format!(
            "PKCS#11 key {:?} in token {:?} (module {})",
            sanitize(&self.key),
            sanitize(&self.token),
            show_path(&self.module)
        )
    }
}

/// Why the module refused, in words a person can act on.
fn refusal(key: &Pkcs11Key, during: &'static str, e: CkError) -> SignerError {
    let why = match &e {
        CkError::LibraryLoading(e) => {
            return SignerError::Pkcs11 {
                key: key.describe(),
                why: format!(
                    "cannot load the module {}: {}",
                    show_path(&key.module),
                    sanitize(&e.to_string())
                ),
            }
        }
        CkError::Pkcs11(RvError::PinIncorrect, _) => "wrong PIN".to_owned(),
        CkError::Pkcs11(RvError::PinLocked, _) => {
            "the PIN is locked (too many wrong tries): ask the token's security officer to \
             unlock it"
                .to_owned()
        }
        CkError::Pkcs11(RvError::PinLenRange, _) => {
            "the PIN has a length the token does not accept".to_owned()
        }
        CkError::Pkcs11(RvError::UserPinNotInitialized, _) => {
            "the token's user PIN is not set: initialise the token first".to_owned()
        }
        CkError::Pkcs11(
            RvError::CurveNotSupported | RvError::DomainParamsInvalid | RvError::MechanismInvalid,
            _,
        ) => "the module does not support secp256k1 keys (CKM_EC_KEY_PAIR_GEN / CKM_ECDSA)"
            .to_owned(),
        other => sanitize(&other.to_string()),
    };
    SignerError::Pkcs11 {
        key: key.describe(),
        why: format!("{during}: {why}"),
    }
}

/// A logged-in session on the token of `key`.
struct Opened {
    context: Pkcs11,
    session: Session,
}

fn open(key: &Pkcs11Key, pin: &str, read_write: bool) -> Result<Opened, SignerError> {
    let context = Pkcs11::new(&key.module).map_err(|e| refusal(key, "loading", e))?;
    match context.initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK)) {
        Ok(()) | Err(CkError::Pkcs11(RvError::CryptokiAlreadyInitialized, _)) => {}
        Err(e) => return Err(refusal(key, "initialising the module", e)),
    }
    let slot = token_slot(&context, key)?;
    let session = if read_write {
        context.open_rw_session(slot)
    } else {
        context.open_ro_session(slot)
    }
    .map_err(|e| refusal(key, "opening a session", e))?;
    let pin = AuthPin::from(pin.to_owned());
    session
        .login(UserType::User, Some(&pin))
        .map_err(|e| refusal(key, "logging in", e))?;
    Ok(Opened { context, session })
}

/// The slot whose token has the label of `key`.
fn token_slot(context: &Pkcs11, key: &Pkcs11Key) -> Result<Slot, SignerError> {
    let slots = context
        .get_slots_with_token()
        .map_err(|e| refusal(key, "listing the tokens", e))?;
    let mut labels = Vec::new();
    for slot in slots {
        let info = context
            .get_token_info(slot)
            .map_err(|e| refusal(key, "reading a token", e))?;
        let label = info.label().trim_end().to_owned();
        if label == key.token {
            return Ok(slot);
        }
        labels.push(format!("{:?}", sanitize(&label)));
    }
    Err(SignerError::Pkcs11 {
        key: key.describe(),
        why: if labels.is_empty() {
            "token not found: the module has no initialised token".to_owned()
        } else {
            format!(
                "token not found: the module's tokens are {}",
                labels.join(", ")
            )
        },
    })
}

/// The one object of `class` labelled `key.key`, if any.
fn find(
    session: &Session,
    key: &Pkcs11Key,
    class: ObjectClass,
) -> Result<Option<ObjectHandle>, SignerError> {
    let found = session
        .find_objects(&[
            Attribute::Class(class),
            Attribute::Label(key.key.as_bytes().to_vec()),
        ])
        .map_err(|e| refusal(key, "finding the key", e))?;
    match found.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(*one)),
        _ => Err(SignerError::Pkcs11 {
            key: key.describe(),
            why: format!(
                "{} objects of that class carry the label: give each key a label of its own",
                found.len()
            ),
        }),
    }
}

/// The uncompressed point of a secp256k1 public key object, after its
/// curve is checked.
fn public_point(
    session: &Session,
    key: &Pkcs11Key,
    object: ObjectHandle,
) -> Result<[u8; 65], SignerError> {
    let unsupported = |why: &str| SignerError::Pkcs11 {
        key: key.describe(),
        why: format!("unsupported curve: {why}; tokensign signs with secp256k1 keys only"),
    };
    let attributes = session
        .get_attributes(
            object,
            &[
                AttributeType::KeyType,
                AttributeType::EcParams,
                AttributeType::EcPoint,
            ],
        )
        .map_err(|e| refusal(key, "reading the public key", e))?;
    let (mut params, mut point, mut key_type) = (None, None, None);
    for attribute in attributes {
        match attribute {
            Attribute::EcParams(p) => params = Some(p),
            Attribute::EcPoint(p) => point = Some(p),
            Attribute::KeyType(t) => key_type = Some(t),
            _ => {}
        }
    }
    if key_type != Some(KeyType::EC) {
        return Err(unsupported("the key is not an EC key"));
    }
    if params.as_deref() != Some(&SECP256K1_OID_DER[..]) {
        return Err(unsupported("the key's curve is not secp256k1"));
    }
    point
        .as_deref()
        .and_then(uncompressed_point)
        .ok_or_else(|| unsupported("the key's point is not a 65-byte uncompressed point"))
}

/// A `CKA_EC_POINT`: the uncompressed point, DER-wrapped in an OCTET
/// STRING (PKCS#11's rule) or bare (as some modules return it).
fn uncompressed_point(value: &[u8]) -> Option<[u8; 65]> {
    let bare = match value {
        [0x04, 0x41, rest @ ..] if rest.len() == 65 => rest,
        _ => value,
    };
    let point: [u8; 65] = bare.try_into().ok()?;
    (point[0] == 0x04).then_some(point)
}

/// The compressed form of an uncompressed point.
fn compressed(point: &[u8; 65]) -> [u8; 33] {
    let mut out = [0u8; 33];
    out[0] = 0x02 | (point[64] & 1);
    out[1..].copy_from_slice(&point[1..33]);
    out
}

/// A key in a token, signing through its module.
pub struct Pkcs11Signer {
    session: Mutex<Option<Session>>,
    context: Option<Pkcs11>,
    object: ObjectHandle,
    address: Address,
    public_key: PublicKey,
    key: Pkcs11Key,
}

impl std::fmt::Debug for Pkcs11Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Pkcs11Signer({}, {})", self.address, self.key.describe())
    }
}

impl Pkcs11Signer {
    /// Logs in to the token with `pin` and finds the key pair.
    pub fn open(key: &Pkcs11Key, pin: &Zeroizing<String>) -> Result<Self, SignerError> {
        let Opened { context, session } = open(key, pin, false)?;
        let not_found = |what: &str| SignerError::Pkcs11 {
            key: key.describe(),
            why: format!(
                "key not found: the token has no {what} labelled {:?}",
                sanitize(&key.key)
            ),
        };
        let object = find(&session, key, ObjectClass::PRIVATE_KEY)?
            .ok_or_else(|| not_found("private key"))?;
        let public = find(&session, key, ObjectClass::PUBLIC_KEY)?
            .ok_or_else(|| not_found("public key (tokensign reads the address from it)"))?;
        let point = public_point(&session, key, public)?;
        Ok(Pkcs11Signer {
            session: Mutex::new(Some(session)),
            context: Some(context),
            object,
            address: address_of_uncompressed(&point),
            public_key: PublicKey(compressed(&point)),
            key: key.clone(),
        })
    }

    /// Creates a secp256k1 key pair labelled `key.key` in the token (the
    /// private key sensitive and never extractable) and returns its
    /// address. Refuses a label already in use.
    pub fn generate(key: &Pkcs11Key, pin: &Zeroizing<String>) -> Result<Address, SignerError> {
        let Opened { context, session } = open(key, pin, true)?;
        for class in [ObjectClass::PRIVATE_KEY, ObjectClass::PUBLIC_KEY] {
            if find(&session, key, class)?.is_some() {
                return Err(SignerError::Pkcs11 {
                    key: key.describe(),
                    why: "the token already holds a key with this label; refusing to add a \
                          second one"
                        .into(),
                });
            }
        }
        let label = Attribute::Label(key.key.as_bytes().to_vec());
        let public = [
            Attribute::Token(true),
            Attribute::Private(false),
            Attribute::Verify(true),
            Attribute::EcParams(SECP256K1_OID_DER.to_vec()),
            label.clone(),
        ];
        let private = [
            Attribute::Token(true),
            Attribute::Private(true),
            Attribute::Sensitive(true),
            Attribute::Extractable(false),
            Attribute::Sign(true),
            label,
        ];
        let (public, _) = session
            .generate_key_pair(&Mechanism::EccKeyPairGen, &public, &private)
            .map_err(|e| refusal(key, "creating the key pair", e))?;
        let point = public_point(&session, key, public)?;
        drop(session);
        let _ = context.finalize();
        Ok(address_of_uncompressed(&point))
    }

    /// The module, token and key.
    pub fn key(&self) -> &Pkcs11Key {
        &self.key
    }
}

impl Drop for Pkcs11Signer {
    fn drop(&mut self) {
        // The session closes before the module is finalised.
        if let Ok(mut session) = self.session.lock() {
            session.take();
        }
        if let Some(context) = self.context.take() {
            let _ = context.finalize();
        }
    }
}

/// The network's form of a module's `r || s`: low S, and the recovery id
/// whose recovered address is `address`.
pub fn network_signature(
    raw: &[u8],
    digest: &[u8; 32],
    address: &Address,
) -> Result<Signature, String> {
    let signature = k256::ecdsa::Signature::from_slice(raw)
        .map_err(|_| format!("the module returned {} bytes, not r || s", raw.len()))?;
    let signature = signature.normalize_s().unwrap_or(signature);
    let (r, s) = signature.split_bytes();
    for v in [0u8, 1] {
        let candidate = Signature {
            r: r.into(),
            s: s.into(),
            v,
        };
        if crate::curve::recover_hash(digest, &candidate).as_ref() == Ok(address) {
            return Ok(candidate);
        }
    }
    Err(
        "the module's signature recovers to neither recovery id's key: it was not made by \
         this key"
            .into(),
    )
}

impl Signer for Pkcs11Signer {
    fn address(&self) -> Address {
        self.address
    }

    fn public_key(&self) -> Option<PublicKey> {
        Some(self.public_key)
    }

    fn describe(&self) -> String {
        self.key.describe()
    }

    fn sign(&self, input: &SigningInput<'_>) -> Result<Signature, SignerError> {
        self.sign_digest(input.digest())
    }

    /// A definitions key may live in a token too: its signing hash is
    /// signed as a transaction's is.
    fn sign_definition(
        &self,
        definition: &tokensign_core::definition::TokenDefinition,
    ) -> Option<Result<Signature, SignerError>> {
        Some(self.sign_digest(&definition.signing_hash()))
    }
}

impl Pkcs11Signer {
    /// `CKM_ECDSA` over `digest` in the token, in the network's form (low
    /// S, the recovery id found by recovery).
    fn sign_digest(&self, digest: &[u8; 32]) -> Result<Signature, SignerError> {
        let failed = |why: String| SignerError::Pkcs11 {
            key: self.key.describe(),
            why,
        };
        let guard = self
            .session
            .lock()
            .map_err(|_| failed("the session is poisoned".into()))?;
        let session = guard
            .as_ref()
            .ok_or_else(|| failed("the session is closed".into()))?;
        let raw = session
            .sign(&Mechanism::Ecdsa, self.object, digest)
            .map_err(|e| refusal(&self.key, "signing", e))?;
        network_signature(&raw, digest, &self.address).map_err(failed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokensign_core::{sign_hash, SigningKey};

    #[test]
    fn points_and_signatures_take_the_network_form() {
        let key = SigningKey::from_bytes(&[7u8; 32]).unwrap();
        let compressed_key = key.public_key_compressed();
        let point = tokensign_core::decompress_public_key(&compressed_key).unwrap();
        let mut wrapped = vec![0x04, 0x41];
        wrapped.extend_from_slice(&point);
        assert_eq!(uncompressed_point(&wrapped), Some(point));
        assert_eq!(uncompressed_point(&point), Some(point));
        assert_eq!(uncompressed_point(&point[1..]), None);
        assert_eq!(compressed(&point), compressed_key);
        assert_eq!(address_of_uncompressed(&point), key.address());

        // A high-S signature (what a module may return) is normalised, and
        // its recovery id found.
        let digest = [0x42u8; 32];
        let low = sign_hash(&digest, &key).unwrap();
        let k = k256::ecdsa::Signature::from_scalars(low.r, low.s).unwrap();
        let n = k256::Scalar::ZERO - k256::Scalar::ONE;
        let high_s = (n - *k.s()) + k256::Scalar::ONE;
        let high = k256::ecdsa::Signature::from_scalars(low.r, high_s.to_bytes()).unwrap();
        assert_ne!(high.s().to_bytes(), k.s().to_bytes());
        let fixed = network_signature(&high.to_bytes(), &digest, &key.address()).unwrap();
        assert_eq!(fixed, low);
        let fixed = network_signature(&k.to_bytes(), &digest, &key.address()).unwrap();
        assert_eq!(fixed, low);
        let other = SigningKey::from_bytes(&[8u8; 32]).unwrap().address();
        assert!(network_signature(&k.to_bytes(), &digest, &other).is_err());
        assert!(network_signature(&[0u8; 10], &digest, &key.address()).is_err());
    }
}

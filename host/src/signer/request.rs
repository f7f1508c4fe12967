//! A signed request in either scheme: what a write command sends, what
//! `sign` prints and what `verify` reads, behind one type so that every
//! operation goes through the same steps whatever its scheme.

use tokensign_core::json::{write_legacy, write_native, MAX_LEGACY_JSON_LEN, MAX_NATIVE_JSON_LEN};
use tokensign_core::legacy::LegacyTx;
use tokensign_core::native::NativeTx;
use tokensign_core::tx::{OpType, Operation, Transaction};
use tokensign_core::{Address, Error as CoreError, Scheme};

use super::{sign_legacy_digest, sign_native_digest, Signer, SignerError};

/// A signed v1 or v2 request. Both variants hold a whole transaction (about
/// 15 KiB inline, the core has no heap); the 2 KiB difference is the
/// multisig proof, so boxing would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignedRequest {
    /// Legacy v1: top-level `signature`, `/v1` path.
    Legacy(LegacyTx),
    /// Native v2: `authorization`, `/v2` path.
    Native(NativeTx),
}

/// A signed request's two hashes, computed once and passed to every step
/// that shows or checks them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hashes {
    /// The digest the signature covers.
    pub signing: [u8; 32],
    /// The transaction hash the server must answer with.
    pub tx: [u8; 32],
}

/// `v1` or `v2`, as the CLI and its JSON name a scheme.
pub fn scheme_label(scheme: Scheme) -> &'static str {
    match scheme {
        Scheme::Legacy => "v1",
        Scheme::Native => "v2",
    }
}

impl SignedRequest {
    /// Signs `tx` with `signer` in `scheme` (single signer), after the
    /// core's checks of every rule. An operation without a v1 form asked
    /// for v1 is the core's `NotInScheme`.
    pub fn sign(signer: &dyn Signer, tx: Transaction, scheme: Scheme) -> Result<Self, SignerError> {
        Self::sign_digest(signer, tx, scheme).map(|(request, _)| request)
    }

    /// [`SignedRequest::sign`], with its hashes: the signing hash is the
    /// digest the signer signed, the transaction hash computed once.
    pub fn sign_hashed(
        signer: &dyn Signer,
        tx: Transaction,
        scheme: Scheme,
    ) -> Result<(Self, Hashes), SignerError> {
        let (request, signing) = Self::sign_digest(signer, tx, scheme)?;
        let tx = request.tx_hash().map_err(SignerError::Core)?;
        Ok((request, Hashes { signing, tx }))
    }

    fn sign_digest(
        signer: &dyn Signer,
        tx: Transaction,
        scheme: Scheme,
    ) -> Result<(Self, [u8; 32]), SignerError> {
        match scheme {
            Scheme::Legacy => {
                if tx.op_type().v1_path().is_none() {
                    return Err(SignerError::Core(CoreError::NotInScheme));
                }
                sign_legacy_digest(signer, tx).map(|(r, d)| (SignedRequest::Legacy(r), d))
            }
            Scheme::Native => {
                sign_native_digest(signer, tx).map(|(r, d)| (SignedRequest::Native(r), d))
            }
        }
    }

    /// The transaction signed.
    pub fn transaction(&self) -> &Transaction {
        match self {
            SignedRequest::Legacy(r) => &r.tx,
            SignedRequest::Native(r) => &r.tx,
        }
    }

    /// The operation type.
    pub fn op_type(&self) -> OpType {
        self.transaction().op_type()
    }

    /// The scheme.
    pub fn scheme(&self) -> Scheme {
        match self {
            SignedRequest::Legacy(_) => Scheme::Legacy,
            SignedRequest::Native(_) => Scheme::Native,
        }
    }

    /// The REST path to POST it to.
    pub fn path(&self) -> &'static str {
        match self {
            SignedRequest::Legacy(r) => r.tx.op_type().v1_path().unwrap_or_default(),
            SignedRequest::Native(r) => r.path(),
        }
    }

    /// The digest the signature covers.
    pub fn signing_hash(&self) -> Result<[u8; 32], CoreError> {
        match self {
            SignedRequest::Legacy(r) => r.signing_hash(),
            SignedRequest::Native(r) => Ok(r.signing_hash()),
        }
    }

    /// The transaction hash the server must answer with.
    pub fn tx_hash(&self) -> Result<[u8; 32], CoreError> {
        match self {
            SignedRequest::Legacy(r) => r.tx_hash(),
            SignedRequest::Native(r) => Ok(r.tx_hash()),
        }
    }

    /// Both hashes, each computed once (for a request read from a file;
    /// [`SignedRequest::sign_hashed`] gives them at signing).
    pub fn hashes(&self) -> Result<Hashes, CoreError> {
        Ok(Hashes {
            signing: self.signing_hash()?,
            tx: self.tx_hash()?,
        })
    }

    /// The sending account: the recovered signer, or a multisig account
    /// (every member's signature checked against its key).
    pub fn sender(&self) -> Result<Address, CoreError> {
        match self {
            SignedRequest::Legacy(r) => r.signer(),
            SignedRequest::Native(r) => r.sender(),
        }
    }

    /// The token an issue creates.
    pub fn token(&self) -> Option<Address> {
        match &self.transaction().operation {
            Operation::TokenIssue(issue) => Some(issue.token_address()),
            _ => None,
        }
    }

    /// The request body exactly as the core writes it.
    pub fn body(&self) -> Result<Vec<u8>, CoreError> {
        let (mut buf, n) = match self {
            SignedRequest::Legacy(r) => {
                let mut buf = vec![0u8; MAX_LEGACY_JSON_LEN];
                let n = write_legacy(r, &mut buf)?;
                (buf, n)
            }
            SignedRequest::Native(r) => {
                let mut buf = vec![0u8; MAX_NATIVE_JSON_LEN];
                let n = write_native(r, &mut buf)?;
                (buf, n)
            }
        };
        buf.truncate(n);
        Ok(buf)
    }
}

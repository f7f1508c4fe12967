//! One member's signature for a multisig account, as a file: what each
//! signer of a multisig account produces on its own (`--multisig ACCOUNT`
//! on any operation, with any signer: key, keystore, mnemonic or device),
//! and what `multisig combine` assembles into the v2 request.
//!
//! The file carries the whole transaction (as a signing document) with the
//! signature, so that combining needs nothing else, and every partial is
//! checked against its transaction and its signer's key before anything is
//! assembled or sent.

use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokensign_core::json::{parse_document, write_document, MAX_DOCUMENT_JSON_LEN};
use tokensign_core::native::{self, Descriptor, MemberSignature, NativeTx};
use tokensign_core::tx::Transaction;
use tokensign_core::{
    address_of_compressed, recover_hash, Address, Error as CoreError, Scheme, Signature,
};

use super::{sign_checked, Signer, SignerError, SigningInput};
use crate::api::SignatureJson;
use crate::show::{hex0x, parse_hex32, sanitize, show_path};

/// The format marker and version of a partial file.
pub const PARTIAL_FORMAT: &str = "tokensign-multisig-partial-1";

/// A partial signature file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Partial {
    /// [`PARTIAL_FORMAT`].
    pub format: String,
    /// The operation's spec name.
    pub operation: String,
    /// The multisig account that sends it.
    pub account: String,
    /// The transaction as a signing document (`operation`, fields, memo).
    pub transaction: Value,
    /// The digest signed (descriptor `[1, account]`).
    pub signing_hash: String,
    /// The member's address.
    pub signer: String,
    /// The member's compressed public key, `0x` + 66 hex digits.
    pub signer_pubkey: String,
    /// The member's signature.
    pub signature: SignatureJson,
}

/// Why a partial file or a set of them was refused.
#[derive(Debug, thiserror::Error)]
pub enum PartialError {
    /// A file is not a partial of this format.
    #[error("{file}: not a tokensign partial signature ({why})")]
    Shape {
        /// The file, shown.
        file: String,
        /// What is wrong.
        why: String,
    },
    /// A partial's transaction is refused by the core.
    #[error("{file}: its transaction is invalid: {error}")]
    Transaction {
        /// The file, shown.
        file: String,
        /// The core's reason.
        error: CoreError,
    },
    /// Two partials are not for the same transaction or account.
    #[error(
        "{file} is for another transaction or account than {first}: every member must sign \
         the same document (same nonce, fields and memo) for the same account"
    )]
    Different {
        /// The differing file.
        file: String,
        /// The first file.
        first: String,
    },
    /// A partial's signature does not check.
    #[error("{file}: {why}; ask that member to sign again, nothing was sent")]
    BadSignature {
        /// The file, shown.
        file: String,
        /// What does not check.
        why: String,
    },
    /// The core refused the combination.
    #[error("cannot combine the partial signatures: {0}")]
    Combine(CoreError),
    /// The output file could not be written.
    #[error("cannot write {path}: {why}")]
    Write {
        /// The path, shown.
        path: String,
        /// Why.
        why: String,
    },
    /// No partial files given.
    #[error("give at least one partial signature file")]
    None,
}

fn signature_json(sig: &Signature) -> SignatureJson {
    SignatureJson {
        r: hex0x(&sig.r),
        s: hex0x(&sig.s),
        v: sig.v,
    }
}

/// The signing document of `tx` as JSON.
fn document(tx: &Transaction) -> Result<Value, CoreError> {
    let mut buf = vec![0u8; MAX_DOCUMENT_JSON_LEN];
    let n = write_document(tx, &mut buf)?;
    serde_json::from_slice(buf.get(..n).unwrap_or_default()).map_err(|_| CoreError::BufferTooSmall)
}

/// Signs `tx` as a member of `account` with `signer` (the device shows the
/// account it signs for).
pub fn sign_partial(
    signer: &dyn Signer,
    tx: &Transaction,
    account: Address,
) -> Result<Partial, SignerError> {
    let tx = native::normalize(tx.clone());
    sign_input(
        signer,
        &SigningInput::native(&tx, Descriptor::Multisig(account)),
        account,
    )
}

/// Signs `input` (a normalized transaction under the descriptor of
/// `account`, its digest computed once by the caller, who may have shown
/// it) as a member of `account`, after the core's checks.
pub fn sign_input(
    signer: &dyn Signer,
    input: &SigningInput<'_>,
    account: Address,
) -> Result<Partial, SignerError> {
    let tx = input.transaction();
    if input.descriptor() != Descriptor::Multisig(account) || input.scheme() != Scheme::Native {
        return Err(SignerError::Core(CoreError::SignerMismatch));
    }
    tx.check().map_err(SignerError::Core)?;
    let signature = sign_checked(signer, input)?;
    let pubkey = signer
        .public_key()
        .ok_or(SignerError::Core(CoreError::RecoveryFailed))?;
    Ok(Partial {
        format: PARTIAL_FORMAT.into(),
        operation: tx.op_type().name().into(),
        account: account.to_string(),
        transaction: document(tx).map_err(SignerError::Core)?,
        signing_hash: hex0x(input.digest()),
        signer: signer.address().to_string(),
        signer_pubkey: hex0x(&pubkey.0),
        signature: signature_json(&signature),
    })
}

impl Partial {
    /// The file's text (one line).
    pub fn to_json(&self) -> Result<String, PartialError> {
        serde_json::to_string(self).map_err(|e| PartialError::Write {
            path: "(memory)".into(),
            why: e.to_string(),
        })
    }

    /// Reads one partial (`file` names it in errors) and checks it against
    /// itself: its transaction, its signing hash, and its signature
    /// against its public key and signer.
    pub fn check(
        bytes: &[u8],
        file: &str,
    ) -> Result<(Transaction, Address, MemberSignature), PartialError> {
        let shape = |why: String| PartialError::Shape {
            file: file.to_owned(),
            why,
        };
        let part: Partial =
            serde_json::from_slice(bytes).map_err(|e| shape(sanitize(&e.to_string())))?;
        if part.format != PARTIAL_FORMAT {
            return Err(shape(format!("format is not {PARTIAL_FORMAT}")));
        }
        let doc = serde_json::to_vec(&part.transaction).map_err(|e| shape(e.to_string()))?;
        let tx: Transaction = parse_document(&doc).map_err(|error| PartialError::Transaction {
            file: file.to_owned(),
            error,
        })?;
        let tx = native::normalize(tx);
        if tx.op_type().name() != part.operation {
            return Err(shape("its operation differs from its transaction's".into()));
        }
        let account = Address::parse(&part.account).map_err(|e| shape(format!("account: {e}")))?;
        let bad = |why: String| PartialError::BadSignature {
            file: file.to_owned(),
            why,
        };
        let hash = native::signing_hash(&tx, Descriptor::Multisig(account));
        if parse_hex32(&part.signing_hash) != Some(hash) {
            return Err(bad(format!(
                "its signing_hash is not its transaction's ({})",
                hex0x(&hash)
            )));
        }
        let mut pubkey = [0u8; 33];
        let digits = part
            .signer_pubkey
            .strip_prefix("0x")
            .unwrap_or(&part.signer_pubkey);
        hex::decode_to_slice(digits, &mut pubkey)
            .map_err(|_| shape("signer_pubkey is not 0x + 66 hex digits".into()))?;
        let key_address = address_of_compressed(&pubkey)
            .ok_or_else(|| bad("signer_pubkey is not a secp256k1 public key".into()))?;
        if Address::parse(&part.signer).ok() != Some(key_address) {
            return Err(bad(format!(
                "its signer {} is not the address of its public key ({key_address})",
                sanitize(&part.signer)
            )));
        }
        let scalar = |text: &str, name: &str| {
            parse_hex32(text)
                .ok_or_else(|| shape(format!("signature.{name} is not 0x + 64 hex digits")))
        };
        let signature = Signature {
            r: scalar(&part.signature.r, "r")?,
            s: scalar(&part.signature.s, "s")?,
            v: part.signature.v,
        };
        match recover_hash(&hash, &signature) {
            Ok(got) if got == key_address => {}
            Ok(got) => {
                return Err(bad(format!(
                    "its signature was made by {got}, not by its signer {key_address}"
                )))
            }
            Err(e) => return Err(bad(format!("its signature is invalid: {e}"))),
        }
        Ok((
            tx,
            account,
            MemberSignature {
                signer_pubkey: pubkey,
                signature,
            },
        ))
    }
}

/// Combines checked partial files (name, bytes) into the v2 request, the
/// proof in the order the spec requires (ascending public key).
pub fn combine(files: &[(String, Vec<u8>)]) -> Result<NativeTx, PartialError> {
    let mut first: Option<(&str, Transaction, Address)> = None;
    let mut members = Vec::with_capacity(files.len());
    for (name, bytes) in files {
        let (tx, account, member) = Partial::check(bytes, name)?;
        match &first {
            None => first = Some((name, tx, account)),
            Some((first_name, first_tx, first_account)) => {
                if *first_tx != tx || *first_account != account {
                    return Err(PartialError::Different {
                        file: name.clone(),
                        first: (*first_name).to_owned(),
                    });
                }
            }
        }
        members.push(member);
    }
    let (_, tx, account) = first.ok_or(PartialError::None)?;
    NativeTx::combine(tx, account, &members).map_err(PartialError::Combine)
}

/// Writes `text` to a new file at `path` (never over an existing one).
pub fn write_new(path: &Path, text: &str) -> Result<(), PartialError> {
    let failed = |e: std::io::Error| PartialError::Write {
        path: show_path(path),
        why: if e.kind() == std::io::ErrorKind::AlreadyExists {
            "it already exists; refusing to overwrite it".into()
        } else {
            crate::show::io_reason(e.kind())
        },
    };
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(failed)?;
    file.write_all(format!("{text}\n").as_bytes())
        .map_err(failed)
}

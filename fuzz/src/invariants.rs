//! What must hold for every transaction the core accepted or made, however
//! it was obtained (JSON, legacy RLP, v2 payload or envelope, built from
//! fields): every encoder fits the published `MAX_*` sizes, agrees with its
//! streaming hash, its length counter and an independent RLP reader, and
//! decodes back; every JSON writer's output parses back to the same value
//! (or to the error `check()` gives); the review of it, in every scheme and
//! descriptor it can be signed under, pages without panicking into
//! printable ASCII that joins back to each value.

use std::sync::OnceLock;

use tokensign_core::definition::TokenUnit;
use tokensign_core::legacy::{self, LegacyTx};
use tokensign_core::native::{self, Authorization, Descriptor, MemberSignature, NativeTx, Proof};
use tokensign_core::review::{Review, MAX_PAGE_WIDTH};
use tokensign_core::rlp::encode::{to_slice, Encode};
use tokensign_core::tx::Operation;
use tokensign_core::{
    json, keccak256, verify_hash, Address, Error, Field, Problem, Scheme, Signature, Transaction,
};

use crate::reference::{self, Rlp};
pub use crate::review_checks::check_review;

/// Encodes `value` into a buffer of exactly `cap` bytes (a published
/// maximum): it must fit, its length counter must agree, its streaming
/// hash must be the hash of the bytes, and the bytes must be one canonical
/// RLP item to an independent reader.
pub fn encode<T: Encode + ?Sized>(value: &T, cap: usize, what: &str) -> Vec<u8> {
    let mut buf = vec![0u8; cap];
    let n = to_slice(value, &mut buf)
        .unwrap_or_else(|_| panic!("{what} does not fit its published maximum of {cap} bytes"));
    buf.truncate(n);
    assert_eq!(value.encoded_len(), n, "{what}: encoded_len");
    assert_eq!(
        tokensign_core::rlp::encode::keccak(value),
        keccak256(&buf),
        "{what}: streamed hash"
    );
    reference::assert_canonical_rlp(&buf, what);
    buf
}

/// Runs a JSON writer into a buffer of exactly `cap` bytes: it must fit.
pub fn write_json(
    cap: usize,
    what: &str,
    write: impl FnOnce(&mut [u8]) -> Result<usize, Error>,
) -> Vec<u8> {
    let mut buf = vec![0u8; cap];
    let n = write(&mut buf).unwrap_or_else(|e| {
        panic!("{what} does not fit its published maximum of {cap} bytes: {e}")
    });
    buf.truncate(n);
    buf
}

/// A signature of the largest JSON form (any values: the writers and
/// parsers do not judge them).
pub const DUMMY_SIGNATURE: Signature = Signature {
    r: [0xd1; 32],
    s: [0x3e; 32],
    v: 1,
};

/// An account to sign for as a multisig member.
pub const MULTISIG_ACCOUNT: Address = Address([0x5a; 20]);

/// The largest authorization: a multisig one with every member signing.
pub fn max_multisig() -> &'static Authorization {
    static MAX: OnceLock<Authorization> = OnceLock::new();
    MAX.get_or_init(|| {
        let signatures = (0..tokensign_core::tx::MAX_MULTISIG_SIGNERS)
            .map(|i| {
                let mut signer_pubkey = [0x02; 33];
                signer_pubkey[32] = i as u8;
                MemberSignature {
                    signer_pubkey,
                    signature: DUMMY_SIGNATURE,
                }
            })
            .collect();
        Authorization::Multisig {
            account: MULTISIG_ACCOUNT,
            signatures,
        }
    })
}

/// Every invariant of a transaction (see the module's documentation).
/// `width` picks one of the screen widths its review is paged at.
pub fn check_tx<const B: usize, const M: usize>(tx: &Transaction<B, M>, width: usize) {
    let op = tx.op_type();
    let checked = tx.check();
    let normal = native::normalize(tx.clone());
    assert_eq!(normal.check(), checked, "normalizing changes no rule");
    let cap = Transaction::<B, M>::MAX_PAYLOAD_WITH_MEMO_RLP_LEN;

    // Legacy v1: the signed bytes, for the twelve operations it carries.
    match legacy::signed_value(tx) {
        Ok(value) => {
            assert!(legacy::supports(op), "{op} signed in legacy");
            let bytes = encode(&value, cap, "legacy signed value");
            if tx.memo.is_none() {
                assert!(
                    bytes.len() <= Transaction::<B, M>::MAX_PAYLOAD_RLP_LEN,
                    "rlp(P) longer than MAX_PAYLOAD_RLP_LEN"
                );
            }
            let mut buf = vec![0u8; cap];
            let n = legacy::encode_signed_value(tx, &mut buf).expect("fits");
            assert_eq!(&buf[..n], &bytes[..], "encode_signed_value");
            assert_eq!(
                legacy::decode_signed_value::<B, M>(op, &bytes).as_ref(),
                Ok(tx),
                "legacy decode(encode)"
            );
            assert_eq!(legacy::signing_hash(tx), Ok(keccak256(&bytes)));
            check_payload_shape(tx, &bytes, false);
            if let Operation::TokenIssue(_) = tx.operation {
                assert_eq!(
                    bytes,
                    reference::issue_signed_value(tx),
                    "issue reference RLP"
                );
            }
        }
        Err(e) => {
            assert_eq!(e, Error::NotInScheme, "{op}");
            assert!(!legacy::supports(op), "{op} refused by legacy");
            assert_eq!(
                legacy::decode_signed_value::<B, M>(op, &[0xc0]),
                Err(Error::NotInScheme)
            );
        }
    }

    // Native v2: `[P, M]`, the same for the transaction and its normal form.
    let payload = encode(&native::payload_rlp(tx), cap, "v2 payload_rlp");
    assert_eq!(
        encode(&native::payload_rlp(&normal), cap, "v2 payload_rlp"),
        payload,
        "payload_rlp of the normalized transaction"
    );
    assert_eq!(
        native::decode_payload_rlp::<B, M>(op, &payload).as_ref(),
        Ok(&normal),
        "v2 decode(encode)"
    );
    check_payload_shape(&normal, &payload, true);
    if legacy::supports(op) {
        // `[P, M]` is also a legacy signed value with a memo.
        assert_eq!(
            legacy::decode_signed_value::<B, M>(op, &payload).as_ref(),
            Ok(&normal),
            "v2 payload read as legacy bytes"
        );
    }
    let envelope_cap = native::max_signed_rlp_len::<B, M>();
    for descriptor in [Descriptor::Single, Descriptor::Multisig(MULTISIG_ACCOUNT)] {
        let env = encode(
            &native::unsigned(tx, descriptor),
            envelope_cap,
            "unsigned envelope",
        );
        let d = encode(&descriptor, envelope_cap, "descriptor");
        assert_eq!(
            env,
            reference::native_envelope(op.number(), &d, &payload, None),
            "unsigned envelope differs from the reference"
        );
        assert_eq!(
            native::decode_unsigned::<B, M>(&env),
            Ok((normal.clone(), descriptor)),
            "decode_unsigned(unsigned)"
        );
        assert_eq!(native::signing_hash(tx, descriptor), keccak256(&env));
        assert_eq!(
            Scheme::Native.signing_hash(tx, descriptor),
            Ok(keccak256(&env))
        );
    }

    // JSON: what the writers write parses back, or fails as `check` does.
    let expected = checked.map(|()| tx.clone());
    let doc_cap = json::max_document_len::<B, M>();
    let unsigned = write_json(doc_cap, "write_unsigned", |b| json::write_unsigned(tx, b));
    assert_eq!(
        json::parse_unsigned::<B, M>(op, &unsigned),
        expected,
        "parse_unsigned(write_unsigned)"
    );
    let document = write_json(doc_cap, "write_document", |b| json::write_document(tx, b));
    assert_eq!(
        json::parse_document::<B, M>(&document),
        expected,
        "parse_document(write_document)"
    );
    if legacy::supports(op) {
        let signed = LegacyTx {
            tx: tx.clone(),
            signature: DUMMY_SIGNATURE,
        };
        let body = write_json(json::max_legacy_len::<B, M>(), "write_legacy", |b| {
            json::write_legacy(&signed, b)
        });
        assert_eq!(
            json::parse_legacy::<B, M>(op, &body),
            checked.map(|()| signed),
            "parse_legacy(write_legacy)"
        );
    }
    for authorization in [
        Authorization::Single(DUMMY_SIGNATURE),
        max_multisig().clone(),
    ] {
        let signed = NativeTx {
            tx: normal.clone(),
            authorization,
        };
        let body = write_json(json::max_native_len::<B, M>(), "write_native", |b| {
            json::write_native(&signed, b)
        });
        assert_eq!(
            json::parse_native::<B, M>(op, &body),
            checked.map(|()| signed),
            "parse_native(write_native)"
        );
    }

    // The reviews it can be signed under.
    let widths = [width, 20, MAX_PAGE_WIDTH, 1 + width / 3];
    if legacy::supports(op) {
        check_review(
            &Review::new(tx, Scheme::Legacy, Descriptor::Single),
            widths[0],
        );
    }
    check_review(
        &Review::new(tx, Scheme::Native, Descriptor::Single),
        widths[1],
    );
    let account = Descriptor::Multisig(MULTISIG_ACCOUNT);
    check_review(&Review::new(&normal, Scheme::Native, account), widths[2]);
    check_review(
        &Review::new(&normal, Scheme::Native, Descriptor::Single),
        widths[3],
    );
    // As a host on a local node shows it, with a server's word on the
    // token's unit (the same rendering as a definition's, without a
    // signature to make per input): whole tokens, base units after them.
    let unit = TokenUnit::new("USDX", (tx.nonce % 19) as u8).expect("a valid unit");
    check_review(
        &Review::new(&normal, Scheme::Native, Descriptor::Single)
            .with_reported_unit(&unit)
            .on_local_node(),
        widths[0],
    );
}

/// The signed payload's outer shape, read by the reference reader: `P` is
/// a list starting with the chain id and nonce as minimal integers; with a
/// memo, `[P, [type, format, data]]`.
fn check_payload_shape<const B: usize, const M: usize>(
    tx: &Transaction<B, M>,
    bytes: &[u8],
    v2: bool,
) {
    let tree = reference::assert_canonical_rlp(bytes, "payload");
    let p = match &tx.memo {
        Some(memo) => {
            let [p, m] = tree.items() else {
                panic!("[P, M] has two items");
            };
            assert_eq!(
                m,
                &Rlp::List(vec![
                    Rlp::Str(memo.kind.as_bytes().to_vec()),
                    Rlp::Str(memo.format.as_bytes().to_vec()),
                    Rlp::Str(memo.data.as_bytes().to_vec()),
                ]),
                "memo"
            );
            p.clone()
        }
        None => {
            assert!(!v2, "v2 always signs a memo");
            tree
        }
    };
    let items = p.items();
    assert!(items.len() >= 2, "P holds chain id and nonce");
    assert_eq!(
        items[0].encode(),
        reference::rlp_uint(&tx.chain_id.to_be_bytes())
    );
    assert_eq!(
        items[1].encode(),
        reference::rlp_uint(&tx.nonce.to_be_bytes())
    );
}

/// A v1 request's invariants: its transaction's ([`check_tx`] is the
/// caller's), the transaction hash per the issue spec's rule, and a
/// signature that either recovers to an address that verifies or is
/// refused with a signature error.
pub fn check_legacy_signed<const B: usize, const M: usize>(signed: &LegacyTx<B, M>) {
    let cap = Transaction::<B, M>::MAX_PAYLOAD_WITH_MEMO_RLP_LEN;
    let value = legacy::signed_value(&signed.tx).expect("a v1 request's operation is in v1");
    let bytes = encode(&value, cap, "legacy signed value");
    assert_eq!(
        signed.tx_hash(),
        Ok(reference::legacy_tx_hash(&bytes, &signed.signature)),
        "legacy transaction hash"
    );
    assert_eq!(signed.path(), signed.tx.op_type().v1_path());
    match signed.signer() {
        Ok(signer) => {
            assert!(
                signed.signature.to_k256().is_ok(),
                "recovered from a refused signature"
            );
            assert_eq!(
                verify_hash(&keccak256(&bytes), &signed.signature, &signer),
                Ok(())
            );
        }
        Err(e) => assert_signature_error(e),
    }
}

fn assert_signature_error(e: Error) {
    assert!(
        matches!(
            e,
            Error::InvalidRecoveryId
                | Error::SignatureScalarOutOfRange
                | Error::HighS
                | Error::RecoveryFailed
        ),
        "unexpected signature error {e:?}"
    );
}

/// A v2 request's invariants: its transaction is in normal form, the
/// signed envelope agrees with the reference layout and decodes back, the
/// transaction hash is its hash, its JSON body parses back, and the sender
/// is found or refused with a precise error.
pub fn check_native_signed<const B: usize, const M: usize>(signed: &NativeTx<B, M>) {
    let tx = &signed.tx;
    let op = tx.op_type();
    assert_eq!(
        &native::normalize(tx.clone()),
        tx,
        "a v2 transaction is kept in normal form"
    );
    let cap = native::max_signed_rlp_len::<B, M>();
    let auth = &signed.authorization;
    let payload = encode(&native::payload_rlp(tx), cap, "v2 payload_rlp");
    let descriptor = encode(&auth.descriptor(), cap, "descriptor");
    let proof = encode(&Proof(auth), cap, "proof");
    let env = encode(&native::signed(tx, auth), cap, "signed envelope");
    assert_eq!(
        env,
        reference::native_envelope(op.number(), &descriptor, &payload, Some(&proof)),
        "signed envelope differs from the reference"
    );
    assert_eq!(
        native::decode_signed::<B, M>(&env).as_ref(),
        Ok(signed),
        "decode_signed(signed)"
    );
    assert_eq!(signed.tx_hash(), keccak256(&env), "v2 transaction hash");
    assert_eq!(signed.path(), op.v2_path());

    let body = write_json(json::max_native_len::<B, M>(), "write_native", |b| {
        json::write_native(signed, b)
    });
    assert_eq!(
        json::parse_native::<B, M>(op, &body),
        tx.check().map(|()| signed.clone()),
        "parse_native(write_native)"
    );

    let form = auth.check_form();
    match signed.sender() {
        Ok(sender) => {
            assert_eq!(form, Ok(()), "a sender despite a malformed proof");
            match auth {
                Authorization::Single(sig) => {
                    assert_eq!(verify_hash(&signed.signing_hash(), sig, &sender), Ok(()))
                }
                Authorization::Multisig { account, .. } => assert_eq!(sender, *account),
            }
        }
        Err(e) => {
            if let Err(f) = form {
                assert_eq!(e, f, "sender reports the proof's form error first");
            }
            match e {
                Error::SignerMismatch => {}
                Error::Invalid { at, problem } => assert!(
                    matches!(
                        (at.field, problem),
                        (Field::Signatures, Problem::Empty)
                            | (
                                Field::SignerPubkey,
                                Problem::Duplicate
                                    | Problem::NotAscending
                                    | Problem::InvalidPublicKey
                            )
                    ),
                    "unexpected sender error {e:?}"
                ),
                e => assert_signature_error(e),
            }
        }
    }
}

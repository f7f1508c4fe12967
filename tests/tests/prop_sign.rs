//! Sign then recover gives the key's address, for every operation in both
//! schemes where the spec allows (legacy: `LegacyTx::signer`; v2:
//! `NativeTx::sender`), and multisig: members sign with `sign_as_member`,
//! `NativeTx::combine` assembles the proof, and the sender is the account;
//! `combine` refuses a signature by another key than the member it names,
//! over another account or another transaction, and a repeated member.
//!
//! Transactions at small capacities (`Transaction<8, 6>`: the generators'
//! lists hold at most 6 entries) keep the values small; the signing code is
//! the same for every capacity. `cases(256)` per operation and property: each case is several RFC 6979
//! signatures and public-key recoveries (two scalar multiplications each),
//! about a thousand times the cost of an encoding round trip; 256 random
//! keys and transactions per operation cover the parity, high-S and
//! leading-zero paths (about 1 case in 2, 2 and 128).

use proptest::prelude::*;
use tokensign_core::field::KeyAsIntegers;
use tokensign_core::legacy::{self, LegacyTx};
use tokensign_core::native::{self, sign_as_member, Authorization, Descriptor, NativeTx};
use tokensign_core::tx::{multisig_address, MultisigSigner};
use tokensign_core::{
    recover_hash, signing_key_from_bytes, verify_hash, Address, Error, OpType, Problem, Signature,
    Transaction,
};
use tokensign_tests::config;
use tokensign_tests::strategies::{address, pool_keys, secret_key, transaction_for, PoolKey};

fn single_signer<const B: usize, const M: usize>(
    tx: &Transaction<B, M>,
    secret: &[u8; 32],
) -> Result<(), TestCaseError> {
    let op = tx.op_type();
    let key = signing_key_from_bytes(secret).unwrap();
    let me = key.address();
    // Legacy v1.
    if legacy::supports(op) {
        let signed = LegacyTx::sign(tx.clone(), &key).unwrap();
        let sig = signed.signature;
        prop_assert!(sig.v <= 1);
        prop_assert!(sig.s[0] < 0x80, "low S");
        prop_assert_eq!(
            LegacyTx::sign(tx.clone(), &key),
            Ok(signed.clone()),
            "RFC 6979 is deterministic"
        );
        prop_assert_eq!(&signed.tx, tx);
        // In place, over a slot that held another signature: the same.
        let mut slot = LegacyTx {
            tx: tx.clone(),
            signature: Signature {
                v: 1 - sig.v,
                ..sig
            },
        };
        prop_assert_eq!(slot.sign_in_place(&key), Ok(()));
        prop_assert_eq!(&slot, &signed);
        prop_assert_eq!(signed.signer(), Ok(me));
        prop_assert_eq!(
            verify_hash(&legacy::signing_hash(tx).unwrap(), &sig, &me),
            Ok(())
        );
        prop_assert_eq!(signed.path(), op.v1_path());
        // The other parity recovers another key, or none.
        let flipped = LegacyTx {
            signature: Signature {
                v: 1 - sig.v,
                ..sig
            },
            ..signed.clone()
        };
        prop_assert_ne!(flipped.signer(), Ok(me));
        // Another transaction under the same signature: another signer.
        let mut other = signed.clone();
        other.tx.nonce ^= 1;
        prop_assert_ne!(other.signer(), Ok(me));
    } else {
        prop_assert_eq!(LegacyTx::sign(tx.clone(), &key), Err(Error::NotInScheme));
    }
    // Native v2.
    let signed = NativeTx::sign(tx.clone(), &key).unwrap();
    // In place, over a slot that held another authorization: the same.
    let mut slot = NativeTx {
        tx: tx.clone(),
        authorization: Authorization::Single(Signature::ZERO),
    };
    prop_assert_eq!(slot.sign_in_place(&key), Ok(()));
    prop_assert_eq!(&slot, &signed);
    prop_assert_eq!(&signed.tx, &native::normalize(tx.clone()));
    let Authorization::Single(sig) = signed.authorization else {
        return Err(TestCaseError::fail("a single signer's authorization"));
    };
    prop_assert!(sig.s[0] < 0x80, "low S");
    prop_assert_eq!(signed.authorization.check_form(), Ok(()));
    prop_assert_eq!(signed.sender(), Ok(me));
    prop_assert_eq!(
        recover_hash(&native::signing_hash(tx, Descriptor::Single), &sig),
        Ok(me)
    );
    prop_assert_eq!(
        NativeTx::sign(tx.clone(), &key),
        Ok(signed.clone()),
        "deterministic"
    );
    prop_assert_eq!(signed.path(), op.v2_path());
    if let Ok(legacy_signed) = LegacyTx::sign(tx.clone(), &key) {
        prop_assert_ne!(
            legacy_signed.signature,
            sig,
            "the schemes sign different digests"
        );
    }
    let mut other = signed.clone();
    other.tx.chain_id ^= 1;
    prop_assert_ne!(other.sender(), Ok(me));
    Ok(())
}

fn multisig<const B: usize, const M: usize>(
    tx: &Transaction<B, M>,
    keys: &[PoolKey],
    weights_account: bool,
    other_account: Address,
) -> Result<(), TestCaseError> {
    // The last key is an outsider; the others are members.
    let (outsider, members) = keys.split_last().expect("at least two keys");
    let account = if weights_account {
        let signers: Vec<MultisigSigner> = members
            .iter()
            .map(|k| MultisigSigner {
                public_key: KeyAsIntegers(k.public),
                weight: 1,
            })
            .collect();
        multisig_address(&signers, 1)
    } else {
        Address([0xa0; 20])
    };
    prop_assume!(other_account != account);
    let v2 = native::normalize(tx.clone());
    let hash = native::signing_hash(&v2, Descriptor::Multisig(account));
    let sigs: Vec<_> = members
        .iter()
        .map(|k| sign_as_member(tx, account, &k.key()).unwrap())
        .collect();
    for (k, s) in members.iter().zip(&sigs) {
        prop_assert_eq!(s.signer_pubkey, k.public);
        prop_assert_eq!(recover_hash(&hash, &s.signature), Ok(k.address));
    }
    let combined = NativeTx::combine(tx.clone(), account, &sigs).unwrap();
    prop_assert_eq!(&combined.tx, &v2);
    prop_assert_eq!(combined.sender(), Ok(account));
    prop_assert_eq!(combined.signing_hash(), hash);
    prop_assert_eq!(
        combined.authorization.descriptor(),
        Descriptor::Multisig(account)
    );
    prop_assert_eq!(combined.authorization.check_form(), Ok(()));
    let Authorization::Multisig { signatures, .. } = &combined.authorization else {
        return Err(TestCaseError::fail("a multisig authorization"));
    };
    prop_assert_eq!(signatures.len(), members.len());
    prop_assert!(
        signatures
            .windows(2)
            .all(|w| w[0].signer_pubkey < w[1].signer_pubkey),
        "ascending keys"
    );
    // The order the members sign in does not matter.
    let reversed: Vec<_> = sigs.iter().rev().copied().collect();
    prop_assert_eq!(
        NativeTx::combine(tx.clone(), account, &reversed),
        Ok(combined.clone())
    );
    // A signature by another key than the member it names.
    let mut forged = sigs.clone();
    forged[0].signature = sign_as_member(tx, account, &outsider.key())
        .unwrap()
        .signature;
    prop_assert_eq!(
        NativeTx::combine(tx.clone(), account, &forged),
        Err(Error::SignerMismatch)
    );
    // A member's signature for another account, or another transaction.
    let mut elsewhere = sigs.clone();
    elsewhere[0] = sign_as_member(tx, other_account, &members[0].key()).unwrap();
    prop_assert_eq!(
        NativeTx::combine(tx.clone(), account, &elsewhere),
        Err(Error::SignerMismatch)
    );
    let mut changed = tx.clone();
    changed.nonce ^= 1;
    let mut stale = sigs.clone();
    stale[0] = sign_as_member(&changed, account, &members[0].key()).unwrap();
    prop_assert_eq!(
        NativeTx::combine(tx.clone(), account, &stale),
        Err(Error::SignerMismatch)
    );
    // A member twice.
    let twice = [sigs[0], sigs[0]];
    let refused = NativeTx::combine(tx.clone(), account, &twice);
    let duplicate = matches!(
        refused,
        Err(Error::Invalid {
            problem: Problem::Duplicate,
            ..
        })
    );
    prop_assert!(duplicate, "a repeated member: {:?}", refused.map(|_| ()));
    // The combined proof does not carry over to another transaction or
    // account: the sender check fails.
    let mut moved = combined.clone();
    moved.tx.nonce ^= 1;
    prop_assert_eq!(moved.sender(), Err(Error::SignerMismatch));
    let mut moved = combined;
    if let Authorization::Multisig { account, .. } = &mut moved.authorization {
        *account = other_account;
    }
    prop_assert_eq!(moved.sender(), Err(Error::SignerMismatch));
    Ok(())
}

macro_rules! per_op {
    ($($m:ident => $op:ident,)+) => {$(
        mod $m {
            use super::*;

            proptest! {
                #![proptest_config(config("prop_sign", 256))]

                #[test]
                fn sign_then_recover(tx in transaction_for::<8, 6>(OpType::$op), secret in secret_key()) {
                    single_signer(&tx, &secret)?;
                }

                #[test]
                fn multisig_members_combine(
                    tx in transaction_for::<8, 6>(OpType::$op),
                    keys in pool_keys(2, 5),
                    weights_account in any::<bool>(),
                    other in address(),
                ) {
                    multisig(&tx, &keys, weights_account, other)?;
                }
            }
        }
    )+};
}

per_op! {
    payment => Payment,
    token_issue => TokenIssue,
    token_mint => TokenMint,
    token_authority => TokenAuthority,
    token_blacklist => TokenBlacklist,
    token_whitelist => TokenWhitelist,
    token_pause => TokenPause,
    token_burn => TokenBurn,
    token_clawback => TokenClawback,
    token_metadata => TokenMetadata,
    token_bridge_and_mint => TokenBridgeAndMint,
    token_burn_and_bridge => TokenBurnAndBridge,
    create_multisig => CreateMultiSig,
    batch_payment => BatchPayment,
}

/// A multisig proof needs a member, and holds at most 20 (an account's
/// largest): `combine` refuses none and 21.
#[test]
fn combine_needs_one_to_twenty_members() {
    use tokensign_core::tx::{Payment, MAX_MULTISIG_SIGNERS};
    use tokensign_core::Amount;
    let tx: Transaction = Transaction::new(
        1_212_101,
        5,
        Payment {
            recipient: Address([2; 20]),
            value: Amount::from_u64(1),
            token: Address([1; 20]),
        },
    );
    let account = Address([0xa0; 20]);
    let none = NativeTx::combine(tx.clone(), account, &[]);
    assert!(
        matches!(
            none,
            Err(Error::Invalid {
                problem: Problem::Empty,
                ..
            })
        ),
        "{none:?}"
    );
    let pool = tokensign_tests::strategies::pool();
    let all: Vec<_> = pool[..=MAX_MULTISIG_SIGNERS]
        .iter()
        .map(|k| sign_as_member(&tx, account, &k.key()).unwrap())
        .collect();
    let too_many = NativeTx::combine(tx.clone(), account, &all);
    assert!(
        matches!(
            too_many,
            Err(Error::Invalid {
                problem: Problem::TooLong { max: 20 },
                ..
            })
        ),
        "{too_many:?}"
    );
    let most = NativeTx::combine(tx, account, &all[..MAX_MULTISIG_SIGNERS]).unwrap();
    assert_eq!(most.sender(), Ok(account));
}

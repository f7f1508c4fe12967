//! Multisig accounts (rules section 9): CreateMultiSig, and the check of a
//! multisig authorization against the account's members and threshold.

use tokensign_core::tx::CreateMultiSig;
use tokensign_core::Address;

use super::{Backing, Effects, Member, Multisig, Outcome, Refusal, Staged};
use crate::node::failure::StoreError;

/// CreateMultiSig: any account creates it on its own nonce; the core has
/// checked 2..20 distinct valid keys, weights 1..255 and the threshold
/// within the weights. The address derives from the sorted members and the
/// threshold, so the same configuration twice is refused.
pub fn create<B: Backing + ?Sized>(view: &mut Staged<'_, B>, op: &CreateMultiSig) -> Outcome {
    let address = op.account_address();
    if view.multisig(&address)?.is_some() {
        return Ok(Err(Refusal::MultisigAlreadyExists { account: address }));
    }
    let members = op
        .signers
        .iter()
        .map(|s| Member {
            public_key: format!("0x{}", hex::encode(s.public_key.0)),
            weight: s.weight,
        })
        .collect();
    view.put_multisig(
        address,
        Multisig {
            members,
            threshold: op.threshold,
        },
    );
    Ok(Ok(Effects {
        multisig: Some(address),
        ..Effects::default()
    }))
}

/// A multisig authorization for `account` by the members with `keys`
/// (every signature verified by the core, keys distinct and ascending):
/// the account exists, every key is a member, and their weights reach the
/// threshold.
pub fn authorize<B: Backing + ?Sized>(
    view: &Staged<'_, B>,
    account: &Address,
    keys: &[[u8; 33]],
) -> Result<Result<(), Refusal>, StoreError> {
    let Some(multisig) = view.multisig(account)? else {
        return Ok(Err(Refusal::MultisigAccountNotFound { account: *account }));
    };
    let mut weight: u32 = 0;
    for key in keys {
        match multisig.weight_of(key) {
            Some(w) => weight += u32::from(w),
            None => {
                return Ok(Err(Refusal::NotAMultisigMember {
                    key: *key,
                    account: *account,
                }))
            }
        }
    }
    if weight < u32::from(multisig.threshold) {
        return Ok(Err(Refusal::MultisigBelowThreshold {
            account: *account,
            weight,
            threshold: multisig.threshold,
        }));
    }
    Ok(Ok(()))
}

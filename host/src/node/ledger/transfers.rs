//! Payment, BatchPayment and TokenClawback: the operations that move
//! balances between accounts (rules section 5).

use tokensign_core::tx::{BatchPayment, Payment, TokenClawback};
use tokensign_core::Address;

use super::{
    check, credit, debit, existing_token, holds, may_receive, may_send, not_authorized, not_paused,
    Backing, Effects, Outcome, Overflow, Refusal, Rules, Staged,
};

/// Payment: the signer pays `value` plus the token's fee (credited to the
/// fee collector); not while paused; sender and recipient must be allowed
/// (not blacklisted; whitelisted on a private token).
pub fn payment<B: Backing + ?Sized>(
    view: &mut Staged<'_, B>,
    rules: &Rules,
    from: &Address,
    op: &Payment,
) -> Outcome {
    let token = check!(existing_token(view, &op.token)?);
    check!(not_paused(&token));
    check!(may_send(&token, from));
    check!(may_receive(&token, &op.recipient));
    let fee = rules.fees.of(&token.address);
    let Some(total) = op.value.checked_add(&fee) else {
        return Ok(Err(Refusal::AmountOverflow(Overflow::ValuePlusFee)));
    };
    check!(debit(view, from, &token, &total)?);
    check!(credit(view, &op.recipient, &token, &op.value)?);
    if !fee.is_zero() {
        let collector = rules.fees.collector.unwrap_or(token.issuer);
        check!(credit(view, &collector, &token, &fee)?);
    }
    Ok(Ok(Effects {
        fee,
        recipient: Some(op.recipient),
        token: Some(token.address),
        is_private: token.is_private,
        ..Effects::default()
    }))
}

/// BatchPayment: all or nothing. The core has checked the static rules
/// (non-empty, no zero recipient or amount, `operations_hash`, total
/// within 2^256-1, at most the node's maximum count); here: not paused,
/// the sender and every recipient allowed, and the balance covers the
/// total plus one fee.
pub fn batch<B: Backing + ?Sized>(
    view: &mut Staged<'_, B>,
    rules: &Rules,
    from: &Address,
    op: &BatchPayment,
) -> Outcome {
    let token = check!(existing_token(view, &op.token)?);
    check!(not_paused(&token));
    check!(may_send(&token, from));
    for entry in &op.operations {
        check!(may_receive(&token, &entry.recipient));
    }
    let fee = rules.fees.of(&token.address);
    let total = op.total().and_then(|t| t.checked_add(&fee));
    let Some(total) = total else {
        return Ok(Err(Refusal::AmountOverflow(Overflow::BatchTotalPlusFee)));
    };
    check!(debit(view, from, &token, &total)?);
    for entry in &op.operations {
        check!(credit(view, &entry.recipient, &token, &entry.amount)?);
    }
    if !fee.is_zero() {
        let collector = rules.fees.collector.unwrap_or(token.issuer);
        check!(credit(view, &collector, &token, &fee)?);
    }
    Ok(Ok(Effects {
        fee,
        token: Some(token.address),
        is_private: token.is_private,
        batch_total: op.total(),
        ..Effects::default()
    }))
}

/// TokenClawback: the master or a clawback authority, on a token issued
/// with clawback enabled, moves `value` from a frozen account (on the
/// blacklist; on a private token, off the whitelist) to a recipient
/// allowed to receive. The supply does not change. Allowed while paused:
/// it is an enforcement action, not a transfer by a holder.
pub fn clawback<B: Backing + ?Sized>(
    view: &mut Staged<'_, B>,
    from: &Address,
    op: &TokenClawback,
) -> Outcome {
    let token = check!(existing_token(view, &op.token)?);
    if !holds(&token, &token.clawback_authorities, from) {
        return Ok(not_authorized(&token, from, "claw back"));
    }
    if !token.clawback_enabled {
        return Ok(Err(Refusal::ClawbackDisabled {
            symbol: token.symbol.clone(),
        }));
    }
    let frozen = if token.is_private {
        !token.is_whitelisted(&op.from)
    } else {
        token.is_blacklisted(&op.from)
    };
    if !frozen {
        return Ok(Err(Refusal::AccountNotFrozen {
            account: op.from,
            symbol: token.symbol.clone(),
            private: token.is_private,
        }));
    }
    check!(may_receive(&token, &op.recipient));
    check!(debit(view, &op.from, &token, &op.value)?);
    check!(credit(view, &op.recipient, &token, &op.value)?);
    Ok(Ok(Effects {
        recipient: Some(op.recipient),
        token: Some(token.address),
        is_private: token.is_private,
        ..Effects::default()
    }))
}

//! TokenMint, TokenBurn, TokenBridgeAndMint and TokenBurnAndBridge: the
//! operations that change a token's supply (rules section 5). Every one
//! changes a balance and the supply by the same amount, so the supply
//! stays the sum of the balances (BurnAndBridge's escrow fee moves between
//! balances and leaves the supply alone).

use tokensign_core::tx::{TokenBridgeAndMint, TokenBurn, TokenBurnAndBridge, TokenMint};
use tokensign_core::{Address, Amount};

use super::{
    check, credit, debit, existing_token, holds, may_receive, may_send, not_authorized, not_paused,
    Backing, BridgeInfo, Effects, Outcome, Overflow, Refusal, Rules, Staged, Token,
};

fn add_supply(token: &mut Token, value: &Amount) -> Result<(), Refusal> {
    match token.supply.checked_add(value) {
        Some(s) => {
            token.supply = s;
            Ok(())
        }
        None => Err(Refusal::AmountOverflow(Overflow::Supply {
            symbol: token.symbol.clone(),
        })),
    }
}

/// What a mint and a bridge mint share once the signer may mint: not while
/// paused, the recipient may receive, the supply and the recipient's balance
/// grow by `value`, and the token is staged.
fn mint_to<B: Backing + ?Sized>(
    view: &mut Staged<'_, B>,
    mut token: Token,
    recipient: &Address,
    value: &Amount,
) -> Outcome {
    check!(not_paused(&token));
    check!(may_receive(&token, recipient));
    check!(add_supply(&mut token, value));
    check!(credit(view, recipient, &token, value)?);
    let effects = Effects {
        recipient: Some(*recipient),
        token: Some(token.address),
        is_private: token.is_private,
        ..Effects::default()
    };
    view.put_token(token);
    Ok(Ok(effects))
}

/// TokenMint: the master (no allowance) or a `MintBurnTokens` holder
/// within its allowance, which the mint lowers. Not while paused; the
/// recipient must be allowed to receive.
pub fn mint<B: Backing + ?Sized>(
    view: &mut Staged<'_, B>,
    from: &Address,
    op: &TokenMint,
) -> Outcome {
    let mut token = check!(existing_token(view, &op.token)?);
    if token.master_authority != *from {
        let Some(minter) = token.minters.iter_mut().find(|m| m.minter == *from) else {
            return Ok(not_authorized(&token, from, "mint"));
        };
        match minter.allowance.checked_sub(&op.value) {
            Some(rest) => minter.allowance = rest,
            None => {
                return Ok(Err(Refusal::AllowanceExceeded {
                    minter: *from,
                    symbol: token.symbol.clone(),
                    remaining: minter.allowance,
                    asked: op.value,
                }))
            }
        }
    }
    mint_to(view, token, &op.recipient, &op.value)
}

/// TokenBurn: the master or a `MintBurnTokens` holder burns from its own
/// balance (no allowance used); not while paused, not when frozen
/// (blacklisted, or not whitelisted on a private token).
pub fn burn<B: Backing + ?Sized>(
    view: &mut Staged<'_, B>,
    from: &Address,
    op: &TokenBurn,
) -> Outcome {
    let mut token = check!(existing_token(view, &op.token)?);
    if token.master_authority != *from && token.minter(from).is_none() {
        return Ok(not_authorized(&token, from, "burn"));
    }
    check!(not_paused(&token));
    // A frozen holder may not burn what a clawback is meant to take:
    // blacklisted, or off the whitelist of a private token (the same
    // freeze clawback checks).
    check!(may_send(&token, from));
    check!(debit(view, from, &token, &op.value)?);
    // The debit succeeded, so the supply (the sum of balances) covers it.
    token.supply = token.supply.checked_sub(&op.value).unwrap_or_default();
    let effects = Effects {
        token: Some(token.address),
        is_private: token.is_private,
        ..Effects::default()
    };
    view.put_token(token);
    Ok(Ok(effects))
}

/// TokenBridgeAndMint: the master or a bridge authority mints `value` to
/// the recipient; no `MintBurnTokens` allowance is drawn. The source chain
/// fields are recorded, not verified.
pub fn bridge_and_mint<B: Backing + ?Sized>(
    view: &mut Staged<'_, B>,
    from: &Address,
    op: &TokenBridgeAndMint,
) -> Outcome {
    let token = check!(existing_token(view, &op.token)?);
    if !holds(&token, &token.bridge_authorities, from) {
        return Ok(not_authorized(&token, from, "bridge-mint"));
    }
    mint_to(view, token, &op.recipient, &op.value)
}

/// TokenBurnAndBridge: any holder burns `value` from its own balance and
/// pays `escrow_fee` to the fee collector (the operator); the supply drops
/// by `value`; the sender's bridge nonce rises by one. The `sender` field
/// is obsolete and ignored (the signer pays).
pub fn burn_and_bridge<B: Backing + ?Sized>(
    view: &mut Staged<'_, B>,
    rules: &Rules,
    from: &Address,
    op: &TokenBurnAndBridge,
) -> Outcome {
    let mut token = check!(existing_token(view, &op.token)?);
    check!(not_paused(&token));
    check!(may_send(&token, from));
    let Some(total) = op.value.checked_add(&op.escrow_fee) else {
        return Ok(Err(Refusal::AmountOverflow(Overflow::ValuePlusEscrowFee)));
    };
    check!(debit(view, from, &token, &total)?);
    if !op.escrow_fee.is_zero() {
        let collector = rules.fees.collector.unwrap_or(token.issuer);
        check!(credit(view, &collector, &token, &op.escrow_fee)?);
    }
    token.supply = token.supply.checked_sub(&op.value).unwrap_or_default();
    let mut account = view.account(from)?;
    let bbnonce = account.bbnonce;
    account.bbnonce = bbnonce
        .checked_add(1)
        .ok_or(crate::node::failure::StoreError::Overflow("bbnonce"))?;
    view.put_account(*from, account);
    let effects = Effects {
        token: Some(token.address),
        is_private: token.is_private,
        bridge: Some(BridgeInfo {
            bbnonce,
            destination_chain_id: op.destination_chain_id,
            destination_address: op.destination_address.as_str().to_owned(),
            bridge_param: format!("0x{}", hex::encode(op.bridge_param.0.as_slice())),
        }),
        ..Effects::default()
    };
    view.put_token(token);
    Ok(Ok(effects))
}

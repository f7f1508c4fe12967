//! TokenAuthority, TokenBlacklist and TokenWhitelist: who may do what with
//! a token, and who may hold it (rules sections 4 and 5).

use tokensign_core::tx::{
    AuthorityAction, AuthorityType, ListAction, TokenAuthority, TokenBlacklist, TokenWhitelist,
};
use tokensign_core::Address;

use super::state::{MAX_AUTHORITY_HOLDERS, MAX_MINTERS};
use super::{
    check, existing_token, holds, not_authorized, refuse, Backing, Effects, Minter, Outcome,
    Refusal, Staged, Token,
};
use crate::node::error::codes;

/// TokenAuthority: the master grants or revokes any type; the master
/// mint/burn authority grants or revokes `MintBurnTokens` only.
///
/// Grant: `MasterMintBurn` sets the single slot; `MintBurnTokens` adds the
/// holder with `allowance = value`, or replaces the allowance of an
/// existing holder; the other types add the holder to their list.
/// Revoke removes the holder entirely (`value` is ignored). Refused: a
/// second grant of a list type to the same holder, a grant beyond the cap
/// (20 minters, 5 per other list), a revoke from a non-holder.
pub fn authority<B: Backing + ?Sized>(
    view: &mut Staged<'_, B>,
    from: &Address,
    op: &TokenAuthority,
) -> Outcome {
    let mut token = check!(existing_token(view, &op.token)?);
    let by_master = token.master_authority == *from;
    let by_mmb = op.authority_type == AuthorityType::MintBurnTokens
        && !token.master_mint_burn_authority.is_zero()
        && token.master_mint_burn_authority == *from;
    if !by_master && !by_mmb {
        return Ok(not_authorized(
            &token,
            from,
            "grant or revoke authorities of",
        ));
    }
    let holder = op.authority_address;
    let kind = op.authority_type.as_str();
    let grant = op.action == AuthorityAction::Grant;
    match op.authority_type {
        AuthorityType::MasterMintBurn => {
            let current = token.master_mint_burn_authority;
            if grant {
                if current == holder {
                    return Ok(already(&token, &holder, kind));
                }
                token.master_mint_burn_authority = holder;
            } else {
                if current != holder || current.is_zero() {
                    return Ok(not_held(&token, &holder, kind));
                }
                token.master_mint_burn_authority = Address::default();
            }
        }
        AuthorityType::MintBurnTokens => {
            let existing = token.minters.iter().position(|m| m.minter == holder);
            match (grant, existing) {
                (true, Some(i)) => {
                    if let Some(m) = token.minters.get_mut(i) {
                        m.allowance = op.value;
                    }
                }
                (true, None) => {
                    if token.minters.len() >= MAX_MINTERS {
                        return Ok(limit(&token, kind, MAX_MINTERS));
                    }
                    token.minters.push(Minter {
                        minter: holder,
                        allowance: op.value,
                    });
                }
                (false, Some(i)) => {
                    token.minters.remove(i);
                }
                (false, None) => return Ok(not_held(&token, &holder, kind)),
            }
        }
        other => {
            let symbol = token.symbol.clone();
            let address = token.address;
            let list = match other {
                AuthorityType::Pause => &mut token.pause_authorities,
                AuthorityType::ManageList => &mut token.list_authorities,
                AuthorityType::UpdateMetadata => &mut token.metadata_authorities,
                AuthorityType::Bridge => &mut token.bridge_authorities,
                _ => &mut token.clawback_authorities,
            };
            let held = list.iter().position(|a| *a == holder);
            match (grant, held) {
                (true, Some(_)) => {
                    return Ok(refuse(
                        codes::AUTHORITY_ALREADY_GRANTED,
                        format!("{holder} already holds {kind} on token {symbol} ({address}): nothing to do"),
                    ))
                }
                (true, None) if list.len() >= MAX_AUTHORITY_HOLDERS => {
                    return Ok(refuse(
                        codes::AUTHORITY_LIMIT_REACHED,
                        format!(
                            "token {symbol} already has {MAX_AUTHORITY_HOLDERS} holders of {kind}, the most allowed: revoke one first"
                        ),
                    ))
                }
                (true, None) => list.push(holder),
                (false, Some(i)) => {
                    list.remove(i);
                }
                (false, None) => {
                    return Ok(refuse(
                        codes::AUTHORITY_NOT_HELD,
                        format!("{holder} does not hold {kind} on token {symbol}: nothing to revoke"),
                    ))
                }
            }
        }
    }
    let effects = Effects {
        token: Some(token.address),
        is_private: token.is_private,
        ..Effects::default()
    };
    view.put_token(token);
    Ok(Ok(effects))
}

fn already(token: &Token, holder: &Address, kind: &str) -> Result<Effects, Refusal> {
    refuse(
        codes::AUTHORITY_ALREADY_GRANTED,
        format!(
            "{holder} already holds {kind} on token {}: nothing to do",
            token.symbol
        ),
    )
}

fn not_held(token: &Token, holder: &Address, kind: &str) -> Result<Effects, Refusal> {
    refuse(
        codes::AUTHORITY_NOT_HELD,
        format!(
            "{holder} does not hold {kind} on token {}: nothing to revoke",
            token.symbol
        ),
    )
}

fn limit(token: &Token, kind: &str, max: usize) -> Result<Effects, Refusal> {
    refuse(
        codes::AUTHORITY_LIMIT_REACHED,
        format!(
            "token {} already has {max} holders of {kind}, the most allowed: revoke one first",
            token.symbol
        ),
    )
}

/// Which list a list operation changes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum List {
    Black,
    White,
}

/// TokenBlacklist: the master or a list authority; public tokens only.
pub fn blacklist<B: Backing + ?Sized>(
    view: &mut Staged<'_, B>,
    from: &Address,
    op: &TokenBlacklist,
) -> Outcome {
    manage(view, from, List::Black, op.action, &op.address, &op.token)
}

/// TokenWhitelist: the master or a list authority; private tokens only.
pub fn whitelist<B: Backing + ?Sized>(
    view: &mut Staged<'_, B>,
    from: &Address,
    op: &TokenWhitelist,
) -> Outcome {
    manage(view, from, List::White, op.action, &op.address, &op.token)
}

fn manage<B: Backing + ?Sized>(
    view: &mut Staged<'_, B>,
    from: &Address,
    which: List,
    action: ListAction,
    address: &Address,
    token: &Address,
) -> Outcome {
    let mut token = check!(existing_token(view, token)?);
    if !holds(&token, &token.list_authorities, from) {
        return Ok(not_authorized(&token, from, "manage the lists of"));
    }
    let (name, wrong_kind) = match which {
        List::Black => ("blacklist", token.is_private),
        List::White => ("whitelist", !token.is_private),
    };
    if wrong_kind {
        let (kind, other) = if token.is_private {
            (
                "private",
                "whitelist (remove the account from it to freeze it)",
            )
        } else {
            ("public", "blacklist")
        };
        return Ok(refuse(
            codes::LIST_NOT_FOR_TOKEN,
            format!(
                "token {} is {kind}: it has no {name}; use its {other}",
                token.symbol
            ),
        ));
    }
    let symbol = token.symbol.clone();
    let list = match which {
        List::Black => &mut token.black_list,
        List::White => &mut token.white_list,
    };
    let at = list.iter().position(|a| a == address);
    match (action, at) {
        (ListAction::Add, Some(_)) => {
            return Ok(refuse(
                codes::ALREADY_LISTED,
                format!("{address} is already on the {name} of {symbol}: nothing to do"),
            ))
        }
        (ListAction::Add, None) => list.push(*address),
        (ListAction::Remove, Some(i)) => {
            list.remove(i);
        }
        (ListAction::Remove, None) => {
            return Ok(refuse(
                codes::NOT_LISTED,
                format!("{address} is not on the {name} of {symbol}: nothing to remove"),
            ))
        }
    }
    let effects = Effects {
        token: Some(token.address),
        is_private: token.is_private,
        ..Effects::default()
    };
    view.put_token(token);
    Ok(Ok(effects))
}

//! TokenAuthority, TokenBlacklist and TokenWhitelist: who may do what with
//! a token, and who may hold it (rules sections 4 and 5).

use tokensign_core::tx::{
    AuthorityAction, AuthorityType, ListAction, TokenAuthority, TokenBlacklist, TokenWhitelist,
};
use tokensign_core::Address;

use super::state::{MAX_AUTHORITY_HOLDERS, MAX_MINTERS};
use super::{
    check, existing_token, holds, not_authorized, Backing, Effects, List, Minter, Outcome, Refusal,
    Staged, Token,
};

/// TokenAuthority: the master grants or revokes any type; the master
/// mint/burn authority grants or revokes `MintBurnTokens` only, never to
/// itself (it may revoke its own). Grants do not remember who made them:
/// a minter granted by a master mint/burn authority keeps its grant when
/// that authority loses its role, until the master (or the next master
/// mint/burn authority) revokes it.
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
    let kind = op.authority_type;
    let grant = op.action == AuthorityAction::Grant;
    // The master mint/burn authority grants minters and cannot mint (rules
    // sections 4 and 5): a grant to itself would give it any allowance it
    // likes, so it is refused. (The master mints unmetered anyway.)
    if grant && !by_master && holder == *from {
        return Ok(Err(Refusal::SelfGrant {
            who: *from,
            symbol: token.symbol.clone(),
            master: token.master_authority,
        }));
    }
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
                    return Ok(Err(Refusal::AuthorityAlreadyGranted {
                        holder,
                        authority: kind,
                        symbol,
                    }))
                }
                (true, None) if list.len() >= MAX_AUTHORITY_HOLDERS => {
                    return Ok(Err(Refusal::AuthorityLimitReached {
                        symbol,
                        authority: kind,
                        max: MAX_AUTHORITY_HOLDERS,
                    }))
                }
                (true, None) => list.push(holder),
                (false, Some(i)) => {
                    list.remove(i);
                }
                (false, None) => {
                    return Ok(Err(Refusal::AuthorityNotHeld {
                        holder,
                        authority: kind,
                        symbol,
                    }))
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

fn already(token: &Token, holder: &Address, kind: AuthorityType) -> Result<Effects, Refusal> {
    Err(Refusal::AuthorityAlreadyGranted {
        holder: *holder,
        authority: kind,
        symbol: token.symbol.clone(),
    })
}

fn not_held(token: &Token, holder: &Address, kind: AuthorityType) -> Result<Effects, Refusal> {
    Err(Refusal::AuthorityNotHeld {
        holder: *holder,
        authority: kind,
        symbol: token.symbol.clone(),
    })
}

fn limit(token: &Token, kind: AuthorityType, max: usize) -> Result<Effects, Refusal> {
    Err(Refusal::AuthorityLimitReached {
        symbol: token.symbol.clone(),
        authority: kind,
        max,
    })
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
    let wrong_kind = match which {
        List::Black => token.is_private,
        List::White => !token.is_private,
    };
    if wrong_kind {
        return Ok(Err(Refusal::ListNotForToken {
            symbol: token.symbol.clone(),
            private: token.is_private,
            list: which,
        }));
    }
    let symbol = token.symbol.clone();
    let list = match which {
        List::Black => &mut token.black_list,
        List::White => &mut token.white_list,
    };
    let at = list.iter().position(|a| a == address);
    match (action, at) {
        (ListAction::Add, Some(_)) => {
            return Ok(Err(Refusal::AlreadyListed {
                address: *address,
                list: which,
                symbol,
            }))
        }
        (ListAction::Add, None) => list.push(*address),
        (ListAction::Remove, Some(i)) => {
            list.remove(i);
        }
        (ListAction::Remove, None) => {
            return Ok(Err(Refusal::NotListed {
                address: *address,
                list: which,
                symbol,
            }))
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

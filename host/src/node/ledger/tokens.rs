//! TokenIssue, TokenPause and TokenMetadata (rules section 5).

use tokensign_core::tx::{PauseAction, TokenIssue, TokenMetadata, TokenPause};
use tokensign_core::{Address, Amount};

use super::{check, existing_token, holds, not_authorized, Backing, Effects, Outcome};
use super::{Refusal, Rules, Staged, Token};

/// TokenIssue: only operators (when any are configured); the token
/// address (master authority + symbol) and, on this node, the symbol are
/// new. The new token has supply 0, empty lists, no master mint/burn
/// authority, an empty URI and is not paused; an absent
/// `clawback_enabled` (v1 seven-field form) is `true`.
pub fn issue<B: Backing + ?Sized>(
    view: &mut Staged<'_, B>,
    rules: &Rules,
    from: &Address,
    op: &TokenIssue,
) -> Outcome {
    check!(operator(rules, from));
    let address = op.token_address();
    if view.token(&address)?.is_some() {
        return Ok(Err(Refusal::TokenAlreadyExists {
            token: address,
            master: op.master_authority,
            symbol: op.symbol.as_str().to_owned(),
        }));
    }
    if let Some(other) = view.token_by_symbol(op.symbol.as_str())? {
        return Ok(Err(Refusal::SymbolAlreadyExists {
            symbol: op.symbol.as_str().to_owned(),
            token: other,
        }));
    }
    let token = Token {
        address,
        symbol: op.symbol.as_str().to_owned(),
        name: op.name.as_str().to_owned(),
        uri: String::new(),
        additional_metadata: Vec::new(),
        decimals: op.decimals,
        master_authority: op.master_authority,
        master_mint_burn_authority: Address::default(),
        minters: Vec::new(),
        pause_authorities: Vec::new(),
        list_authorities: Vec::new(),
        metadata_authorities: Vec::new(),
        bridge_authorities: Vec::new(),
        clawback_authorities: Vec::new(),
        black_list: Vec::new(),
        white_list: Vec::new(),
        supply: Amount::default(),
        is_paused: false,
        is_private: op.is_private,
        clawback_enabled: op.clawback_enabled.unwrap_or(true),
        issuer: *from,
    };
    let is_private = token.is_private;
    view.put_token(token);
    Ok(Ok(Effects {
        token: Some(address),
        is_private,
        ..Effects::default()
    }))
}

/// Refuses a signer that is not an operator (when any are configured).
pub fn operator(rules: &Rules, from: &Address) -> Result<(), Refusal> {
    if !rules.operators.is_empty() && !rules.operators.contains(from) {
        let mut operators: Vec<Address> = rules.operators.iter().copied().collect();
        operators.sort();
        return Err(Refusal::SignerNotOperator {
            signer: *from,
            operators,
        });
    }
    Ok(())
}

/// TokenPause: the master or a pause authority; pausing a paused token
/// (or unpausing a running one) is refused, so every admitted pause
/// changes the state.
pub fn pause<B: Backing + ?Sized>(
    view: &mut Staged<'_, B>,
    from: &Address,
    op: &TokenPause,
) -> Outcome {
    let mut token = check!(existing_token(view, &op.token)?);
    if !holds(&token, &token.pause_authorities, from) {
        return Ok(not_authorized(&token, from, "pause or unpause"));
    }
    let pause = op.action == PauseAction::Pause;
    if token.is_paused == pause {
        let symbol = token.symbol.clone();
        return Ok(Err(if pause {
            Refusal::AlreadyPaused { symbol }
        } else {
            Refusal::NotPaused { symbol }
        }));
    }
    token.is_paused = pause;
    let effects = Effects {
        token: Some(token.address),
        is_private: token.is_private,
        ..Effects::default()
    };
    view.put_token(token);
    Ok(Ok(effects))
}

/// TokenMetadata: the master or a metadata authority replaces name, URI
/// and the whole extra list (no merge); the symbol never changes.
pub fn metadata<B: Backing + ?Sized>(
    view: &mut Staged<'_, B>,
    from: &Address,
    op: &TokenMetadata,
) -> Outcome {
    let mut token = check!(existing_token(view, &op.token)?);
    if !holds(&token, &token.metadata_authorities, from) {
        return Ok(not_authorized(&token, from, "update the metadata of"));
    }
    token.name = op.name.as_str().to_owned();
    token.uri = op.uri.as_str().to_owned();
    token.additional_metadata = op
        .additional_metadata
        .iter()
        .map(|e| (e.key.as_str().to_owned(), e.value.as_str().to_owned()))
        .collect();
    let effects = Effects {
        token: Some(token.address),
        is_private: token.is_private,
        ..Effects::default()
    };
    view.put_token(token);
    Ok(Ok(effects))
}

//! The ledger: the network's rules for every operation
//! (`onemoney-ledger-rules.md`), as pure functions over the state a
//! transaction touches.
//!
//! [`apply`] checks everything a transaction needs (chain id, nonce,
//! multisig membership and threshold, the operation's authority, gates and
//! amounts) against a [`view::Staged`] view, staging every change as it
//! goes; it returns the staged [`view::Changes`] with what the receipt
//! reports, or a typed [`Refusal`] (the HTTP edge gives it a status and an
//! `error_code`; the ledger knows nothing of HTTP). Nothing is written here: the store's single
//! writer commits the changes together with the transaction record in one
//! redb write transaction, and drops them on a refusal, so a refused
//! transaction stores nothing and consumes no nonce (rules section 2).
//!
//! One file per operation family: [`tokens`] (issue, pause, metadata),
//! [`supply`] (mint, burn, bridge mints and burns), [`transfers`]
//! (payment, batch payment, clawback), [`authority`] (grants, black and
//! white lists), [`multisig`] (accounts and their authorizations).

pub mod admission;
pub mod authority;
pub mod multisig;
pub mod refusal;
pub mod state;
pub mod supply;
pub mod tokens;
pub mod transfers;
pub mod view;

use std::collections::{HashMap, HashSet};

use tokensign_core::tx::{Operation, Transaction};
use tokensign_core::{Address, Amount};

use super::failure::StoreError;
pub use refusal::{List, Overflow, Refusal};
pub use state::{Account, Member, Minter, Multisig, Token};
pub use view::{Backing, Changes, MemoryLedger, Staged};

/// The node's rule settings.
#[derive(Clone, Debug, Default)]
pub struct Rules {
    /// The chain id transactions must carry.
    pub chain_id: u64,
    /// Who may issue tokens; empty: anyone (open mode).
    pub operators: HashSet<Address>,
    /// Fees for Payment and BatchPayment.
    pub fees: Fees,
}

/// Flat per-transaction fees for Payment and BatchPayment (rules section
/// 8), in the token's base units; zero unless configured.
#[derive(Clone, Debug, Default)]
pub struct Fees {
    /// The fee of any token without its own entry.
    pub flat: Amount,
    /// Per-token fees.
    pub per_token: HashMap<Address, Amount>,
    /// Who receives fees and BurnAndBridge escrow fees (the operator, by
    /// default); `None` with a zero fee.
    pub collector: Option<Address>,
}

impl Fees {
    /// The fee of one Payment or BatchPayment in `token`.
    pub fn of(&self, token: &Address) -> Amount {
        self.per_token.get(token).copied().unwrap_or(self.flat)
    }
}

/// Who authorized a transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignedBy {
    /// One key: the sender is its address.
    Single,
    /// Members of a multisig account (their compressed keys; every
    /// signature already verified by the core).
    Multisig(Vec<[u8; 33]>),
    /// Nobody: the node's development controls send it as the sender
    /// (`POST /dev/send`, anvil's impersonation). The rules apply as if
    /// the sender had signed it alone, a multisig account included.
    Impersonated,
}

/// A transaction whose signatures the core has verified.
#[derive(Clone, Debug)]
pub struct Submission<'a> {
    /// What was signed.
    pub tx: &'a Transaction,
    /// The sending account (the signer, or the multisig account).
    pub sender: Address,
    /// How it was authorized.
    pub signed_by: &'a SignedBy,
}

/// The BurnAndBridge details a receipt reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BridgeInfo {
    /// The sender's bridge nonce this burn used.
    pub bbnonce: u64,
    /// Where the tokens go.
    pub destination_chain_id: u64,
    /// Who gets them there.
    pub destination_address: String,
    /// `0x`-hex.
    pub bridge_param: String,
}

/// What an accepted transaction did: the changes to commit and what its
/// receipt reports.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Effects {
    /// The staged changes (nonce included).
    pub changes: Changes,
    /// The fee charged.
    pub fee: Amount,
    /// The receipt's `recipient`.
    pub recipient: Option<Address>,
    /// The receipt's `token_address` (the new token for an issue).
    pub token: Option<Address>,
    /// The token's privacy, for `success_info.is_private`.
    pub is_private: bool,
    /// BurnAndBridge details.
    pub bridge: Option<BridgeInfo>,
    /// A batch's total amount.
    pub batch_total: Option<Amount>,
    /// The multisig account a CreateMultiSig created.
    pub multisig: Option<Address>,
}

/// What a rule function returns: staged effects, a refusal, or a storage
/// failure (which aborts the writer's batch).
pub type Outcome = Result<Result<Effects, Refusal>, StoreError>;

/// `?` for refusals inside rule functions that return [`Outcome`].
macro_rules! check {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(refusal) => return Ok(Err(refusal)),
        }
    };
}
pub(crate) use check;

/// Checks `sub` against the state in `backing` and stages its effects.
pub fn apply<B: Backing + ?Sized>(backing: &B, rules: &Rules, sub: &Submission<'_>) -> Outcome {
    let tx = sub.tx;
    if tx.chain_id != rules.chain_id {
        return Ok(Err(Refusal::WrongChainId {
            given: tx.chain_id,
            expected: rules.chain_id,
        }));
    }
    let mut view = Staged::new(backing);
    // Who may sign comes before the nonce: a tampered issue recovers to a
    // stranger, whose nonce says nothing useful.
    if let Operation::TokenIssue(_) = &tx.operation {
        check!(tokens::operator(rules, &sub.sender));
    }
    if let SignedBy::Multisig(keys) = sub.signed_by {
        check!(multisig::authorize(&view, &sub.sender, keys)?);
    }
    let mut account = view.account(&sub.sender)?;
    if tx.nonce != account.nonce {
        return Ok(Err(Refusal::NonceMismatch {
            account: sub.sender,
            given: tx.nonce,
            expected: account.nonce,
        }));
    }
    account.nonce = match account.nonce.checked_add(1) {
        Some(n) => n,
        None => return Err(StoreError::Overflow("nonce")),
    };
    view.put_account(sub.sender, account);
    let from = sub.sender;
    let mut effects = match &tx.operation {
        Operation::TokenIssue(op) => check!(tokens::issue(&mut view, rules, &from, op)?),
        Operation::TokenPause(op) => check!(tokens::pause(&mut view, &from, op)?),
        Operation::TokenMetadata(op) => check!(tokens::metadata(&mut view, &from, op)?),
        Operation::TokenMint(op) => check!(supply::mint(&mut view, &from, op)?),
        Operation::TokenBurn(op) => check!(supply::burn(&mut view, &from, op)?),
        Operation::TokenBridgeAndMint(op) => check!(supply::bridge_and_mint(&mut view, &from, op)?),
        Operation::TokenBurnAndBridge(op) => {
            check!(supply::burn_and_bridge(&mut view, rules, &from, op)?)
        }
        Operation::Payment(op) => check!(transfers::payment(&mut view, rules, &from, op)?),
        Operation::BatchPayment(op) => check!(transfers::batch(&mut view, rules, &from, op)?),
        Operation::TokenClawback(op) => check!(transfers::clawback(&mut view, &from, op)?),
        Operation::TokenAuthority(op) => check!(authority::authority(&mut view, &from, op)?),
        Operation::TokenBlacklist(op) => check!(authority::blacklist(&mut view, &from, op)?),
        Operation::TokenWhitelist(op) => check!(authority::whitelist(&mut view, &from, op)?),
        Operation::CreateMultiSig(op) => check!(multisig::create(&mut view, op)?),
    };
    effects.changes = view.into_changes();
    Ok(Ok(effects))
}

// Helpers shared by the rule files.

/// The token at `address`, or the refusal for an unknown one.
pub(crate) fn existing_token<B: Backing + ?Sized>(
    view: &Staged<'_, B>,
    address: &Address,
) -> Result<Result<Token, Refusal>, StoreError> {
    Ok(match view.token(address)? {
        Some(t) => Ok(t),
        None => Err(Refusal::UnknownToken { token: *address }),
    })
}

/// Refuses when the token is paused.
pub(crate) fn not_paused(token: &Token) -> Result<(), Refusal> {
    if token.is_paused {
        return Err(Refusal::TokenPaused {
            token: token.address,
            symbol: token.symbol.clone(),
        });
    }
    Ok(())
}

/// Refuses when `who` may not send `token`: blacklisted, or not
/// whitelisted on a private token.
pub(crate) fn may_send(token: &Token, who: &Address) -> Result<(), Refusal> {
    if token.is_blacklisted(who) {
        return Err(Refusal::SenderBlacklisted {
            who: *who,
            symbol: token.symbol.clone(),
        });
    }
    if token.is_private && !token.is_whitelisted(who) {
        return Err(Refusal::SenderNotWhitelisted {
            who: *who,
            symbol: token.symbol.clone(),
        });
    }
    Ok(())
}

/// Refuses when `who` may not receive `token`.
pub(crate) fn may_receive(token: &Token, who: &Address) -> Result<(), Refusal> {
    if token.is_blacklisted(who) {
        return Err(Refusal::RecipientBlacklisted {
            who: *who,
            symbol: token.symbol.clone(),
        });
    }
    if token.is_private && !token.is_whitelisted(who) {
        return Err(Refusal::RecipientNotWhitelisted {
            who: *who,
            symbol: token.symbol.clone(),
        });
    }
    Ok(())
}

/// Debits `amount` of `token` from `owner`, refusing a short balance.
pub(crate) fn debit<B: Backing + ?Sized>(
    view: &mut Staged<'_, B>,
    owner: &Address,
    token: &Token,
    amount: &Amount,
) -> Result<Result<(), Refusal>, StoreError> {
    let balance = view.balance(owner, &token.address)?;
    match balance.checked_sub(amount) {
        Some(rest) => {
            view.put_balance(*owner, token.address, rest);
            Ok(Ok(()))
        }
        None => Ok(Err(Refusal::InsufficientBalance {
            owner: *owner,
            symbol: token.symbol.clone(),
            balance,
            needed: *amount,
        })),
    }
}

/// Credits `amount` of `token` to `owner`.
pub(crate) fn credit<B: Backing + ?Sized>(
    view: &mut Staged<'_, B>,
    owner: &Address,
    token: &Token,
    amount: &Amount,
) -> Result<Result<(), Refusal>, StoreError> {
    let balance = view.balance(owner, &token.address)?;
    match balance.checked_add(amount) {
        Some(sum) => {
            view.put_balance(*owner, token.address, sum);
            Ok(Ok(()))
        }
        None => Ok(Err(Refusal::AmountOverflow(Overflow::Balance {
            owner: *owner,
            symbol: token.symbol.clone(),
        }))),
    }
}

/// Whether `who` is the token's master authority or in `holders`.
pub(crate) fn holds(token: &Token, holders: &[Address], who: &Address) -> bool {
    token.master_authority == *who || holders.contains(who)
}

/// The refusal for a signer without the authority an operation needs.
pub(crate) fn not_authorized<T>(
    token: &Token,
    who: &Address,
    action: &'static str,
) -> Result<T, Refusal> {
    Err(Refusal::not_authorized(token, who, action))
}

#[cfg(test)]
mod tests;

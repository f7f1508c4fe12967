//! Why the ledger refuses a transaction: one variant per rule, carrying
//! what the message needs. The message (`Display`) names the cause and
//! what to do next in the ledger's own terms; it names no HTTP status, no
//! route and no command-line flag. The HTTP edge maps each variant to its
//! status and `error_code` (`node::error`).

use tokensign_core::tx::AuthorityType;
use tokensign_core::{Address, Amount};

use super::state::Token;

/// Most operator addresses a [`Refusal::SignerNotOperator`] message lists.
const OPERATORS_SHOWN: usize = 3;

/// A black or white list of a token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum List {
    /// The blacklist (public tokens).
    Black,
    /// The whitelist (private tokens).
    White,
}

impl List {
    /// `blacklist` or `whitelist`.
    pub fn name(self) -> &'static str {
        match self {
            List::Black => "blacklist",
            List::White => "whitelist",
        }
    }
}

/// Which sum would pass 2^256-1.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Overflow {
    /// A balance.
    #[error("{owner}'s balance of {symbol} would pass 2^256-1: send less")]
    Balance {
        /// The holder.
        owner: Address,
        /// The token's symbol.
        symbol: String,
    },
    /// A token's supply.
    #[error("the supply of {symbol} would pass 2^256-1: mint less")]
    Supply {
        /// The token's symbol.
        symbol: String,
    },
    /// A payment's value plus its fee.
    #[error("value plus fee passes 2^256-1: send less")]
    ValuePlusFee,
    /// A BurnAndBridge's value plus its escrow fee.
    #[error("value plus escrow_fee passes 2^256-1: lower them")]
    ValuePlusEscrowFee,
    /// A batch's total plus its fee.
    #[error("the batch's total plus fee passes 2^256-1: split the batch")]
    BatchTotalPlusFee,
}

/// Why the ledger refused a transaction. A refusal stores nothing and
/// consumes no nonce.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The transaction's chain id is not the node's.
    #[error("chain_id {given} is not this node's chain id {expected}: sign again with chain_id {expected}")]
    WrongChainId {
        /// The signed chain id.
        given: u64,
        /// The node's.
        expected: u64,
    },
    /// The nonce is not the account's next one.
    #[error("nonce {given} is not the next nonce of {account}: expected {expected}; sign again with nonce {expected}")]
    NonceMismatch {
        /// The sending account.
        account: Address,
        /// The signed nonce.
        given: u64,
        /// The account's next nonce.
        expected: u64,
    },
    /// An issue signed by a key that is not an operator.
    #[error(
        "signer {signer} is not an operator of this node: only operators issue tokens; \
         sign the issue with an operator's key ({})",
        operator_list(operators)
    )]
    SignerNotOperator {
        /// Who signed.
        signer: Address,
        /// The node's operators.
        operators: Vec<Address>,
    },
    /// The token address (master authority + symbol) exists.
    #[error("token {token} (master_authority {master} and symbol {symbol:?}) was already issued: choose another symbol")]
    TokenAlreadyExists {
        /// The token's address.
        token: Address,
        /// Its master authority.
        master: Address,
        /// Its symbol.
        symbol: String,
    },
    /// The symbol was issued before on this node.
    #[error("symbol {symbol:?} was already issued on this node as token {token}; symbols are unique here: choose another symbol")]
    SymbolAlreadyExists {
        /// The symbol.
        symbol: String,
        /// The token that has it.
        token: Address,
    },
    /// The same transaction (same hash) was admitted before.
    #[error(
        "transaction 0x{} was already admitted: read its receipt by hash; to send again, sign a \
         new transaction with the next nonce",
        hex::encode(hash)
    )]
    DuplicateTransaction {
        /// Its hash.
        hash: [u8; 32],
    },
    /// No token at the address.
    #[error("no token at {token} on this node: check the token address")]
    UnknownToken {
        /// The address given.
        token: Address,
    },
    /// The signer lacks the authority the operation needs.
    #[error("{who} may not {action} token {symbol} ({token}): sign with its master authority {master} or a holder of the needed authority")]
    NotAuthorized {
        /// The signer.
        who: Address,
        /// What it tried ("mint", "pause or unpause", …).
        action: &'static str,
        /// The token's symbol.
        symbol: String,
        /// The token.
        token: Address,
        /// Its master authority.
        master: Address,
    },
    /// The master mint/burn authority granting `MintBurnTokens` to itself.
    #[error(
        "{who} is the master mint/burn authority of token {symbol} and may not grant \
         MintBurnTokens to itself (it grants minters, it does not mint): have the master \
         authority {master} grant it"
    )]
    SelfGrant {
        /// The master mint/burn authority.
        who: Address,
        /// The token's symbol.
        symbol: String,
        /// Its master authority.
        master: Address,
    },
    /// A mint above the minter's remaining allowance.
    #[error("minter {minter} may mint {remaining} more base units of {symbol} but asked for {asked}: mint less, or have the master authority grant a larger allowance")]
    AllowanceExceeded {
        /// The minter.
        minter: Address,
        /// The token's symbol.
        symbol: String,
        /// What it may still mint.
        remaining: Amount,
        /// What it asked for.
        asked: Amount,
    },
    /// The balance does not cover the amount (plus fee).
    #[error("{owner} holds {balance} base units of {symbol} but this needs {needed}: lower the amount or fund the account first")]
    InsufficientBalance {
        /// The holder.
        owner: Address,
        /// The token's symbol.
        symbol: String,
        /// What it holds.
        balance: Amount,
        /// What the operation needs.
        needed: Amount,
    },
    /// A balance, supply or sum would pass 2^256-1.
    #[error("{0}")]
    AmountOverflow(Overflow),
    /// The token is paused.
    #[error("token {token} ({symbol}) is paused: a pause authority must unpause it first")]
    TokenPaused {
        /// The token.
        token: Address,
        /// Its symbol.
        symbol: String,
    },
    /// Pausing a paused token.
    #[error("token {symbol} is already paused: nothing to do")]
    AlreadyPaused {
        /// The token's symbol.
        symbol: String,
    },
    /// Unpausing a token that is not paused.
    #[error("token {symbol} is not paused: nothing to do")]
    NotPaused {
        /// The token's symbol.
        symbol: String,
    },
    /// The sender is blacklisted.
    #[error("sender {who} is blacklisted for token {symbol}: a list authority must remove it from the blacklist")]
    SenderBlacklisted {
        /// The sender.
        who: Address,
        /// The token's symbol.
        symbol: String,
    },
    /// A recipient is blacklisted.
    #[error("recipient {who} is blacklisted for token {symbol}: choose another recipient, or have a list authority remove it")]
    RecipientBlacklisted {
        /// The recipient.
        who: Address,
        /// The token's symbol.
        symbol: String,
    },
    /// The sender is not whitelisted on a private token.
    #[error("token {symbol} is private and sender {who} is not on its whitelist: a list authority must add it")]
    SenderNotWhitelisted {
        /// The sender.
        who: Address,
        /// The token's symbol.
        symbol: String,
    },
    /// A recipient is not whitelisted on a private token.
    #[error("token {symbol} is private and recipient {who} is not on its whitelist: a list authority must add it first")]
    RecipientNotWhitelisted {
        /// The recipient.
        who: Address,
        /// The token's symbol.
        symbol: String,
    },
    /// Clawback on a token issued without it.
    #[error("token {symbol} was issued with clawback_enabled false, which can never change: no clawback is possible")]
    ClawbackDisabled {
        /// The token's symbol.
        symbol: String,
    },
    /// Clawback from an account that is not frozen.
    #[error(
        "{account} is not frozen for token {symbol}: {} first, then claw back",
        if *private { "remove it from the whitelist (TokenWhitelist Remove)" } else { "blacklist it (TokenBlacklist Add)" }
    )]
    AccountNotFrozen {
        /// The account.
        account: Address,
        /// The token's symbol.
        symbol: String,
        /// Whether the token is private (frozen = off the whitelist).
        private: bool,
    },
    /// Granting an authority the holder has.
    #[error("{holder} already holds {} on token {symbol}: nothing to do", authority.as_str())]
    AuthorityAlreadyGranted {
        /// The holder.
        holder: Address,
        /// The authority.
        authority: AuthorityType,
        /// The token's symbol.
        symbol: String,
    },
    /// Revoking an authority the address does not hold.
    #[error("{holder} does not hold {} on token {symbol}: nothing to revoke", authority.as_str())]
    AuthorityNotHeld {
        /// The address.
        holder: Address,
        /// The authority.
        authority: AuthorityType,
        /// The token's symbol.
        symbol: String,
    },
    /// An authority list is full.
    #[error("token {symbol} already has {max} holders of {}, the most allowed: revoke one first", authority.as_str())]
    AuthorityLimitReached {
        /// The token's symbol.
        symbol: String,
        /// The authority.
        authority: AuthorityType,
        /// The cap.
        max: usize,
    },
    /// A blacklist change on a private token, or a whitelist change on a
    /// public one.
    #[error(
        "token {symbol} is {}: it has no {}; use its {}",
        if *private { "private" } else { "public" },
        list.name(),
        if *private { "whitelist (remove the account from it to freeze it)" } else { "blacklist" }
    )]
    ListNotForToken {
        /// The token's symbol.
        symbol: String,
        /// Whether the token is private.
        private: bool,
        /// The list asked for.
        list: List,
    },
    /// Adding an address already on the list.
    #[error("{address} is already on the {} of {symbol}: nothing to do", list.name())]
    AlreadyListed {
        /// The address.
        address: Address,
        /// The list.
        list: List,
        /// The token's symbol.
        symbol: String,
    },
    /// Removing an address not on the list.
    #[error("{address} is not on the {} of {symbol}: nothing to remove", list.name())]
    NotListed {
        /// The address.
        address: Address,
        /// The list.
        list: List,
        /// The token's symbol.
        symbol: String,
    },
    /// CreateMultiSig of an account that exists.
    #[error("multisig account {account} (these members and threshold) already exists: use it, or change the members or threshold")]
    MultisigAlreadyExists {
        /// The account.
        account: Address,
    },
    /// A multisig authorization for an account that does not exist.
    #[error("{account} is not a multisig account on this node: create it first (CreateMultiSig)")]
    MultisigAccountNotFound {
        /// The account.
        account: Address,
    },
    /// A multisig signature by a key that is not a member.
    #[error(
        "key 0x{} is not a member of multisig account {account}: sign only with its members' keys",
        hex::encode(key)
    )]
    NotAMultisigMember {
        /// The key (compressed).
        key: [u8; 33],
        /// The account.
        account: Address,
    },
    /// The signing members' weights are below the threshold.
    #[error("the signing members of {account} weigh {weight}, below its threshold {threshold}: collect more members' signatures")]
    MultisigBelowThreshold {
        /// The account.
        account: Address,
        /// The signers' total weight.
        weight: u32,
        /// The account's threshold.
        threshold: u16,
    },
}

impl Refusal {
    /// [`Refusal::NotAuthorized`] for `who` trying `action` on `token`.
    pub fn not_authorized(token: &Token, who: &Address, action: &'static str) -> Refusal {
        Refusal::NotAuthorized {
            who: *who,
            action,
            symbol: token.symbol.clone(),
            token: token.address,
            master: token.master_authority,
        }
    }

    /// The message for a transaction sent without a signature (`POST
    /// /dev/send`): what to change is the body's `from` or a field, not a
    /// key or a signature. The refusals whose advice is about signing say
    /// so; the others' messages are the same as for a signed transaction.
    pub fn unsigned_message(&self) -> String {
        match self {
            Refusal::WrongChainId { given, expected } => format!(
                "chain_id {given} is not this node's chain id {expected}: send chain_id \
                 {expected}, or leave it out (the node's is the default)"
            ),
            Refusal::NonceMismatch {
                account,
                given,
                expected,
            } => format!(
                "nonce {given} is not the next nonce of {account}: expected {expected}; send \
                 nonce {expected}, or leave it out (the sender's next is the default)"
            ),
            Refusal::SignerNotOperator { signer, operators } => format!(
                "from {signer} is not an operator of this node: only operators issue tokens; \
                 send the issue with \"from\" set to an operator's address ({})",
                operator_list(operators)
            ),
            Refusal::DuplicateTransaction { hash } => format!(
                "transaction 0x{} was already admitted: read its receipt by hash; to send again, \
                 leave the nonce out (the sender's next is the default)",
                hex::encode(hash)
            ),
            Refusal::NotAuthorized {
                who,
                action,
                symbol,
                token,
                master,
            } => format!(
                "{who} may not {action} token {symbol} ({token}): send it with \"from\" set to \
                 its master authority {master} or a holder of the needed authority"
            ),
            other => other.to_string(),
        }
    }
}

/// The first operators, for a message.
fn operator_list(operators: &[Address]) -> String {
    let mut out = operators
        .iter()
        .take(OPERATORS_SHOWN)
        .map(Address::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    if operators.len() > OPERATORS_SHOWN {
        out.push_str(&format!(" and {} more", operators.len() - OPERATORS_SHOWN));
    }
    if out.is_empty() {
        out.push_str("none configured");
    }
    out
}

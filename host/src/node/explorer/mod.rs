//! The explorer: `GET /explorer`, one page served from the binary (its
//! HTML, CSS and script in `page.html`, no external asset: its
//! Content-Security-Policy allows none), and the JSON reads it shows,
//! under `/explorer/api/`: an overview (tokens, accounts, the latest
//! checkpoints and transactions), a token with its holders, an account
//! with its balances and multisig configuration, a transaction with its
//! receipt and its review pages decoded as a device shows them, and a
//! search by hash, address or checkpoint number. The page follows the
//! live stream (`/v1/stream`) and reloads what it shows after each
//! checkpoint.
//!
//! The lists read one consistent snapshot of the whole ledger per request
//! (`StateRead::ledger`): right for a development node, whose ledgers hold
//! thousands of balances, not millions. Lists are capped
//! ([`MAX_LISTED`]); search reaches everything.

mod review;

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use tokensign_core::Address;

pub use review::{review, ReviewError, ReviewView};

use super::error::{codes, ApiError};
use super::ledger::{MemoryLedger, Multisig, Token};
use super::reads::no_token;
use super::records::TxRecord;
use super::routes::{address_param, param, storage_error, Params};
use super::storage::StateRead;
use super::AppState;
use crate::api::{Checkpoint, MintInfo, NodeStatus, Transaction, TransactionReceipt};
use crate::show::whole_tokens;

/// The page: HTML, CSS and script in one file, compiled into the binary.
const PAGE: &str = include_str!("page.html");

/// What the page may load: nothing from elsewhere (scripts and styles are
/// inline; reads and the stream go to this node).
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'unsafe-inline'; \
     style-src 'unsafe-inline'; connect-src 'self'; img-src data:; base-uri 'none'; \
     form-action 'none'; frame-ancestors 'none'";

/// Most tokens, accounts or holders a list shows.
pub const MAX_LISTED: usize = 500;
/// Checkpoints in the overview.
pub const RECENT_CHECKPOINTS: u64 = 20;
/// Transactions in the overview (from the latest checkpoints).
pub const RECENT_TRANSACTIONS: usize = 50;

/// `GET /explorer`
pub(crate) async fn page() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        PAGE,
    )
        .into_response()
}

/// A token in a list.
#[derive(Debug, Serialize)]
pub struct TokenSummary {
    /// Its address.
    pub address: String,
    /// Symbol.
    pub symbol: String,
    /// Name.
    pub name: String,
    /// Decimals.
    pub decimals: u8,
    /// Supply in base units.
    pub supply: String,
    /// Supply in whole tokens.
    pub supply_whole: String,
    /// Paused.
    pub is_paused: bool,
    /// Private (whitelist).
    pub is_private: bool,
    /// Holders with a non-zero balance.
    pub holders: usize,
}

/// An account in a list.
#[derive(Debug, Serialize)]
pub struct AccountSummary {
    /// Its address.
    pub address: String,
    /// Its next nonce.
    pub nonce: u64,
    /// Tokens it holds a non-zero balance of.
    pub tokens_held: usize,
    /// Whether it is a multisig account.
    pub multisig: bool,
}

/// A committed transaction with its receipt.
#[derive(Debug, Serialize)]
pub struct TxWithReceipt {
    /// As `GET /v1/transactions/by_hash` serves it.
    pub transaction: Transaction,
    /// As `GET /v1/transactions/receipt/by_hash` serves it.
    pub receipt: TransactionReceipt,
}

/// `GET /explorer/api/overview`
#[derive(Debug, Serialize)]
pub struct Overview {
    /// The chain id.
    pub chain_id: u64,
    /// As `GET /api/status` answers.
    pub status: NodeStatus,
    /// The latest checkpoint's number.
    pub latest_checkpoint: u64,
    /// Tokens, by symbol (at most [`MAX_LISTED`]).
    pub tokens: Vec<TokenSummary>,
    /// Every token.
    pub token_count: usize,
    /// Accounts (senders, holders, multisig accounts), by address (at most
    /// [`MAX_LISTED`]).
    pub accounts: Vec<AccountSummary>,
    /// Every account.
    pub account_count: usize,
    /// The latest checkpoints, newest first (hashes only).
    pub checkpoints: Vec<Checkpoint>,
    /// The latest transactions, newest first.
    pub transactions: Vec<TxWithReceipt>,
}

/// A balance of one token.
#[derive(Debug, Serialize)]
pub struct Holding {
    /// The token (a token's holding list) or the holder (an account's).
    pub address: String,
    /// The token's symbol.
    pub symbol: String,
    /// Base units.
    pub balance: String,
    /// Whole tokens.
    pub balance_whole: String,
}

/// `GET /explorer/api/token?token=`
#[derive(Debug, Serialize)]
pub struct TokenView {
    /// Its address.
    pub address: String,
    /// As `GET /v1/tokens/token_metadata` answers: metadata, supply,
    /// authorities, lists.
    pub metadata: MintInfo,
    /// Supply in whole tokens.
    pub supply_whole: String,
    /// The operator that issued it.
    pub issuer: String,
    /// Holders with a non-zero balance, largest first (at most
    /// [`MAX_LISTED`]).
    pub holders: Vec<Holding>,
}

/// `GET /explorer/api/account?address=`
#[derive(Debug, Serialize)]
pub struct AccountView {
    /// Its address.
    pub address: String,
    /// Its next nonce.
    pub nonce: u64,
    /// Its bridge nonce.
    pub bbnonce: u64,
    /// Its non-zero balances, by symbol.
    pub balances: Vec<Holding>,
    /// Its members and threshold, when it is a multisig account.
    pub multisig: Option<Multisig>,
}

/// `GET /explorer/api/transaction?hash=`
#[derive(Debug, Serialize)]
pub struct TransactionView {
    /// As `GET /v1/transactions/by_hash` serves it.
    pub transaction: Transaction,
    /// As `GET /v1/transactions/receipt/by_hash` serves it.
    pub receipt: TransactionReceipt,
    /// The review a device shows for it.
    pub review: Option<ReviewView>,
    /// Why there is no review (never expected).
    pub review_error: Option<String>,
}

/// `GET /explorer/api/search?q=`
#[derive(Debug, Serialize)]
pub struct SearchAnswer {
    /// `transaction`, `checkpoint`, `token` or `account`.
    pub kind: &'static str,
    /// The key to show it by: a hash, an address (EIP-55) or a checkpoint
    /// number.
    pub key: String,
}

fn reader(state: &AppState) -> Result<Box<dyn StateRead + '_>, ApiError> {
    state.read().map_err(storage_error)
}

fn snapshot(reader: &dyn StateRead) -> Result<MemoryLedger, ApiError> {
    reader.ledger().map_err(storage_error)
}

fn summary(token: &Token, ledger: &MemoryLedger) -> TokenSummary {
    let supply = token.supply.to_string();
    TokenSummary {
        address: token.address.to_string(),
        symbol: token.symbol.clone(),
        name: token.name.clone(),
        decimals: token.decimals,
        supply_whole: whole_tokens(&supply, token.decimals),
        supply,
        is_paused: token.is_paused,
        is_private: token.is_private,
        holders: ledger
            .balances
            .iter()
            .filter(|((_, t), b)| *t == token.address && !b.is_zero())
            .count(),
    }
}

/// Every address the ledger knows: senders, holders, multisig accounts.
fn known_accounts(ledger: &MemoryLedger) -> BTreeMap<Address, AccountSummary> {
    let mut out = BTreeMap::new();
    let known = ledger
        .accounts
        .keys()
        .chain(ledger.multisigs.keys())
        .chain(ledger.balances.keys().map(|(owner, _)| owner));
    for a in known {
        out.entry(*a).or_insert_with(|| AccountSummary {
            address: a.to_string(),
            nonce: ledger.accounts.get(a).map(|x| x.nonce).unwrap_or(0),
            tokens_held: 0,
            multisig: ledger.multisigs.contains_key(a),
        });
    }
    for ((owner, _), balance) in &ledger.balances {
        if let (Some(account), false) = (out.get_mut(owner), balance.is_zero()) {
            account.tokens_held += 1;
        }
    }
    out
}

fn with_receipt(record: TxRecord) -> TxWithReceipt {
    TxWithReceipt {
        transaction: record.transaction,
        receipt: record.receipt,
    }
}

/// `GET /explorer/api/overview`
pub(crate) async fn overview(State(state): State<AppState>) -> Result<Json<Overview>, ApiError> {
    let r = reader(&state)?;
    let ledger = snapshot(&*r)?;
    let mut tokens: Vec<&Token> = ledger.tokens.values().collect();
    tokens.sort_by(|a, b| a.symbol.cmp(&b.symbol));
    let accounts = known_accounts(&ledger);
    let latest = r.last_checkpoint().map_err(storage_error)?;
    let mut checkpoints = Vec::new();
    let mut transactions = Vec::new();
    for number in (latest.saturating_sub(RECENT_CHECKPOINTS - 1)..=latest).rev() {
        let Some(c) = r.checkpoint(number).map_err(storage_error)? else {
            continue;
        };
        for hash in c.transactions.iter().rev() {
            if transactions.len() >= RECENT_TRANSACTIONS {
                break;
            }
            if let Some(record) = r.transaction(hash).map_err(storage_error)? {
                transactions.push(with_receipt(record));
            }
        }
        checkpoints.push(super::reads::checkpoint_wire(&*r, c, false)?);
    }
    Ok(Json(Overview {
        chain_id: state.inner.config.chain_id,
        status: state.status(),
        latest_checkpoint: latest,
        token_count: tokens.len(),
        tokens: tokens
            .into_iter()
            .take(MAX_LISTED)
            .map(|t| summary(t, &ledger))
            .collect(),
        account_count: accounts.len(),
        accounts: accounts.into_values().take(MAX_LISTED).collect(),
        checkpoints,
        transactions,
    }))
}

/// `GET /explorer/api/token?token=`
pub(crate) async fn token(
    State(state): State<AppState>,
    params: Params,
) -> Result<Json<TokenView>, ApiError> {
    let address = address_param(&params, "token")?;
    let ledger = snapshot(&*reader(&state)?)?;
    let token = ledger
        .tokens
        .get(&address)
        .ok_or_else(|| no_token(&address))?;
    let mut holders: Vec<(Address, tokensign_core::Amount)> = ledger
        .balances
        .iter()
        .filter(|((_, t), b)| *t == address && !b.is_zero())
        .map(|((owner, _), b)| (*owner, *b))
        .collect();
    holders.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let supply = token.supply.to_string();
    Ok(Json(TokenView {
        address: address.to_string(),
        metadata: token.to_wire(),
        supply_whole: whole_tokens(&supply, token.decimals),
        issuer: token.issuer.to_string(),
        holders: holders
            .into_iter()
            .take(MAX_LISTED)
            .map(|(owner, balance)| {
                let text = balance.to_string();
                Holding {
                    address: owner.to_string(),
                    symbol: token.symbol.clone(),
                    balance_whole: whole_tokens(&text, token.decimals),
                    balance: text,
                }
            })
            .collect(),
    }))
}

/// `GET /explorer/api/account?address=`: any address has an account view
/// (nonce 0 and no balances for one the ledger never saw).
pub(crate) async fn account(
    State(state): State<AppState>,
    params: Params,
) -> Result<Json<AccountView>, ApiError> {
    let address = address_param(&params, "address")?;
    let ledger = snapshot(&*reader(&state)?)?;
    let account = ledger.accounts.get(&address).copied().unwrap_or_default();
    let mut balances: Vec<Holding> = ledger
        .balances
        .iter()
        .filter(|((owner, _), b)| *owner == address && !b.is_zero())
        .filter_map(|((_, token), b)| {
            let t = ledger.tokens.get(token)?;
            let text = b.to_string();
            Some(Holding {
                address: token.to_string(),
                symbol: t.symbol.clone(),
                balance_whole: whole_tokens(&text, t.decimals),
                balance: text,
            })
        })
        .collect();
    balances.sort_by(|a, b| a.symbol.cmp(&b.symbol));
    Ok(Json(AccountView {
        address: address.to_string(),
        nonce: account.nonce,
        bbnonce: account.bbnonce,
        balances,
        multisig: ledger.multisigs.get(&address).cloned(),
    }))
}

/// `GET /explorer/api/transaction?hash=`
pub(crate) async fn transaction(
    State(state): State<AppState>,
    params: Params,
) -> Result<Json<TransactionView>, ApiError> {
    let hash = super::routes::hash_param(&params)?;
    let r = reader(&state)?;
    let record = r
        .transaction(&hash)
        .map_err(storage_error)?
        .ok_or_else(|| super::routes::no_transaction(&hash))?;
    // Whether the sender is a multisig account matters only when neither
    // single-key form gives the hash: the ledger is read only then.
    let reviewed = match review(&record.transaction, false) {
        Err(ReviewError::NoScheme) => {
            let multisig_account = match Address::parse(&record.transaction.from) {
                Ok(from) => r.multisig(&from).map_err(storage_error)?.is_some(),
                Err(_) => false,
            };
            review(&record.transaction, multisig_account)
        }
        other => other,
    };
    let (review, review_error) = match reviewed {
        Ok(view) => (Some(view), None),
        Err(e) => {
            tracing::error!(error = %e, hash = %record.transaction.hash, "explorer: no review");
            (None, Some(e.to_string()))
        }
    };
    Ok(Json(TransactionView {
        transaction: record.transaction,
        receipt: record.receipt,
        review,
        review_error,
    }))
}

/// `GET /explorer/api/search?q=`: a transaction or checkpoint hash, a
/// token or account address, or a checkpoint number.
pub(crate) async fn search(
    State(state): State<AppState>,
    params: Params,
) -> Result<Json<SearchAnswer>, ApiError> {
    // Taken exactly as given (no trimming): what the document's pattern
    // describes is what is searched.
    let q = param(&params, "q")?;
    let r = reader(&state)?;
    let found = |kind, key: String| Ok(Json(SearchAnswer { kind, key }));
    if let Some(hash) = crate::show::parse_hex32(q) {
        if r.transaction(&hash).map_err(storage_error)?.is_some() {
            return found("transaction", crate::show::hex0x(&hash));
        }
        if let Some(n) = r.checkpoint_number(&hash).map_err(storage_error)? {
            return found("checkpoint", n.to_string());
        }
    } else if q.len() == 42 && q.starts_with("0x") {
        let address = Address::parse(q).map_err(|e| {
            ApiError::bad_request(codes::INVALID_ADDRESS, format!("search `{q}`: {e}"))
        })?;
        if r.token(&address).map_err(storage_error)?.is_some() {
            return found("token", address.to_string());
        }
        return found("account", address.to_string());
    } else if let Some(n) = q
        .bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| q.parse::<u64>().ok())
        .flatten()
    {
        if r.checkpoint(n).map_err(storage_error)?.is_some() {
            return found("checkpoint", n.to_string());
        }
    }
    Err(ApiError::not_found(
        codes::NOT_FOUND,
        format!(
            "nothing on this node matches {:?}: search a transaction or checkpoint hash (0x + 64 \
             hex digits), an address (0x + 40) or a checkpoint number",
            crate::show::sanitize(q)
        ),
    ))
}

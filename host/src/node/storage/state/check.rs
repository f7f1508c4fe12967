//! Every invariant a state must hold before it is loaded. The first
//! broken one refuses the whole document, naming what and where.
//!
//! - Format: the chain id is the node's; no key appears twice (account,
//!   token address or symbol, balance, multisig account, transaction,
//!   checkpoint, mint).
//! - Tokens: each address is derived from its master authority and
//!   symbol, as the network derives it; authority lists within their
//!   limits and without repeats; the supply is the sum of the token's
//!   balances; every balance is of a known token.
//! - Multisig accounts: members, weights and threshold as CreateMultiSig
//!   allows them.
//! - History: checkpoints numbered 0, 1, … without a gap, genesis empty
//!   with a zero parent, each naming its parent's hash, each hash and both
//!   roots recomputed; every transaction record sits at the place its
//!   checkpoint lists (and nowhere else), of this chain, and every listed
//!   hash has its record.
//! - Mints: `TOKEN-<n>` ids distinct and within the counter, each of an
//!   issued token's symbol and address.

use std::collections::{HashMap, HashSet};

use tokensign_core::tx::token_address;
use tokensign_core::{Address, Amount};

use super::document::{StateDocument, FORMAT, VERSION};
use super::StateError;
use crate::node::ledger::state::{MAX_AUTHORITY_HOLDERS, MAX_MINTERS};
use crate::node::records::{hex0x, CheckpointRecord};
use crate::node::storage::Contents;

/// Checks `document` (from `path`) for a node of `chain_id`; its contents
/// if every invariant holds.
pub fn check(path: &str, chain_id: u64, document: StateDocument) -> Result<Contents, StateError> {
    let broken = |what: String| StateError::Invariant {
        path: path.to_owned(),
        what,
    };
    if document.format != FORMAT {
        return Err(StateError::Malformed {
            path: path.to_owned(),
            reason: format!("format is {:?}, not {FORMAT:?}", document.format),
        });
    }
    if document.version != VERSION {
        return Err(StateError::Version {
            path: path.to_owned(),
            found: u64::from(document.version),
            supported: VERSION,
        });
    }
    if document.chain_id != chain_id {
        return Err(StateError::ChainId {
            path: path.to_owned(),
            found: document.chain_id,
            expected: chain_id,
        });
    }
    unique(document.accounts.iter().map(|a| a.address), "account").map_err(&broken)?;
    unique(document.tokens.iter().map(|t| t.address), "token").map_err(&broken)?;
    unique(
        document.tokens.iter().map(|t| t.symbol.clone()),
        "token symbol",
    )
    .map_err(&broken)?;
    unique(
        document.balances.iter().map(|b| (b.owner, b.token)),
        "balance",
    )
    .map_err(&broken)?;
    unique(
        document.multisigs.iter().map(|m| m.address),
        "multisig account",
    )
    .map_err(&broken)?;
    unique(
        document
            .transactions
            .iter()
            .map(|t| t.transaction.hash.clone()),
        "transaction",
    )
    .map_err(&broken)?;
    unique(document.checkpoints.iter().map(|c| c.number), "checkpoint").map_err(&broken)?;
    unique(
        document.mints.records.iter().map(|m| m.asset_id.clone()),
        "mint of asset",
    )
    .map_err(&broken)?;
    unique(
        document.mints.records.iter().map(|m| m.token_id.clone()),
        "mint id",
    )
    .map_err(&broken)?;
    tokens(&document).map_err(&broken)?;
    multisigs(&document).map_err(&broken)?;
    history(&document, chain_id).map_err(&broken)?;
    mints(&document).map_err(&broken)?;
    Ok(document.into_contents())
}

fn unique<K: std::hash::Hash + Eq + std::fmt::Debug>(
    keys: impl Iterator<Item = K>,
    what: &str,
) -> Result<(), String> {
    let mut seen = HashSet::new();
    for key in keys {
        if let Some(key) = seen.replace(key) {
            return Err(format!("{what} {key:?} appears twice"));
        }
    }
    Ok(())
}

fn tokens(doc: &StateDocument) -> Result<(), String> {
    let mut sums: HashMap<Address, Amount> = HashMap::new();
    for b in &doc.balances {
        let sum = sums.entry(b.token).or_default();
        *sum = sum
            .checked_add(&b.amount)
            .ok_or_else(|| format!("the balances of token {} pass 2^256-1", b.token))?;
    }
    let known: HashSet<Address> = doc.tokens.iter().map(|t| t.address).collect();
    if let Some(b) = doc.balances.iter().find(|b| !known.contains(&b.token)) {
        return Err(format!(
            "{} holds a balance of {}, which is not a token of this state",
            b.owner, b.token
        ));
    }
    for t in &doc.tokens {
        let name = format!("token {} ({})", t.symbol, t.address);
        let derived = token_address(&t.master_authority, &t.symbol);
        if derived != t.address {
            return Err(format!(
                "{name}: its address is not the one its master authority {} and symbol give ({derived})",
                t.master_authority
            ));
        }
        let sum = sums.get(&t.address).copied().unwrap_or_default();
        if sum != t.supply {
            return Err(format!(
                "{name}: supply {} is not the sum of its balances ({sum})",
                t.supply
            ));
        }
        if t.minters.len() > MAX_MINTERS {
            return Err(format!("{name}: more than {MAX_MINTERS} minters"));
        }
        unique(t.minters.iter().map(|m| m.minter), "minter").map_err(|e| format!("{name}: {e}"))?;
        for (list, label) in [
            (&t.pause_authorities, "pause authority"),
            (&t.list_authorities, "list authority"),
            (&t.metadata_authorities, "metadata authority"),
            (&t.bridge_authorities, "bridge authority"),
            (&t.clawback_authorities, "clawback authority"),
        ] {
            if list.len() > MAX_AUTHORITY_HOLDERS {
                return Err(format!(
                    "{name}: more than {MAX_AUTHORITY_HOLDERS} holders of {label}"
                ));
            }
            unique(list.iter().copied(), label).map_err(|e| format!("{name}: {e}"))?;
        }
        unique(t.black_list.iter().copied(), "blacklisted address")
            .map_err(|e| format!("{name}: {e}"))?;
        unique(t.white_list.iter().copied(), "whitelisted address")
            .map_err(|e| format!("{name}: {e}"))?;
    }
    Ok(())
}

fn multisigs(doc: &StateDocument) -> Result<(), String> {
    for m in &doc.multisigs {
        let name = format!("multisig account {}", m.address);
        if !(2..=20).contains(&m.members.len()) {
            return Err(format!(
                "{name}: {} members (2..20 allowed)",
                m.members.len()
            ));
        }
        unique(m.members.iter().map(|x| x.public_key.clone()), "member")
            .map_err(|e| format!("{name}: {e}"))?;
        let mut total: u32 = 0;
        for member in &m.members {
            let key = member.public_key.strip_prefix("0x").unwrap_or("");
            if key.len() != 66 || hex::decode(key).is_err() {
                return Err(format!(
                    "{name}: member key {:?} is not 0x + 33 bytes of hex",
                    member.public_key
                ));
            }
            if member.weight == 0 {
                return Err(format!("{name}: a member of weight 0"));
            }
            total += u32::from(member.weight);
        }
        if m.threshold == 0 || u32::from(m.threshold) > total {
            return Err(format!(
                "{name}: threshold {} is not within the members' weights (1..{total})",
                m.threshold
            ));
        }
    }
    Ok(())
}

fn history(doc: &StateDocument, chain_id: u64) -> Result<(), String> {
    let Some(genesis) = doc.checkpoints.first() else {
        return Err("there is no checkpoint (not even genesis)".into());
    };
    if genesis.number != 0 || genesis.parent_hash != [0u8; 32] || !genesis.transactions.is_empty() {
        return Err("the first checkpoint is not an empty genesis (number 0, zero parent)".into());
    }
    let records: HashMap<&str, &crate::node::records::TxRecord> = doc
        .transactions
        .iter()
        .map(|r| (r.transaction.hash.as_str(), r))
        .collect();
    let mut placed = 0usize;
    let mut previous: Option<&CheckpointRecord> = None;
    for (expected, c) in (0u64..).zip(&doc.checkpoints) {
        let name = format!("checkpoint {}", c.number);
        if c.number != expected {
            return Err(format!(
                "checkpoint {expected} is missing (found {name} in its place)"
            ));
        }
        if let Some(p) = previous {
            if c.parent_hash != p.hash {
                return Err(format!(
                    "{name}: its parent hash is not checkpoint {}'s hash",
                    p.number
                ));
            }
        }
        let mut receipts = Vec::with_capacity(c.transactions.len());
        for (index, hash) in (0u64..).zip(&c.transactions) {
            let text = hex0x(hash);
            let record = records
                .get(text.as_str())
                .ok_or_else(|| format!("{name} lists transaction {text}, which has no record"))?;
            let tx = &record.transaction;
            let checkpoint_hash = hex0x(&c.hash);
            if tx.checkpoint_number != Some(c.number)
                || tx.transaction_index != Some(index)
                || tx.checkpoint_hash.as_deref() != Some(checkpoint_hash.as_str())
                || record.receipt.checkpoint_hash.as_deref() != Some(checkpoint_hash.as_str())
                || record.receipt.checkpoint_number != Some(c.number)
                || record.receipt.transaction_index != Some(index)
                || record.receipt.transaction_hash != text
            {
                return Err(format!(
                    "transaction {text}: its record does not place it at {name}, index {index}"
                ));
            }
            if tx.chain_id != chain_id {
                return Err(format!("transaction {text} is of chain id {}", tx.chain_id));
            }
            // The receipts root is over each receipt as it was before its
            // checkpoint was known.
            let mut unplaced = record.receipt.clone();
            unplaced.checkpoint_hash = None;
            unplaced.checkpoint_number = None;
            unplaced.transaction_index = None;
            receipts.push(serde_json::to_string(&unplaced).map_err(|e| e.to_string())?);
            placed += 1;
        }
        let recomputed = CheckpointRecord::recompute(c, &receipts);
        if recomputed.transactions_root != c.transactions_root {
            return Err(format!(
                "{name}: its transactions root does not match its transactions"
            ));
        }
        if recomputed.receipts_root != c.receipts_root {
            return Err(format!(
                "{name}: its receipts root does not match its receipts"
            ));
        }
        if recomputed.hash != c.hash {
            return Err(format!("{name}: its hash does not match its contents"));
        }
        previous = Some(c);
    }
    if placed != doc.transactions.len() {
        return Err(format!(
            "{} transaction records are in no checkpoint",
            doc.transactions.len() - placed
        ));
    }
    Ok(())
}

fn mints(doc: &StateDocument) -> Result<(), String> {
    let by_symbol: HashMap<&str, Address> = doc
        .tokens
        .iter()
        .map(|t| (t.symbol.as_str(), t.address))
        .collect();
    for m in &doc.mints.records {
        let n = crate::node::storage::redb_store::mint_number(&m.token_id);
        if n == 0 || n > doc.mints.count || m.token_id != format!("TOKEN-{n}") {
            return Err(format!(
                "mint {:?} is not TOKEN-1..TOKEN-{}",
                m.token_id, doc.mints.count
            ));
        }
        let token = by_symbol.get(m.asset_id.as_str()).ok_or_else(|| {
            format!(
                "mint {} is of asset {:?}, no token's symbol",
                m.token_id, m.asset_id
            )
        })?;
        if Address::parse(&m.token).ok() != Some(*token) {
            return Err(format!(
                "mint {}: token {} is not the address of {}",
                m.token_id, m.token, m.asset_id
            ));
        }
    }
    Ok(())
}

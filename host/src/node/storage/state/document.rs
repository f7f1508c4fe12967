//! The state document, version 1: one JSON object with the format name,
//! the version, the chain id and every part of the state, each list
//! sorted (accounts, tokens, balances and multisig accounts by address,
//! checkpoints by number, transactions in checkpoint order, mints by
//! number), so that the same state always dumps to the same bytes.

use serde::{Deserialize, Serialize};
use tokensign_core::{Address, Amount};

use crate::node::failure::StoreError;
use crate::node::ledger::state::{addr_text, amount_text};
use crate::node::ledger::{Account, Member, Multisig, Token};
use crate::node::records::{CheckpointRecord, MintRecord, TxRecord};
use crate::node::storage::Contents;

/// The document's `format`.
pub const FORMAT: &str = "tokensign-node-state";
/// The version this build writes and reads.
pub const VERSION: u32 = 1;

/// A node's whole state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StateDocument {
    /// Always [`FORMAT`].
    pub format: String,
    /// [`VERSION`].
    pub version: u32,
    /// The chain id of the node it was dumped from.
    pub chain_id: u64,
    /// Every account with a nonce or bridge nonce.
    pub accounts: Vec<AccountEntry>,
    /// Every token: metadata, every authority and allowance, both lists,
    /// supply and state.
    pub tokens: Vec<Token>,
    /// Every balance.
    pub balances: Vec<BalanceEntry>,
    /// Every multisig account.
    pub multisigs: Vec<MultisigEntry>,
    /// Every checkpoint from genesis.
    pub checkpoints: Vec<CheckpointRecord>,
    /// Every transaction with its receipt, in checkpoint order.
    pub transactions: Vec<TxRecord>,
    /// The ABC-Lab mints.
    pub mints: MintsEntry,
}

/// An account's nonces.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountEntry {
    /// The account.
    #[serde(with = "addr_text")]
    pub address: Address,
    /// Its next nonce.
    pub nonce: u64,
    /// Its next bridge nonce.
    pub bbnonce: u64,
}

/// One balance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BalanceEntry {
    /// The holder.
    #[serde(with = "addr_text")]
    pub owner: Address,
    /// The token.
    #[serde(with = "addr_text")]
    pub token: Address,
    /// Base units, decimal text.
    #[serde(with = "amount_text")]
    pub amount: Amount,
}

/// A multisig account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MultisigEntry {
    /// Its address.
    #[serde(with = "addr_text")]
    pub address: Address,
    /// Its members.
    pub members: Vec<Member>,
    /// The weight that authorizes.
    pub threshold: u16,
}

/// The ABC-Lab mints and their counter.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MintsEntry {
    /// How many were committed (the last `TOKEN-<n>`).
    pub count: u64,
    /// Each mint.
    pub records: Vec<MintRecord>,
}

impl StateDocument {
    /// The document of `contents`, sorted.
    pub fn from_contents(chain_id: u64, contents: &Contents) -> Result<Self, StoreError> {
        let ledger = &contents.ledger;
        let mut accounts: Vec<AccountEntry> = ledger
            .accounts
            .iter()
            .map(|(address, a)| AccountEntry {
                address: *address,
                nonce: a.nonce,
                bbnonce: a.bbnonce,
            })
            .collect();
        accounts.sort_by(|a, b| a.address.as_bytes().cmp(b.address.as_bytes()));
        let mut tokens: Vec<Token> = ledger.tokens.values().cloned().collect();
        tokens.sort_by(|a, b| a.address.as_bytes().cmp(b.address.as_bytes()));
        let mut balances: Vec<BalanceEntry> = ledger
            .balances
            .iter()
            .map(|((owner, token), amount)| BalanceEntry {
                owner: *owner,
                token: *token,
                amount: *amount,
            })
            .collect();
        balances.sort_by(|a, b| {
            (a.owner.as_bytes(), a.token.as_bytes()).cmp(&(b.owner.as_bytes(), b.token.as_bytes()))
        });
        let mut multisigs: Vec<MultisigEntry> = ledger
            .multisigs
            .iter()
            .map(|(address, m)| MultisigEntry {
                address: *address,
                members: m.members.clone(),
                threshold: m.threshold,
            })
            .collect();
        multisigs.sort_by(|a, b| a.address.as_bytes().cmp(b.address.as_bytes()));
        let mut checkpoints = contents.checkpoints.clone();
        checkpoints.sort_by_key(|c| c.number);
        let mut transactions = contents.transactions.clone();
        transactions.sort_by_key(|r| {
            (
                r.transaction.checkpoint_number,
                r.transaction.transaction_index,
            )
        });
        let mut records = contents.mints.clone();
        records.sort_by_key(|m| crate::node::storage::redb_store::mint_number(&m.token_id));
        Ok(StateDocument {
            format: FORMAT.to_owned(),
            version: VERSION,
            chain_id,
            accounts,
            tokens,
            balances,
            multisigs,
            checkpoints,
            transactions,
            mints: MintsEntry {
                count: contents.mint_count,
                records,
            },
        })
    }

    /// The contents this document holds (unchecked: see `check`).
    pub fn into_contents(self) -> Contents {
        let mut out = Contents::default();
        for a in self.accounts {
            out.ledger.accounts.insert(
                a.address,
                Account {
                    nonce: a.nonce,
                    bbnonce: a.bbnonce,
                },
            );
        }
        for t in self.tokens {
            out.ledger.tokens.insert(t.address, t);
        }
        for b in self.balances {
            out.ledger.balances.insert((b.owner, b.token), b.amount);
        }
        for m in self.multisigs {
            out.ledger.multisigs.insert(
                m.address,
                Multisig {
                    members: m.members,
                    threshold: m.threshold,
                },
            );
        }
        out.checkpoints = self.checkpoints;
        out.transactions = self.transactions;
        out.mints = self.mints.records;
        out.mint_count = self.mints.count;
        out
    }
}

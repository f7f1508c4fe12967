//! One batch of transactions and mints: each checked with the ledger's
//! rules against the committed state plus what the batch admitted before
//! it ([`Batch`]), then all of it committed in one [`Storage::write`]
//! ([`run_batch`]) and every job answered with its outcome.

use std::collections::HashSet;

use tokensign_core::{Address, Amount};

use super::{Admitted, Job, Outcome, Rejected, TxJob, WriterState};
use crate::node::dev::checkpoints::Close;
use crate::node::failure::StoreError;
use crate::node::ledger::{
    self, Account, Backing, Changes, Multisig, Refusal, Rules, SignedBy, Token,
};
use crate::node::mint::{self, MintJob, MintRefusal};
use crate::node::records::{MintRecord, TxRecord};
use crate::node::storage::{Pending, Storage, WriteRead};

/// The state one batch sees: the committed state (under the store's
/// write lock) and what the batch has admitted so far.
pub(super) struct Batch<'a> {
    committed: &'a dyn WriteRead,
    staged: Changes,
    hashes: HashSet<[u8; 32]>,
    admitted: Vec<([u8; 32], TxRecord)>,
    mints: Vec<MintRecord>,
    mint_count: u64,
}

impl Backing for Batch<'_> {
    fn account(&self, address: &Address) -> Result<Account, StoreError> {
        match self.staged.accounts.get(address) {
            Some(a) => Ok(*a),
            None => self.committed.account(address),
        }
    }
    fn token(&self, address: &Address) -> Result<Option<Token>, StoreError> {
        match self.staged.tokens.get(address) {
            Some(t) => Ok(Some(t.clone())),
            None => self.committed.token(address),
        }
    }
    fn token_by_symbol(&self, symbol: &str) -> Result<Option<Address>, StoreError> {
        if let Some(t) = self.staged.tokens.values().find(|t| t.symbol == symbol) {
            return Ok(Some(t.address));
        }
        self.committed.token_by_symbol(symbol)
    }
    fn balance(&self, owner: &Address, token: &Address) -> Result<Amount, StoreError> {
        match self.staged.balances.get(&(*owner, *token)) {
            Some(b) => Ok(*b),
            None => self.committed.balance(owner, token),
        }
    }
    fn multisig(&self, address: &Address) -> Result<Option<Multisig>, StoreError> {
        match self.staged.multisigs.get(address) {
            Some(m) => Ok(Some(m.clone())),
            None => self.committed.multisig(address),
        }
    }
}

impl<'a> Batch<'a> {
    /// A batch over `committed` that has admitted nothing yet.
    pub(super) fn new(committed: &'a dyn WriteRead, mint_count: u64) -> Self {
        Batch {
            committed,
            staged: Changes::default(),
            hashes: HashSet::new(),
            admitted: Vec::new(),
            mints: Vec::new(),
            mint_count,
        }
    }

    /// Checks one transaction with the ledger's rules against the state so
    /// far and stages its changes and record. `Ok(Err(_))` is a refusal
    /// (nothing staged); `Err(_)` a storage failure that aborts the batch.
    pub(super) fn apply_tx(
        &mut self,
        rules: &Rules,
        job: &TxJob,
    ) -> Result<Result<Admitted, Refusal>, StoreError> {
        if self.hashes.contains(&job.hash) || self.committed.has_transaction(&job.hash)? {
            return Ok(Err(Refusal::DuplicateTransaction { hash: job.hash }));
        }
        let sub = ledger::Submission {
            tx: &job.tx,
            sender: job.sender,
            signed_by: &job.signed_by,
        };
        let effects = match ledger::apply(&*self, rules, &sub)? {
            Ok(effects) => effects,
            Err(refusal) => return Ok(Err(refusal)),
        };
        let mut record = TxRecord::new(
            &job.tx,
            &job.sender,
            &job.hash,
            &job.signature,
            &job.fields,
            &effects,
        );
        if job.signed_by == SignedBy::Impersonated {
            record.mark_impersonated();
        }
        self.staged.absorb(effects.changes);
        self.hashes.insert(job.hash);
        self.admitted.push((job.hash, record));
        Ok(Ok(Admitted {
            hash: job.hash,
            token: effects.token,
        }))
    }

    /// Checks one mint against the state so far and stages its record.
    pub(super) fn apply_mint(
        &mut self,
        job: &MintJob,
    ) -> Result<Result<MintRecord, MintRefusal>, StoreError> {
        let existing = match self.mints.iter().find(|m| m.asset_id == job.asset_id) {
            Some(m) => Some(m.clone()),
            None => self.committed.mint(&job.asset_id)?,
        };
        let outcome = mint::apply(&*self, existing.as_ref(), self.mint_count, job)?;
        if let Ok(record) = &outcome {
            self.mint_count = self
                .mint_count
                .checked_add(1)
                .ok_or(StoreError::Overflow("mint counter"))?;
            self.mints.push(record.clone());
        }
        Ok(outcome)
    }

    /// Everything staged, for the storage to seal: a checkpoint closes
    /// over `unplaced` (committed earlier, not placed yet) and then the
    /// admitted transactions if `close` says so.
    pub(super) fn into_pending(self, unplaced: Vec<[u8; 32]>, close: Close) -> Pending {
        Pending {
            mint_count: (!self.mints.is_empty()).then_some(self.mint_count),
            mints: self.mints,
            ledger: self.staged,
            transactions: self.admitted,
            close,
            unplaced,
        }
    }
}

/// Runs and commits one batch of transactions and mints (no control);
/// returns the number of the checkpoint it closed, if any.
pub(super) fn run_batch(
    storage: &dyn Storage,
    jobs: Vec<Job>,
    state: &mut WriterState,
) -> Option<u64> {
    let size = jobs.len();
    let close = state.checkpoints.on_commit();
    let WriterState {
        rules, checkpoints, ..
    } = state;
    let unplaced = match close {
        Close::No => Vec::new(),
        _ => checkpoints.pending().to_vec(),
    };
    let mut outcomes = Vec::with_capacity(jobs.len());
    let mut admitted: Vec<[u8; 32]> = Vec::new();
    // The storage may run this more than once (see `storage::Build`); the
    // outcomes of the last run are the committed ones.
    let result = storage.write(&mut |committed: &dyn WriteRead| {
        outcomes.clear();
        let mut batch = Batch::new(committed, committed.mint_count()?);
        for job in &jobs {
            outcomes.push(match job {
                Job::Tx(job, _) => Outcome::Tx(batch.apply_tx(rules, job)?),
                Job::Mint(job, _) => Outcome::Mint(batch.apply_mint(job)?),
                Job::Control(..) => Outcome::NotRun,
            });
        }
        let pending = batch.into_pending(unplaced.clone(), close);
        admitted = pending.transactions.iter().map(|(h, _)| *h).collect();
        if close == Close::No {
            // Logged before the commit, so that a crash after it leaves
            // them findable (a hash logged by a run that did not commit is
            // skipped at recovery: it is not stored).
            checkpoints.log(&admitted)?;
        }
        Ok(pending)
    });
    match result {
        Ok(closed) => {
            checkpoints.committed(&admitted, closed.is_some());
            tracing::debug!(jobs = size, "batch committed");
            for (job, outcome) in jobs.into_iter().zip(outcomes) {
                match (job, outcome) {
                    (Job::Tx(_, reply), Outcome::Tx(r)) => {
                        let _ = reply.send(r.map_err(Rejected::Refused));
                    }
                    (Job::Mint(_, reply), Outcome::Mint(r)) => {
                        let _ = reply.send(r.map_err(Rejected::Refused));
                    }
                    (job, _) => job.fail(false),
                }
            }
            closed
        }
        Err(e) => {
            tracing::error!(error = %e, jobs = size, "batch commit failed; nothing of it was acknowledged");
            let unavailable = e.is_unavailable();
            for job in jobs {
                job.fail(unavailable);
            }
            None
        }
    }
}

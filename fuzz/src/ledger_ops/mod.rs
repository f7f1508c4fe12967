//! The node's ledger rules, fast and structure-aware: an input is a
//! sequence of steps derived with `arbitrary` (issue, grant, mint, pay,
//! pause, lists, multisig, batch: any of the 14 operations, signed in v1 or
//! v2 by a key or by a multisig account's members, interleaved with bad
//! ones: a stale or future nonce, the wrong chain, an unknown token, a
//! transaction changed after signing), so the ledger sees long,
//! valid-looking histories. Each session starts from the same fresh
//! ledger (an operator, a token whose master is `keys[1]`, every key
//! funded), so a crash replays exactly.
//!
//! A step goes the way the node's write path takes it: the core checks the
//! body (`ledger::admission::check`) and finds the sender from the
//! signatures (`LegacyTx::signer`, `NativeTx::sender`); the ledger's
//! `apply` checks every rule against the committed state and stages the
//! changes, which are committed when admitted. After every step:
//!
//! - every token's supply is the sum of its balances;
//! - no account's nonce ever goes down; an admitted write raises its
//!   sender's nonce by exactly one, and no other account's nonce changes;
//! - a refused write changes nothing (its staged changes are dropped, as
//!   the writer drops them; the ledger is compared before and after);
//! - a transaction changed after signing never recovers to its signer;
//! - an admitted write had the node's chain id and the sender's nonce.
//!
//! It runs with the fuzzing stand-ins on (test signatures), without
//! threads, HTTP or a database, so it gets thousands of steps a second.
//! `server_handler` is the same ledger behind the HTTP handler, the writer
//! and redb, with real cryptography.

use std::collections::HashSet;
use std::sync::OnceLock;

use arbitrary::{Arbitrary, Unstructured};
use tokensign::node::ledger::{self, MemoryLedger, Rules, SignedBy, Submission};
use tokensign_core::legacy::LegacyTx;
use tokensign_core::native::{self, Authorization, Descriptor, MemberSignature, NativeTx};
use tokensign_core::text::Text;
use tokensign_core::tx::{
    OpType, Operation, Payment, TokenIssue, TokenMint, Transaction, CHAIN_ID_MAINNET,
    CHAIN_ID_TESTNET,
};
use tokensign_core::{signing_key_from_bytes, Address, Amount, SigningKey};

use crate::operations::operation_on;

mod input;
mod invariants;
mod refusals;

pub use input::{
    NonceChoice, Sender, Session, Step, Write, KEEP_NON_MEMBERS, MAX_STEPS, NO_ACCOUNT,
};

use invariants::{check_step, fingerprint, nonce_of, Fingerprint};
pub use refusals::REFUSALS;

/// The four keys: operator, master, two holders.
fn keys() -> &'static [SigningKey] {
    static KEYS: OnceLock<Vec<SigningKey>> = OnceLock::new();
    KEYS.get_or_init(|| {
        (1..=4u8)
            .map(|b| signing_key_from_bytes(&[b; 32]).expect("a valid key"))
            .collect()
    })
}

fn rules() -> Rules {
    Rules {
        chain_id: CHAIN_ID_TESTNET,
        operators: HashSet::from([keys()[0].address()]),
        fees: Default::default(),
    }
}

/// Admits `tx` from `sender` (no signature involved: the start's set-up).
fn admit(ledger: &mut MemoryLedger, rules: &Rules, sender: Address, tx: &Transaction) {
    let sub = Submission {
        tx,
        sender,
        signed_by: &SignedBy::Single,
    };
    let effects = ledger::apply(&*ledger, rules, &sub)
        .expect("no storage failure")
        .expect("the set-up is admitted");
    ledger.commit(effects.changes);
}

/// The start of every session: the operator issued a token whose master
/// (`keys[1]`) funded every key.
fn fresh() -> &'static MemoryLedger {
    static START: OnceLock<MemoryLedger> = OnceLock::new();
    START.get_or_init(|| {
        let k = keys();
        let rules = rules();
        let mut ledger = MemoryLedger::default();
        let issue = TokenIssue {
            symbol: Text::new("FUZ").expect("symbol"),
            name: Text::new("Fuzz").expect("name"),
            decimals: 2,
            master_authority: k[1].address(),
            is_private: false,
            clawback_enabled: Some(true),
        };
        let token = issue.token_address();
        admit(
            &mut ledger,
            &rules,
            k[0].address(),
            &Transaction::new(CHAIN_ID_TESTNET, 0, issue),
        );
        for (n, key) in k.iter().enumerate() {
            let mint = TokenMint {
                recipient: key.address(),
                value: Amount::from_u64(1_000_000),
                token,
            };
            let tx = Transaction::new(CHAIN_ID_TESTNET, n as u64, mint);
            admit(&mut ledger, &rules, k[1].address(), &tx);
        }
        ledger
    })
}

/// A multisig account (by index) and the keys in the mask that sign for
/// it (see [`Sender::Multisig`]); `None` when the ledger holds no account.
fn members(ledger: &MemoryLedger, index: u8, mask: u8) -> Option<(Address, Vec<usize>)> {
    let in_mask = (0..keys().len()).filter(|i| mask & (1 << i) != 0);
    if index == NO_ACCOUNT {
        return Some((Address([0x77; 20]), in_mask.collect()));
    }
    let mut accounts: Vec<&Address> = ledger.multisigs.keys().collect();
    if accounts.is_empty() {
        return None;
    }
    accounts.sort();
    let account = *accounts[usize::from(index) % accounts.len()];
    let multisig = &ledger.multisigs[&account];
    let keys = in_mask
        .filter(|i| {
            mask & KEEP_NON_MEMBERS != 0
                || multisig
                    .weight_of(&keys()[*i].public_key_compressed())
                    .is_some()
        })
        .collect();
    Some((account, keys))
}

/// A signed transaction as the node receives it. One lives per step: the
/// variants' size difference costs nothing worth a box.
#[allow(clippy::large_enum_variant)]
enum Signed {
    V1(LegacyTx),
    V2(NativeTx),
}

impl Signed {
    fn tx(&self) -> &Transaction {
        match self {
            Signed::V1(s) => &s.tx,
            Signed::V2(s) => &s.tx,
        }
    }
    fn tx_mut(&mut self) -> &mut Transaction {
        match self {
            Signed::V1(s) => &mut s.tx,
            Signed::V2(s) => &mut s.tx,
        }
    }
    /// The sender and how it signed, as the node's write path finds them.
    fn sender(&self) -> Option<(Address, SignedBy)> {
        match self {
            Signed::V1(s) => Some((s.signer().ok()?, SignedBy::Single)),
            Signed::V2(s) => {
                let sender = s.sender().ok()?;
                let by = match &s.authorization {
                    Authorization::Single(_) => SignedBy::Single,
                    Authorization::Multisig { signatures, .. } => {
                        SignedBy::Multisig(signatures.iter().map(|m| m.signer_pubkey).collect())
                    }
                };
                Some((sender, by))
            }
        }
    }
}

/// Signs the step's transaction: by a key (v1 or v2) or by a multisig
/// account's members (v2). `None` when the step names no multisig account
/// the ledger holds, or a nonce below zero.
fn sign(ledger: &MemoryLedger, f: &Fingerprint, w: &Write) -> Option<(Signed, Address)> {
    let k = keys();
    let op = OpType::ALL[usize::from(w.op) % OpType::ALL.len()];
    let tokens: Vec<&Address> = f.tokens.keys().collect();
    let token = tokens
        .get(usize::from(w.token) % (tokens.len() + 1))
        .map_or(Address([0x99; 20]), |t| **t);
    let mut fields: &[u8] = &w.fields;
    let operation: Operation = operation_on(k, op, token, &mut fields);
    let (sender, signers) = match w.sender {
        Sender::Key(i) => {
            let i = usize::from(i) % k.len();
            (k[i].address(), vec![i])
        }
        Sender::Multisig {
            account,
            members: mask,
        } => members(ledger, account, mask)?,
    };
    let nonce = match w.nonce {
        NonceChoice::Current => nonce_of(f, &sender),
        NonceChoice::Ahead => nonce_of(f, &sender) + 1,
        NonceChoice::Behind => nonce_of(f, &sender).checked_sub(1)?,
    };
    let chain = if w.wrong_chain {
        CHAIN_ID_MAINNET
    } else {
        CHAIN_ID_TESTNET
    };
    let tx: Transaction = Transaction::new(chain, nonce, operation);
    let signed = match w.sender {
        Sender::Multisig { .. } => {
            let tx = native::normalize(tx);
            let digest = native::signing_hash(&tx, Descriptor::Multisig(sender));
            let mut signatures: Vec<MemberSignature> = signers
                .iter()
                .map(|&i| MemberSignature {
                    signer_pubkey: k[i].public_key_compressed(),
                    signature: k[i].sign_hash(&digest).expect("signs"),
                })
                .collect();
            signatures.sort_by_key(|m| m.signer_pubkey);
            Signed::V2(NativeTx {
                tx,
                authorization: Authorization::Multisig {
                    account: sender,
                    signatures: signatures.into_iter().collect(),
                },
            })
        }
        Sender::Key(_) if w.v1 && op.v1_path().is_some() => {
            Signed::V1(LegacyTx::sign(tx, &k[signers[0]]).ok()?)
        }
        Sender::Key(_) => Signed::V2(NativeTx::sign(tx, &k[signers[0]]).ok()?),
    };
    Some((signed, sender))
}

/// What became of a step: admitted (by whom) or why not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Admitted: the operation, and the sender.
    Admitted(OpType, Address),
    /// Refused by a ledger rule: the operation and the refusal's name.
    Refused(OpType, String),
    /// Stopped before the ledger (no multisig account to sign for, a
    /// changed transaction, a body the node's checks refuse).
    Before(&'static str),
}

impl Outcome {
    /// The line of the rules report: `admitted <op>`, `refused <op>
    /// <Refusal>` or `before-ledger <why>`.
    pub fn label(&self) -> String {
        match self {
            Outcome::Admitted(op, _) => format!("admitted {op}"),
            Outcome::Refused(op, why) => format!("refused {op} {why}"),
            Outcome::Before(why) => format!("before-ledger {why}"),
        }
    }
}

/// Runs one write.
fn write(ledger: &mut MemoryLedger, f: &Fingerprint, w: &Write) -> Outcome {
    let Some((mut signed, signer)) = sign(ledger, f, w) else {
        return Outcome::Before("no signer");
    };
    if let Some(by) = w.tamper {
        let tx = signed.tx_mut();
        tx.nonce = tx.nonce.wrapping_add(u64::from(by) + 1);
        // The signature binds the signed bytes: a changed transaction
        // never recovers to its signer.
        if let Some((sender, _)) = signed.sender() {
            assert_ne!(
                sender, signer,
                "a changed transaction recovered to its signer"
            );
        }
        return Outcome::Before("changed after signing");
    }
    // What the node's parsers and admission check refuse never reaches
    // the ledger.
    if signed.tx().check().is_err() {
        return Outcome::Before("core check");
    }
    if ledger::admission::check(signed.tx()).is_err() {
        return Outcome::Before("admission check");
    }
    let Some((sender, signed_by)) = signed.sender() else {
        // Only a multisig write with no member's signature has no sender.
        assert!(
            matches!(w.sender, Sender::Multisig { .. }),
            "a key's valid signature did not recover"
        );
        return Outcome::Before("no member signature");
    };
    assert_eq!(sender, signer, "the sender is who signed");
    let sub = Submission {
        tx: signed.tx(),
        sender,
        signed_by: &signed_by,
    };
    let effects = ledger::apply(&*ledger, &rules(), &sub).expect("no storage failure");
    let op = signed.tx().op_type();
    let effects = match effects {
        Ok(effects) => effects,
        Err(refusal) => {
            let name = format!("{refusal:?}");
            let name = name.split([' ', '(', '{']).next().unwrap_or_default();
            return Outcome::Refused(op, name.to_owned());
        }
    };
    assert!(
        !w.wrong_chain && matches!(w.nonce, NonceChoice::Current),
        "admitted with a wrong chain or nonce: {w:?}"
    );
    ledger.commit(effects.changes);
    Outcome::Admitted(op, sender)
}

/// Runs a session from the fresh ledger, checking the invariants after
/// every step.
pub fn run(session: &Session) {
    run_observed(session, &mut |_| {});
}

/// [`run`], telling `observe` what became of each step.
pub fn run_observed(session: &Session, observe: &mut dyn FnMut(&Outcome)) {
    let mut ledger = fresh().clone();
    let mut before = fingerprint(&ledger);
    for step in session.steps.iter().take(MAX_STEPS) {
        let admitted = match step {
            Step::Write(w) => write(&mut ledger, &before, w),
            Step::Malformed { signer } => {
                let key = &keys()[usize::from(*signer) % keys().len()];
                let payment = Payment {
                    recipient: Address([0; 20]),
                    value: Amount::from_u64(1),
                    token: keys()[1].address(),
                };
                let tx: Transaction =
                    Transaction::new(CHAIN_ID_TESTNET, nonce_of(&before, &key.address()), payment);
                assert!(
                    tx.check().is_ok() && ledger::admission::check(&tx).is_err(),
                    "the node admits a payment to the zero address"
                );
                Outcome::Before("admission check")
            }
        };
        observe(&admitted);
        let admitted = match admitted {
            Outcome::Admitted(_, sender) => Some(sender),
            _ => None,
        };
        let after = fingerprint(&ledger);
        check_step(&before, &after, admitted);
        before = after;
    }
}

/// What became of each step of the input's session, as report lines
/// ([`Outcome::label`]).
pub fn outcomes(data: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    if let Ok(session) = Session::arbitrary_take_rest(Unstructured::new(data)) {
        run_observed(&session, &mut |o| out.push(o.label()));
    }
    out
}

/// The check of one input: a [`Session`] from the bytes (`arbitrary`).
pub fn ledger_ops(data: &[u8]) {
    if let Ok(session) = Session::arbitrary_take_rest(Unstructured::new(data)) {
        run(&session);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arbitrary_bytes::read;

    /// [`REFUSALS`] names every variant of the ledger's `Refusal` but the
    /// writer's `DuplicateTransaction`.
    #[test]
    fn refusal_list_is_complete() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../host/src/node/ledger/refusal.rs"
        );
        let source = std::fs::read_to_string(path).expect("the ledger's refusals");
        let body = source.split("pub enum Refusal {").nth(1).expect("the enum");
        let body = body.split("\n}").next().expect("its end");
        let variants: Vec<&str> = body
            .lines()
            .filter(|l| l.starts_with("    ") && !l.starts_with("     "))
            .map(str::trim)
            .filter(|l| l.starts_with(|c: char| c.is_ascii_uppercase()))
            .map(|l| l.split([' ', '(', '{', ',']).next().unwrap_or_default())
            .filter(|v| *v != "DuplicateTransaction")
            .collect();
        assert_eq!(variants, REFUSALS);
    }

    /// The committed corpus reaches every refusal of the ledger
    /// (docs/fuzzing.md, "Ledger rules reached").
    #[test]
    fn committed_corpus_reaches_every_refusal() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/ledger_ops");
        let mut reached = HashSet::new();
        for entry in std::fs::read_dir(dir).expect("the committed corpus") {
            let data = std::fs::read(entry.expect("an entry").path()).expect("an input");
            run_observed(&read(&data).expect("a session"), &mut |o| {
                if let Outcome::Refused(_, why) = o {
                    reached.insert(why.clone());
                }
            });
        }
        let unreached: Vec<&str> = REFUSALS
            .iter()
            .copied()
            .filter(|r| !reached.contains(*r))
            .collect();
        assert!(unreached.is_empty(), "unreached: {unreached:?}");
    }

    /// The seeds' writer writes what `arbitrary` reads.
    #[test]
    fn seed_bytes_read_back() {
        for (name, bytes) in crate::server_seeds::ops_sessions() {
            let read = Session::arbitrary_take_rest(Unstructured::new(&bytes)).expect(name);
            assert_eq!(read.to_bytes(), bytes, "{name}");
            assert!(!read.steps.is_empty(), "{name}");
        }
    }

    /// The seeds reach the ledger: every session has writes admitted.
    #[test]
    fn seed_sessions_are_admitted() {
        for (name, bytes) in crate::server_seeds::ops_sessions() {
            let session = Session::arbitrary_take_rest(Unstructured::new(&bytes)).expect(name);
            let mut ledger = fresh().clone();
            let mut admitted = 0;
            for step in &session.steps {
                if let Step::Write(w) = step {
                    let f = fingerprint(&ledger);
                    let outcome = write(&mut ledger, &f, w);
                    admitted += usize::from(matches!(outcome, Outcome::Admitted(..)));
                }
            }
            assert!(admitted >= 1, "{name}: {admitted} admitted");
            run(&session);
        }
    }
}

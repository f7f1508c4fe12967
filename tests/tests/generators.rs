//! The generators (`tokensign_tests::strategies`) reach what the properties
//! rely on: every generated transaction passes the core's rules, and over a
//! few hundred values each operation gets its limits: the longest texts (in
//! bytes), 0 and 2^256-1 amounts, empty and full lists, optional fields
//! absent and present, memos absent, empty and populated, and chain ids
//! and nonces at the RLP boundaries.

use std::collections::BTreeSet;

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use tokensign_core::tx::*;
use tokensign_core::{Amount, OpType, Operation, Transaction};
use tokensign_tests::strategies::{self, LIST_MAX};

/// What was seen, by name.
#[derive(Default)]
struct Seen(BTreeSet<&'static str>);

impl Seen {
    fn note(&mut self, what: &'static str, when: bool) {
        if when {
            self.0.insert(what);
        }
    }
    fn text(&mut self, what: &'static str, len: usize, max: usize, min: usize) {
        self.note(what, len == max);
        if min == 0 {
            self.note(concat_empty(what), len == 0);
        }
    }
    fn amount(&mut self, a: &Amount) {
        self.note("amount 0", a.is_zero());
        self.note("amount max", *a == Amount::MAX);
    }
}

fn concat_empty(what: &'static str) -> &'static str {
    // Leak one name per field: a handful in all.
    Box::leak(format!("{what} empty").into_boxed_str())
}

fn observe<const B: usize, const M: usize>(tx: &Transaction<B, M>, s: &mut Seen) {
    assert_eq!(tx.check(), Ok(()), "{tx:?}");
    s.note("chain_id 0", tx.chain_id == 0);
    s.note("chain_id i64::MAX", tx.chain_id == i64::MAX as u64);
    s.note("nonce 127/128", tx.nonce == 127 || tx.nonce == 128);
    match &tx.memo {
        None => s.note("memo absent", true),
        Some(m) if m.is_empty() => s.note("memo empty", true),
        Some(m) => {
            s.note("memo populated", true);
            s.text("memo type", m.kind.len(), MAX_MEMO_TYPE_LEN, 1);
            s.text("memo format", m.format.len(), MAX_MEMO_FORMAT_LEN, 1);
            s.text("memo data", m.data.len(), MAX_MEMO_DATA_LEN, 0);
        }
    }
    let full = |len: usize, cap: usize| len == cap.min(LIST_MAX);
    match &tx.operation {
        Operation::Payment(p) => s.amount(&p.value),
        Operation::TokenIssue(p) => {
            s.text("symbol", p.symbol.len(), MAX_SYMBOL_LEN, 1);
            s.note("symbol non-ASCII", !p.symbol.is_ascii());
            s.text("name", p.name.len(), MAX_NAME_LEN, 1);
            s.note("decimals 18", p.decimals == 18);
            s.note("clawback absent", p.clawback_enabled.is_none());
            s.note("clawback false", p.clawback_enabled == Some(false));
        }
        Operation::TokenMint(p) => s.amount(&p.value),
        Operation::TokenAuthority(p) => s.amount(&p.value),
        Operation::TokenBurn(p) => s.amount(&p.value),
        Operation::TokenClawback(p) => s.amount(&p.value),
        Operation::TokenMetadata(p) => {
            s.text("uri", p.uri.len(), MAX_URI_LEN, 1);
            s.note("metadata empty", p.additional_metadata.is_empty());
            s.note("metadata full", full(p.additional_metadata.len(), M));
            for e in &p.additional_metadata {
                s.text("metadata key", e.key.len(), MAX_METADATA_KEY_LEN, 1);
                s.text("metadata value", e.value.len(), MAX_METADATA_VALUE_LEN, 1);
            }
        }
        Operation::TokenBridgeAndMint(p) => {
            s.text(
                "source tx hash",
                p.source_tx_hash.len(),
                MAX_SOURCE_TX_HASH_LEN,
                1,
            );
            s.text(
                "bridge metadata",
                p.bridge_metadata.len(),
                MAX_BRIDGE_METADATA_LEN,
                0,
            );
            s.note("source chain u64::MAX", p.source_chain_id == u64::MAX);
        }
        Operation::TokenBurnAndBridge(p) => {
            s.text(
                "destination",
                p.destination_address.len(),
                MAX_DESTINATION_ADDRESS_LEN,
                1,
            );
            s.text(
                "bridge param",
                p.bridge_param.0.len(),
                MAX_BRIDGE_PARAM_LEN,
                0,
            );
            s.amount(&p.escrow_fee);
        }
        Operation::CreateMultiSig(p) => {
            s.note("signers 2", p.signers.len() == MIN_MULTISIG_SIGNERS);
            s.note("signers 20", p.signers.len() == MAX_MULTISIG_SIGNERS);
            s.note("weight 255", p.signers.iter().any(|x| x.weight == 255));
            let sum: u32 = p.signers.iter().map(|x| u32::from(x.weight)).sum();
            s.note("threshold = sum", u32::from(p.threshold) == sum);
            s.note("threshold 1", p.threshold == 1);
        }
        Operation::BatchPayment(p) => {
            s.note("batch one", p.operations.len() == 1);
            s.note("batch full", full(p.operations.len(), B));
            s.note("batch total max", p.total() == Some(Amount::MAX));
            s.note("ops hash present", p.operations_hash.is_some());
            s.note(
                "ops hash absent, id present",
                p.operations_hash.is_none() && p.batch_id.is_some(),
            );
            s.note("batch id empty", p.batch_id.as_deref() == Some(""));
            s.note(
                "batch id max",
                p.batch_id
                    .as_ref()
                    .is_some_and(|t| t.len() == MAX_BATCH_ID_LEN),
            );
        }
        Operation::TokenBlacklist(_) | Operation::TokenWhitelist(_) | Operation::TokenPause(_) => {}
    }
}

fn expected(op: OpType) -> Vec<&'static str> {
    let mut e = vec![
        "chain_id 0",
        "chain_id i64::MAX",
        "nonce 127/128",
        "memo absent",
        "memo empty",
        "memo populated",
        "memo type",
        "memo format",
        "memo data",
        "memo data empty",
    ];
    let amounts = ["amount 0", "amount max"];
    e.extend(match op {
        OpType::Payment
        | OpType::TokenMint
        | OpType::TokenAuthority
        | OpType::TokenBurn
        | OpType::TokenClawback
        | OpType::TokenBurnAndBridge => amounts.to_vec(),
        _ => vec![],
    });
    e.extend(match op {
        OpType::TokenIssue => vec![
            "symbol",
            "symbol non-ASCII",
            "name",
            "decimals 18",
            "clawback absent",
            "clawback false",
        ],
        OpType::TokenMetadata => vec![
            "uri",
            "metadata empty",
            "metadata full",
            "metadata key",
            "metadata value",
        ],
        OpType::TokenBridgeAndMint => vec![
            "source tx hash",
            "bridge metadata",
            "bridge metadata empty",
            "source chain u64::MAX",
        ],
        OpType::TokenBurnAndBridge => vec!["destination", "bridge param", "bridge param empty"],
        OpType::CreateMultiSig => vec![
            "signers 2",
            "signers 20",
            "weight 255",
            "threshold = sum",
            "threshold 1",
        ],
        OpType::BatchPayment => vec![
            "batch one",
            "batch full",
            "batch total max",
            "ops hash present",
            "ops hash absent, id present",
            "batch id empty",
            "batch id max",
        ],
        _ => vec![],
    });
    e
}

fn reach<const B: usize, const M: usize>(seed: u8) {
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &[seed; 32]),
    );
    for &op in OpType::ALL {
        let strategy = strategies::transaction_for::<B, M>(op);
        let mut seen = Seen::default();
        for _ in 0..400 {
            let tx = strategy.new_tree(&mut runner).expect("a value").current();
            assert_eq!(tx.op_type(), op);
            observe(&tx, &mut seen);
        }
        let missing: Vec<_> = expected(op)
            .into_iter()
            .filter(|e| !seen.0.contains(e))
            .collect();
        assert!(
            missing.is_empty(),
            "{op} <{B}, {M}>: never generated {missing:?}"
        );
    }
}

#[test]
fn generators_reach_the_limits_at_the_default_capacities() {
    reach::<256, 32>(1);
}

#[test]
fn generators_fill_small_capacities() {
    reach::<2, 3>(2);
}

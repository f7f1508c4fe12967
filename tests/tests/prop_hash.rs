//! Every signed value is bound by the signing hash: any change of any single
//! value changes the v2 signing hash (single signer and multisig) and, for
//! the legacy operations, the v1 signing hash:
//!
//! - every field of every operation, every field of every list element,
//!   each list's length and order, chain id, nonce, each memo field and the
//!   memo's presence (`tokensign_tests::changes`);
//! - the operation type between the look-alike pairs, whose payloads are
//!   the same bytes: Payment/TokenMint, TokenBlacklist/TokenWhitelist,
//!   TokenPause/TokenBurn (v1 signs them identically: the spec's 8.1);
//! - the descriptor: single, and multisig for different accounts.
//!
//! And the values v2 reads the same (absent memo = empty memo, absent
//! `clawback_enabled` = true) sign the same in v2 and differently in v1.
//!
//! Transactions at small capacities (`Transaction<8, 6>`; the generators'
//! lists hold at most 6 entries, so "one more" still fits): each case
//! copies its transaction a few dozen times, and the hashing code is the
//! same for every capacity.

use proptest::prelude::*;
use tokensign_core::native::{self, Descriptor};
use tokensign_core::rlp::decode_exact;
use tokensign_core::tx::{
    ListAction, Memo, PauseAction, Payment, TokenBlacklist, TokenBurn, TokenMint, TokenPause,
    TokenWhitelist,
};
use tokensign_core::{legacy, Address, Amount, OpType, Operation, Transaction};
use tokensign_tests::changes::changes;
use tokensign_tests::strategies::{self, address, transaction_for};
use tokensign_tests::{config, rlp};

type Tx = Transaction<8, 6>;

fn v2_hashes(tx: &Tx, accounts: &[Address]) -> Vec<[u8; 32]> {
    let mut out = vec![native::signing_hash(tx, Descriptor::Single)];
    out.extend(
        accounts
            .iter()
            .map(|a| native::signing_hash(tx, Descriptor::Multisig(*a))),
    );
    out
}

fn every_change_changes_the_hashes(
    tx: &Tx,
    other: &Tx,
    account: Address,
) -> Result<(), TestCaseError> {
    let op = tx.op_type();
    let base = native::normalize(tx.clone());
    let base_v2 = v2_hashes(tx, &[account]);
    let base_v1 = legacy::signing_hash(tx).ok();
    let all = changes(tx, other);
    prop_assert!(all.len() >= 4, "{} changes of a {op}", all.len());
    for (what, changed) in &all {
        prop_assert_eq!(changed.op_type(), op);
        // The change is a change of what v2 signs (the generator's promise).
        prop_assert_ne!(
            &native::normalize(changed.clone()),
            &base,
            "{}: no change",
            what
        );
        prop_assert_ne!(
            &rlp(&native::payload_rlp(changed)),
            &rlp(&native::payload_rlp(tx)),
            "{}",
            what
        );
        let v2 = v2_hashes(changed, &[account]);
        for (i, (a, b)) in v2.iter().zip(&base_v2).enumerate() {
            prop_assert_ne!(a, b, "{} leaves v2 signing hash {} unchanged", what, i);
        }
        if let Some(h) = base_v1 {
            prop_assert_ne!(
                legacy::signing_hash(changed).unwrap(),
                h,
                "{} leaves the v1 hash unchanged",
                what
            );
        }
    }
    Ok(())
}

/// The same transaction with `operation` instead.
fn with(tx: &Tx, operation: impl Into<Operation<8, 6>>) -> Tx {
    Transaction {
        operation: operation.into(),
        ..tx.clone()
    }
}

/// The twin of a look-alike operation: the other type with the same
/// payload bytes (TokenBurn's `value` is the integer whose bytes spell
/// TokenPause's action word).
fn twin(tx: &Tx) -> Option<Tx> {
    Some(match &tx.operation {
        Operation::Payment(p) => with(
            tx,
            TokenMint {
                recipient: p.recipient,
                value: p.value,
                token: p.token,
            },
        ),
        Operation::TokenMint(p) => with(
            tx,
            Payment {
                recipient: p.recipient,
                value: p.value,
                token: p.token,
            },
        ),
        Operation::TokenBlacklist(p) => with(
            tx,
            TokenWhitelist {
                action: p.action,
                address: p.address,
                token: p.token,
            },
        ),
        Operation::TokenWhitelist(p) => with(
            tx,
            TokenBlacklist {
                action: p.action,
                address: p.address,
                token: p.token,
            },
        ),
        Operation::TokenPause(p) => {
            let word = p.action.as_str().as_bytes();
            let mut be = [0u8; 32];
            be[32 - word.len()..].copy_from_slice(word);
            with(
                tx,
                TokenBurn {
                    value: Amount::from_be_bytes(be),
                    token: p.token,
                },
            )
        }
        _ => return None,
    })
}

macro_rules! per_op {
    ($($m:ident => $op:ident,)+) => {$(
        mod $m {
            use super::*;

            proptest! {
                #![proptest_config(config("prop_hash", 256))]

                #[test]
                fn every_value_is_signed(
                    tx in transaction_for::<8, 6>(OpType::$op),
                    other in transaction_for::<8, 6>(OpType::$op),
                    account in address(),
                ) {
                    every_change_changes_the_hashes(&tx, &other, account)?;
                }
            }
        }
    )+};
}

per_op! {
    payment => Payment,
    token_issue => TokenIssue,
    token_mint => TokenMint,
    token_authority => TokenAuthority,
    token_blacklist => TokenBlacklist,
    token_whitelist => TokenWhitelist,
    token_pause => TokenPause,
    token_burn => TokenBurn,
    token_clawback => TokenClawback,
    token_metadata => TokenMetadata,
    token_bridge_and_mint => TokenBridgeAndMint,
    token_burn_and_bridge => TokenBurnAndBridge,
    create_multisig => CreateMultiSig,
    batch_payment => BatchPayment,
}

fn look_alike() -> impl Strategy<Value = Tx> {
    prop_oneof![
        transaction_for::<8, 6>(OpType::Payment),
        transaction_for::<8, 6>(OpType::TokenMint),
        transaction_for::<8, 6>(OpType::TokenBlacklist),
        transaction_for::<8, 6>(OpType::TokenWhitelist),
        transaction_for::<8, 6>(OpType::TokenPause),
    ]
}

proptest! {
    #![proptest_config(config("prop_hash", 512))]

    /// Look-alike pairs: the same payload bytes (so the same v1 signing
    /// hash: v1 does not bind the operation), different v2 signing hashes
    /// under every descriptor, and the v2 envelope decodes to the type that
    /// was signed.
    #[test]
    fn the_operation_type_is_signed_in_v2(
        tx in look_alike(),
        sig in strategies::signature(),
        auth in strategies::authorization(),
        account in address(),
    ) {
        let twin = twin(&tx).expect("a look-alike");
        prop_assert_ne!(twin.op_type(), tx.op_type());
        prop_assert_eq!(rlp(&tx.payload()), rlp(&twin.payload()));
        prop_assert_eq!(rlp(&native::payload_rlp(&tx)), rlp(&native::payload_rlp(&twin)));
        prop_assert_eq!(legacy::signing_hash(&tx), legacy::signing_hash(&twin));
        prop_assert_eq!(legacy::tx_hash(&tx, &sig), legacy::tx_hash(&twin, &sig));
        for d in [Descriptor::Single, Descriptor::Multisig(account)] {
            prop_assert_ne!(native::signing_hash(&tx, d), native::signing_hash(&twin, d));
        }
        prop_assert_ne!(native::tx_hash(&tx, &auth), native::tx_hash(&twin, &auth));
        let unsigned = rlp(&native::unsigned(&tx, auth.descriptor()));
        let (back, _) = native::decode_unsigned::<8, 6>(&unsigned).unwrap();
        prop_assert_eq!(back.op_type(), tx.op_type());
        // v1 bytes read back as either type: the ambiguity v2 removes.
        let v1 = rlp(&legacy::signed_value(&tx).unwrap());
        prop_assert_eq!(legacy::decode_signed_value::<8, 6>(twin.op_type(), &v1), Ok(twin.clone()));
    }

    /// The descriptor is signed: single and two different multisig
    /// accounts give three signing hashes, and so do the transaction
    /// hashes.
    #[test]
    fn the_descriptor_is_signed(
        tx in strategies::transaction::<8, 6>(),
        a in address(),
        b in address(),
    ) {
        prop_assume!(a != b);
        let hashes = v2_hashes(&tx, &[a, b]);
        prop_assert_ne!(hashes[0], hashes[1]);
        prop_assert_ne!(hashes[0], hashes[2]);
        prop_assert_ne!(hashes[1], hashes[2]);
    }

    /// What v2 reads the same signs the same in v2, and differently in v1:
    /// an absent memo and the empty memo; an absent `clawback_enabled` and
    /// `true`.
    #[test]
    fn v2_defaults_sign_as_their_values(tx in strategies::transaction::<8, 6>(), account in address()) {
        let mut absent = tx.clone();
        absent.memo = None;
        let mut empty = tx.clone();
        empty.memo = Some(Memo::default());
        prop_assert_eq!(v2_hashes(&absent, &[account]), v2_hashes(&empty, &[account]));
        if legacy::supports(tx.op_type()) {
            prop_assert_ne!(legacy::signing_hash(&absent), legacy::signing_hash(&empty));
        }
        if tx.op_type() == OpType::TokenIssue {
            let (mut seven, mut eight) = (tx.clone(), tx.clone());
            if let (Operation::TokenIssue(s), Operation::TokenIssue(e)) = (&mut seven.operation, &mut eight.operation) {
                s.clawback_enabled = None;
                e.clawback_enabled = Some(true);
            }
            prop_assert_eq!(v2_hashes(&seven, &[account]), v2_hashes(&eight, &[account]));
            prop_assert_ne!(legacy::signing_hash(&seven), legacy::signing_hash(&eight));
        }
    }
}

/// The three pairs, from fixed values, as the spec's 8.1 states them; and
/// the TokenPause/TokenBurn bytes are exactly the action word as an integer.
#[test]
fn look_alike_pairs_from_the_spec() {
    let token = Address([0x01; 20]);
    let tx = Transaction::new(
        1_212_101,
        7,
        TokenPause {
            action: PauseAction::Pause,
            token,
        },
    );
    let twin = twin(&tx).unwrap();
    let Operation::TokenBurn(burn) = &twin.operation else {
        panic!()
    };
    assert_eq!(burn.value, Amount::from_u64(0x50_61_75_73_65)); // "Pause"
    assert_eq!(rlp(&tx.payload()), rlp(&twin.payload()));
    let item = rlp(&tx.payload());
    assert!(decode_exact(&item).is_ok());
    let list: Tx = Transaction::new(
        1,
        1,
        TokenBlacklist {
            action: ListAction::Add,
            address: token,
            token,
        },
    );
    assert_eq!(
        legacy::signing_hash(&list),
        legacy::signing_hash(&twin_of(&list))
    );
    assert_ne!(
        native::signing_hash(&list, Descriptor::Single),
        native::signing_hash(&twin_of(&list), Descriptor::Single)
    );
}

fn twin_of(tx: &Tx) -> Tx {
    twin(tx).expect("a look-alike")
}

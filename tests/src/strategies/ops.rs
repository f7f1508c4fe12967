//! Every operation, the memo, the transaction and the v2 authorization,
//! valid and biased to the limits. Lists hold up to their capacity or
//! [`LIST_MAX`] entries, whichever is smaller, with the largest of those
//! lengths often: a small capacity (`Transaction<2, 3>`) gets full lists.

use heapless::Vec as HVec;
use proptest::prelude::*;
use proptest::sample::select;
use tokensign_core::field::{Bytes, KeyAsIntegers, B256};
use tokensign_core::native::{Authorization, MemberSignature};
use tokensign_core::text::{Text, TextRule};
use tokensign_core::tx::{
    AuthorityAction, AuthorityType, BatchEntry, BatchPayment, CreateMultiSig, ListAction, Memo,
    MetadataEntry, MultisigSigner, PauseAction, Payment, TokenAuthority, TokenBlacklist,
    TokenBridgeAndMint, TokenBurn, TokenBurnAndBridge, TokenClawback, TokenIssue, TokenMetadata,
    TokenMint, TokenPause, TokenWhitelist, MAX_BATCH_ID_LEN, MAX_BRIDGE_METADATA_LEN,
    MAX_BRIDGE_PARAM_LEN, MAX_DESTINATION_ADDRESS_LEN, MAX_MEMO_DATA_LEN, MAX_MEMO_FORMAT_LEN,
    MAX_MEMO_TYPE_LEN, MAX_METADATA_KEY_LEN, MAX_METADATA_VALUE_LEN, MAX_MULTISIG_SIGNERS,
    MAX_SOURCE_TX_HASH_LEN,
};
use tokensign_core::{Amount, OpType, Operation, Transaction};

use super::text::{free_text, identifier, memo_token, name, shown, symbol, uri};
use super::{
    address, amount, any_u64, int, nonzero_address, nonzero_amount, pool, pool_keys, signature,
};

/// Longest list a generator makes (when the capacity allows): long enough
/// for the list paths, short enough to keep cases fast.
pub const LIST_MAX: usize = 6;

/// A text the core accepts; a generator bug fails loudly.
fn text<const N: usize, R: TextRule>(s: &str) -> Text<N, R> {
    Text::new(s).unwrap_or_else(|p| panic!("generated text {s:?} refused: {p}"))
}

/// A list length in `min..=min(cap, LIST_MAX)`, the largest often.
fn list_len(min: usize, cap: usize) -> BoxedStrategy<usize> {
    let hi = cap.min(LIST_MAX).max(min);
    prop_oneof![3 => min..=hi, 1 => Just(hi), 1 => Just(min)].boxed()
}

/// A std vector as a heapless one (the generators stay within capacity).
fn hvec<T: Clone, const N: usize>(v: &[T]) -> HVec<T, N> {
    HVec::from_slice(v).unwrap_or_else(|()| panic!("{} elements over capacity {N}", v.len()))
}

/// The operation types with a legacy v1 endpoint (all but CreateMultiSig
/// and BatchPayment).
pub fn legacy_ops() -> Vec<OpType> {
    OpType::ALL
        .iter()
        .copied()
        .filter(|op| op.v1_path().is_some())
        .collect()
}

/// A memo: absent, empty, populated, or at its limits.
pub fn memo() -> BoxedStrategy<Option<Memo>> {
    let populated = (
        memo_token(MAX_MEMO_TYPE_LEN),
        memo_token(MAX_MEMO_FORMAT_LEN),
        free_text(MAX_MEMO_DATA_LEN),
    )
        .prop_map(|(t, f, d)| {
            Some(Memo::new(&t, &f, &d).unwrap_or_else(|e| panic!("generated memo refused: {e}")))
        });
    prop_oneof![
        2 => Just(None),
        1 => Just(Some(Memo::default())),
        3 => populated,
    ]
    .boxed()
}

fn payment() -> BoxedStrategy<Payment> {
    (address(), amount(), address())
        .prop_map(|(recipient, value, token)| Payment {
            recipient,
            value,
            token,
        })
        .boxed()
}

fn issue() -> BoxedStrategy<TokenIssue> {
    (
        symbol(),
        name(),
        prop_oneof![0u8..=18, Just(0u8), Just(18u8)],
        address(),
        any::<bool>(),
        proptest::option::of(any::<bool>()),
    )
        .prop_map(
            |(symbol, name, decimals, master_authority, is_private, clawback_enabled)| TokenIssue {
                symbol: text(&symbol),
                name: text(&name),
                decimals,
                master_authority,
                is_private,
                clawback_enabled,
            },
        )
        .boxed()
}

fn mint() -> BoxedStrategy<TokenMint> {
    (address(), amount(), address())
        .prop_map(|(recipient, value, token)| TokenMint {
            recipient,
            value,
            token,
        })
        .boxed()
}

fn authority() -> BoxedStrategy<TokenAuthority> {
    (
        select(AuthorityAction::ALL),
        select(AuthorityType::ALL),
        address(),
        address(),
        amount(),
    )
        .prop_map(
            |(action, authority_type, authority_address, token, value)| TokenAuthority {
                action,
                authority_type,
                authority_address,
                token,
                value,
            },
        )
        .boxed()
}

fn blacklist() -> BoxedStrategy<TokenBlacklist> {
    (select(ListAction::ALL), address(), address())
        .prop_map(|(action, address, token)| TokenBlacklist {
            action,
            address,
            token,
        })
        .boxed()
}

fn whitelist() -> BoxedStrategy<TokenWhitelist> {
    (select(ListAction::ALL), address(), address())
        .prop_map(|(action, address, token)| TokenWhitelist {
            action,
            address,
            token,
        })
        .boxed()
}

fn pause() -> BoxedStrategy<TokenPause> {
    (select(PauseAction::ALL), address())
        .prop_map(|(action, token)| TokenPause { action, token })
        .boxed()
}

fn burn() -> BoxedStrategy<TokenBurn> {
    (amount(), address())
        .prop_map(|(value, token)| TokenBurn { value, token })
        .boxed()
}

fn clawback() -> BoxedStrategy<TokenClawback> {
    (address(), address(), address(), amount())
        .prop_map(|(token, from, recipient, value)| TokenClawback {
            token,
            from,
            recipient,
            value,
        })
        .boxed()
}

fn metadata<const M: usize>() -> BoxedStrategy<TokenMetadata<M>> {
    let entry = (shown(MAX_METADATA_KEY_LEN), shown(MAX_METADATA_VALUE_LEN)).prop_map(|(k, v)| {
        MetadataEntry {
            key: text(&k),
            value: text(&v),
        }
    });
    let entries =
        list_len(0, M).prop_flat_map(move |n| proptest::collection::vec(entry.clone(), n));
    (name(), uri(), address(), entries)
        .prop_map(|(name, uri, token, entries)| TokenMetadata {
            name: text(&name),
            uri: text(&uri),
            token,
            additional_metadata: hvec(&entries),
        })
        .boxed()
}

fn nonzero_u64() -> impl Strategy<Value = u64> + Clone {
    any_u64().prop_map(|v| v.max(1))
}

fn bridge_and_mint() -> BoxedStrategy<TokenBridgeAndMint> {
    (
        address(),
        amount(),
        address(),
        nonzero_u64(),
        identifier(MAX_SOURCE_TX_HASH_LEN),
        free_text(MAX_BRIDGE_METADATA_LEN),
    )
        .prop_map(
            |(recipient, value, token, source_chain_id, hash, meta)| TokenBridgeAndMint {
                recipient,
                value,
                token,
                source_chain_id,
                source_tx_hash: text(&hash),
                bridge_metadata: text(&meta),
            },
        )
        .boxed()
}

fn bridge_param() -> BoxedStrategy<Vec<u8>> {
    prop_oneof![
        1 => Just(Vec::new()),
        1 => proptest::collection::vec(any::<u8>(), MAX_BRIDGE_PARAM_LEN),
        1 => proptest::collection::vec(any::<u8>(), 1..=2),
        3 => proptest::collection::vec(any::<u8>(), 0..=MAX_BRIDGE_PARAM_LEN),
    ]
    .boxed()
}

fn burn_and_bridge() -> BoxedStrategy<TokenBurnAndBridge> {
    (
        (address(), amount(), address(), nonzero_u64()),
        (
            identifier(MAX_DESTINATION_ADDRESS_LEN),
            amount(),
            free_text(MAX_BRIDGE_METADATA_LEN),
            bridge_param(),
        ),
    )
        .prop_map(
            |((sender, value, token, destination_chain_id), (dest, fee, meta, param))| {
                TokenBurnAndBridge {
                    sender,
                    value,
                    token,
                    destination_chain_id,
                    destination_address: text(&dest),
                    escrow_fee: fee,
                    bridge_metadata: text(&meta),
                    bridge_param: Bytes::new(&param).expect("within MAX_BRIDGE_PARAM_LEN"),
                }
            },
        )
        .boxed()
}

/// A valid CreateMultiSig: 2..=20 distinct curve points of [`pool`] in
/// random order (often 2..=5, sometimes all 20), weights 1..=255, and a
/// threshold of 1, the sum, or between.
pub fn create_multisig() -> BoxedStrategy<CreateMultiSig> {
    let weight = prop_oneof![1 => Just(1u8), 1 => Just(255u8), 3 => 1u8..=255];
    (
        prop_oneof![4 => pool_keys(2, 5), 1 => pool_keys(MAX_MULTISIG_SIGNERS, MAX_MULTISIG_SIGNERS)],
        proptest::collection::vec(weight, MAX_MULTISIG_SIGNERS),
        0u8..3,
        any::<u16>(),
    )
        .prop_map(|(keys, weights, pick, r)| {
            let signers: Vec<MultisigSigner> = keys
                .iter()
                .zip(&weights)
                .map(|(k, w)| MultisigSigner { public_key: KeyAsIntegers(k.public), weight: *w })
                .collect();
            let sum: u32 = signers.iter().map(|s| u32::from(s.weight)).sum();
            let threshold = match pick {
                0 => 1,
                1 => sum,
                _ => 1 + u32::from(r) % sum,
            };
            CreateMultiSig {
                signers: hvec(&signers),
                threshold: u16::try_from(threshold).expect("at most 20 * 255"),
            }
        })
        .boxed()
}

/// Shortens `entries` to its longest prefix whose total fits in U256 (the
/// first entry always does).
fn without_overflow(entries: &mut Vec<BatchEntry>) {
    let mut total = Amount::ZERO;
    let keep = entries
        .iter()
        .take_while(|e| match total.checked_add(&e.amount) {
            Some(t) => {
                total = t;
                true
            }
            None => false,
        })
        .count();
    entries.truncate(keep);
}

fn batch<const B: usize>() -> BoxedStrategy<BatchPayment<B>> {
    let entry = (nonzero_address(), nonzero_amount())
        .prop_map(|(recipient, amount)| BatchEntry { recipient, amount });
    let entries =
        list_len(1, B).prop_flat_map(move |n| proptest::collection::vec(entry.clone(), n));
    let batch_id = prop_oneof![
        2 => Just(None),
        1 => Just(Some(String::new())),
        2 => free_text(MAX_BATCH_ID_LEN).prop_map(Some),
    ];
    (
        address(),
        entries,
        any_u64(),
        any::<bool>(),
        batch_id,
        any::<bool>(),
    )
        .prop_map(
            |(token, mut entries, created_at, with_hash, batch_id, fill_to_max)| {
                without_overflow(&mut entries);
                if fill_to_max && entries.len() >= 2 {
                    // The last amount takes the total to exactly 2^256-1.
                    let rest = entries[..entries.len() - 1]
                        .iter()
                        .try_fold(Amount::ZERO, |t, e| t.checked_add(&e.amount))
                        .expect("a prefix of a non-overflowing list");
                    if let Some(last) = Amount::MAX.checked_sub(&rest).filter(|a| !a.is_zero()) {
                        entries.last_mut().expect("two entries").amount = last;
                    }
                }
                let mut batch = BatchPayment {
                    token,
                    operations: hvec(&entries),
                    created_at,
                    operations_hash: None,
                    batch_id: batch_id.map(|id| text(&id)),
                };
                if with_hash {
                    batch.operations_hash = Some(batch.compute_operations_hash());
                }
                batch
            },
        )
        .boxed()
}

/// A valid operation of type `op`, for capacities `B`, `M`.
pub fn operation<const B: usize, const M: usize>(op: OpType) -> BoxedStrategy<Operation<B, M>> {
    match op {
        OpType::Payment => payment().prop_map(Operation::from).boxed(),
        OpType::TokenIssue => issue().prop_map(Operation::from).boxed(),
        OpType::TokenMint => mint().prop_map(Operation::from).boxed(),
        OpType::TokenAuthority => authority().prop_map(Operation::from).boxed(),
        OpType::TokenBlacklist => blacklist().prop_map(Operation::from).boxed(),
        OpType::TokenWhitelist => whitelist().prop_map(Operation::from).boxed(),
        OpType::TokenPause => pause().prop_map(Operation::from).boxed(),
        OpType::TokenBurn => burn().prop_map(Operation::from).boxed(),
        OpType::TokenClawback => clawback().prop_map(Operation::from).boxed(),
        OpType::TokenMetadata => metadata::<M>().prop_map(Operation::from).boxed(),
        OpType::TokenBridgeAndMint => bridge_and_mint().prop_map(Operation::from).boxed(),
        OpType::TokenBurnAndBridge => burn_and_bridge().prop_map(Operation::from).boxed(),
        OpType::CreateMultiSig => create_multisig().prop_map(Operation::from).boxed(),
        OpType::BatchPayment => batch::<B>().prop_map(Operation::from).boxed(),
    }
}

/// A valid transaction of type `op`: chain id and nonce at the RLP
/// boundaries, any memo.
pub fn transaction_for<const B: usize, const M: usize>(
    op: OpType,
) -> BoxedStrategy<Transaction<B, M>> {
    (int(), int(), operation::<B, M>(op), memo())
        .prop_map(|(chain_id, nonce, operation, memo)| Transaction {
            chain_id,
            nonce,
            operation,
            memo,
        })
        .boxed()
}

/// A valid transaction of any of the fourteen types.
pub fn transaction<const B: usize, const M: usize>() -> BoxedStrategy<Transaction<B, M>> {
    select(OpType::ALL)
        .prop_flat_map(transaction_for::<B, M>)
        .boxed()
}

/// A valid transaction of one of the twelve types with a legacy endpoint.
pub fn legacy_transaction<const B: usize, const M: usize>() -> BoxedStrategy<Transaction<B, M>> {
    select(legacy_ops())
        .prop_flat_map(transaction_for::<B, M>)
        .boxed()
}

/// A 33-byte key: a pool key (a curve point) or any bytes.
fn pubkey() -> impl Strategy<Value = [u8; 33]> + Clone {
    prop_oneof![
        2 => (0..super::POOL_SIZE).prop_map(|i| pool()[i].public),
        1 => (any::<u8>(), any::<[u8; 32]>()).prop_map(|(head, rest)| {
            let mut k = [0u8; 33];
            k[0] = head;
            k[1..].copy_from_slice(&rest);
            k
        }),
    ]
}

/// Any v2 authorization value (not necessarily valid): single, or multisig
/// with 0..=20 members in any order. For the codecs, which must carry any
/// value; validity is `Authorization::check_form`'s and `NativeTx::sender`'s.
pub fn authorization() -> BoxedStrategy<Authorization> {
    let member = (pubkey(), signature()).prop_map(|(signer_pubkey, signature)| MemberSignature {
        signer_pubkey,
        signature,
    });
    let members = prop_oneof![
        4 => proptest::collection::vec(member.clone(), 0..=3),
        1 => proptest::collection::vec(member, MAX_MULTISIG_SIGNERS),
    ];
    prop_oneof![
        1 => signature().prop_map(Authorization::Single),
        1 => (address(), members).prop_map(|(account, m)| Authorization::Multisig {
            account,
            signatures: hvec(&m),
        }),
    ]
    .boxed()
}

/// A 32-byte hash value.
pub fn b256() -> impl Strategy<Value = B256> + Clone {
    any::<[u8; 32]>().prop_map(B256)
}

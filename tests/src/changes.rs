//! Every one-field change of a transaction: for the properties "any change
//! of any signed value changes the signing hash".
//!
//! [`changes`] takes a transaction and a second one of the same type and
//! returns one copy per signed value (chain id, nonce, each operation
//! field, each field of each list element, each list's length and order,
//! each memo field), in which that value alone differs: it takes the second
//! transaction's value where that differs, else a small change of its own
//! (a flipped bit, the next enum word, one character more or less).
//!
//! Every change is a change in both schemes: an absent memo becomes a
//! non-empty one (v2 signs an absent memo as the empty one), and an absent
//! `clawback_enabled` becomes `false` (v2 signs absent as `true`). The few
//! changes only legacy sees are tested on their own.

use tokensign_core::field::{Bytes, KeyAsIntegers, B256};
use tokensign_core::text::{Text, TextRule};
use tokensign_core::tx::{AuthorityAction, AuthorityType, ListAction, Memo, PauseAction};
use tokensign_core::{Address, Amount, Operation, Transaction};

/// A different value of the same kind.
pub trait Tweak: Clone + PartialEq {
    /// `other` when it differs from `self`, else a small change of `self`.
    fn tweak(&self, other: &Self) -> Self {
        if other != self {
            other.clone()
        } else {
            self.nudge()
        }
    }

    /// A value that differs from `self`.
    fn nudge(&self) -> Self;
}

impl Tweak for u64 {
    fn nudge(&self) -> Self {
        self ^ 1
    }
}

impl Tweak for u16 {
    fn nudge(&self) -> Self {
        self ^ 1
    }
}

impl Tweak for u8 {
    fn nudge(&self) -> Self {
        self ^ 1
    }
}

impl Tweak for bool {
    fn nudge(&self) -> Self {
        !self
    }
}

impl Tweak for Address {
    fn nudge(&self) -> Self {
        let mut a = *self;
        a.0[19] ^= 1;
        a
    }
}

impl Tweak for Amount {
    fn nudge(&self) -> Self {
        let mut b = self.to_be_bytes();
        b[31] ^= 1;
        Amount::from_be_bytes(b)
    }
}

impl Tweak for B256 {
    fn nudge(&self) -> Self {
        let mut h = *self;
        h.0[0] ^= 0x80;
        h
    }
}

impl Tweak for KeyAsIntegers {
    fn nudge(&self) -> Self {
        // Another curve point of the pool (a different member), or any
        // other key bytes.
        let other = crate::strategies::pool()
            .iter()
            .map(|k| KeyAsIntegers(k.public))
            .find(|k| k != self)
            .expect("the pool holds more than one key");
        other
    }
}

impl<const N: usize> Tweak for Bytes<N> {
    fn nudge(&self) -> Self {
        let mut v = self.0.clone();
        if v.push(0x5a).is_err() {
            v[0] ^= 1;
        }
        Bytes(v)
    }
}

impl<const N: usize, R: TextRule> Tweak for Text<N, R> {
    /// One character more, one less, or the last one replaced: the first of
    /// those the rule accepts.
    fn nudge(&self) -> Self {
        let s = self.as_str();
        let mut candidates = Vec::new();
        for c in ['x', 'y', '1'] {
            candidates.push(format!("{s}{c}"));
        }
        if let Some((i, last)) = s.char_indices().last() {
            candidates.push(s[..i].to_owned());
            for c in ['x', 'y', '1'] {
                if c != last {
                    candidates.push(format!("{}{c}", &s[..i]));
                }
            }
        }
        candidates
            .iter()
            .filter(|c| c.as_str() != s)
            .find_map(|c| Text::new(c).ok())
            .unwrap_or_else(|| panic!("no valid change of the text {s:?}"))
    }
}

macro_rules! word_tweak {
    ($($t:ty),*) => {$(
        impl Tweak for $t {
            fn nudge(&self) -> Self {
                let all = <$t>::ALL;
                let i = all.iter().position(|v| v == self).expect("a listed value");
                all[(i + 1) % all.len()]
            }
        }
    )*};
}

word_tweak!(AuthorityAction, AuthorityType, ListAction, PauseAction);

/// One changed copy: what changed, and the transaction.
pub type Change<const B: usize, const M: usize> = (String, Transaction<B, M>);

/// Changes of each named field of a record `$a`, taking values from `$b`;
/// `$wrap` turns the changed record into a transaction. Each change is
/// built in its own closure call, so that unoptimised builds do not keep
/// every large temporary (a transaction at the host's capacities is about
/// 15 KB) in one stack frame.
macro_rules! each_field {
    ($out:ident, $a:expr, $b:expr, $wrap:expr, $($f:ident),+) => {
        $(
            // A closure called at once on purpose: its frame is its own.
            #[allow(clippy::redundant_closure_call)]
            let () = (|| {
                let mut x = $a.clone();
                x.$f = Tweak::tweak(&$a.$f, &$b.$f);
                $out.push((stringify!($f).to_owned(), $wrap(x)));
            })();
        )+
    };
}

/// Changes of a list: each element's fields (via `element`), one element
/// more (when the capacity allows), one less, and two elements swapped.
fn list_changes<T: Clone + PartialEq, const N: usize>(
    name: &str,
    list: &heapless::Vec<T, N>,
    other: &heapless::Vec<T, N>,
    element: impl Fn(&T, &T) -> Vec<(String, T)>,
    extra: impl Fn() -> T,
    out: &mut Vec<(String, heapless::Vec<T, N>)>,
) {
    for (i, e) in list.iter().enumerate() {
        let o = other.get(i).unwrap_or(e);
        for (what, changed) in element(e, o) {
            let mut l = list.clone();
            l[i] = changed;
            out.push((format!("{name}[{i}].{what}"), l));
        }
    }
    let mut longer = list.clone();
    let added = other.iter().next().cloned().unwrap_or_else(&extra);
    if longer.push(added).is_ok() {
        out.push((format!("{name}: one more"), longer));
    }
    if !list.is_empty() {
        let mut shorter = list.clone();
        shorter.pop();
        out.push((format!("{name}: one less"), shorter));
    }
    if let Some(j) = (1..list.len()).find(|&j| list[j] != list[0]) {
        let mut swapped = list.clone();
        swapped.swap(0, j);
        out.push((format!("{name}: [0] and [{j}] swapped"), swapped));
    }
}

/// Every one-field change of `tx`, taking values from `other` (of the same
/// operation type) where they differ. Panics if the types differ.
pub fn changes<const B: usize, const M: usize>(
    tx: &Transaction<B, M>,
    other: &Transaction<B, M>,
) -> Vec<Change<B, M>> {
    let mut out: Vec<Change<B, M>> = Vec::new();
    let with_op = |op: Operation<B, M>| Transaction {
        operation: op,
        ..tx.clone()
    };

    let mut t = tx.clone();
    t.chain_id = tx.chain_id.tweak(&other.chain_id);
    out.push(("chain_id".into(), t));
    let mut t = tx.clone();
    t.nonce = tx.nonce.tweak(&other.nonce);
    out.push(("nonce".into(), t));

    memo_changes(tx, other, &mut out);

    match (&tx.operation, &other.operation) {
        (Operation::Payment(a), Operation::Payment(b)) => {
            let w = |x| with_op(Operation::Payment(x));
            each_field!(out, a, b, w, recipient, value, token);
        }
        (Operation::TokenIssue(a), Operation::TokenIssue(b)) => {
            let w = |x| with_op(Operation::TokenIssue(x));
            each_field!(
                out,
                a,
                b,
                w,
                symbol,
                name,
                decimals,
                master_authority,
                is_private
            );
            // As both schemes read it: absent is true in v2; in legacy,
            // absent and true differ too, but v2 would not see it.
            let signed = a.clawback_enabled.unwrap_or(true);
            let mut x = a.clone();
            x.clawback_enabled = match b.clawback_enabled {
                Some(c) if c != signed => Some(c),
                _ => Some(!signed),
            };
            out.push(("clawback_enabled".into(), w(x)));
        }
        (Operation::TokenMint(a), Operation::TokenMint(b)) => {
            let w = |x| with_op(Operation::TokenMint(x));
            each_field!(out, a, b, w, recipient, value, token);
        }
        (Operation::TokenAuthority(a), Operation::TokenAuthority(b)) => {
            let w = |x| with_op(Operation::TokenAuthority(x));
            each_field!(
                out,
                a,
                b,
                w,
                action,
                authority_type,
                authority_address,
                token,
                value
            );
        }
        (Operation::TokenBlacklist(a), Operation::TokenBlacklist(b)) => {
            let w = |x| with_op(Operation::TokenBlacklist(x));
            each_field!(out, a, b, w, action, address, token);
        }
        (Operation::TokenWhitelist(a), Operation::TokenWhitelist(b)) => {
            let w = |x| with_op(Operation::TokenWhitelist(x));
            each_field!(out, a, b, w, action, address, token);
        }
        (Operation::TokenPause(a), Operation::TokenPause(b)) => {
            let w = |x| with_op(Operation::TokenPause(x));
            each_field!(out, a, b, w, action, token);
        }
        (Operation::TokenBurn(a), Operation::TokenBurn(b)) => {
            let w = |x| with_op(Operation::TokenBurn(x));
            each_field!(out, a, b, w, value, token);
        }
        (Operation::TokenClawback(a), Operation::TokenClawback(b)) => {
            let w = |x| with_op(Operation::TokenClawback(x));
            each_field!(out, a, b, w, token, from, recipient, value);
        }
        (Operation::TokenMetadata(a), Operation::TokenMetadata(b)) => {
            let w = |x| with_op(Operation::TokenMetadata(x));
            each_field!(out, a, b, w, name, uri, token);
            let mut lists = Vec::new();
            list_changes(
                "additional_metadata",
                &a.additional_metadata,
                &b.additional_metadata,
                |e, o| {
                    let mut v = Vec::new();
                    let w = |x| x;
                    each_field!(v, e, o, w, key, value);
                    v
                },
                || tokensign_core::tx::MetadataEntry {
                    key: Text::new("k").expect("valid"),
                    value: Text::new("v").expect("valid"),
                },
                &mut lists,
            );
            for (what, l) in lists {
                let mut x = a.clone();
                x.additional_metadata = l;
                out.push((what, w(x)));
            }
        }
        (Operation::TokenBridgeAndMint(a), Operation::TokenBridgeAndMint(b)) => {
            let w = |x| with_op(Operation::TokenBridgeAndMint(x));
            each_field!(
                out,
                a,
                b,
                w,
                recipient,
                value,
                token,
                source_chain_id,
                source_tx_hash,
                bridge_metadata
            );
        }
        (Operation::TokenBurnAndBridge(a), Operation::TokenBurnAndBridge(b)) => {
            let w = |x| with_op(Operation::TokenBurnAndBridge(x));
            each_field!(
                out,
                a,
                b,
                w,
                sender,
                value,
                token,
                destination_chain_id,
                destination_address,
                escrow_fee,
                bridge_metadata,
                bridge_param
            );
        }
        (Operation::CreateMultiSig(a), Operation::CreateMultiSig(b)) => {
            let w = |x| with_op(Operation::CreateMultiSig(x));
            each_field!(out, a, b, w, threshold);
            let mut lists = Vec::new();
            list_changes(
                "signers",
                &a.signers,
                &b.signers,
                |e, o| {
                    let mut v = Vec::new();
                    let w = |x| x;
                    each_field!(v, e, o, w, public_key, weight);
                    v
                },
                || tokensign_core::tx::MultisigSigner {
                    public_key: KeyAsIntegers(crate::strategies::pool()[0].public),
                    weight: 1,
                },
                &mut lists,
            );
            for (what, l) in lists {
                let mut x = a.clone();
                x.signers = l;
                out.push((what, w(x)));
            }
        }
        (Operation::BatchPayment(a), Operation::BatchPayment(b)) => {
            let w = |x| with_op(Operation::BatchPayment(x));
            each_field!(out, a, b, w, token, created_at);
            let mut x = a.clone();
            x.operations_hash = match (a.operations_hash, b.operations_hash) {
                (h, o) if h != o => o,
                (Some(_), _) => None,
                (None, _) => Some(B256([0; 32])),
            };
            out.push(("operations_hash".into(), w(x)));
            let mut x = a.clone();
            x.batch_id = match (&a.batch_id, &b.batch_id) {
                (h, o) if h != o => o.clone(),
                (Some(_), _) => None,
                (None, _) => Some(Text::default()),
            };
            out.push(("batch_id".into(), w(x)));
            let mut lists = Vec::new();
            list_changes(
                "operations",
                &a.operations,
                &b.operations,
                |e, o| {
                    let mut v = Vec::new();
                    let w = |x| x;
                    each_field!(v, e, o, w, recipient, amount);
                    v
                },
                || tokensign_core::tx::BatchEntry {
                    recipient: Address([0x0b; 20]),
                    amount: Amount::from_u64(1),
                },
                &mut lists,
            );
            for (what, l) in lists {
                let mut x = a.clone();
                x.operations = l;
                out.push((what, w(x)));
            }
        }
        (a, b) => panic!("changes of {} from a {}", a.op_type(), b.op_type()),
    }
    out
}

/// Changes of the memo as v2 reads it (absent = empty).
fn memo_changes<const B: usize, const M: usize>(
    tx: &Transaction<B, M>,
    other: &Transaction<B, M>,
    out: &mut Vec<Change<B, M>>,
) {
    let memo = tx.memo.clone().unwrap_or_default();
    let theirs = other.memo.clone().unwrap_or_default();
    let with = |m: Memo| Transaction {
        memo: Some(m),
        ..tx.clone()
    };
    let w = |m| with(m);
    let mut v = Vec::new();
    each_field!(v, memo, theirs, w, kind, format, data);
    out.extend(v);
    // Present and not empty <-> absent.
    let mut t = tx.clone();
    if memo.is_empty() {
        t.memo = Some(if theirs.is_empty() {
            Memo::new("", "", "x").expect("valid memo")
        } else {
            theirs
        });
    } else {
        t.memo = None;
    }
    out.push(("memo present".into(), t));
}

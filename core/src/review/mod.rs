//! What a person sees before a transaction is signed: every signed field,
//! the operation by name, the chain by name, amounts as exact integers with
//! their token, the memo, the multisig account, the scheme; as (label,
//! value) items and as screen pages.
//!
//! Items, in order:
//!
//! | label | value |
//! |---|---|
//! | `Operation` | the operation's title (`Payment`, `Issue token`, …) |
//! | one per signed field | the operation's fields in RLP order (labels in `tx/`); a list shows its count under its label, then each element's fields numbered from 1; a v2 TokenIssue without `clawback_enabled` shows `Clawback: Yes`, which v2 signs |
//! | `Chain` | `1Money Mainnet` (21210), `1Money Testnet` (1212101), else the number |
//! | `Nonce` | the nonce |
//! | derived | `Token address` (issue), `Account address` (CreateMultiSig) |
//! | `Memo type`, `Memo format`, `Memo data` | when a memo is signed and not empty (legacy: whenever a memo is present, even empty, since it changes the hash) |
//! | `Multisig account` | when signing as a member of a multisig account |
//! | `Signing scheme` | `v1 (legacy)` or `v2 (domain-separated)` |
//!
//! Values are rendered as printable ASCII ([`render`]): free texts quoted,
//! every character outside printable ASCII as its code point, so that a
//! look-alike (`USDС` with a Cyrillic С) cannot pass for `USDC`. A value
//! longer than a page is cut into several pages, never shortened:
//! concatenating a label's pages gives its whole rendered value back, and
//! the tests rebuild every signed transaction from the page texts alone.

mod page;
pub mod render;

use core::ops::ControlFlow;

use crate::field::{Record, ShowVisitor, Shown};
use crate::native::Descriptor;
use crate::scheme::Scheme;
use crate::tx::issue::LABEL_CLAWBACK;
use crate::tx::{Operation, Transaction, CHAIN_ID_MAINNET, CHAIN_ID_TESTNET};

pub use page::{Page, Pages, SliceWriter, DEFAULT_PAGE_WIDTH, MAX_PAGE_WIDTH};

/// The label of the operation line.
pub const LABEL_OPERATION: &str = "Operation";
/// The label of the chain.
pub const LABEL_CHAIN: &str = "Chain";
/// The label of the nonce.
pub const LABEL_NONCE: &str = "Nonce";
/// The label of the multisig account a member signs for.
pub const LABEL_MULTISIG_ACCOUNT: &str = "Multisig account";
/// The label of the signing scheme.
pub const LABEL_SCHEME: &str = "Signing scheme";
/// How chain 21210 is shown.
pub const CHAIN_NAME_MAINNET: &str = "1Money Mainnet";
/// How chain 1212101 is shown.
pub const CHAIN_NAME_TESTNET: &str = "1Money Testnet";
/// How the legacy scheme is shown.
pub const SCHEME_LEGACY: &str = "v1 (legacy)";
/// How the native scheme is shown.
pub const SCHEME_NATIVE: &str = "v2 (domain-separated)";

/// One review item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Item<'a> {
    /// The label.
    pub label: &'static str,
    /// For an element of a list, its position (from 0; shown from 1).
    pub index: Option<u16>,
    /// The value.
    pub value: Shown<'a>,
}

/// The review of one transaction as it will be signed. Borrows the
/// transaction; builds nothing on the heap.
#[derive(Clone, Copy, Debug)]
pub struct Review<'a, const B: usize, const M: usize> {
    tx: &'a Transaction<B, M>,
    scheme: Scheme,
    descriptor: Descriptor,
}

impl<'a, const B: usize, const M: usize> Review<'a, B, M> {
    /// The review of `tx` signed in `scheme` under `descriptor`.
    pub fn new(tx: &'a Transaction<B, M>, scheme: Scheme, descriptor: Descriptor) -> Self {
        Review {
            tx,
            scheme,
            descriptor,
        }
    }

    /// The transaction under review.
    pub fn transaction(&self) -> &'a Transaction<B, M> {
        self.tx
    }

    /// Walks the items in order; `Break` from the visitor stops the walk.
    pub fn walk<V: ShowVisitor<'a>>(&self, out: &mut V) -> ControlFlow<()> {
        let tx = self.tx;
        out.item(LABEL_OPERATION, None, Shown::Word(tx.op_type().title()))?;
        tx.operation.show_fields(out)?;
        if let (Scheme::Native, Operation::TokenIssue(issue)) = (self.scheme, &tx.operation) {
            if issue.clawback_enabled.is_none() {
                // v2 signs an absent `clawback_enabled` as `true`
                // (`native::normalize`): show what is signed, where the
                // field would be (it is the issue's last).
                out.item(LABEL_CLAWBACK, None, Shown::Bool(true))?;
            }
        }
        let chain = match tx.chain_id {
            CHAIN_ID_MAINNET => Shown::Word(CHAIN_NAME_MAINNET),
            CHAIN_ID_TESTNET => Shown::Word(CHAIN_NAME_TESTNET),
            n => Shown::Number(n),
        };
        out.item(LABEL_CHAIN, None, chain)?;
        out.item(LABEL_NONCE, None, Shown::Number(tx.nonce))?;
        tx.operation.show_derived(out)?;
        if let Some(memo) = &tx.memo {
            if self.scheme == Scheme::Legacy || !memo.is_empty() {
                memo.show_fields(None, out)?;
            }
        }
        if let Descriptor::Multisig(account) = self.descriptor {
            out.item(LABEL_MULTISIG_ACCOUNT, None, Shown::Address(account))?;
        }
        let scheme = match self.scheme {
            Scheme::Legacy => SCHEME_LEGACY,
            Scheme::Native => SCHEME_NATIVE,
        };
        out.item(LABEL_SCHEME, None, Shown::Word(scheme))
    }

    /// The `index`-th item.
    pub fn item(&self, index: usize) -> Option<Item<'a>> {
        struct Nth<'a> {
            target: usize,
            seen: usize,
            found: Option<Item<'a>>,
        }
        impl<'a> ShowVisitor<'a> for Nth<'a> {
            fn item(
                &mut self,
                label: &'static str,
                index: Option<u16>,
                value: Shown<'a>,
            ) -> ControlFlow<()> {
                if self.seen == self.target {
                    self.found = Some(Item {
                        label,
                        index,
                        value,
                    });
                    return ControlFlow::Break(());
                }
                self.seen += 1;
                ControlFlow::Continue(())
            }
        }
        let mut nth = Nth {
            target: index,
            seen: 0,
            found: None,
        };
        let _ = self.walk(&mut nth);
        nth.found
    }

    /// The number of items.
    pub fn len(&self) -> usize {
        struct Count(usize);
        impl<'a> ShowVisitor<'a> for Count {
            fn item(&mut self, _: &'static str, _: Option<u16>, _: Shown<'a>) -> ControlFlow<()> {
                self.0 += 1;
                ControlFlow::Continue(())
            }
        }
        let mut count = Count(0);
        let _ = self.walk(&mut count);
        count.0
    }

    /// Always false: a review has at least the operation line.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The items in order.
    pub fn items(&self) -> impl Iterator<Item = Item<'a>> + '_ {
        (0..).map_while(move |i| self.item(i))
    }

    /// The first item with `label` (outside lists), if any.
    pub fn find(&self, label: &str) -> Option<Item<'a>> {
        self.items()
            .find(|item| item.label == label && item.index.is_none())
    }

    /// The review cut into pages of at most `width` characters of value
    /// each (clamped to 1..=[`MAX_PAGE_WIDTH`]).
    pub fn pages(&self, width: usize) -> Pages<'_, 'a, B, M> {
        Pages::new(self, width)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::address::Address;
    use crate::text::Text;
    use crate::tx::TokenIssue;

    fn issue(clawback_enabled: Option<bool>) -> Transaction {
        Transaction::new(
            CHAIN_ID_TESTNET,
            2,
            TokenIssue {
                symbol: Text::new("TEST").unwrap(),
                name: Text::new("Test Token").unwrap(),
                decimals: 8,
                master_authority: Address([3; 20]),
                is_private: false,
                clawback_enabled,
            },
        )
    }

    #[test]
    fn v2_shows_the_clawback_it_signs_for_an_absent_field() {
        let (absent, explicit) = (issue(None), issue(Some(true)));
        let native = |tx| Review::new(tx, Scheme::Native, Descriptor::Single);
        let shown = native(&absent).find(LABEL_CLAWBACK).map(|i| i.value);
        assert_eq!(shown, Some(Shown::Bool(true)));
        // Item for item what the explicit `true` shows.
        assert!(native(&absent).items().eq(native(&explicit).items()));
        // Legacy signs the seven-field form: nothing to show.
        let legacy = Review::new(&absent, Scheme::Legacy, Descriptor::Single);
        assert_eq!(legacy.find(LABEL_CLAWBACK), None);
        let legacy = Review::new(&explicit, Scheme::Legacy, Descriptor::Single);
        assert_eq!(
            legacy.find(LABEL_CLAWBACK).map(|i| i.value),
            Some(Shown::Bool(true))
        );
    }
}

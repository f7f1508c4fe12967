//! The review of one transaction ([`Review`]): what it shows, and in which
//! order its items come.

use core::ops::ControlFlow;

use super::decorate::Decorate;
use super::labels::{
    CHAIN_NAME_MAINNET, CHAIN_NAME_TESTNET, LABEL_CHAIN, LABEL_MULTISIG_ACCOUNT, LABEL_NONCE,
    LABEL_OPERATION, LABEL_SCHEME, SCHEME_LEGACY, SCHEME_NATIVE,
};
use super::page::Pages;
use crate::definition::{DefinitionError, TokenUnit, TrustedDefinition};
use crate::field::{Record, ShowVisitor, Shown, Unit};
use crate::native::Descriptor;
use crate::scheme::Scheme;
use crate::tx::issue::LABEL_CLAWBACK;
use crate::tx::{Operation, Transaction, CHAIN_ID_MAINNET, CHAIN_ID_TESTNET};

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
/// transaction (and the token's unit, when one is known); builds nothing on
/// the heap.
#[derive(Clone, Copy, Debug)]
pub struct Review<'a, const B: usize, const M: usize> {
    tx: &'a Transaction<B, M>,
    scheme: Scheme,
    descriptor: Descriptor,
    unit: Option<Unit<'a>>,
    local_node: bool,
}

impl<'a, const B: usize, const M: usize> Review<'a, B, M> {
    /// The review of `tx` signed in `scheme` under `descriptor`: its token
    /// unknown (amounts in base units), its chain named by its id.
    pub fn new(tx: &'a Transaction<B, M>, scheme: Scheme, descriptor: Descriptor) -> Self {
        Review {
            tx,
            scheme,
            descriptor,
            unit: None,
            local_node: false,
        }
    }

    /// The same review with the token's unit from `definition`: amounts in
    /// whole tokens, the token by its symbol. A definition is used only
    /// for the chain and the token it names.
    ///
    /// # Errors
    ///
    /// [`DefinitionError::WrongChain`] or [`DefinitionError::WrongToken`]
    /// (also for an operation that moves no token: TokenIssue,
    /// CreateMultiSig).
    pub fn with_definition(
        mut self,
        definition: &'a TrustedDefinition,
    ) -> Result<Self, DefinitionError> {
        definition.check_applies(self.tx.chain_id, self.tx.operation.token())?;
        self.unit = Some(Unit::Verified(&definition.definition().unit));
        Ok(self)
    }

    /// The same review with the unit a server reported for the token (a
    /// host's review, without a definition): amounts in whole tokens
    /// marked `(per server)`, the token still `Unknown token`. Does nothing
    /// where a definition was given, or for an operation without a token.
    pub fn with_reported_unit(mut self, unit: &'a TokenUnit) -> Self {
        if self.unit.is_none() && self.tx.operation.token().is_some() {
            self.unit = Some(Unit::Reported(unit));
        }
        self
    }

    /// The same review for a host that knows it talks to a local node: the
    /// chain shows as `local node (chain id N)` rather than by a network's
    /// name. The core cannot know this; only the host can say it.
    pub fn on_local_node(mut self) -> Self {
        self.local_node = true;
        self
    }

    /// The unit amounts are shown in, if any.
    pub fn unit(&self) -> Option<Unit<'a>> {
        self.unit
    }

    /// The transaction under review.
    pub fn transaction(&self) -> &'a Transaction<B, M> {
        self.tx
    }

    /// Walks the items in order; `Break` from the visitor stops the walk.
    pub fn walk<V: ShowVisitor<'a>>(&self, out: &mut V) -> ControlFlow<()> {
        let mut out = Decorate {
            out,
            token: self.tx.operation.token(),
            unit: self.unit,
        };
        self.walk_fields(&mut out)
    }

    /// The items before [`Decorate`] adds the token's unit and the
    /// warnings.
    fn walk_fields<V: ShowVisitor<'a>>(&self, out: &mut V) -> ControlFlow<()> {
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
            n if self.local_node => Shown::LocalChain(n),
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
    /// each (clamped to 1..=[`MAX_PAGE_WIDTH`](super::MAX_PAGE_WIDTH)).
    pub fn pages(&self, width: usize) -> Pages<'_, 'a, B, M> {
        Pages::new(self, width)
    }
}

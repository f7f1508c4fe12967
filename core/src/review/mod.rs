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
//! | `Chain` | `1Money Mainnet` (21210), `1Money Testnet` (1212101), else the number; `local node (chain id N)` when the host says so ([`Review::on_local_node`]) |
//! | `Nonce` | the nonce |
//! | derived | `Token address` (issue), `Account address` (CreateMultiSig), `Total` (BatchPayment: the sum of its payments) |
//! | `Memo type`, `Memo format`, `Memo data` | when a memo is signed and not empty (legacy: whenever a memo is present, even empty, since it changes the hash) |
//! | `Multisig account` | when signing as a member of a multisig account |
//! | `Signing scheme` | `v1 (legacy)` or `v2 (domain-separated)` |
//!
//! The token and its amounts. Every amount of an operation is an amount of
//! its token (the `Token` field). With a definition from a trusted signer
//! for this chain and token ([`Review::with_definition`]), the token shows
//! as `USDX 0x…` and every amount (a payment's, a mint's, a burn's, a
//! clawback's, a bridge's and its escrow fee, an authority's allowance,
//! each batch payment and the batch's total) shows in whole tokens,
//! `1.5 USDX`, exact, followed by a `Base units` item with the integer
//! that is signed. Without one the amounts show in base units and the
//! token as `Unknown token 0x…`. A host may add what a server says of the
//! unit ([`Review::with_reported_unit`]): amounts then show in whole tokens
//! marked `(per server)`, and the token stays unknown.
//!
//! Values are rendered as printable ASCII ([`render`]): free texts quoted,
//! every character outside printable ASCII as its code point, so that a
//! look-alike (`USDС` with a Cyrillic С) cannot pass for `USDC`; and such a
//! text gets a `Warning` item before it (`Symbol contains non-ASCII
//! characters`). A value longer than a page is cut into several pages,
//! never shortened: concatenating a label's pages gives its whole rendered
//! value back, and the tests rebuild every signed transaction from the page
//! texts alone.

mod page;
pub mod render;

use core::ops::ControlFlow;

use crate::address::Address;
use crate::definition::{DefinitionError, TokenUnit, TrustedDefinition};
use crate::field::{Record, ShowVisitor, Shown, Unit};
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
/// The label of an operation's token (the `Token` field of every
/// operation that has one).
pub const LABEL_TOKEN: &str = "Token";
/// The label of the base units after an amount shown in whole tokens.
pub const LABEL_BASE_UNITS: &str = "Base units";
/// The label of a warning before a text with non-ASCII characters.
pub const LABEL_WARNING: &str = "Warning";

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
    /// each (clamped to 1..=[`MAX_PAGE_WIDTH`]).
    pub fn pages(&self, width: usize) -> Pages<'_, 'a, B, M> {
        Pages::new(self, width)
    }
}

/// Adds what the review knows of the token and what a person must be
/// warned of, item by item: every amount in whole tokens with its base
/// units after it (when the unit is known), the token with its symbol or
/// marked unknown, and a warning before every text holding non-ASCII
/// characters.
struct Decorate<'v, 'a, V> {
    out: &'v mut V,
    token: Option<Address>,
    unit: Option<Unit<'a>>,
}

impl<'a, V: ShowVisitor<'a>> ShowVisitor<'a> for Decorate<'_, 'a, V> {
    fn item(
        &mut self,
        label: &'static str,
        index: Option<u16>,
        value: Shown<'a>,
    ) -> ControlFlow<()> {
        match value {
            Shown::Text(text) if render::has_non_ascii(text) => {
                self.out
                    .item(LABEL_WARNING, None, Shown::NonAscii { label, index })?;
                self.out.item(label, index, value)
            }
            Shown::Amount(amount) => match self.unit {
                Some(unit) => {
                    self.out
                        .item(label, index, Shown::TokenAmount(amount, unit))?;
                    self.out.item(LABEL_BASE_UNITS, index, value)
                }
                None => self.out.item(label, index, value),
            },
            Shown::Address(address)
                if label == LABEL_TOKEN && index.is_none() && self.token == Some(address) =>
            {
                self.out
                    .item(label, index, Shown::Token(address, self.unit))
            }
            _ => self.out.item(label, index, value),
        }
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

    use crate::amount::Amount;
    use crate::definition::{TokenDefinition, TokenUnit};
    use crate::tx::{BatchEntry, BatchPayment, Payment};
    use crate::SigningKey;
    use std::string::{String, ToString};
    use std::vec::Vec;

    const TOKEN: Address = Address([0x5f; 20]);

    fn payment(chain_id: u64) -> Transaction {
        Transaction::new(
            chain_id,
            1,
            Payment {
                recipient: Address([2; 20]),
                value: Amount::from_u64(1_500_000),
                token: TOKEN,
            },
        )
    }

    fn trusted(chain_id: u64, token: Address) -> TrustedDefinition {
        let key = SigningKey::from_bytes(&[9; 32]).unwrap();
        TokenDefinition {
            chain_id,
            token,
            unit: TokenUnit::new("USDX", 6).unwrap(),
        }
        .sign(&key)
        .unwrap()
        .verify(&[key.address()])
        .unwrap()
    }

    fn lines<const B: usize, const M: usize>(review: &Review<'_, B, M>) -> Vec<String> {
        review
            .items()
            .map(|i| {
                let mut v = String::new();
                render::render(&i.value, &mut v).unwrap();
                std::format!("{}: {v}", i.label)
            })
            .collect()
    }

    #[test]
    fn amounts_in_whole_tokens_with_a_definition() {
        let tx = payment(CHAIN_ID_TESTNET);
        let def = trusted(CHAIN_ID_TESTNET, TOKEN);
        let token = TOKEN.to_string();
        let review = Review::new(&tx, Scheme::Native, Descriptor::Single)
            .with_definition(&def)
            .unwrap();
        let shown = lines(&review);
        assert_eq!(shown[2], "Amount: 1.5 USDX");
        assert_eq!(shown[3], "Base units: 1500000");
        assert_eq!(shown[4], std::format!("Token: USDX {token}"));
        // Without: base units, the token unknown.
        let plain = lines(&Review::new(&tx, Scheme::Native, Descriptor::Single));
        assert_eq!(plain[2], "Amount: 1500000");
        assert_eq!(plain[3], std::format!("Token: Unknown token {token}"));
        // A server's word is labelled as such.
        let unit = TokenUnit::new("USDX", 6).unwrap();
        let reported =
            Review::new(&tx, Scheme::Native, Descriptor::Single).with_reported_unit(&unit);
        let shown = lines(&reported);
        assert_eq!(shown[2], "Amount: 1.5 USDX (per server)");
        assert_eq!(shown[3], "Base units: 1500000");
        assert_eq!(
            shown[4],
            std::format!("Token: Unknown token {token} (server says USDX)")
        );
        // A definition wins over a server's word.
        let both = Review::new(&tx, Scheme::Native, Descriptor::Single)
            .with_definition(&def)
            .unwrap()
            .with_reported_unit(&unit);
        assert_eq!(lines(&both), lines(&review));
    }

    #[test]
    fn a_definition_for_another_chain_or_token_is_refused() {
        let tx = payment(CHAIN_ID_TESTNET);
        let other_chain = trusted(CHAIN_ID_MAINNET, TOKEN);
        let review = Review::new(&tx, Scheme::Native, Descriptor::Single);
        assert_eq!(
            review.with_definition(&other_chain).err(),
            Some(DefinitionError::WrongChain {
                definition: CHAIN_ID_MAINNET,
                transaction: CHAIN_ID_TESTNET
            })
        );
        let other_token = trusted(CHAIN_ID_TESTNET, Address([1; 20]));
        assert_eq!(
            review.with_definition(&other_token).err(),
            Some(DefinitionError::WrongToken {
                definition: Address([1; 20]),
                transaction: Some(TOKEN)
            })
        );
        let issue = issue(Some(true));
        let def = trusted(CHAIN_ID_TESTNET, TOKEN);
        assert!(matches!(
            Review::new(&issue, Scheme::Native, Descriptor::Single).with_definition(&def),
            Err(DefinitionError::WrongToken {
                transaction: None,
                ..
            })
        ));
    }

    #[test]
    fn a_batch_shows_each_payment_and_the_total() {
        let mut batch = BatchPayment::<4> {
            token: TOKEN,
            ..Default::default()
        };
        for (i, units) in [1_000_000u64, 2_500_000].into_iter().enumerate() {
            let entry = BatchEntry {
                recipient: Address([i as u8 + 1; 20]),
                amount: Amount::from_u64(units),
            };
            batch.operations.push(entry).unwrap();
        }
        let tx: Transaction<4, 2> = Transaction::new(CHAIN_ID_TESTNET, 4, batch);
        let def = trusted(CHAIN_ID_TESTNET, TOKEN);
        let review = Review::new(&tx, Scheme::Native, Descriptor::Single)
            .with_definition(&def)
            .unwrap();
        let shown = lines(&review);
        for want in [
            "Amount: 1 USDX",
            "Base units: 1000000",
            "Amount: 2.5 USDX",
            "Base units: 2500000",
            "Total: 3.5 USDX",
            "Base units: 3500000",
        ] {
            assert!(shown.iter().any(|l| l == want), "{want} in {shown:?}");
        }
        let plain = lines(&Review::new(&tx, Scheme::Native, Descriptor::Single));
        assert!(plain.iter().any(|l| l == "Total: 3500000"), "{plain:?}");
        assert!(!plain.iter().any(|l| l.starts_with("Base units")));
    }

    #[test]
    fn non_ascii_texts_are_announced_and_local_chains_named() {
        let tx: Transaction = Transaction::new(
            CHAIN_ID_TESTNET,
            2,
            TokenIssue {
                symbol: Text::new("USD\u{421}").unwrap(),
                name: Text::new("Caf\u{e9}").unwrap(),
                decimals: 8,
                master_authority: Address([3; 20]),
                is_private: false,
                clawback_enabled: Some(true),
            },
        );
        let shown = lines(&Review::new(&tx, Scheme::Native, Descriptor::Single).on_local_node());
        assert_eq!(shown[1], "Warning: Symbol contains non-ASCII characters");
        assert_eq!(shown[2], "Symbol: \"USD\\u{421}\"");
        assert_eq!(shown[3], "Warning: Name contains non-ASCII characters");
        assert_eq!(shown[4], "Name: \"Caf\\u{E9}\"");
        assert!(shown
            .iter()
            .any(|l| l == "Chain: local node (chain id 1212101)"));
        assert!(!shown.iter().any(|l| l.contains("1Money")));
        // ASCII texts get no warning, even with a backslash.
        let plain = issue(None);
        assert!(
            !lines(&Review::new(&plain, Scheme::Native, Descriptor::Single))
                .iter()
                .any(|l| l.starts_with("Warning"))
        );
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

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

mod decorate;
mod items;
mod labels;
mod page;
pub mod render;
#[cfg(test)]
mod tests;

pub use items::{Item, Review};
pub use labels::{
    CHAIN_NAME_MAINNET, CHAIN_NAME_TESTNET, LABEL_BASE_UNITS, LABEL_CHAIN, LABEL_MULTISIG_ACCOUNT,
    LABEL_NONCE, LABEL_OPERATION, LABEL_SCHEME, LABEL_TOKEN, LABEL_WARNING, SCHEME_LEGACY,
    SCHEME_NATIVE,
};
pub use page::{Page, Pages, SliceWriter, DEFAULT_PAGE_WIDTH, MAX_PAGE_WIDTH};

//! What the review adds to each item: the token's unit and the warnings
//! ([`Decorate`]).

use core::ops::ControlFlow;

use super::labels::{LABEL_BASE_UNITS, LABEL_TOKEN, LABEL_WARNING};
use super::render;
use crate::address::Address;
use crate::field::{ShowVisitor, Shown, Unit};

/// Adds what the review knows of the token and what a person must be
/// warned of, item by item: every amount in whole tokens with its base
/// units after it (when the unit is known), the token with its symbol or
/// marked unknown, and a warning before every text holding non-ASCII
/// characters.
pub(super) struct Decorate<'v, 'a, V> {
    pub(super) out: &'v mut V,
    pub(super) token: Option<Address>,
    pub(super) unit: Option<Unit<'a>>,
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

//! The static checks this node adds to the core's (`Transaction::check`,
//! the network's published admission rules), where the network's rules
//! leave the question open. They need no state and run before the
//! signature is recovered, as the core's do, and refuse the same way: a
//! core [`Error`] (HTTP 400 at the edge).

use tokensign_core::tx::{Operation, Transaction};
use tokensign_core::{Address, Error, Field, Problem};

/// Refuses the zero address as the recipient of Payment, TokenMint,
/// TokenBridgeAndMint and TokenClawback, as the network refuses it in a
/// BatchPayment (spec 2.2): nobody holds its key, so what is credited to
/// it is lost for good (to destroy tokens, burn them), and the network
/// uses it as "no address" (an unset master mint/burn authority, a batch
/// receipt's `receiver`).
pub fn check(tx: &Transaction) -> Result<(), Error> {
    let recipient: Option<&Address> = match &tx.operation {
        Operation::Payment(op) => Some(&op.recipient),
        Operation::TokenMint(op) => Some(&op.recipient),
        Operation::TokenBridgeAndMint(op) => Some(&op.recipient),
        Operation::TokenClawback(op) => Some(&op.recipient),
        _ => None,
    };
    match recipient {
        Some(r) if r.is_zero() => Err(Error::invalid(Field::Recipient, Problem::ZeroAddress)),
        _ => Ok(()),
    }
}

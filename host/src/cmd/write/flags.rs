//! The flag a person types for each field of the core's transactions, in
//! one table keyed by the core's [`Field`], and the values of those flags
//! turned into the core's types with errors that name the flag.
//!
//! Every operation command builds its transaction through these
//! functions, and every refusal of the core's check is reported through
//! [`refused`], so a message always names what was typed (`--to`'s field
//! is `recipient`, reported as `--recipient`), never a JSON key.

use tokensign_core::field::Bytes;
use tokensign_core::text::{Text, TextRule};
use tokensign_core::{Address, Error as CoreError, Field, Problem};

use crate::cmd::exit::CliError;
use crate::show::sanitize;

/// The flag that gives `field`, if a flag gives it (signatures, the
/// action a command implies, the operation hash: none).
pub const fn flag(field: Field) -> Option<&'static str> {
    Some(match field {
        Field::ChainId => "--chain-id",
        Field::Nonce => "--nonce",
        Field::Recipient => "--recipient",
        Field::Value => "--value",
        Field::Token => "--token",
        Field::Symbol => "--symbol",
        Field::Name => "--name",
        Field::Decimals => "--decimals",
        Field::MasterAuthority => "--master-authority",
        Field::IsPrivate => "--is-private",
        Field::ClawbackEnabled => "--clawback-enabled",
        Field::AuthorityType => "--authority-type",
        Field::AuthorityAddress | Field::Address => "--address",
        Field::From => "--from",
        Field::Uri => "--uri",
        Field::AdditionalMetadata => "--entry",
        Field::MetadataKey => "--entry (its KEY)",
        Field::MetadataValue => "--entry (its VALUE)",
        Field::SourceChainId => "--source-chain-id",
        Field::SourceTxHash => "--source-tx-hash",
        Field::BridgeMetadata => "--bridge-metadata",
        Field::Sender => "--sender",
        Field::DestinationChainId => "--destination-chain-id",
        Field::DestinationAddress => "--destination-address",
        Field::EscrowFee => "--escrow-fee",
        Field::BridgeParam => "--bridge-param",
        Field::Signers | Field::SignerPublicKey => "--member",
        Field::SignerWeight => "--member (its weight)",
        Field::Threshold => "--threshold",
        Field::Operations => "--pay/--payments",
        Field::OperationRecipient => "--pay/--payments (a recipient)",
        Field::OperationAmount => "--pay/--payments (an amount)",
        Field::CreatedAt => "--created-at",
        Field::BatchId => "--batch-id",
        Field::Memo => "--memo-type/--memo-format/--memo-data",
        Field::MemoType => "--memo-type",
        Field::MemoFormat => "--memo-format",
        Field::MemoData => "--memo-data",
        Field::Action
        | Field::OperationsHash
        | Field::Signature
        | Field::R
        | Field::S
        | Field::V
        | Field::Authorization
        | Field::AuthorizationType
        | Field::Account
        | Field::Signatures
        | Field::SignerPubkey
        | Field::Operation => return None,
    })
}

/// The flag an error is about, for a message: the table's, else `input`.
fn flag_of(field: Option<Field>) -> &'static str {
    field.and_then(flag).unwrap_or("input")
}

/// A refusal of the core about a transaction the flags built, naming the
/// flag: `invalid --symbol: `symbol` must hold only alphanumeric
/// characters`.
pub fn refused(e: CoreError) -> CliError {
    CliError::bad_input(format!("invalid {}: {e}", flag_of(e.field())))
}

/// The value of the flag of `field` as an address (strict hex, EIP-55 for
/// mixed case).
pub fn address(field: Field, text: &str) -> Result<Address, CliError> {
    Address::parse(text.trim()).map_err(|e| {
        CliError::bad_input(format!(
            "invalid {} {:?}: {e}",
            flag_of(Some(field)),
            sanitize(text)
        ))
    })
}

/// The value of the flag of `field` as one of the core's bounded texts.
/// A refused character is named with its position and code point.
pub fn text<const N: usize, R: TextRule>(
    field: Field,
    value: &str,
) -> Result<Text<N, R>, CliError> {
    Text::new(value).map_err(|problem| {
        let which = if is_character_problem(problem) {
            value
                .chars()
                .enumerate()
                .find(|(_, c)| {
                    Text::<N, R>::new(c.encode_utf8(&mut [0; 4])).is_err_and(is_character_problem)
                })
                .map(|(i, c)| format!(" (character {} is {c:?}, U+{:04X})", i + 1, u32::from(c)))
                .unwrap_or_default()
        } else {
            String::new()
        };
        CliError::bad_input(format!(
            "invalid {} {:?}: {}{which}",
            flag_of(Some(field)),
            sanitize(value),
            CoreError::invalid(field, problem)
        ))
    })
}

/// The value of the flag of `field` as binary data: `0x` and an even
/// number of hex digits.
pub fn hex_bytes<const N: usize>(field: Field, text: &str) -> Result<Bytes<N>, CliError> {
    Bytes::parse_hex(text.trim()).map_err(|problem| {
        CliError::bad_input(format!(
            "invalid {} {:?}: {}",
            flag_of(Some(field)),
            sanitize(text),
            CoreError::invalid(field, problem)
        ))
    })
}

/// Whether a problem is about one character (so it can be named).
fn is_character_problem(problem: Problem) -> bool {
    matches!(
        problem,
        Problem::InvalidCharacter
            | Problem::ControlCharacter
            | Problem::UnsafeCharacter
            | Problem::NotAlphanumeric
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokensign_core::tx::memo::MemoType;
    use tokensign_core::tx::Symbol;

    #[test]
    fn every_field_a_flag_gives_names_it() {
        for field in Field::ALL {
            if let Some(flag) = flag(*field) {
                assert!(flag.starts_with("--"), "{field:?}: {flag}");
            }
        }
        let e = refused(CoreError::invalid(Field::Recipient, Problem::ZeroAddress));
        assert!(e.message.starts_with("invalid --recipient: "), "{e}");
        let e = refused(CoreError::NotInScheme);
        assert!(e.message.starts_with("invalid input: "), "{e}");
    }

    #[test]
    fn a_refused_character_is_named() {
        let e = text::<128, _>(Field::MemoType, "purpose/a b")
            .map(|_: MemoType| ())
            .unwrap_err();
        assert!(e.message.contains("invalid --memo-type"), "{e}");
        assert!(e.message.contains("character 10 is ' ', U+0020"), "{e}");
        let e = text::<20, _>(Field::Symbol, "US-D")
            .map(|_: Symbol| ())
            .unwrap_err();
        assert!(e.message.contains("character 3 is '-', U+002D"), "{e}");
        let e = text::<20, _>(Field::Symbol, "")
            .map(|_: Symbol| ())
            .unwrap_err();
        assert!(!e.message.contains("character"), "{e}");
    }
}

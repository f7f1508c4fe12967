//! Amounts on the command line: `--value` in base units (an exact integer
//! up to 2^256-1, the core's `Amount`) or `--amount` in whole tokens,
//! converted with the token's `decimals` by string arithmetic (never a
//! float).

use clap::Args;
use tokensign_core::amount::{Amount, WholeAmountError};

use super::exit::CliError;
use crate::show::sanitize;

/// `--value` / `--amount` (exactly one, which [`AmountArgs::given`]
/// checks: clap would say both are required), and the decimals to convert
/// with.
#[derive(Debug, Args, Clone)]
pub struct AmountArgs {
    /// The amount in the token's base units: an exact integer, 0 to
    /// 2^256-1, in decimal (or 0x-hex); sent as canonical decimal.
    #[arg(
        long,
        value_name = "BASE_UNITS",
        conflicts_with = "amount",
        allow_hyphen_values = true
    )]
    pub value: Option<String>,
    /// The amount in whole tokens, e.g. 12.5; converted to base units with
    /// the token's decimals (read from GET /v1/tokens/token_metadata unless
    /// --token-decimals gives them).
    #[arg(long, value_name = "TOKENS", allow_hyphen_values = true)]
    pub amount: Option<String>,
    /// The token's decimals, for --amount without asking the server.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(0..=18),
          requires = "amount")]
    pub token_decimals: Option<u8>,
}

/// An amount as given: base units already, or whole tokens to convert.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GivenAmount {
    /// Base units.
    Base(Amount),
    /// Whole tokens (syntax checked), and the decimals if given.
    Tokens(String, Option<u8>),
}

impl AmountArgs {
    /// Checks the syntax of what was given; `--value` is checked fully.
    pub fn given(&self) -> Result<GivenAmount, CliError> {
        match (&self.value, &self.amount) {
            (Some(value), _) => base_units("--value", value).map(GivenAmount::Base),
            (None, Some(amount)) => {
                // Checked with the largest decimals now; again at conversion.
                whole_to_base(amount, self.token_decimals.unwrap_or(18))?;
                Ok(GivenAmount::Tokens(amount.clone(), self.token_decimals))
            }
            (None, None) => Err(CliError::bad_input(
                "no amount: give one of --value BASE_UNITS (the token's base units) or --amount \
                 TOKENS (whole tokens, e.g. 12.5)",
            )),
        }
    }
}

/// A base-unit amount, read as the network reads one (decimal, leading
/// zeros allowed, or `0x`-hex: [`Amount::parse_wire`]).
pub fn base_units(flag: &str, text: &str) -> Result<Amount, CliError> {
    // A person may write 0010 or 0xff; the wire gets the canonical 10, 255.
    Amount::parse_wire(text.trim()).map_err(|e| {
        CliError::bad_input(format!(
            "invalid {flag} {:?}: {e}; give an exact integer of base units, 0 to 2^256-1 \
                 (or --amount in whole tokens)",
            sanitize(text)
        ))
    })
}

/// Converts whole tokens (`12.5`) to base units with `decimals`: exact,
/// refused when it has more fractional digits than the token (the core's
/// converter, [`Amount::from_whole`]).
pub fn whole_to_base(text: &str, decimals: u8) -> Result<Amount, CliError> {
    Amount::from_whole(text.trim(), decimals).map_err(|e| {
        let hint = match e {
            WholeAmountError::TooPrecise { .. } => "; or give --value in base units",
            _ => "",
        };
        CliError::bad_input(format!("invalid --amount {:?}: {e}{hint}", sanitize(text)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_tokens_convert_exactly() {
        assert_eq!(whole_to_base("12.5", 6).unwrap().to_string(), "12500000");
        assert_eq!(whole_to_base("0.000001", 6).unwrap().to_string(), "1");
        assert_eq!(whole_to_base("007", 2).unwrap().to_string(), "700");
        assert_eq!(whole_to_base(".5", 1).unwrap().to_string(), "5");
        assert_eq!(whole_to_base("5.", 0).unwrap().to_string(), "5");
        assert_eq!(whole_to_base("1.50", 1).unwrap().to_string(), "15");
        assert_eq!(whole_to_base("0", 18).unwrap().to_string(), "0");
        // 0.1 + 0.2 is exact here, unlike in a float.
        assert_eq!(
            whole_to_base("0.3", 18).unwrap().to_string(),
            "300000000000000000"
        );
        let max = "115792089237316195423570985008687907853269984665640564039457584007913129639935";
        assert_eq!(whole_to_base(max, 0).unwrap().to_string(), max);
    }

    #[test]
    fn bad_amounts_say_why() {
        let e = whole_to_base("1.234", 2).unwrap_err();
        assert!(e.message.contains("3 fractional digits"), "{e}");
        assert!(e.message.contains("2 decimals"), "{e}");
        for bad in ["", ".", "-1", "1e3", "1.2.3", " 1 2", "+1", "0x10"] {
            assert!(whole_to_base(bad, 6).is_err(), "{bad}");
        }
        let max = "115792089237316195423570985008687907853269984665640564039457584007913129639935";
        assert!(whole_to_base(max, 1).is_err());
        assert!(base_units("--value", "1.5").is_err());
        assert!(base_units("--value", "-1").is_err());
        assert_eq!(base_units("--value", "0010").unwrap().to_string(), "10");
        assert_eq!(base_units("--value", "0xff").unwrap().to_string(), "255");
    }
}

//! The token-issue payload, its limits, and the one place every rule lives.

use heapless::String;

use crate::address::Address;
use crate::error::Error;

/// Largest `chain_id` (the schema's int64, minimum 0).
pub const MAX_CHAIN_ID: u64 = i64::MAX as u64;
/// Largest `nonce` (the schema's int64, minimum 0).
pub const MAX_NONCE: u64 = i64::MAX as u64;
/// Largest `decimals`.
pub const MAX_DECIMALS: u8 = 18;
/// Largest `symbol`, in UTF-8 bytes.
pub const MAX_SYMBOL_LEN: usize = 20;
/// Largest `name`, in UTF-8 bytes.
pub const MAX_NAME_LEN: usize = 120;

/// Chain id of the 1Money mainnet.
pub const CHAIN_ID_MAINNET: u64 = 21210;
/// Chain id of the 1Money testnet (also used by the local API server).
pub const CHAIN_ID_TESTNET: u64 = 1_212_101;

/// Fixed-capacity `symbol` text.
pub type Symbol = String<MAX_SYMBOL_LEN>;
/// Fixed-capacity `name` text.
pub type Name = String<MAX_NAME_LEN>;

/// Whether a character cannot be shown honestly on a signing screen.
///
/// The exact set, refused in `name` (a `symbol` is alphanumeric, which
/// excludes all of them anyway):
///
/// - control characters (`char::is_control`: U+0000..=U+001F, U+007F..=U+009F);
/// - bidirectional marks, embeddings, overrides and isolates: U+061C,
///   U+200E, U+200F, U+202A..=U+202E, U+2066..=U+2069;
/// - invisible characters that hide or join text: U+00AD soft hyphen,
///   U+034F, U+115F, U+1160, U+17B4, U+17B5, U+180B..=U+180F, U+200B..=U+200D
///   zero-width space and (non-)joiners, U+2028 and U+2029 line and paragraph
///   separators, U+2060..=U+2064 word joiner and invisible operators,
///   U+206A..=U+206F deprecated format characters, U+3164, U+FE00..=U+FE0F
///   variation selectors, U+FEFF byte order mark, U+FFA0, U+FFF9..=U+FFFB
///   interlinear annotations, U+E0000..=U+E007F tag characters,
///   U+E0100..=U+E01EF variation selectors supplement;
/// - private-use and unassigned-by-construction code points that render
///   differently on every device: U+E000..=U+F8FF, U+F0000..=U+10FFFF.
pub const fn is_screen_unsafe(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        | '\u{ad}' | '\u{34f}' | '\u{115f}' | '\u{1160}' | '\u{17b4}' | '\u{17b5}'
        | '\u{180b}'..='\u{180f}' | '\u{200b}'..='\u{200d}' | '\u{2028}' | '\u{2029}'
        | '\u{2060}'..='\u{2064}' | '\u{206a}'..='\u{206f}' | '\u{3164}'
        | '\u{fe00}'..='\u{fe0f}' | '\u{feff}' | '\u{ffa0}' | '\u{fff9}'..='\u{fffb}'
        | '\u{e0000}'..='\u{e007f}' | '\u{e0100}'..='\u{e01ef}'
        | '\u{e000}'..='\u{f8ff}' | '\u{f0000}'..='\u{10ffff}')
}

/// Checks a symbol: 1..=20 bytes, every character alphanumeric.
pub fn check_symbol(symbol: &str) -> Result<(), Error> {
    if symbol.is_empty() {
        return Err(Error::SymbolEmpty);
    }
    if symbol.len() > MAX_SYMBOL_LEN {
        return Err(Error::SymbolTooLong);
    }
    if !symbol.chars().all(char::is_alphanumeric) {
        return Err(Error::SymbolNotAlphanumeric);
    }
    Ok(())
}

/// Checks a name: 1..=120 bytes, nothing [`is_screen_unsafe`].
pub fn check_name(name: &str) -> Result<(), Error> {
    if name.is_empty() {
        return Err(Error::NameEmpty);
    }
    if name.len() > MAX_NAME_LEN {
        return Err(Error::NameTooLong);
    }
    if name.chars().any(is_screen_unsafe) {
        return Err(Error::NameUnsafeCharacter);
    }
    Ok(())
}

/// The fields of a payload, borrowed and not yet validated: the input to
/// [`TokenIssuePayload::new`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PayloadFields<'a> {
    /// The chain id, 0..=[`MAX_CHAIN_ID`].
    pub chain_id: u64,
    /// The signer's nonce, 0..=[`MAX_NONCE`].
    pub nonce: u64,
    /// The token symbol: 1..=20 bytes, alphanumeric.
    pub symbol: &'a str,
    /// The token name: 1..=120 bytes, nothing [`is_screen_unsafe`].
    pub name: &'a str,
    /// Decimals, 0..=[`MAX_DECIMALS`]. Wider than `u8` so that any input
    /// value reaches validation and gets its precise error.
    pub decimals: u64,
    /// The address that will hold the token's master authority.
    pub master_authority: Address,
    /// Whether only whitelisted addresses may use the token.
    pub is_private: bool,
    /// `None`: the seven-field form. `Some`: the eight-field form.
    pub clawback_enabled: Option<bool>,
}

/// A validated token-issue payload. Every value of this type satisfies every
/// rule, so it can always be encoded, signed, written as JSON and read back.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TokenIssuePayload {
    chain_id: u64,
    nonce: u64,
    symbol: Symbol,
    name: Name,
    decimals: u8,
    master_authority: Address,
    is_private: bool,
    clawback_enabled: Option<bool>,
}

fn fixed<const N: usize>(text: &str, too_long: Error) -> Result<String<N>, Error> {
    let mut s = String::new();
    s.push_str(text).map_err(|()| too_long)?;
    Ok(s)
}

impl TokenIssuePayload {
    /// Validates the fields and builds a payload. This is the only way to
    /// make one; the JSON and RLP decoders call it too.
    pub fn new(fields: PayloadFields<'_>) -> Result<Self, Error> {
        if fields.chain_id > MAX_CHAIN_ID {
            return Err(Error::ChainIdOutOfRange);
        }
        if fields.nonce > MAX_NONCE {
            return Err(Error::NonceOutOfRange);
        }
        check_symbol(fields.symbol)?;
        check_name(fields.name)?;
        let decimals = u8::try_from(fields.decimals)
            .ok()
            .filter(|d| *d <= MAX_DECIMALS)
            .ok_or(Error::DecimalsOutOfRange)?;
        Ok(TokenIssuePayload {
            chain_id: fields.chain_id,
            nonce: fields.nonce,
            symbol: fixed(fields.symbol, Error::SymbolTooLong)?,
            name: fixed(fields.name, Error::NameTooLong)?,
            decimals,
            master_authority: fields.master_authority,
            is_private: fields.is_private,
            clawback_enabled: fields.clawback_enabled,
        })
    }

    /// The fields, borrowed; `TokenIssuePayload::new(p.fields())` gives `p`.
    pub fn fields(&self) -> PayloadFields<'_> {
        PayloadFields {
            chain_id: self.chain_id,
            nonce: self.nonce,
            symbol: &self.symbol,
            name: &self.name,
            decimals: u64::from(self.decimals),
            master_authority: self.master_authority,
            is_private: self.is_private,
            clawback_enabled: self.clawback_enabled,
        }
    }

    /// The chain id.
    pub fn chain_id(&self) -> u64 {
        self.chain_id
    }
    /// The nonce.
    pub fn nonce(&self) -> u64 {
        self.nonce
    }
    /// The symbol.
    pub fn symbol(&self) -> &str {
        &self.symbol
    }
    /// The name.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The decimals, 0..=18.
    pub fn decimals(&self) -> u8 {
        self.decimals
    }
    /// The master authority.
    pub fn master_authority(&self) -> Address {
        self.master_authority
    }
    /// Whether the token is private.
    pub fn is_private(&self) -> bool {
        self.is_private
    }
    /// The clawback choice: `None` in the seven-field form.
    pub fn clawback_enabled(&self) -> Option<bool> {
        self.clawback_enabled
    }
    /// The same payload with another nonce (validated).
    pub fn with_nonce(&self, nonce: u64) -> Result<Self, Error> {
        TokenIssuePayload::new(PayloadFields {
            nonce,
            ..self.fields()
        })
    }
    /// The same payload with another chain id (validated).
    pub fn with_chain_id(&self, chain_id: u64) -> Result<Self, Error> {
        TokenIssuePayload::new(PayloadFields {
            chain_id,
            ..self.fields()
        })
    }
    /// The address of the token this issue creates.
    pub fn token_address(&self) -> Address {
        crate::encode::token_address(&self.master_authority, &self.symbol)
    }
    /// keccak256 of the canonical RLP: what is signed.
    pub fn signing_hash(&self) -> [u8; 32] {
        crate::encode::signing_hash(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> PayloadFields<'static> {
        PayloadFields {
            chain_id: CHAIN_ID_TESTNET,
            nonce: 0,
            symbol: "USDX",
            name: "X Dollar",
            decimals: 6,
            master_authority: Address::ZERO,
            is_private: false,
            clawback_enabled: None,
        }
    }

    #[test]
    fn limits_are_enforced() {
        let ok = |f: PayloadFields<'_>| TokenIssuePayload::new(f);
        assert!(ok(base()).is_ok());
        assert!(ok(PayloadFields {
            chain_id: MAX_CHAIN_ID,
            nonce: MAX_NONCE,
            decimals: 18,
            ..base()
        })
        .is_ok());
        assert_eq!(
            ok(PayloadFields {
                chain_id: MAX_CHAIN_ID + 1,
                ..base()
            }),
            Err(Error::ChainIdOutOfRange)
        );
        assert_eq!(
            ok(PayloadFields {
                nonce: u64::MAX,
                ..base()
            }),
            Err(Error::NonceOutOfRange)
        );
        assert_eq!(
            ok(PayloadFields {
                decimals: 19,
                ..base()
            }),
            Err(Error::DecimalsOutOfRange)
        );
        assert_eq!(
            ok(PayloadFields {
                decimals: 256 + 6,
                ..base()
            }),
            Err(Error::DecimalsOutOfRange)
        );
        assert_eq!(
            ok(PayloadFields {
                symbol: "",
                ..base()
            }),
            Err(Error::SymbolEmpty)
        );
        assert!(ok(PayloadFields {
            symbol: "A2345678901234567890",
            ..base()
        })
        .is_ok());
        assert_eq!(
            ok(PayloadFields {
                symbol: "A23456789012345678901",
                ..base()
            }),
            Err(Error::SymbolTooLong)
        );
        assert_eq!(
            ok(PayloadFields {
                symbol: "US-D",
                ..base()
            }),
            Err(Error::SymbolNotAlphanumeric)
        );
        assert!(ok(PayloadFields {
            symbol: "ÄÖ日本",
            ..base()
        })
        .is_ok());
        assert_eq!(
            ok(PayloadFields { name: "", ..base() }),
            Err(Error::NameEmpty)
        );
        let long = "n".repeat(MAX_NAME_LEN);
        assert!(ok(PayloadFields {
            name: &long,
            ..base()
        })
        .is_ok());
        let longer = "n".repeat(MAX_NAME_LEN + 1);
        assert_eq!(
            ok(PayloadFields {
                name: &longer,
                ..base()
            }),
            Err(Error::NameTooLong)
        );
        for bad in [
            "a\u{202e}b",
            "tab\there",
            "nul\0",
            "rlm\u{200f}",
            "iso\u{2066}x",
            "zw\u{200b}j",
            "bom\u{feff}",
            "vs\u{e0100}",
        ] {
            assert_eq!(
                ok(PayloadFields {
                    name: bad,
                    ..base()
                }),
                Err(Error::NameUnsafeCharacter),
                "{bad:?}"
            );
        }
        assert!(ok(PayloadFields {
            name: "Café — €, ✓ 日本",
            ..base()
        })
        .is_ok());
    }

    #[test]
    fn fields_round_trip() {
        let p = TokenIssuePayload::new(PayloadFields {
            clawback_enabled: Some(true),
            ..base()
        })
        .unwrap();
        assert_eq!(TokenIssuePayload::new(p.fields()).unwrap(), p);
        assert_eq!(p.with_nonce(9).unwrap().nonce(), 9);
        assert_eq!(p.with_nonce(u64::MAX), Err(Error::NonceOutOfRange));
    }
}

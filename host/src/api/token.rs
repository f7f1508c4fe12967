//! `MintInfo`: a token's metadata, authorities, lists and supply
//! (`GET /v1/tokens/token_metadata?token=`, spec section 6).

use serde::{Deserialize, Serialize};

/// A holder of the mint/burn authority and its allowance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MinterAllowance {
    /// The minter's address.
    pub minter: String,
    /// What it may still mint, U256 decimal text.
    pub allowance: String,
}

/// One extra metadata entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyValue {
    /// Key.
    pub key: String,
    /// Value.
    pub value: String,
}

/// The token's descriptive metadata.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenMeta {
    /// The token's name.
    pub name: String,
    /// A URI (empty at issue).
    pub uri: String,
    /// Extra entries.
    pub additional_metadata: Vec<KeyValue>,
}

/// A token as `GET /v1/tokens/token_metadata` answers it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MintInfo {
    /// Symbol.
    pub symbol: String,
    /// The master authority (set at issue, never changed).
    pub master_authority: String,
    /// The master mint/burn authority (the zero address at issue).
    pub master_mint_burn_authority: String,
    /// Minters and their allowances.
    pub mint_burn_authorities: Vec<MinterAllowance>,
    /// Pause authorities.
    pub pause_authorities: Vec<String>,
    /// Black/white list authorities.
    pub list_authorities: Vec<String>,
    /// Blacklisted addresses.
    pub black_list: Vec<String>,
    /// Whitelisted addresses.
    pub white_list: Vec<String>,
    /// Metadata update authorities.
    pub metadata_update_authorities: Vec<String>,
    /// Bridge-mint authorities.
    pub bridge_mint_authorities: Vec<String>,
    /// Clawback authorities (the REST API serves it; the TS SDK's type
    /// lacks it, so it may be absent).
    #[serde(default)]
    pub clawback_authorities: Vec<String>,
    /// Total supply in base units, U256 decimal text.
    pub supply: String,
    /// Decimals.
    pub decimals: u8,
    /// Whether the token is paused.
    pub is_paused: bool,
    /// Whether only whitelisted addresses may use it.
    pub is_private: bool,
    /// Whether clawback is enabled (fixed at issue).
    pub clawback_enabled: bool,
    /// Name, URI and extra entries.
    pub meta: TokenMeta,
}

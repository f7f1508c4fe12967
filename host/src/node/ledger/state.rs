//! The ledger's objects (ledger rules section 1): accounts, tokens
//! (`MintInfo`), balances and multisig accounts, as the rules read and
//! change them and as the store keeps them.

use serde::{Deserialize, Serialize};
use tokensign_core::{Address, Amount};

use crate::api::{KeyValue, MintInfo, MinterAllowance, TokenMeta};

/// Most holders of the `MintBurnTokens` authority (ledger rules section 4).
pub const MAX_MINTERS: usize = 20;
/// Most holders of each other listed authority (ledger rules section 4).
pub const MAX_AUTHORITY_HOLDERS: usize = 5;

/// An account: its nonce (shared by every operation it signs) and its
/// bridge nonce (BurnAndBridge only).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Account {
    /// The nonce the account must use next.
    pub nonce: u64,
    /// The bridge nonce (rises by one per BurnAndBridge).
    pub bbnonce: u64,
}

impl Account {
    /// Stored form: nonce then bbnonce, 8 bytes big-endian each.
    pub fn to_bytes(self) -> [u8; 16] {
        let mut out = [0u8; 16];
        let (a, b) = out.split_at_mut(8);
        a.copy_from_slice(&self.nonce.to_be_bytes());
        b.copy_from_slice(&self.bbnonce.to_be_bytes());
        out
    }

    /// Reads [`Account::to_bytes`]; `None` if the length is wrong.
    pub fn from_bytes(bytes: &[u8]) -> Option<Account> {
        let nonce: [u8; 8] = bytes.get(..8)?.try_into().ok()?;
        let bbnonce: [u8; 8] = bytes.get(8..16)?.try_into().ok()?;
        (bytes.len() == 16).then_some(Account {
            nonce: u64::from_be_bytes(nonce),
            bbnonce: u64::from_be_bytes(bbnonce),
        })
    }
}

/// A `MintBurnTokens` holder and what it may still mint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Minter {
    /// The holder.
    #[serde(with = "addr_text")]
    pub minter: Address,
    /// Its remaining allowance (base units).
    #[serde(with = "amount_text")]
    pub allowance: Amount,
}

/// A token: its metadata, authorities, lists, supply and state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Token {
    /// The token's address.
    #[serde(with = "addr_text")]
    pub address: Address,
    /// Symbol (never changes).
    pub symbol: String,
    /// Name (TokenMetadata replaces it).
    pub name: String,
    /// URI (empty at issue).
    pub uri: String,
    /// Extra metadata entries, in order.
    pub additional_metadata: Vec<(String, String)>,
    /// Decimals.
    pub decimals: u8,
    /// The master authority (fixed at issue).
    #[serde(with = "addr_text")]
    pub master_authority: Address,
    /// The master mint/burn authority (the zero address when none).
    #[serde(with = "addr_text")]
    pub master_mint_burn_authority: Address,
    /// Minters and their allowances.
    pub minters: Vec<Minter>,
    /// Pause authorities.
    #[serde(with = "addr_list")]
    pub pause_authorities: Vec<Address>,
    /// List authorities.
    #[serde(with = "addr_list")]
    pub list_authorities: Vec<Address>,
    /// Metadata update authorities.
    #[serde(with = "addr_list")]
    pub metadata_authorities: Vec<Address>,
    /// Bridge-mint authorities.
    #[serde(with = "addr_list")]
    pub bridge_authorities: Vec<Address>,
    /// Clawback authorities.
    #[serde(with = "addr_list")]
    pub clawback_authorities: Vec<Address>,
    /// Blacklisted addresses.
    #[serde(with = "addr_list")]
    pub black_list: Vec<Address>,
    /// Whitelisted addresses.
    #[serde(with = "addr_list")]
    pub white_list: Vec<Address>,
    /// Total supply (base units): always the sum of all balances.
    #[serde(with = "amount_text")]
    pub supply: Amount,
    /// Paused.
    pub is_paused: bool,
    /// Only whitelisted addresses may hold, send or receive it.
    pub is_private: bool,
    /// Whether clawback is possible (fixed at issue).
    pub clawback_enabled: bool,
    /// The operator that issued it.
    #[serde(with = "addr_text")]
    pub issuer: Address,
}

impl Token {
    /// Whether `who` is blacklisted.
    pub fn is_blacklisted(&self, who: &Address) -> bool {
        self.black_list.contains(who)
    }

    /// Whether `who` is whitelisted.
    pub fn is_whitelisted(&self, who: &Address) -> bool {
        self.white_list.contains(who)
    }

    /// The minter entry of `who`, if it holds `MintBurnTokens`.
    pub fn minter(&self, who: &Address) -> Option<&Minter> {
        self.minters.iter().find(|m| m.minter == *who)
    }

    /// The token as `GET /v1/tokens/token_metadata` serves it.
    pub fn to_wire(&self) -> MintInfo {
        let list = |v: &[Address]| v.iter().map(Address::to_string).collect();
        MintInfo {
            symbol: self.symbol.clone(),
            master_authority: self.master_authority.to_string(),
            master_mint_burn_authority: self.master_mint_burn_authority.to_string(),
            mint_burn_authorities: self
                .minters
                .iter()
                .map(|m| MinterAllowance {
                    minter: m.minter.to_string(),
                    allowance: m.allowance.to_string(),
                })
                .collect(),
            pause_authorities: list(&self.pause_authorities),
            list_authorities: list(&self.list_authorities),
            black_list: list(&self.black_list),
            white_list: list(&self.white_list),
            metadata_update_authorities: list(&self.metadata_authorities),
            bridge_mint_authorities: list(&self.bridge_authorities),
            clawback_authorities: list(&self.clawback_authorities),
            supply: self.supply.to_string(),
            decimals: self.decimals,
            is_paused: self.is_paused,
            is_private: self.is_private,
            clawback_enabled: self.clawback_enabled,
            meta: TokenMeta {
                name: self.name.clone(),
                uri: self.uri.clone(),
                additional_metadata: self
                    .additional_metadata
                    .iter()
                    .map(|(key, value)| KeyValue {
                        key: key.clone(),
                        value: value.clone(),
                    })
                    .collect(),
            },
        }
    }
}

/// One member of a multisig account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    /// The member's compressed public key, `0x` + 66 hex digits.
    pub public_key: String,
    /// Its weight.
    pub weight: u8,
}

/// A multisig account (its nonce is its [`Account`]'s).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Multisig {
    /// The members.
    pub members: Vec<Member>,
    /// The weight the signing members must reach.
    pub threshold: u16,
}

impl Multisig {
    /// The weight of the member with compressed key `key`, if it is one.
    pub fn weight_of(&self, key: &[u8; 33]) -> Option<u8> {
        let text = format!("0x{}", hex::encode(key));
        self.members
            .iter()
            .find(|m| m.public_key == text)
            .map(|m| m.weight)
    }
}

/// Addresses as `0x` + hex text in the stored JSON.
pub(crate) mod addr_text {
    use serde::{Deserialize, Deserializer, Serializer};
    use tokensign_core::Address;

    pub fn serialize<S: Serializer>(a: &Address, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(a)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Address, D::Error> {
        let text = String::deserialize(d)?;
        Address::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// Lists of addresses as text in the stored JSON.
pub(crate) mod addr_list {
    use serde::{Deserialize, Deserializer, Serializer};
    use tokensign_core::Address;

    pub fn serialize<S: Serializer>(list: &[Address], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(list.iter().map(Address::to_string))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Address>, D::Error> {
        let texts = Vec::<String>::deserialize(d)?;
        texts
            .iter()
            .map(|t| Address::parse(t).map_err(serde::de::Error::custom))
            .collect()
    }
}

/// Amounts as decimal text in the stored JSON.
pub(crate) mod amount_text {
    use serde::{Deserialize, Deserializer, Serializer};
    use tokensign_core::Amount;

    pub fn serialize<S: Serializer>(a: &Amount, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(a)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Amount, D::Error> {
        let text = String::deserialize(d)?;
        Amount::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_bytes_round_trip() {
        let a = Account {
            nonce: 7,
            bbnonce: u64::MAX,
        };
        assert_eq!(Account::from_bytes(&a.to_bytes()), Some(a));
        assert_eq!(Account::from_bytes(&[0u8; 15]), None);
        assert_eq!(Account::from_bytes(&[0u8; 17]), None);
    }
}

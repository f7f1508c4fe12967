//! Developer accounts (ledger rules section 9a, like anvil for Ethereum):
//! N accounts derived from a mnemonic at `m/44'/60'/0'/0/i`, account 0 the
//! operator, account 1 a token's master authority, and optionally a test
//! token minted to every account, so that a payment works with nothing
//! else set up.
//!
//! The default mnemonic is PUBLIC: every key derived from it is known to
//! everyone. They exist for local development only.

use tokensign_core::hd::{derive_secret, DerivationPath, Mnemonic};
use tokensign_core::native::NativeTx;
use tokensign_core::text::Text;
use tokensign_core::tx::{token_address, TokenIssue, TokenMint, Transaction};
use tokensign_core::{Address, Amount, SigningKey};
use zeroize::Zeroizing;

use crate::node::error::ApiError;
use crate::node::AppState;

/// The public test mnemonic of anvil and of the network's local
/// development network.
pub const TEST_MNEMONIC: &str = crate::device::TEST_MNEMONIC;

/// Name of the test token.
pub const TEST_TOKEN_NAME: &str = "Local Test Token";
/// Decimals of the test token.
pub const TEST_TOKEN_DECIMALS: u8 = 6;

/// One derived account.
pub struct DevAccount {
    /// Its index `i` in `m/44'/60'/0'/0/i`.
    pub index: u32,
    /// Its address.
    pub address: Address,
    /// Its secret key (zeroized on drop).
    pub secret: Zeroizing<[u8; 32]>,
    /// Its signing key.
    pub key: SigningKey,
}

/// Why developer accounts could not be derived.
#[derive(Debug, thiserror::Error)]
pub enum DevError {
    /// The mnemonic or a derivation failed.
    #[error("cannot derive the developer accounts: {0}; give a valid BIP-39 mnemonic")]
    Derive(String),
    /// The test token could not be set up.
    #[error("cannot set up the test token: {code}: {message}")]
    Setup {
        /// The refusal's code.
        code: &'static str,
        /// Its message.
        message: String,
    },
}

impl From<ApiError> for DevError {
    fn from(e: ApiError) -> Self {
        DevError::Setup {
            code: e.code,
            message: e.message,
        }
    }
}

/// Derives accounts `0..count` of `mnemonic` (no passphrase).
pub fn derive_accounts(mnemonic: &str, count: u32) -> Result<Vec<DevAccount>, DevError> {
    let words = Mnemonic::parse(mnemonic).map_err(|e| DevError::Derive(e.to_string()))?;
    let seed = words
        .to_seed("")
        .map_err(|e| DevError::Derive(e.to_string()))?;
    (0..count)
        .map(|index| {
            let path =
                DerivationPath::ethereum(index).map_err(|e| DevError::Derive(e.to_string()))?;
            let secret = derive_secret(seed.as_bytes(), &path)
                .map_err(|e| DevError::Derive(e.to_string()))?;
            let key =
                SigningKey::from_bytes(&secret).map_err(|e| DevError::Derive(e.to_string()))?;
            Ok(DevAccount {
                index,
                address: key.address(),
                secret,
                key,
            })
        })
        .collect()
}

/// Issues the test token `symbol` (signed by account 0, the operator, with
/// account 1 as master authority) and mints `amount` base units of it to
/// every account, unless the token exists already (a restarted node keeps
/// its state). Needs at least two accounts. Returns the token's address.
pub async fn setup_test_token(
    state: &AppState,
    accounts: &[DevAccount],
    symbol: &str,
    amount: Amount,
) -> Result<Address, DevError> {
    let (Some(operator), Some(master)) = (accounts.first(), accounts.get(1)) else {
        return Err(DevError::Derive(
            "a test token needs at least 2 developer accounts".into(),
        ));
    };
    let chain_id = state.config().chain_id;
    let token = token_address(&master.address, symbol);
    let reader = state.read().map_err(|_| ApiError::internal())?;
    if reader
        .token(&token)
        .map_err(|_| ApiError::internal())?
        .is_some()
    {
        return Ok(token);
    }
    let nonce = |a: &Address| -> Result<u64, DevError> {
        let r = state.read().map_err(|_| ApiError::internal())?;
        Ok(r.account(a).map_err(|_| ApiError::internal())?.nonce)
    };
    let bad = |e: tokensign_core::Error| DevError::Derive(e.to_string());
    let issue = TokenIssue {
        symbol: Text::new(symbol)
            .map_err(|e| DevError::Derive(format!("symbol {symbol:?}: {e:?}")))?,
        name: Text::new(TEST_TOKEN_NAME).map_err(|e| DevError::Derive(format!("{e:?}")))?,
        decimals: TEST_TOKEN_DECIMALS,
        master_authority: master.address,
        is_private: false,
        clawback_enabled: Some(true),
    };
    let tx = Transaction::new(chain_id, nonce(&operator.address)?, issue);
    if let Err(refused) = state
        .submit_native(NativeTx::sign(tx, &operator.key).map_err(bad)?)
        .await
    {
        // Another node on the same database may have issued it first.
        let r = state.read().map_err(|_| ApiError::internal())?;
        if r.token(&token).map_err(|_| ApiError::internal())?.is_some() {
            return Ok(token);
        }
        return Err(refused.into());
    }
    let first = nonce(&master.address)?;
    for (next, account) in (first..).zip(accounts) {
        let mint = TokenMint {
            recipient: account.address,
            value: amount,
            token,
        };
        let tx = Transaction::new(chain_id, next, mint);
        state
            .submit_native(NativeTx::sign(tx, &master.key).map_err(bad)?)
            .await?;
    }
    Ok(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derives_the_public_test_accounts() {
        let accounts = derive_accounts(TEST_MNEMONIC, 2).unwrap();
        // ledger rules section 9a: account 0 is the operator, 1 the master.
        assert_eq!(
            accounts[0].address.to_string(),
            "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
        );
        assert_eq!(
            accounts[1].address.to_string(),
            "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
        );
        assert!(derive_accounts("not a mnemonic", 1).is_err());
    }
}

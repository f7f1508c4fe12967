//! The 200 bodies of writes and of the small reads.

use serde::{Deserialize, Serialize};

/// The 200 body of every write but a token issue: `{"hash": "0x…"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HashAnswer {
    /// The transaction hash, `0x` + 64 hex digits (compare case-insensitively).
    pub hash: String,
}

/// The 200 body of a token issue: `{"hash": "0x…", "token": "0x…"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HashTokenAnswer {
    /// The transaction hash, `0x` + 64 hex digits.
    pub hash: String,
    /// The new token's address.
    pub token: String,
}

/// `GET /v1/chains/chain_id`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainIdAnswer {
    /// The chain id.
    pub chain_id: u64,
}

/// `GET /v1/accounts/nonce?address=`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NonceAnswer {
    /// The nonce the address must use next.
    pub nonce: u64,
}

/// `GET /v1/accounts/bbnonce?address=`: the bridge nonce.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BbnonceAnswer {
    /// The bridge nonce of the address.
    pub bbnonce: u64,
}

/// `GET /v1/accounts/token_account?address=&token=`: a holder's balance of
/// one token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenAccountAnswer {
    /// The balance in the token's base units, U256 decimal text.
    pub balance: String,
    /// The token account's nonce.
    pub nonce: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_account_answers_of_section_6() {
        let a: TokenAccountAnswer = serde_json::from_str(
            r#"{"balance":"115792089237316195423570985008687907853269984665640564039457584007913129639935","nonce":3}"#,
        )
        .unwrap();
        assert_eq!(a.nonce, 3);
        assert_eq!(a.balance.len(), 78);
        // A balance is a string on the wire: a JSON number is refused.
        assert!(serde_json::from_str::<TokenAccountAnswer>(r#"{"balance":5,"nonce":0}"#).is_err());
        let b: BbnonceAnswer = serde_json::from_str(r#"{"bbnonce":7}"#).unwrap();
        assert_eq!(b.bbnonce, 7);
        assert_eq!(serde_json::to_string(&b).unwrap(), r#"{"bbnonce":7}"#);
    }
}

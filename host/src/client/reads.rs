//! The reads behind `balance`, `token`, `nonce` and `tx`: token accounts,
//! token metadata, and a transaction, its receipt and its finalized
//! receipt by hash. Reads are always on `/v1` (spec section 1.1).

use serde::de::DeserializeOwned;
use tokensign_core::Address;

use super::{Client, ClientError, RestError};
use crate::api::{
    ErrorBody, FinalizedReceipt, MintInfo, NativeWriteMode, NodeStatus, TokenAccountAnswer,
    TransactionReceipt,
};
use crate::show::hex0x;

/// A read by hash: found, or the server's "no such transaction".
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ByHash<T> {
    /// The answer.
    Found(T),
    /// 404 with the spec's `resource_transaction_not_found` code (or the
    /// local node's `TRANSACTION_NOT_FOUND`): not known (yet).
    NotFound,
}

/// Whether an error body is the spec's "transaction not found": any other
/// 404 (a proxy's, a missing route) is a failed read, not an absence.
fn is_not_found(body: &[u8]) -> bool {
    ErrorBody::read(body)
        .error_code
        .is_some_and(|c| c.to_ascii_lowercase().ends_with("transaction_not_found"))
}

impl Client<'_> {
    /// `GET /api/status`. A server without the route (404) is a `v1_only`
    /// server (spec section 1.2): `Ok(None)`.
    pub fn status(&self) -> Result<Option<NodeStatus>, ClientError> {
        let (status, body) = self.get_until("/api/status", self.deadline)?;
        match status {
            200 => serde_json::from_slice(&body)
                .map(Some)
                .map_err(|_| ClientError::BadAnswer {
                    what: "GET /api/status".into(),
                    why: "the answer is not a status object (native_write_mode, read_only, …)"
                        .into(),
                }),
            404 => Ok(None),
            _ => Err(ClientError::Refused {
                what: "GET /api/status".into(),
                error: RestError::from_response(status, &body),
            }),
        }
    }

    /// The server's write mode: [`Client::status`], with a missing route
    /// read as `v1_only`.
    pub fn write_mode(&self) -> Result<NativeWriteMode, ClientError> {
        Ok(self
            .status()?
            .map_or(NativeWriteMode::V1Only, |s| s.native_write_mode))
    }

    /// `GET /v1/tokens/token_metadata?token=`.
    pub fn token_metadata(&self, token: &Address) -> Result<MintInfo, ClientError> {
        self.get_json(
            &format!("/v1/tokens/token_metadata?token={token}"),
            "a token's metadata (MintInfo: symbol, decimals, supply, …)",
        )
    }

    /// `GET /v1/accounts/token_account?address=&token=`.
    pub fn token_account(
        &self,
        address: &Address,
        token: &Address,
    ) -> Result<TokenAccountAnswer, ClientError> {
        self.get_json(
            &format!("/v1/accounts/token_account?address={address}&token={token}"),
            "a token account ({balance, nonce})",
        )
    }

    fn by_hash<T: DeserializeOwned>(
        &self,
        route: &str,
        hash: &[u8; 32],
        shape: &str,
    ) -> Result<ByHash<T>, ClientError> {
        let path = format!("{route}?hash={}", hex0x(hash));
        let (status, body) = self.get_until(&path, self.deadline)?;
        match status {
            200 => serde_json::from_slice(&body)
                .map(ByHash::Found)
                .map_err(|_| ClientError::BadAnswer {
                    what: format!("GET {path}"),
                    why: format!("the answer is not {shape}"),
                }),
            404 if is_not_found(&body) => Ok(ByHash::NotFound),
            _ => Err(ClientError::Refused {
                what: format!("GET {path}"),
                error: RestError::from_response(status, &body),
            }),
        }
    }

    /// `GET /v1/transactions/by_hash?hash=`, the answer as JSON.
    pub fn transaction(&self, hash: &[u8; 32]) -> Result<ByHash<serde_json::Value>, ClientError> {
        self.by_hash("/v1/transactions/by_hash", hash, "a JSON transaction")
    }

    /// `GET /v1/transactions/receipt/by_hash?hash=`.
    pub fn receipt(&self, hash: &[u8; 32]) -> Result<ByHash<TransactionReceipt>, ClientError> {
        self.by_hash(
            "/v1/transactions/receipt/by_hash",
            hash,
            "a receipt (success, transaction_hash, fee_used, from, …)",
        )
    }

    /// `GET /v1/transactions/finalized/by_hash?hash=`.
    pub fn finalized(&self, hash: &[u8; 32]) -> Result<ByHash<FinalizedReceipt>, ClientError> {
        self.by_hash(
            "/v1/transactions/finalized/by_hash",
            hash,
            "a finalized receipt (a receipt with epoch and counter_signatures)",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_transaction_code_means_not_found() {
        assert!(is_not_found(
            br#"{"error_code":"resource_transaction_not_found","message":"m"}"#
        ));
        assert!(is_not_found(
            br#"{"error_code":"TRANSACTION_NOT_FOUND","message":"m"}"#
        ));
        assert!(!is_not_found(
            br#"{"error_code":"NOT_FOUND","message":"no route"}"#
        ));
        assert!(!is_not_found(b"<html>404</html>"));
    }
}

//! `GET /v1/tokens/definition`: signed token definitions of this node's
//! tokens (`docs/definitions.md`), so that a developer needs no separate
//! definitions signer. A local extension: the network has no such route,
//! and the OpenAPI document marks it as the node's own.
//!
//! - Without `token`: who this is and which key signs its definitions,
//!   `{"node": "tokensign local node", "chain_id": N, "signer": "0x…"}`.
//! - With `token=0x…`: the token's definition as a definition file
//!   (`crate::definitions::DefinitionFile`), for the node's chain, with the
//!   symbol and decimals the token was issued with. 404 `TOKEN_NOT_FOUND`
//!   for a token the node does not have; 404 `DEFINITION_UNAVAILABLE` for
//!   a symbol a definition cannot carry (not 1 to 20 ASCII letters and
//!   digits).
//!
//! The key is the node's own: 32 random bytes in `definitions.key` in the
//! data directory, made on first use (mode 0600), so it stays the same
//! across restarts and differs between nodes. An in-memory node
//! (`NodeConfig::in_memory`) keeps no file: its key is made at its first
//! use and lives as long as the node.

use std::fs;
use std::io::Write as _;
use std::path::Path;

use axum::extract::State;
use axum::Json;
use rand::RngCore;
use serde_json::{json, Value};
use tokensign_core::definition::{TokenDefinition, TokenUnit};
use tokensign_core::SigningKey;
use zeroize::Zeroizing;

use super::error::{codes, ApiError};
use super::routes::{address_param, storage_error, Params};
use super::AppState;
use crate::definitions::{DefinitionFile, NodeSigner, LOCAL_NODE};

/// The key file's name in the data directory.
pub const KEY_FILE: &str = "definitions.key";
/// 404: the token's symbol cannot be a definition's.
pub const DEFINITION_UNAVAILABLE: &str = "DEFINITION_UNAVAILABLE";

/// The node's definitions key, from `KEY_FILE` in `data_dir`, made on
/// first use.
pub fn definitions_key(data_dir: &Path) -> Result<SigningKey, String> {
    let path = data_dir.join(KEY_FILE);
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(&path) {
        Ok(mut file) => {
            let key = loop {
                let mut secret = Zeroizing::new([0u8; 32]);
                rand::rngs::OsRng.fill_bytes(secret.as_mut());
                if let Ok(key) = SigningKey::from_bytes(&secret) {
                    let text = Zeroizing::new(format!("{}\n", hex::encode(secret.as_ref())));
                    file.write_all(text.as_bytes())
                        .and_then(|()| file.sync_all())
                        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
                    break key;
                }
            };
            Ok(key)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let text = Zeroizing::new(
                fs::read_to_string(&path)
                    .map_err(|e| format!("cannot read {}: {e}", path.display()))?,
            );
            let mut secret = Zeroizing::new([0u8; 32]);
            hex::decode_to_slice(text.trim(), secret.as_mut())
                .ok()
                .and_then(|()| SigningKey::from_bytes(&secret).ok())
                .ok_or_else(|| {
                    format!(
                        "{} is not a key (64 hex digits): delete it to make a new one",
                        path.display()
                    )
                })
        }
        Err(e) => Err(format!("cannot create {}: {e}", path.display())),
    }
}

fn key(state: &AppState) -> Result<SigningKey, ApiError> {
    if state.config().in_memory {
        return Ok(state.inner.memory_key.get_or_init(random_key).clone());
    }
    definitions_key(&state.config().data_dir).map_err(|e| {
        tracing::error!(error = %e, "definitions key");
        ApiError::internal()
    })
}

/// A new random key (an in-memory node's).
fn random_key() -> SigningKey {
    loop {
        let mut secret = Zeroizing::new([0u8; 32]);
        rand::rngs::OsRng.fill_bytes(secret.as_mut());
        if let Ok(key) = SigningKey::from_bytes(&secret) {
            return key;
        }
    }
}

/// `GET /v1/tokens/definition[?token=]`
pub(crate) async fn definition(
    State(state): State<AppState>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let chain_id = state.config().chain_id;
    // A query that cannot be read is refused below, as a bad query.
    let asked = match &params {
        Ok(query) => query.0.contains_key("token"),
        Err(_) => true,
    };
    if !asked {
        let answer = NodeSigner {
            node: LOCAL_NODE.to_owned(),
            chain_id,
            signer: key(&state)?.address().to_string(),
        };
        return Ok(Json(json!(answer)));
    }
    let token = address_param(&params, "token")?;
    let reader = state.read().map_err(storage_error)?;
    let Some(found) = reader.token(&token).map_err(storage_error)? else {
        return Err(ApiError::not_found(
            codes::TOKEN_NOT_FOUND,
            format!(
                "no token at address {token} on this node: check the address, or issue it first"
            ),
        ));
    };
    let info = found.to_wire();
    let unit = TokenUnit::new(&info.symbol, info.decimals).map_err(|e| {
        ApiError::not_found(
            DEFINITION_UNAVAILABLE,
            format!("token {token} has no definition: {e}; its amounts are shown in base units"),
        )
    })?;
    let signed = TokenDefinition {
        chain_id,
        token,
        unit,
    }
    .sign(&key(&state)?)
    .map_err(|e| {
        tracing::error!(error = %e, "signing a definition");
        ApiError::internal()
    })?;
    Ok(Json(json!(DefinitionFile::new(&signed))))
}

/// The route's entry in the OpenAPI document, marked as the node's own,
/// and its error code among the document's `ErrorCode`s.
// `doc` is the node's document, whose shape the OpenAPI tests pin (see
// `openapi.rs` on indexing).
#[allow(clippy::indexing_slicing)]
pub(crate) fn document(doc: &mut Value) {
    let codes_schema = &mut doc["components"]["schemas"]["ErrorCode"];
    if let Some(all) = codes_schema["enum"].as_array_mut() {
        all.push(json!(DEFINITION_UNAVAILABLE));
    }
    codes_schema["x-status"][DEFINITION_UNAVAILABLE] = json!(404);
    let paths = &mut doc["paths"];
    let error = |description: &str, codes: &[&str]| {
        json!({
            "description": description,
            "x-error-codes": codes,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RESTErrorData"}}},
        })
    };
    // The query takes the network's address forms; the answers write
    // addresses EIP-55 checksummed (mixed case), as `tokensign definition
    // sign` does.
    let address = json!({"type": "string", "pattern": super::openapi::ADDRESS_PATTERN});
    let written_address = json!({"type": "string", "pattern": "^0x[0-9a-fA-F]{40}$"});
    let hex = json!({"type": "string", "pattern": "^0x([0-9a-f]{2})+$"});
    paths["/v1/tokens/definition"] = json!({"get": {
        "tags": ["tokens"],
        "operationId": "get_token_definition",
        "x-local-extension": true,
        "summary": "A signed token definition (local node only; not part of the network's API)",
        "description": "The tokensign local node's extension: with `token`, the token's signed \
            definition (docs/definitions.md), signed by the node's definitions key; without it, \
            which key that is. The 1Money Network has no such route.",
        "parameters": [{"name": "token", "in": "query", "required": false, "schema": address}],
        "responses": {
            "200": {"description": "The definition file, or (without `token`) the node's definitions signer",
                "content": {"application/json": {"schema": {"oneOf": [
                    {"type": "object", "additionalProperties": false,
                     "required": ["format", "chain_id", "token", "symbol", "decimals", "signer", "encoding", "signature", "signed"],
                     "properties": {
                        "format": {"type": "string", "enum": [crate::definitions::FILE_FORMAT]},
                        "chain_id": {"type": "integer", "minimum": 0},
                        "token": written_address, "symbol": {"type": "string", "pattern": "^[A-Za-z0-9]{1,20}$"},
                        "decimals": {"type": "integer", "minimum": 0, "maximum": 18},
                        "signer": written_address, "encoding": hex, "signature": hex, "signed": hex}},
                    {"type": "object", "additionalProperties": false,
                     "required": ["node", "chain_id", "signer"],
                     "properties": {"node": {"type": "string", "enum": [LOCAL_NODE]},
                        "chain_id": {"type": "integer", "minimum": 0}, "signer": written_address}}]}}}},
            "400": error(
                "The query",
                &[codes::INVALID_QUERY, codes::INVALID_ADDRESS, codes::MISSING_PARAMETER],
            ),
            "404": error(
                "No such token, or a symbol a definition cannot carry",
                &[codes::TOKEN_NOT_FOUND, DEFINITION_UNAVAILABLE],
            ),
            "500": error("Internal error", &[codes::INTERNAL_ERROR])}}});
}

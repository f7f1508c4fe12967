//! Every `error_code` of the `/v1/...` API, with its HTTP status.

/// 400: the body is not well-formed JSON, has trailing characters or an
/// invalid string escape.
pub const MALFORMED_JSON: &str = "MALFORMED_JSON";
/// 400: a required field is absent.
pub const MISSING_FIELD: &str = "MISSING_FIELD";
/// 400: a field the request format does not define.
pub const UNKNOWN_FIELD: &str = "UNKNOWN_FIELD";
/// 400: the same field twice.
pub const DUPLICATE_FIELD: &str = "DUPLICATE_FIELD";
/// 400: a value of the wrong JSON type.
pub const INVALID_TYPE: &str = "INVALID_TYPE";
/// 400: a number that is not an integer of its field's range:
/// negative, fractional, exponent form, beyond its type (u8, u16, u64,
/// a U256 string above 2^256-1 or not a U256), `chain_id`/`nonce` above
/// 2^63-1, zero where the field must be positive, a threshold above the
/// weights.
pub const INVALID_NUMBER: &str = "INVALID_NUMBER";
/// 400: the symbol breaks the network's rules.
pub const INVALID_SYMBOL: &str = "INVALID_SYMBOL";
/// 400: the name breaks the network's rules.
pub const INVALID_NAME: &str = "INVALID_NAME";
/// 400: decimals above 18.
pub const INVALID_DECIMALS: &str = "INVALID_DECIMALS";
/// 400: an address that is not `0x` + 40 hex digits with a valid checksum.
pub const INVALID_ADDRESS: &str = "INVALID_ADDRESS";
/// 400: a 32-byte hash that is not `0x` + 64 hex digits.
pub const INVALID_HASH: &str = "INVALID_HASH";
/// 400: a value other than a number breaks its field's rules (the
/// message names the field and the rule).
pub const INVALID_VALUE: &str = "INVALID_VALUE";
/// 400: a legacy top-level `signature` posted to a `/v2` path.
pub const DOMAIN_SEPARATED_SIGNATURE_REQUIRED: &str = "DOMAIN_SEPARATED_SIGNATURE_REQUIRED";
/// 400: r, s or v malformed, high-S, out of range, or not recoverable.
pub const INVALID_SIGNATURE: &str = "INVALID_SIGNATURE";
/// 400: the query string cannot be decoded.
pub const INVALID_QUERY: &str = "INVALID_QUERY";
/// 400: a required query parameter is absent.
pub const MISSING_PARAMETER: &str = "MISSING_PARAMETER";
/// 400: `Content-Type` is not `application/json`.
pub const UNSUPPORTED_MEDIA_TYPE: &str = "UNSUPPORTED_MEDIA_TYPE";
/// 400: the body is longer than the server's limit.
pub const BODY_TOO_LARGE: &str = "BODY_TOO_LARGE";
/// 400: the body could not be read (connection error, bad framing).
pub const BODY_READ_ERROR: &str = "BODY_READ_ERROR";
/// 422: `chain_id` is not this server's chain id.
pub const WRONG_CHAIN_ID: &str = "WRONG_CHAIN_ID";
/// 422: `nonce` is not the signer's next nonce.
pub const NONCE_MISMATCH: &str = "NONCE_MISMATCH";
/// 422: the signer is not an operator of this server.
pub const SIGNER_NOT_OPERATOR: &str = "SIGNER_NOT_OPERATOR";
/// 422: the token address (master authority + symbol) was issued before.
pub const TOKEN_ALREADY_EXISTS: &str = "TOKEN_ALREADY_EXISTS";
/// 422: the symbol was issued before on this server (by another master
/// authority).
pub const SYMBOL_ALREADY_EXISTS: &str = "SYMBOL_ALREADY_EXISTS";
/// 404: no route with this path.
pub const NOT_FOUND: &str = "NOT_FOUND";
/// 405: the path exists but not with this method (with an `Allow`
/// header).
pub const METHOD_NOT_ALLOWED: &str = "METHOD_NOT_ALLOWED";
/// 404: no transaction with this hash (the network's code, lower case).
pub const TRANSACTION_NOT_FOUND: &str = "resource_transaction_not_found";
/// 404: no checkpoint with this number or hash.
pub const CHECKPOINT_NOT_FOUND: &str = "CHECKPOINT_NOT_FOUND";
/// 403: a `/v2` write while the node is `v1_only`.
pub const DOMAIN_SEPARATED_SIGNATURE_NOT_ACTIVE: &str = "DOMAIN_SEPARATED_SIGNATURE_NOT_ACTIVE";
/// 403: a write while the node is `read_only` (spec 1.2; the network
/// documents no code for it).
pub const NODE_READ_ONLY: &str = "NODE_READ_ONLY";
/// 403: a development control (`/dev/…`) while they are off (the node
/// listens on a non-loopback address without `--dev-controls`, or was
/// started with `--no-dev-controls`).
pub const DEV_CONTROLS_DISABLED: &str = "DEV_CONTROLS_DISABLED";
/// 501: a development control a node on PostgreSQL does not offer
/// (the `interval` and `manual` checkpoint modes: its store, shared by
/// several processes, keeps no transaction out of a checkpoint).
pub const DEV_CONTROL_UNSUPPORTED_ON_POSTGRES: &str = "DEV_CONTROL_UNSUPPORTED_ON_POSTGRES";
/// 404: `POST /dev/revert` names no snapshot (never taken, or used up
/// by a revert to it or to an earlier one).
pub const SNAPSHOT_NOT_FOUND: &str = "SNAPSHOT_NOT_FOUND";
/// 426: `GET /v1/stream` without a WebSocket upgrade.
pub const UPGRADE_REQUIRED: &str = "UPGRADE_REQUIRED";
/// 410: a `/v1` write while the node is `v2_only`.
pub const LEGACY_NATIVE_WRITE_ENDPOINT_DISABLED: &str = "LEGACY_NATIVE_WRITE_ENDPOINT_DISABLED";
/// 410: `POST /v1/transactions/raw`, retired on the network.
pub const RAW_TRANSACTION_ENDPOINT_REMOVED: &str = "RAW_TRANSACTION_ENDPOINT_REMOVED";
/// 400: `authorization.type` is neither `single_secp256k1` nor
/// `multisig_secp256k1`.
pub const UNSUPPORTED_AUTHORIZATION_TYPE: &str = "UNSUPPORTED_AUTHORIZATION_TYPE";
/// 422: the transaction (same hash) was already admitted.
pub const DUPLICATE_TRANSACTION: &str = "DUPLICATE_TRANSACTION";
/// 422: the token of a write does not exist.
pub const UNKNOWN_TOKEN: &str = "UNKNOWN_TOKEN";
/// 422: the signer lacks the authority the operation needs.
pub const NOT_AUTHORIZED: &str = "NOT_AUTHORIZED";
/// 422: a mint above the minter's remaining allowance.
pub const ALLOWANCE_EXCEEDED: &str = "ALLOWANCE_EXCEEDED";
/// 422: the balance does not cover the amount (plus fee).
pub const INSUFFICIENT_BALANCE: &str = "INSUFFICIENT_BALANCE";
/// 422: a balance, supply or sum would pass 2^256-1.
pub const AMOUNT_OVERFLOW: &str = "AMOUNT_OVERFLOW";
/// 422: the token is paused.
pub const TOKEN_PAUSED: &str = "TOKEN_PAUSED";
/// 422: pausing a paused token.
pub const ALREADY_PAUSED: &str = "ALREADY_PAUSED";
/// 422: unpausing a token that is not paused.
pub const NOT_PAUSED: &str = "NOT_PAUSED";
/// 422: the sender is blacklisted for the token.
pub const SENDER_BLACKLISTED: &str = "SENDER_BLACKLISTED";
/// 422: a recipient is blacklisted for the token.
pub const RECIPIENT_BLACKLISTED: &str = "RECIPIENT_BLACKLISTED";
/// 422: the token is private and the sender is not whitelisted.
pub const SENDER_NOT_WHITELISTED: &str = "SENDER_NOT_WHITELISTED";
/// 422: the token is private and a recipient is not whitelisted.
pub const RECIPIENT_NOT_WHITELISTED: &str = "RECIPIENT_NOT_WHITELISTED";
/// 422: clawback on a token issued with `clawback_enabled` false.
pub const CLAWBACK_DISABLED: &str = "CLAWBACK_DISABLED";
/// 422: clawback from an account that is not frozen.
pub const ACCOUNT_NOT_FROZEN: &str = "ACCOUNT_NOT_FROZEN";
/// 422: granting an authority the holder already has.
pub const AUTHORITY_ALREADY_GRANTED: &str = "AUTHORITY_ALREADY_GRANTED";
/// 422: revoking an authority the address does not hold.
pub const AUTHORITY_NOT_HELD: &str = "AUTHORITY_NOT_HELD";
/// 422: an authority list is full.
pub const AUTHORITY_LIMIT_REACHED: &str = "AUTHORITY_LIMIT_REACHED";
/// 422: a blacklist change on a private token or a whitelist change on
/// a public one.
pub const LIST_NOT_FOR_TOKEN: &str = "LIST_NOT_FOR_TOKEN";
/// 422: adding an address already on the list.
pub const ALREADY_LISTED: &str = "ALREADY_LISTED";
/// 422: removing an address not on the list.
pub const NOT_LISTED: &str = "NOT_LISTED";
/// 422: CreateMultiSig of an account that exists.
pub const MULTISIG_ALREADY_EXISTS: &str = "MULTISIG_ALREADY_EXISTS";
/// 422: a multisig authorization for an account that does not exist.
pub const MULTISIG_ACCOUNT_NOT_FOUND: &str = "MULTISIG_ACCOUNT_NOT_FOUND";
/// 422: a multisig signature by a key that is not a member.
pub const NOT_A_MULTISIG_MEMBER: &str = "NOT_A_MULTISIG_MEMBER";
/// 422: the signing members' weights are below the threshold.
pub const MULTISIG_BELOW_THRESHOLD: &str = "MULTISIG_BELOW_THRESHOLD";

/// Every 422 code of a ledger rule, for the OpenAPI document.
pub const RULE_CODES: &[&str] = &[
    WRONG_CHAIN_ID,
    NONCE_MISMATCH,
    SIGNER_NOT_OPERATOR,
    TOKEN_ALREADY_EXISTS,
    SYMBOL_ALREADY_EXISTS,
    DUPLICATE_TRANSACTION,
    UNKNOWN_TOKEN,
    NOT_AUTHORIZED,
    ALLOWANCE_EXCEEDED,
    INSUFFICIENT_BALANCE,
    AMOUNT_OVERFLOW,
    TOKEN_PAUSED,
    ALREADY_PAUSED,
    NOT_PAUSED,
    SENDER_BLACKLISTED,
    RECIPIENT_BLACKLISTED,
    SENDER_NOT_WHITELISTED,
    RECIPIENT_NOT_WHITELISTED,
    CLAWBACK_DISABLED,
    ACCOUNT_NOT_FROZEN,
    AUTHORITY_ALREADY_GRANTED,
    AUTHORITY_NOT_HELD,
    AUTHORITY_LIMIT_REACHED,
    LIST_NOT_FOR_TOKEN,
    ALREADY_LISTED,
    NOT_LISTED,
    MULTISIG_ALREADY_EXISTS,
    MULTISIG_ACCOUNT_NOT_FOUND,
    NOT_A_MULTISIG_MEMBER,
    MULTISIG_BELOW_THRESHOLD,
];
/// 404: no token at this address.
pub const TOKEN_NOT_FOUND: &str = "TOKEN_NOT_FOUND";
/// 408: the body did not arrive within the server's body timeout.
pub const REQUEST_TIMEOUT: &str = "REQUEST_TIMEOUT";
/// 500: storage failure or another unexpected error.
pub const INTERNAL_ERROR: &str = "INTERNAL_ERROR";
/// 503: the node's database (PostgreSQL) cannot be reached or did not
/// confirm a commit; retry later (a write whose commit was not
/// confirmed may be stored: read it by hash before sending it again).
pub const DATABASE_UNAVAILABLE: &str = "DATABASE_UNAVAILABLE";
/// 403: the `Host` header names neither a loopback name or address nor
/// an allowed host, on a node that checks it (on loopback).
pub const HOST_NOT_ALLOWED: &str = "HOST_NOT_ALLOWED";
/// 503: the node has as many open connections as it allows; the
/// connection is closed after this answer.
pub const TOO_MANY_CONNECTIONS: &str = "TOO_MANY_CONNECTIONS";

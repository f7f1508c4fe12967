//! Every limit the core enforces, in one place, with the reason for each.
//!
//! Limits of the network (from `onemoney-transactions.md`, table 2.2) are
//! followed exactly. Where the network sets none, the core sets one, so that
//! every value fits a buffer whose size is known at compile time; those are
//! marked *core* below with the reason. List capacities are the host's
//! defaults: a firmware picks smaller ones through the const parameters of
//! [`crate::tx::Operation`], [`crate::tx::BatchPayment`] and
//! [`crate::tx::TokenMetadata`].

/// Largest `chain_id`: 2^63-1. *core*: the issue API's schema types it as
/// int64 (minimum 0) and JSON stacks that read numbers as `i64` (most of
/// them) agree; no chain id or nonce comes near it.
pub const MAX_CHAIN_ID: u64 = i64::MAX as u64;
/// Largest `nonce`: 2^63-1, for the same reason as [`MAX_CHAIN_ID`].
pub const MAX_NONCE: u64 = i64::MAX as u64;

/// Largest `decimals` (network).
pub const MAX_DECIMALS: u8 = 18;
/// Largest `symbol`, in UTF-8 bytes (network).
pub const MAX_SYMBOL_LEN: usize = 20;
/// Largest token `name` (issue and metadata), in UTF-8 bytes (network).
pub const MAX_NAME_LEN: usize = 120;
/// Largest metadata `uri`, in UTF-8 bytes (network).
pub const MAX_URI_LEN: usize = 512;
/// Largest metadata key, in UTF-8 bytes (network).
pub const MAX_METADATA_KEY_LEN: usize = 20;
/// Largest metadata value, in UTF-8 bytes (network).
pub const MAX_METADATA_VALUE_LEN: usize = 100;
/// Most `additional_metadata` entries a host accepts: 32. *core*: the
/// network sets no count; 32 entries of the largest size take about 8 KiB
/// of JSON and 4 KiB of RLP, more than any token registry entry seen needs,
/// and a review a person can still page through.
pub const MAX_METADATA_ENTRIES: usize = 32;

/// Largest `source_tx_hash`, in UTF-8 bytes: 128. *core*: a transaction
/// hash of any chain in text (EVM 66 characters, Solana base58 88, Bitcoin
/// 64) fits with room to spare.
pub const MAX_SOURCE_TX_HASH_LEN: usize = 128;
/// Largest `destination_address`, in UTF-8 bytes: 128. *core*: addresses of
/// other chains in text (EVM 42, bech32 up to 90, base58 up to 44) fit.
pub const MAX_DESTINATION_ADDRESS_LEN: usize = 128;
/// Largest `bridge_metadata`, in UTF-8 bytes: 256. *core*: the same room the
/// network gives a memo's data; bridges put references there, not documents.
pub const MAX_BRIDGE_METADATA_LEN: usize = 256;
/// Largest `bridge_param`, in bytes: 256. *core*: relayer parameters are a
/// few words (an ABI-encoded call of a few arguments is 4 + 32·n bytes);
/// 256 bytes holds seven words.
pub const MAX_BRIDGE_PARAM_LEN: usize = 256;

/// Fewest signers of a multisig account (network).
pub const MIN_MULTISIG_SIGNERS: usize = 2;
/// Most signers of a multisig account (network).
pub const MAX_MULTISIG_SIGNERS: usize = 20;

/// Most operations of one BatchPayment a host accepts: 256. *core*: the
/// network's limit is governance, set on the server and not published;
/// 256 entries take about 14 KiB of RLP and 38 KiB of JSON. A tool splits
/// a longer payroll into several batches.
pub const MAX_BATCH_OPERATIONS: usize = 256;
/// Largest `batch_id`, in UTF-8 bytes: 256. *core*: a correlation id (a UUID
/// is 36 characters) needs far less, but the spec's vectors sign 255- and
/// 256-byte ids (the RLP length boundaries), so the network takes them; the
/// same room as a memo's data.
pub const MAX_BATCH_ID_LEN: usize = 256;

/// Largest memo `type`, in UTF-8 bytes (network).
pub const MAX_MEMO_TYPE_LEN: usize = 128;
/// Largest memo `format`, in UTF-8 bytes (network).
pub const MAX_MEMO_FORMAT_LEN: usize = 64;
/// Largest memo `data`, in UTF-8 bytes (network).
pub const MAX_MEMO_DATA_LEN: usize = 256;
/// Largest memo as the network measures it: the three lengths plus 16
/// (network; unreachable under the per-field limits, at most 464).
pub const MAX_MEMO_TOTAL: usize = 512;

//! The wire types of the REST APIs tokensign speaks, in one place, shared
//! by the client ([`crate::client`]) and the local node ([`crate::node`]):
//!
//! - [`answers`]: the 200 bodies of writes (`{hash}`, `{hash, token}`) and
//!   of the small reads (`{chain_id}`, `{nonce}`, `{bbnonce}`, a token
//!   account's `{balance, nonce}`).
//! - [`error`]: `RESTErrorData`, and a lenient reader of any error body.
//! - [`status`]: the body of `GET /api/status` (the node's write mode).
//! - [`token`]: `MintInfo`, the token metadata of
//!   `GET /v1/tokens/token_metadata`.
//! - [`tx`]: `Transaction` and `TransactionReceipt`.
//! - [`fee`], [`checkpoint`], [`finalized`]: the local node's fee
//!   estimates, checkpoints and finalized receipts.
//! - [`abc_lab`]: the ABC-Lab mint API's request, answer and error bodies.
//! - [`stream`]: the frames of the local node's live stream.
//! - [`dev`]: the bodies of the local node's development controls.
//!
//! Shapes follow `onemoney-transactions.md` sections 1.2, 2.1, 6 and 7 and
//! the ABC-Lab mint document. Addresses and hashes are strings here (as on
//! the wire); the client and the node parse them with the core.

pub mod abc_lab;
pub mod answers;
pub mod checkpoint;
pub mod dev;
pub mod error;
pub mod fee;
pub mod finalized;
pub mod status;
pub mod stream;
pub mod token;
pub mod tx;

pub use abc_lab::{JsonNumber, MintErrorBody, MintRequest, MintSuccess};
pub use answers::{
    BbnonceAnswer, ChainIdAnswer, HashAnswer, HashTokenAnswer, NonceAnswer, TokenAccountAnswer,
};
pub use checkpoint::{Checkpoint, CheckpointNumberAnswer};
pub use error::{ErrorBody, RestErrorData};
pub use fee::{BatchFeeOperation, BatchFeeRequest, FeeEstimate};
pub use finalized::FinalizedReceipt;
pub use status::{ActivationSource, DomainSeparatedSupport, NativeWriteMode, NodeStatus};
pub use stream::StreamFrame;
pub use token::{KeyValue, MintInfo, MinterAllowance, TokenMeta};
pub use tx::{SignatureJson, TokenCreateData, Transaction, TransactionReceipt};

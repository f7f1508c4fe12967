//! The flags of `tokensign dev …`.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

use super::super::amount::AmountArgs;

/// `tokensign dev`.
#[derive(Debug, Args)]
pub struct DevArgs {
    /// The node's base URL (default: the local node, http://127.0.0.1:18555).
    #[arg(long, env = "TOKENSIGN_URL", global = true)]
    pub url: Option<String>,
    /// Seconds to wait for each answer.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=600),
          value_name = "SECS", global = true)]
    pub timeout: u64,
    /// The control.
    #[command(subcommand)]
    pub command: DevCommand,
}

/// The development controls.
#[derive(Debug, Subcommand)]
pub enum DevCommand {
    /// Set an account's balance of a token; the token's supply follows.
    SetBalance(SetBalanceArgs),
    /// Set the nonce an account must use next.
    SetNonce(SetNonceArgs),
    /// Send any operation as any address, without its key (impersonation).
    Send(SendArgs),
    /// Show or switch the write mode and read_only.
    Modes(ModesArgs),
    /// Show or change the Payment and BatchPayment fees.
    Fees(FeesArgs),
    /// Show or switch when checkpoints close.
    CheckpointMode(CheckpointModeArgs),
    /// Close a checkpoint now over every pending transaction.
    Checkpoint,
    /// Make the next writes on a path answer an error (fault injection).
    Fault(FaultArgs),
    /// List the armed faults.
    Faults,
    /// Disarm every fault.
    ClearFaults,
    /// Keep the whole state (ledger, transactions, receipts, checkpoints)
    /// under a new id; prints the id.
    Snapshot,
    /// Return the whole state to snapshot ID; that snapshot and every
    /// later one are used up.
    Revert(RevertArgs),
}

/// `dev revert`.
#[derive(Debug, Args)]
pub struct RevertArgs {
    /// The id `tokensign dev snapshot` printed.
    #[arg(value_name = "ID")]
    pub id: u64,
}

/// `dev set-balance`.
#[derive(Debug, Args)]
pub struct SetBalanceArgs {
    /// The holder.
    #[arg(long, value_name = "ADDRESS")]
    pub address: String,
    /// The token.
    #[arg(long, value_name = "ADDRESS")]
    pub token: String,
    /// The new balance.
    #[command(flatten)]
    pub balance: AmountArgs,
}

/// `dev set-nonce`.
#[derive(Debug, Args)]
pub struct SetNonceArgs {
    /// The account (a key's address or a multisig account).
    #[arg(long, value_name = "ADDRESS")]
    pub address: String,
    /// The nonce it must use next.
    #[arg(long, value_name = "N")]
    pub nonce: u64,
}

/// `dev send`.
#[derive(Debug, Args)]
pub struct SendArgs {
    /// The address to send as (its key is not needed).
    #[arg(long, value_name = "ADDRESS")]
    pub from: String,
    /// An unsigned document of the operation, as `tokensign sign` reads it
    /// (`"operation"` and its fields; `chain_id` and `nonce` may be left
    /// out: the node's chain id, the sender's next nonce), or `-` for
    /// standard input.
    #[arg(value_name = "DOCUMENT")]
    pub document: PathBuf,
}

/// `dev modes`.
#[derive(Debug, Args)]
pub struct ModesArgs {
    /// Switch the write mode.
    #[arg(long, value_name = "MODE", value_parser = ["v1_only", "dual", "v2_only"])]
    pub write_mode: Option<String>,
    /// Switch read_only on (every write refused) or off.
    #[arg(long, value_name = "BOOL", action = clap::ArgAction::Set)]
    pub read_only: Option<bool>,
}

/// `dev fees`.
#[derive(Debug, Args)]
pub struct FeesArgs {
    /// The fee of every token without its own, in base units.
    #[arg(long, value_name = "BASE_UNITS")]
    pub flat: Option<String>,
    /// A token's own fee, `TOKEN=BASE_UNITS` (repeatable).
    #[arg(long, value_name = "TOKEN=BASE_UNITS")]
    pub token_fee: Vec<String>,
    /// Remove a token's own fee: it pays the flat fee again (repeatable).
    #[arg(long, value_name = "TOKEN")]
    pub remove_token_fee: Vec<String>,
    /// Who receives fees.
    #[arg(long, value_name = "ADDRESS")]
    pub collector: Option<String>,
}

/// A checkpoint mode on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ModeName {
    /// Each commit closes one over what it admitted (the default).
    Auto,
    /// One checkpoint per transaction.
    PerWrite,
    /// One every --every milliseconds over what is pending.
    Interval,
    /// Only `tokensign dev checkpoint` closes one.
    Manual,
}

/// `dev checkpoint-mode`.
#[derive(Debug, Args)]
pub struct CheckpointModeArgs {
    /// The mode to switch to (none: show it).
    #[arg(value_enum, value_name = "MODE")]
    pub mode: Option<ModeName>,
    /// For `interval`: milliseconds between checkpoints.
    #[arg(long, value_name = "MS")]
    pub every: Option<u64>,
}

/// `dev fault`.
#[derive(Debug, Args)]
pub struct FaultArgs {
    /// The write path, e.g. /v2/transactions/payment (`--path` is the
    /// key's derivation path).
    #[arg(long, value_name = "PATH")]
    pub route: String,
    /// The error_code to answer, e.g. SERVICE_UNAVAILABLE.
    #[arg(long, value_name = "CODE")]
    pub error_code: String,
    /// The HTTP status, 400 to 599 (default: the node's own status for its
    /// codes, else 500).
    #[arg(long, value_name = "STATUS")]
    pub status: Option<u64>,
    /// How many writes (0 disarms the path).
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub count: u64,
}

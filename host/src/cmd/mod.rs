//! The command layer: the clap definitions, one file per command (its
//! `Args` and its `run`), and [`main_with`], which parses arguments, runs
//! a command over the given streams and turns the result into an exit
//! code, so tests can drive the CLI in process as well as through the
//! binary. Only this layer knows exit codes ([`exit`]).
//!
//! The shape:
//!
//! - [`mod@write`]: the pipeline every write shares (check the flags, pick the
//!   server and signer, the scheme, read what is missing, sign, show,
//!   submit), and [`write::flags`], the one table of flags by field;
//! - [`ops`]: the operation commands (`pay`, `issue`, `grant`, …), each
//!   building the core's operation from its flags for the pipeline;
//! - [`session`]: which server a command talks to (URL, named network or
//!   the embedded node) and the client over it;
//! - one file per other command: the reads, `tx`, `sign`, `verify`,
//!   `submit`, `multisig`, keys, `node` (runs the node), `device`, and the
//!   generated `completions` and `man`.
//!
//! Adding an operation command: a file in [`ops`] with its `Args` and
//! `run`, building a [`write::Draft`]; a variant in [`Command`]; a line in
//! [`run`].

pub mod abc_lab;
pub mod address;
pub mod amount;
pub mod common;
pub mod completions;
pub mod definition;
pub mod dev;
pub mod device;
pub mod exit;
pub mod keygen;
pub mod man;
pub mod multisig;
pub mod node;
pub mod ops;
pub mod reads;
pub mod review;
pub mod session;
pub mod sign;
pub mod submit;
pub mod tx;
pub mod verify;
pub mod version;
pub mod watch;
pub mod write;

use std::ffi::OsString;
use std::io::{Read, Write};
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use serde_json::json;

pub use common::KeyArgs;
pub use exit::{CliError, Failure};

/// The streams a command reads and writes.
pub struct Io<'a> {
    /// Results (and, without `--json`, the review of what is signed).
    pub out: &'a mut dyn Write,
    /// Notices, warnings, errors; the review with `--json`.
    pub err: &'a mut dyn Write,
    /// Standard input, for `-` files.
    pub input: &'a mut dyn Read,
}

/// Build, sign and submit every 1Money Network operation; read balances,
/// tokens and transactions; sign offline; run multisig accounts.
///
/// Writes sign in the scheme the server asks for (--scheme auto reads
/// GET /api/status: v2 for dual/v2_only, v1 otherwise). With neither --url
/// nor --network, commands run against an embedded local node that trusts
/// the public, insecure development key, and say so on stderr. Exit codes:
/// 0 ok, 1 internal error, 2 bad input, 3 rejected by the server, 4 network
/// failure, 5 unknown outcome, 6 accepted but the answer differs from what
/// was signed (do not resend), 7 refused on the device. See docs/cli.md.
#[derive(Debug, Parser)]
#[command(name = "tokensign", version, about, long_about)]
pub struct Cli {
    /// Print one JSON object on stdout (the result, or the error).
    #[arg(long, global = true)]
    pub json: bool,

    /// Where the signing key comes from.
    #[command(flatten)]
    pub keys: KeyArgs,

    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Pay tokens to a recipient (Payment).
    Pay(ops::transfer::TransferArgs),
    /// Issue a new token (TokenIssue).
    Issue(ops::issue::IssueArgs),
    /// Mint tokens to a recipient (TokenMint). The ABC-Lab mint API is
    /// `tokensign abc-lab mint`.
    Mint(ops::transfer::TransferArgs),
    /// Burn tokens from the sender's balance (TokenBurn).
    Burn(ops::transfer::BurnArgs),
    /// Grant an authority over a token (TokenAuthority, Grant).
    Grant(ops::authority::AuthorityArgs),
    /// Revoke an authority over a token (TokenAuthority, Revoke).
    Revoke(ops::authority::AuthorityArgs),
    /// Add an account to a token's blacklist, or --remove it (TokenBlacklist).
    Blacklist(ops::lists::ListArgs),
    /// Add an account to a token's whitelist, or --remove it (TokenWhitelist).
    Whitelist(ops::lists::ListArgs),
    /// Pause a token (TokenPause, Pause).
    Pause(ops::pause::PauseArgs),
    /// Unpause a token (TokenPause, Unpause).
    Unpause(ops::pause::PauseArgs),
    /// Take tokens back from a holder (TokenClawback).
    Clawback(ops::transfer::ClawbackArgs),
    /// Update a token's name, URI and entries (TokenMetadata).
    Metadata(ops::metadata::MetadataArgs),
    /// Mint tokens bridged from another chain (TokenBridgeAndMint).
    BridgeMint(ops::bridge::BridgeMintArgs),
    /// Burn tokens to bridge them to another chain (TokenBurnAndBridge).
    BurnBridge(ops::bridge::BurnBridgeArgs),
    /// Pay many recipients of one token at once (BatchPayment, v2 only).
    BatchPay(ops::batch_pay::BatchPayArgs),
    /// Multisig accounts: create, address, combine partial signatures.
    #[command(subcommand)]
    Multisig(multisig::MultisigCommand),
    /// A holder's balance of a token.
    Balance(reads::BalanceArgs),
    /// A token's metadata, authorities, supply, pause state and lists.
    Token(reads::TokenArgs),
    /// The nonce an account must use next.
    Nonce(reads::NonceArgs),
    /// The server's write mode (GET /api/status) and the scheme auto picks.
    Status(reads::StatusArgs),
    /// A transaction by hash, its receipt, or --wait until finalized.
    Tx(tx::TxArgs),
    /// Sign an unsigned document of any operation offline; print the request.
    Sign(sign::SignArgs),
    /// Check any signed request body (v1 or v2) or partial signature file;
    /// print its signer and every field it signs.
    Verify(verify::VerifyArgs),
    /// Signed token definitions: sign one with a definitions key, check one.
    #[command(subcommand)]
    Definition(definition::DefinitionCommand),
    /// Send a request signed elsewhere (`sign`, `--dry-run --out`,
    /// `multisig combine --dry-run`): checked, never sent twice.
    Submit(submit::SubmitArgs),
    /// Print the configured key's address (or --public-key).
    Address(address::AddressArgs),
    /// Create a new key in an encrypted keystore file.
    Keygen(keygen::KeygenArgs),
    /// The ABC-Lab mint API (`abc-lab mint`).
    #[command(subcommand)]
    AbcLab(abc_lab::AbcLabCommand),
    /// Run the local API server in the foreground.
    Node(node::NodeArgs),
    /// Print the local node's live stream: each transaction and checkpoint as it is committed.
    Watch(watch::WatchArgs),
    /// The local node's development controls: balances, nonces, sending as any address, modes, fees, checkpoints, faults.
    Dev(dev::DevArgs),
    /// A hardware device (--device SPEC): set it up, unlock it, trust definition signers; ask it for an address, a public key or its version.
    Device(device::DeviceArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(completions::CompletionsArgs),
    /// Print the man page (roff), or write one page per command to a directory.
    Man(man::ManArgs),
}

/// The clap command of the CLI, with the version line that names the
/// backends ([`version::text`]).
pub fn cli_command() -> clap::Command {
    Cli::command().version(version::text())
}

/// Parses `args` (including the program name), runs the command and
/// returns the exit code; errors are printed to `io.err` (and, with
/// `--json` anywhere in `args`, as `{"error": {...}}` to `io.out`, argument
/// errors included).
pub fn main_with<I, T>(args: I, io: &mut Io<'_>) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    if let Some(e) = secret_in_arguments(&args) {
        report_error(&e, wants_json(&args), io);
        return e.exit_code();
    }
    let parsed = cli_command()
        .try_get_matches_from(&args)
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(_) if is_old_mint(&args) => {
            let e = CliError::bad_input(
                "`tokensign mint` now mints the network's TokenMint (--recipient, --token, \
                 --value or --amount). The ABC-Lab mint API moved to `tokensign abc-lab mint` \
                 with the same flags: run `tokensign abc-lab mint --asset-id …`",
            );
            report_error(&e, wants_json(&args), io);
            return e.exit_code();
        }
        Err(e) => return argument_error(&e, wants_json(&args), io),
    };
    let json_mode = cli.json;
    match run(cli, io) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            report_error(&e, json_mode, io);
            e.exit_code()
        }
    }
}

/// Whether the arguments are the old ABC-Lab form of `mint`
/// (`mint --asset-id …`), which moved to `abc-lab mint`.
fn is_old_mint(args: &[OsString]) -> bool {
    let words: Vec<&OsString> = args.iter().skip(1).take_while(|a| *a != "--").collect();
    words.iter().any(|a| *a == "mint")
        && !words.iter().any(|a| *a == "abc-lab")
        && words.iter().any(|a| {
            a.to_str()
                .is_some_and(|a| a == "--asset-id" || a.starts_with("--asset-id="))
        })
}

/// Flags people type to give a secret as an argument value (as other
/// tools allow), and the safe flag to use instead: an argument is visible
/// to every user of the machine (`ps`, `/proc/PID/cmdline`) and stays in
/// shell history, so no command takes one.
const SECRET_FLAGS: &[(&str, &str)] = &[
    (
        "--private-key",
        "--private-key-file FILE (or $TOKENSIGN_PRIVATE_KEY)",
    ),
    (
        "--password",
        "--password-file FILE (or $TOKENSIGN_PASSWORD, or the prompt)",
    ),
    ("--pin", "--pin-file FILE (or the prompt)"),
    (
        "--mnemonic",
        "--mnemonic-file FILE (or $TOKENSIGN_MNEMONIC); for `tokensign node`'s developer \
         accounts, --accounts-mnemonic-file FILE (or $TOKENSIGN_NODE_MNEMONIC)",
    ),
    (
        "--mnemonic-passphrase",
        "--mnemonic-passphrase-file FILE (or $TOKENSIGN_MNEMONIC_PASSPHRASE)",
    ),
    ("--passphrase", "--mnemonic-passphrase-file FILE"),
];

/// A refusal of a secret given as an argument value (the value is never
/// repeated).
fn secret_in_arguments(args: &[OsString]) -> Option<CliError> {
    args.iter()
        .skip(1)
        .take_while(|a| *a != "--")
        .filter_map(|a| a.to_str())
        .find_map(|a| {
            let flag = a.split_once('=').map_or(a, |(flag, _)| flag);
            SECRET_FLAGS.iter().find(|(typed, _)| *typed == flag)
        })
        .map(|(typed, safe)| {
            CliError::bad_input(format!(
                "{typed} is refused: a secret given as an argument is visible to every user of \
                 this machine (ps, /proc/PID/cmdline) and stays in your shell history. Give it \
                 with {safe}"
            ))
        })
}

/// Whether `--json` is among the arguments (before a `--`).
fn wants_json(args: &[OsString]) -> bool {
    args.iter()
        .skip(1)
        .take_while(|a| *a != "--")
        .any(|a| a == "--json")
}

/// Help and version go to stdout (exit 0); argument errors to stderr, and
/// with `--json` also as one JSON error object on stdout (exit 2).
fn argument_error(e: &clap::Error, json_mode: bool, io: &mut Io<'_>) -> ExitCode {
    use clap::error::ErrorKind;
    // Plain text: `to_string` of the rendered error carries no styling.
    let text = e.render().to_string();
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = io.out.write_all(text.as_bytes());
            ExitCode::SUCCESS
        }
        _ => {
            let _ = io.err.write_all(text.as_bytes());
            if json_mode {
                let message = text
                    .trim()
                    .strip_prefix("error: ")
                    .unwrap_or(text.trim())
                    .to_owned();
                let error = CliError::bad_input(message);
                write_json_error(&error, io);
            }
            Failure::BadInput.exit_code()
        }
    }
}

fn write_json_error(e: &CliError, io: &mut Io<'_>) {
    let obj = json!({
        "error": {
            "kind": e.kind.label(),
            "exit_code": e.kind.code(),
            "message": e.message,
            "error_code": e.error_code,
        }
    });
    let _ = writeln!(io.out, "{obj}");
}

fn report_error(e: &CliError, json_mode: bool, io: &mut Io<'_>) {
    let _ = writeln!(io.err, "error: {}", e.message);
    if let Some(code) = &e.error_code {
        let _ = writeln!(io.err, "error_code: {code}");
    }
    let _ = writeln!(io.err, "exit code {} ({})", e.kind.code(), e.kind.label());
    if json_mode {
        write_json_error(e, io);
    }
}

/// Runs a parsed command line.
pub fn run(cli: Cli, io: &mut Io<'_>) -> Result<(), CliError> {
    let keys = cli.keys.options()?;
    let json = cli.json;
    use ops::{authority, batch_pay, bridge, issue, lists, metadata, pause, transfer};
    use tokensign_core::tx::{AuthorityAction, OpType, PauseAction};
    match cli.command {
        Command::Pay(args) => transfer::run_transfer(OpType::Payment, &args, &keys, json, io),
        Command::Issue(args) => issue::run(&args, &keys, json, io),
        Command::Mint(args) => transfer::run_transfer(OpType::TokenMint, &args, &keys, json, io),
        Command::Burn(args) => transfer::run_burn(&args, &keys, json, io),
        Command::Grant(args) => authority::run(AuthorityAction::Grant, &args, &keys, json, io),
        Command::Revoke(args) => authority::run(AuthorityAction::Revoke, &args, &keys, json, io),
        Command::Blacklist(args) => lists::run(OpType::TokenBlacklist, &args, &keys, json, io),
        Command::Whitelist(args) => lists::run(OpType::TokenWhitelist, &args, &keys, json, io),
        Command::Pause(args) => pause::run(PauseAction::Pause, &args, &keys, json, io),
        Command::Unpause(args) => pause::run(PauseAction::Unpause, &args, &keys, json, io),
        Command::Clawback(args) => transfer::run_clawback(&args, &keys, json, io),
        Command::Metadata(args) => metadata::run(&args, &keys, json, io),
        Command::BridgeMint(args) => bridge::run_bridge_mint(&args, &keys, json, io),
        Command::BurnBridge(args) => bridge::run_burn_bridge(&args, &keys, json, io),
        Command::BatchPay(args) => batch_pay::run(&args, &keys, json, io),
        Command::Multisig(command) => multisig::run(&command, &keys, json, io),
        Command::Balance(args) => reads::run_balance(&args, &keys, json, io),
        Command::Token(args) => reads::run_token(&args, json, io),
        Command::Nonce(args) => reads::run_nonce(&args, &keys, json, io),
        Command::Status(args) => reads::run_status(&args, json, io),
        Command::Tx(args) => tx::run(&args, json, io),
        Command::Sign(args) => sign::run(&args, &keys, json, io),
        Command::Verify(args) => verify::run(&args, json, io),
        Command::Definition(command) => definition::run(&command, &keys, json, io),
        Command::Submit(args) => submit::run(&args, json, io),
        Command::Address(args) => address::run(&args, &keys, json, io),
        Command::Keygen(args) => keygen::run(&args, &keys, json, io),
        Command::AbcLab(abc_lab::AbcLabCommand::Mint(args)) => abc_lab::run(&args, json, io),
        Command::Node(args) => node::run(&args, io),
        Command::Watch(args) => watch::run(&args, json, io),
        Command::Dev(args) => dev::run(&args, json, io),
        Command::Device(args) => device::run(&args, &cli.keys, json, io),
        Command::Completions(args) => completions::run(&args, io),
        Command::Man(args) => man::run(&args, json, io),
    }
}

//! The command layer: the clap definitions, one file per command (its
//! `Args` and its `run`), and [`main_with`], which parses arguments, runs
//! a command over the given streams and turns the result into an exit
//! code, so tests can drive the CLI in process as well as through the
//! binary. Only this layer knows exit codes ([`exit`]).
//!
//! Adding a command: a file here with its `Args` and `run`, a variant in
//! [`Command`], a line in [`run`]. A command that signs and submits an
//! operation uses [`server::Session`] and [`server::signer_for`] as
//! `issue` does.

pub mod address;
pub mod common;
pub mod completions;
pub mod device;
pub mod exit;
pub mod issue;
pub mod keygen;
pub mod man;
pub mod mint;
pub mod node;
pub mod review;
pub mod server;
pub mod sign;
pub mod verify;
pub mod version;

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

/// Build, sign and submit 1Money Network token-issue requests.
///
/// With neither --url nor --network, `issue` and `mint` run against an
/// embedded local node that trusts the public, insecure development key,
/// and say so on stderr. Exit codes: 0 ok, 1 internal error, 2 bad input,
/// 3 rejected by the server, 4 network failure, 5 unknown outcome, 6
/// accepted but the answer differs from what was signed (do not resend).
/// See docs/cli.md.
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
    /// Build, sign and submit a token issue (POST /v1/tokens/issue).
    Issue(issue::IssueArgs),
    /// Sign an unsigned payload JSON offline; print the request body.
    Sign(sign::SignArgs),
    /// Check a signed request body; print signer, hashes and token.
    Verify(verify::VerifyArgs),
    /// Print the configured key's address.
    Address,
    /// Create a new key in an encrypted keystore file.
    Keygen(keygen::KeygenArgs),
    /// Mint an issued asset to a wallet (ABC-Lab POST /api/tokens/mint).
    Mint(mint::MintArgs),
    /// Run the local API server in the foreground.
    Node(node::NodeArgs),
    /// Ask a hardware device (--device SPEC) for an address, a public key or its version.
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
    let parsed = cli_command()
        .try_get_matches_from(&args)
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
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
    match cli.command {
        Command::Issue(args) => issue::run(&args, &keys, json, io),
        Command::Sign(args) => sign::run(&args, &keys, json, io),
        Command::Verify(args) => verify::run(&args, json, io),
        Command::Address => address::run(&keys, json, io),
        Command::Keygen(args) => keygen::run(&args, &keys, json, io),
        Command::Mint(args) => mint::run(&args, json, io),
        Command::Node(args) => node::run(&args, io),
        Command::Device(args) => device::run(&args, &cli.keys, json, io),
        Command::Completions(args) => completions::run(&args, io),
        Command::Man(args) => man::run(&args, json, io),
    }
}

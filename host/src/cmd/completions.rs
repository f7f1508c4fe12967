//! `tokensign completions SHELL`: a completion script generated from the
//! clap definitions.

use clap::Args;
use clap_complete::Shell;

use super::common::write_out;
use super::exit::CliError;
use super::Io;

/// `tokensign completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell: bash, zsh, fish, elvish or powershell.
    #[arg(value_enum)]
    pub shell: Shell,
}

/// The completion script for `shell`.
pub fn script(shell: Shell) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut super::cli_command(), "tokensign", &mut out);
    out
}

/// Runs `completions`: the script on stdout. Install it, for bash, with
/// `tokensign completions bash > ~/.local/share/bash-completion/completions/tokensign`.
pub fn run(args: &CompletionsArgs, io: &mut Io<'_>) -> Result<(), CliError> {
    write_out(io.out, &String::from_utf8_lossy(&script(args.shell)))
}

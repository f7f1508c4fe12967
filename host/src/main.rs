//! The `tokensign` command line. All logic lives in the library
//! ([`tokensign::cmd`]); see docs/cli.md.

use std::process::ExitCode;

fn main() -> ExitCode {
    // Unlocked handles: the embedded server's threads log to stderr too.
    let (mut out, mut err, mut input) = (std::io::stdout(), std::io::stderr(), std::io::stdin());
    let mut io = tokensign::cmd::Io {
        out: &mut out,
        err: &mut err,
        input: &mut input,
    };
    tokensign::cmd::main_with(std::env::args_os(), &mut io)
}

//! Shared helpers of the CLI tests: run the binary or the CLI in process,
//! spec constants and vectors, and a scripted server ([`scripted`]).
#![allow(dead_code, unused_imports)]

pub mod node;
pub mod ops;
pub mod scripted;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

pub use tokensign_fixtures::{SPEC_ADDRESS, SPEC_KEY_HEX as SPEC_KEY};

/// Every environment variable the CLI reads.
pub const ENV_VARS: &[&str] = &[
    "TOKENSIGN_URL",
    "TOKENSIGN_NETWORK",
    "TOKENSIGN_KEYSTORE",
    "TOKENSIGN_PASSWORD",
    "TOKENSIGN_PASSWORD_FILE",
    "TOKENSIGN_PRIVATE_KEY",
    "TOKENSIGN_PRIVATE_KEY_FILE",
    "TOKENSIGN_MNEMONIC",
    "TOKENSIGN_MNEMONIC_FILE",
    "TOKENSIGN_MNEMONIC_PASSPHRASE",
    "TOKENSIGN_DATA_DIR",
    "TOKENSIGN_TIMEOUT",
    "TOKENSIGN_RETRIES",
    "TOKENSIGN_LISTEN",
    "TOKENSIGN_OPERATORS",
    "TOKENSIGN_SIGNER",
    "TOKENSIGN_DEVICE",
    "TOKENSIGN_BAUD",
    "TOKENSIGN_MAX_WAIT",
    "TOKENSIGN_SCHEME",
    "NO_COLOR",
];

/// What a run of the binary gave.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn all(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }
}

/// A command for the binary with a clean environment (no TOKENSIGN_*).
pub fn bin() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tokensign"));
    for var in ENV_VARS {
        cmd.env_remove(var);
    }
    cmd.env("RUST_LOG", "warn");
    cmd
}

fn finish(out: Output) -> Run {
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs the binary with `args`, `env` and `stdin` (empty if None).
pub fn run_with(args: &[&str], env: &[(&str, &str)], stdin: Option<&[u8]>) -> Run {
    let mut cmd = bin();
    cmd.args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn tokensign");
    {
        let mut pipe = child.stdin.take().expect("stdin");
        if let Some(bytes) = stdin {
            let _ = pipe.write_all(bytes);
        }
    }
    finish(child.wait_with_output().expect("wait tokensign"))
}

/// Runs the binary with `args`.
pub fn run(args: &[&str]) -> Run {
    run_with(args, &[], None)
}

/// Writes `text` to `dir/name` and returns the path as a String.
pub fn write_file(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write file");
    path.to_str().expect("utf-8 path").to_owned()
}

/// The seven-field spec payload with `nonce`.
pub fn spec_payload7(nonce: u64) -> String {
    tokensign_fixtures::spec_payload7_json(nonce)
}

/// The eight-field spec payload (clawback true) with `nonce`.
pub fn spec_payload8(nonce: u64) -> String {
    tokensign_fixtures::spec_payload8_json(nonce)
}

/// Parses one JSON object from a command's stdout.
pub fn json_of(run: &Run) -> serde_json::Value {
    serde_json::from_str(run.stdout.trim())
        .unwrap_or_else(|e| panic!("stdout is not one JSON object ({e}): {run:?}"))
}

/// Runs the CLI in process (`tokensign::cmd::main_with`) with `args` and
/// `stdin`: no process to spawn, so a test can run it hundreds of times.
/// The exit code is read from the documented "exit code N" line.
pub fn call(args: &[&str], stdin: &[u8]) -> Run {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let mut input = stdin;
    let mut io = tokensign::cmd::Io {
        out: &mut out,
        err: &mut err,
        input: &mut input,
    };
    let mut argv = vec!["tokensign"];
    argv.extend_from_slice(args);
    let code = tokensign::cmd::main_with(argv, &mut io);
    let stderr = String::from_utf8_lossy(&err).into_owned();
    let code = if code == std::process::ExitCode::SUCCESS {
        0
    } else {
        stderr
            .rsplit("exit code ")
            .next()
            .and_then(|t| t.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(2)
    };
    Run {
        code,
        stdout: String::from_utf8_lossy(&out).into_owned(),
        stderr,
    }
}

/// A spec vector file of `tests/vectors/spec/`, as JSON.
pub fn spec_vectors(name: &str) -> serde_json::Value {
    let path = format!(
        "{}/../tests/vectors/spec/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

//! `tokensign definition`: sign a token definition (`docs/definitions.md`)
//! with a definitions key, and check one.
//!
//! `sign` prints the definition file (JSON: the fields, the 51-byte
//! encoding, the signature and the 136-byte signed form). `verify` checks
//! a file: its format, that its members agree with its signed bytes, its
//! signature; with `--trust-definitions`, that its signer is trusted; with
//! `--chain-id`/`--token`, that it is for that chain and token.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use serde_json::json;
use tokensign_core::definition::{SignedDefinition, TokenDefinition, TokenUnit};

use super::common::{parse_address, read_limited_input, required_signer, write_out};
use super::exit::CliError;
use super::review::TrustArgs;
use super::Io;
use crate::definitions::{read_file, DefinitionFile, MAX_FILE_LEN};
use crate::show::show_path;
use crate::signer::KeyOptions;

/// `tokensign definition …`.
#[derive(Debug, Subcommand)]
pub enum DefinitionCommand {
    /// Sign a token definition with the configured key (a definitions
    /// key: use it for nothing else) and print the definition file.
    Sign(SignArgs),
    /// Check a definition file; print what it defines and who signed it.
    Verify(VerifyArgs),
}

/// `definition sign`.
#[derive(Debug, Args)]
pub struct SignArgs {
    /// The chain the token is on.
    #[arg(long)]
    pub chain_id: u64,
    /// The token's address.
    #[arg(long, value_name = "ADDRESS")]
    pub token: String,
    /// Its symbol: 1 to 20 ASCII letters and digits.
    #[arg(long)]
    pub symbol: String,
    /// Its decimals, 0 to 18.
    #[arg(long)]
    pub decimals: u8,
    /// Write the file here (never over an existing one) instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// `definition verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The definition file, or - for stdin.
    #[arg(value_name = "FILE|-")]
    pub file: PathBuf,
    /// Also require the signer to be trusted.
    #[command(flatten)]
    pub trust: TrustArgs,
    /// Also require the definition to be for this chain.
    #[arg(long)]
    pub chain_id: Option<u64>,
    /// Also require the definition to be for this token.
    #[arg(long, value_name = "ADDRESS")]
    pub token: Option<String>,
}

/// Runs `definition …`.
pub fn run(
    command: &DefinitionCommand,
    keys: &KeyOptions,
    json_mode: bool,
    io: &mut Io<'_>,
) -> Result<(), CliError> {
    match command {
        DefinitionCommand::Sign(args) => sign(args, keys, json_mode, io),
        DefinitionCommand::Verify(args) => verify(args, json_mode, io),
    }
}

fn refused(e: impl std::fmt::Display) -> CliError {
    CliError::bad_input(format!("{e}"))
}

fn sign(
    args: &SignArgs,
    keys: &KeyOptions,
    json_mode: bool,
    io: &mut Io<'_>,
) -> Result<(), CliError> {
    let token = parse_address("--token", &args.token)?;
    let unit = TokenUnit::new(&args.symbol, args.decimals).map_err(refused)?;
    if args.out.as_ref().is_some_and(|p| p.exists()) {
        return Err(CliError::bad_input(format!(
            "--out {} already exists; refusing to overwrite it",
            show_path(args.out.as_deref().unwrap_or(std::path::Path::new("")))
        )));
    }
    let definition = TokenDefinition {
        chain_id: args.chain_id,
        token,
        unit,
    };
    let signer = required_signer(keys, "definition sign")?;
    let signature = signer.sign_definition(&definition).ok_or_else(|| {
        CliError::bad_input(format!(
            "{} signs only transactions it shows, never a token definition: sign definitions \
             with a key file, a keystore, a mnemonic or a PKCS#11 token (--private-key-file, \
             --keystore, --mnemonic-file, --pkcs11-module …)",
            signer.describe()
        ))
    })??;
    let signed = SignedDefinition {
        definition,
        signer: signer.address(),
        signature,
    };
    // As every signature here: it must recover to the signer.
    signed.check_signature().map_err(|e| {
        CliError::internal(format!(
            "the signer's definition signature does not check: {e}"
        ))
    })?;
    let file = DefinitionFile::new(&signed);
    let text = if json_mode {
        serde_json::to_string(&file)
    } else {
        serde_json::to_string_pretty(&file)
    }
    .map_err(|e| CliError::internal(format!("cannot write the definition: {e}")))?;
    match &args.out {
        None => write_out(io.out, &format!("{text}\n")),
        Some(path) => {
            crate::signer::partial::write_new(path, &text)?;
            let note = format!(
                "Definition of {} ({} decimals) for token {token} on chain {}, signed by {}, \
                 written to {}.\n",
                args.symbol,
                args.decimals,
                args.chain_id,
                signed.signer,
                show_path(path)
            );
            if json_mode {
                write_out(io.err, &note)?;
                write_out(io.out, &format!("{text}\n"))
            } else {
                write_out(io.out, &note)
            }
        }
    }
}

fn verify(args: &VerifyArgs, json_mode: bool, io: &mut Io<'_>) -> Result<(), CliError> {
    let name = if args.file.as_os_str() == "-" {
        "standard input".to_owned()
    } else {
        show_path(&args.file)
    };
    let bytes = read_limited_input(&args.file, io.input, MAX_FILE_LEN as u64, "a definition")?;
    let signed = read_file(&bytes).map_err(|e| CliError::bad_input(format!("{name}: {e}")))?;
    signed
        .check_signature()
        .map_err(|e| CliError::bad_input(format!("{name}: {e}")))?;
    let trusted = args.trust.addresses()?;
    let checked_trust = !trusted.is_empty();
    if checked_trust {
        let ok = signed
            .verify(&trusted)
            .map_err(|e| CliError::bad_input(format!("{name}: {e}")))?;
        let token = args
            .token
            .as_deref()
            .map(|t| parse_address("--token", t))
            .transpose()?;
        let chain = args.chain_id.unwrap_or(signed.definition.chain_id);
        ok.check_applies(chain, Some(token.unwrap_or(signed.definition.token)))
            .map_err(|e| CliError::bad_input(format!("{name}: {e}")))?;
    } else if args.chain_id.is_some() || args.token.is_some() {
        let d = &signed.definition;
        if let Some(chain) = args.chain_id.filter(|c| *c != d.chain_id) {
            return Err(CliError::bad_input(format!(
                "{name}: token definition is for chain {}, not {chain}",
                d.chain_id
            )));
        }
        if let Some(token) = args.token.as_deref() {
            let token = parse_address("--token", token)?;
            if token != d.token {
                return Err(CliError::bad_input(format!(
                    "{name}: token definition is for token {}, not {token}",
                    d.token
                )));
            }
        }
    }
    let d = &signed.definition;
    if json_mode {
        let obj = json!({
            "valid": true,
            "chain_id": d.chain_id,
            "token": d.token.to_string(),
            "symbol": d.unit.symbol().as_str(),
            "decimals": d.unit.decimals(),
            "signer": signed.signer.to_string(),
            "trusted": if checked_trust { json!(true) } else { serde_json::Value::Null },
        });
        return write_out(io.out, &format!("{obj}\n"));
    }
    let trust = if checked_trust {
        "a trusted definitions signer"
    } else {
        "not checked against trusted signers: give --trust-definitions ADDRESS"
    };
    write_out(
        io.out,
        &format!(
            "Valid token definition.\n  \
             token             {}\n  \
             chain             {}\n  \
             symbol            {}\n  \
             decimals          {}\n  \
             signer            {} ({trust})\n",
            d.token,
            d.chain_id,
            d.unit.symbol(),
            d.unit.decimals(),
            signed.signer
        ),
    )
}

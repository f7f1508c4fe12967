//! The reads: `balance`, `token`, `nonce`, `status`. Reads are always on
//! `/v1` (spec 1.1) and need no key; an address defaults to the configured
//! key's when one is given.

use clap::Args;
use serde_json::json;

use super::common::{parse_address, write_out, Notes};
use super::exit::CliError;
use super::session::{resolve_target, ServerArgs, Session};
use super::Io;
use crate::show::sanitize;
use crate::signer::{self, KeyOptions};

/// `balance`.
#[derive(Debug, Args)]
pub struct BalanceArgs {
    /// The holder (default: the configured key's address).
    #[arg(long, value_name = "ADDRESS")]
    pub address: Option<String>,
    /// The token.
    #[arg(long, value_name = "ADDRESS")]
    pub token: String,
    /// The server.
    #[command(flatten)]
    pub server: ServerArgs,
}

/// `token`.
#[derive(Debug, Args)]
pub struct TokenArgs {
    /// The token.
    #[arg(long, value_name = "ADDRESS")]
    pub token: String,
    /// The server.
    #[command(flatten)]
    pub server: ServerArgs,
}

/// `nonce`.
#[derive(Debug, Args)]
pub struct NonceArgs {
    /// The account (default: the configured key's address).
    #[arg(long, value_name = "ADDRESS")]
    pub address: Option<String>,
    /// The server.
    #[command(flatten)]
    pub server: ServerArgs,
}

/// `status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// The server.
    #[command(flatten)]
    pub server: ServerArgs,
}

/// The address given, else the configured key's.
fn address_or_key(
    given: &Option<String>,
    keys: &KeyOptions,
) -> Result<tokensign_core::Address, CliError> {
    if let Some(text) = given {
        return parse_address("--address", text);
    }
    match keys.source()? {
        Some(source) => Ok(signer::load(&source)?.address()),
        None => Err(CliError::bad_input(
            "whose? give --address ADDRESS (or a key: --private-key-file, --keystore, \
             --mnemonic-file, --signer device)",
        )),
    }
}

fn open<'n>(server: &ServerArgs, notes: &'n Notes<'_>) -> Result<Session<'n>, CliError> {
    let target = resolve_target(server)?;
    Session::open(&target, server, vec![signer::dev_address()], notes)
}

/// Runs `balance`.
pub fn run_balance(
    args: &BalanceArgs,
    keys: &KeyOptions,
    json_mode: bool,
    io: &mut Io<'_>,
) -> Result<(), CliError> {
    let token = parse_address("--token", &args.token)?;
    let holder = address_or_key(&args.address, keys)?;
    let notes = Notes::new(&mut *io.err);
    let session = open(&args.server, &notes)?;
    let account = session.client.token_account(&holder, &token)?;
    if json_mode {
        let obj = json!({"address": holder.to_string(), "token": token.to_string(),
                         "balance": account.balance, "nonce": account.nonce});
        return write_out(io.out, &format!("{obj}\n"));
    }
    write_out(
        io.out,
        &format!(
            "{} base units of {token} held by {holder}\n",
            sanitize(&account.balance)
        ),
    )
}

/// Runs `token`.
pub fn run_token(args: &TokenArgs, json_mode: bool, io: &mut Io<'_>) -> Result<(), CliError> {
    let token = parse_address("--token", &args.token)?;
    let notes = Notes::new(&mut *io.err);
    let session = open(&args.server, &notes)?;
    let info = session.client.token_metadata(&token)?;
    if json_mode {
        let text = serde_json::to_string(&info)
            .map_err(|e| CliError::internal(format!("cannot write the answer: {e}")))?;
        return write_out(io.out, &format!("{text}\n"));
    }
    let list = |l: &[String]| {
        if l.is_empty() {
            "(none)".to_owned()
        } else {
            sanitize(&l.join(", "))
        }
    };
    let minters: Vec<String> = info
        .mint_burn_authorities
        .iter()
        .map(|m| format!("{} (allowance {})", m.minter, m.allowance))
        .collect();
    write_out(
        io.out,
        &format!(
            "Token {token}\n  symbol                  {}\n  name                    {}\n  \
             decimals                {}\n  supply                  {}\n  paused                  {}\n  \
             private                 {}\n  clawback enabled        {}\n  master authority        {}\n  \
             master mint/burn        {}\n  minters                 {}\n  pause authorities       {}\n  \
             list authorities        {}\n  metadata authorities    {}\n  bridge authorities      {}\n  \
             clawback authorities    {}\n  blacklist               {}\n  whitelist               {}\n  \
             uri                     {}\n",
            sanitize(&info.symbol),
            sanitize(&info.meta.name),
            info.decimals,
            sanitize(&info.supply),
            info.is_paused,
            info.is_private,
            info.clawback_enabled,
            sanitize(&info.master_authority),
            sanitize(&info.master_mint_burn_authority),
            list(&minters),
            list(&info.pause_authorities),
            list(&info.list_authorities),
            list(&info.metadata_update_authorities),
            list(&info.bridge_mint_authorities),
            list(&info.clawback_authorities),
            list(&info.black_list),
            list(&info.white_list),
            sanitize(&info.meta.uri),
        ),
    )
}

/// Runs `nonce`.
pub fn run_nonce(
    args: &NonceArgs,
    keys: &KeyOptions,
    json_mode: bool,
    io: &mut Io<'_>,
) -> Result<(), CliError> {
    let address = address_or_key(&args.address, keys)?;
    let notes = Notes::new(&mut *io.err);
    let session = open(&args.server, &notes)?;
    let nonce = session.client.nonce(&address)?;
    if json_mode {
        let obj = json!({"address": address.to_string(), "nonce": nonce});
        return write_out(io.out, &format!("{obj}\n"));
    }
    write_out(io.out, &format!("{nonce}\n"))
}

/// Runs `status`: the write mode, and the scheme `--scheme auto` picks.
pub fn run_status(args: &StatusArgs, json_mode: bool, io: &mut Io<'_>) -> Result<(), CliError> {
    let notes = Notes::new(&mut *io.err);
    let session = open(&args.server, &notes)?;
    let status = session.client.status()?;
    let scheme = match status.map(|s| s.native_write_mode) {
        None | Some(crate::api::NativeWriteMode::V1Only) => "v1",
        Some(_) => "v2",
    };
    if json_mode {
        let obj = json!({"status": status, "has_status_route": status.is_some(),
                         "auto_scheme": scheme});
        return write_out(io.out, &format!("{obj}\n"));
    }
    let text = match status {
        None => format!(
            "The server has no /api/status: read as v1_only.\n  --scheme auto signs {scheme}\n"
        ),
        Some(s) => format!(
            "native_write_mode  {}\n  read_only          {}\n  --scheme auto signs {scheme}\n",
            serde_json::to_value(s.native_write_mode)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            s.read_only
        ),
    };
    write_out(io.out, &text)
}

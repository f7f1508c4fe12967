//! `tokensign issue`: build, sign and submit a token issue.

use clap::Args;
use serde_json::json;
use tokensign_core::legacy::LegacyTx;
use tokensign_core::text::{Text, TextRule};
use tokensign_core::tx::{Operation, TokenIssue, Transaction};
use tokensign_core::{Error as CoreError, Field, Location};

use super::common::{parse_address, write_out, Notes};
use super::exit::{CliError, Failure};
use super::review::{issue_review, object_with_request, request_bytes};
use super::server::{resolve_target, signer_for, ServerArgs, Session, Target};
use super::Io;
use crate::client::Submitted;
use crate::signer::{self, KeyOptions};
use crate::text::hex0x;

/// `tokensign issue`.
#[derive(Debug, Args)]
pub struct IssueArgs {
    /// Token symbol: 1..=20 bytes, alphanumeric.
    #[arg(long)]
    pub symbol: String,
    /// Token name: 1..=120 bytes.
    #[arg(long)]
    pub name: String,
    /// Decimals, 0..=18.
    #[arg(long)]
    pub decimals: u64,
    /// Address that receives the token's master authority.
    #[arg(long, value_name = "ADDRESS")]
    pub master_authority: String,
    /// Only whitelisted addresses may use the token.
    #[arg(long)]
    pub is_private: bool,
    /// Sign the eight-field form with this clawback choice (true or false).
    /// Required for testnet and mainnet; it can never be changed later.
    #[arg(long, value_name = "BOOL", action = clap::ArgAction::Set,
          value_parser = clap::value_parser!(bool))]
    pub clawback_enabled: Option<bool>,
    /// Chain id (default: GET /v1/chains/chain_id).
    #[arg(long)]
    pub chain_id: Option<u64>,
    /// Nonce (default: GET /v1/accounts/nonce for the signer).
    #[arg(long)]
    pub nonce: Option<u64>,
    /// The server.
    #[command(flatten)]
    pub server: ServerArgs,
}

const CLAWBACK_EXPLANATION: &str = "\
choose clawback explicitly with --clawback-enabled true or --clawback-enabled false.
The live 1Money networks sign eight fields, the eighth being clawback_enabled; a
request without it is read as clawback_enabled = true. Clawback lets the token's
authority take tokens back from holders, and it can NEVER be changed after the
token is issued, so tokensign will not choose it for you.";

/// The flag a core validation error is about.
fn flag_of(e: &CoreError) -> &'static str {
    match e.field() {
        Some(Field::Symbol) => "--symbol",
        Some(Field::Name) => "--name",
        Some(Field::Decimals) => "--decimals",
        Some(Field::ChainId) => "--chain-id",
        Some(Field::Nonce) => "--nonce",
        _ => "input",
    }
}

/// A text flag's value, checked by the field's rules.
fn text_of<const N: usize, R: TextRule>(field: Field, value: &str) -> Result<Text<N, R>, CliError> {
    Text::new(value).map_err(|problem| {
        invalid_flag(CoreError::Invalid {
            at: Location::field(field),
            problem,
        })
    })
}

fn invalid_flag(e: CoreError) -> CliError {
    CliError::bad_input(format!("invalid {}: {e}", flag_of(&e)))
}

/// The token issue a transaction carries (the issue command builds no other).
pub(crate) fn issue_of(tx: &Transaction) -> Option<&TokenIssue> {
    match &tx.operation {
        Operation::TokenIssue(issue) => Some(issue),
        _ => None,
    }
}

/// Runs `issue`.
pub fn run(
    args: &IssueArgs,
    keys: &KeyOptions,
    json_mode: bool,
    io: &mut Io<'_>,
) -> Result<(), CliError> {
    // 1. Every field is validated by the core before anything else happens.
    let master = parse_address("--master-authority", &args.master_authority)?;
    let issue = TokenIssue {
        symbol: text_of(Field::Symbol, &args.symbol)?,
        name: text_of(Field::Name, &args.name)?,
        decimals: u8::try_from(args.decimals).unwrap_or(u8::MAX),
        master_authority: master,
        is_private: args.is_private,
        clawback_enabled: args.clawback_enabled,
    };
    let draft = Transaction::new(args.chain_id.unwrap_or(0), args.nonce.unwrap_or(0), issue);
    draft.check().map_err(invalid_flag)?;

    // 2. Server, clawback choice, key.
    let target = resolve_target(&args.server)?;
    if let (
        Target::Remote {
            url, live: true, ..
        },
        None,
    ) = (&target, args.clawback_enabled)
    {
        return Err(CliError::bad_input(format!(
            "{url} is a live 1Money network: {CLAWBACK_EXPLANATION}"
        )));
    }
    let signer = signer_for(keys, &target)?;

    // 3. The embedded node (trusting the development key and this signer)
    // lives as long as the session.
    let mut operators = vec![signer::dev_address()];
    if signer.address() != signer::dev_address() {
        operators.push(signer.address());
    }
    let notes = Notes::new(&mut *io.err);
    let session = Session::open(&target, &args.server, operators, &notes)?;
    let client = &session.client;

    // 4. Chain id and nonce, unless given.
    let chain_id = match args.chain_id {
        Some(c) => c,
        None => client.chain_id()?,
    };
    let nonce = match args.nonce {
        Some(n) => n,
        None => client.nonce(&signer.address())?,
    };
    let payload = Transaction {
        chain_id,
        nonce,
        ..draft
    };
    payload.check().map_err(|e| {
        CliError::new(
            Failure::Rejected,
            format!("the server's {}: {e}", flag_of(&e).trim_start_matches("--")),
        )
    })?;
    let token = issue_of(&payload)
        .map(TokenIssue::token_address)
        .unwrap_or_default();

    // 5. Sign, show, submit.
    let request = signer::sign_legacy(signer.as_ref(), payload)?;
    let body = request_bytes(&request)?;
    let review = issue_review(&request, signer.as_ref(), &session.label);
    if json_mode {
        notes.write(&review)?;
    } else {
        write_out(io.out, &review)?;
    }
    let tx_hash = request
        .tx_hash()
        .map_err(|e| CliError::internal(e.to_string()))?;
    let submitted = client.submit_issue(&body, &tx_hash, &token)?;
    print_result(
        &submitted,
        &request,
        token,
        &body,
        &session.url,
        json_mode,
        io.out,
    )
}

fn print_result(
    submitted: &Submitted,
    request: &LegacyTx,
    token: tokensign_core::Address,
    body: &[u8],
    url: &str,
    json_mode: bool,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    let token = submitted.token.unwrap_or(token);
    if json_mode {
        let fields = json!({
            "status": "accepted",
            "tx_hash": hex0x(&submitted.tx_hash),
            "token": token.to_string(),
            "signer": request.signer().map(|a| a.to_string()).unwrap_or_default(),
            "signing_hash": request.signing_hash().map(|h| hex0x(&h)).unwrap_or_default(),
            "server": url,
            "confirmed_by_lookup": submitted.confirmed_by_lookup,
            "attempts": submitted.attempts,
        });
        return write_out(out, &object_with_request(body, fields));
    }
    let how = if submitted.confirmed_by_lookup {
        " (the answer was lost; a look-up by hash found the transaction)"
    } else {
        ""
    };
    write_out(
        out,
        &format!(
            "Accepted{how}.\n  transaction hash  {}\n  token             {token}\n",
            hex0x(&submitted.tx_hash),
        ),
    )
}

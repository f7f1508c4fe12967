//! The CLI's commands. [`main_with`] parses arguments, runs a command over
//! the given streams and turns the result into an exit code, so tests can
//! drive the CLI in process as well as through the binary.
//!
//! Every encoding, hash, signature and JSON step of a token issue is the
//! core's (`tokensign_core`); this module reads inputs, resolves the server
//! and the key, and prints.

use std::ffi::OsString;
use std::io::{Read, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use serde_json::{json, Value};
use tokensign_core::{
    json as core_json, Address, Error as CoreError, PayloadFields, SignedRequest,
    TokenIssuePayload, MAX_JSON_INPUT_LEN, MAX_REQUEST_JSON_LEN,
};

use crate::batch;
use crate::cli::{
    Cli, Command, IssueArgs, KeygenArgs, MintArgs, Network, NodeArgs, ServerArgs, SignArgs,
    VerifyArgs,
};
use crate::client::{hex32, Client, ClientConfig, IssueOutcome, RetryPolicy};
use crate::exit::{sanitize, CliError, Failure};
use crate::keys::{self, show_path, KeyOptions, Signer};
use crate::node::{NodeConfig, RunningNode};

/// The streams a command reads and writes.
pub struct Io<'a> {
    /// Results (and, without `--json`, the review of what is signed).
    pub out: &'a mut dyn Write,
    /// Notices, warnings, errors; the review with `--json`.
    pub err: &'a mut dyn Write,
    /// Standard input, for `-` files.
    pub input: &'a mut dyn Read,
}

/// Parses `args` (including the program name), runs the command and
/// returns the exit code; errors are printed to `io.err` (and, with
/// `--json`, as `{"error": {...}}` to `io.out`).
pub fn main_with<I, T>(args: I, io: &mut Io<'_>) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            let text = e.render().to_string();
            return match e.kind() {
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
                    let _ = io.out.write_all(text.as_bytes());
                    ExitCode::SUCCESS
                }
                _ => {
                    let _ = io.err.write_all(text.as_bytes());
                    Failure::BadInput.exit_code()
                }
            };
        }
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

fn report_error(e: &CliError, json_mode: bool, io: &mut Io<'_>) {
    let _ = writeln!(io.err, "error: {}", e.message);
    if let Some(code) = &e.error_code {
        let _ = writeln!(io.err, "error_code: {code}");
    }
    let _ = writeln!(io.err, "exit code {} ({})", e.kind.code(), e.kind.label());
    if json_mode {
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
}

/// Runs a parsed command line.
pub fn run(cli: Cli, io: &mut Io<'_>) -> Result<(), CliError> {
    let keys = cli.keys.options()?;
    match cli.command {
        Command::Issue(args) => issue(&args, &keys, cli.json, io),
        Command::Sign(args) => sign(&args, &keys, cli.json, io),
        Command::Verify(args) => verify(&args, cli.json, io),
        Command::Address => address(&keys, cli.json, io),
        Command::Keygen(args) => keygen(&args, &keys, cli.json, io),
        Command::Mint(args) => mint(&args, cli.json, io),
        Command::Node(args) => node(&args, io),
    }
}

fn write_out(w: &mut dyn Write, text: &str) -> Result<(), CliError> {
    w.write_all(text.as_bytes())
        .and_then(|()| w.flush())
        .map_err(|e| CliError::internal(format!("cannot write output: {}", e.kind())))
}

// ------------------------------------------------------------- inputs

/// Reads a JSON document from a file or `-` (stdin). Reads at most one
/// byte more than the core accepts, so the core can refuse it as too long.
fn read_json_input(path: &Path, input: &mut dyn Read, what: &str) -> Result<Vec<u8>, CliError> {
    let limit = MAX_JSON_INPUT_LEN as u64 + 1;
    let mut buf = Vec::new();
    let result = if path == Path::new("-") {
        input.take(limit).read_to_end(&mut buf)
    } else {
        std::fs::File::open(path).and_then(|f| f.take(limit).read_to_end(&mut buf))
    };
    result.map_err(|e| {
        let name = if path == Path::new("-") {
            "standard input".to_owned()
        } else {
            show_path(path)
        };
        CliError::bad_input(format!("cannot read {what} from {name}: {}", e.kind()))
    })?;
    Ok(buf)
}

/// The flag a core validation error is about.
fn flag_of(e: &CoreError) -> &'static str {
    match e {
        CoreError::SymbolEmpty | CoreError::SymbolTooLong | CoreError::SymbolNotAlphanumeric => {
            "--symbol"
        }
        CoreError::NameEmpty | CoreError::NameTooLong | CoreError::NameUnsafeCharacter => "--name",
        CoreError::DecimalsOutOfRange => "--decimals",
        CoreError::ChainIdOutOfRange => "--chain-id",
        CoreError::NonceOutOfRange => "--nonce",
        _ => "input",
    }
}

/// Parses an address flag through the core (strict hex, EIP-55 for mixed
/// case).
pub fn parse_address(flag: &str, text: &str) -> Result<Address, CliError> {
    Address::parse(text.trim())
        .map_err(|e| CliError::bad_input(format!("invalid {flag} {:?}: {e}", sanitize(text))))
}

// ------------------------------------------------------------- servers

/// Which server a command talks to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// The embedded local server, in process, with its data here.
    Embedded(PathBuf),
    /// A server by URL.
    Remote {
        /// Base URL.
        url: String,
        /// Whether this is a live 1Money network (testnet or mainnet).
        live: bool,
    },
}

/// Whether a URL names a live 1Money network server.
pub fn is_live_url(url: &str) -> bool {
    let host = url.parse::<ureq::http::Uri>().ok().and_then(|u| {
        u.host()
            .map(|h| h.trim_end_matches('.').to_ascii_lowercase())
    });
    host.is_some_and(|h| h == "1money.network" || h.ends_with(".1money.network"))
}

fn default_data_dir(leaf: &str) -> Result<PathBuf, CliError> {
    dirs::data_dir()
        .map(|d| d.join("tokensign").join(leaf))
        .ok_or_else(|| {
            CliError::bad_input(
                "no per-user data directory is known on this system: give --data-dir DIR \
                 (or $TOKENSIGN_DATA_DIR)",
            )
        })
}

/// Resolves `--url`, `--network` and the embedded default.
pub fn resolve_target(server: &ServerArgs) -> Result<Target, CliError> {
    if let Some(url) = &server.url {
        let url = crate::client::normalize_base_url(url)?;
        let live = is_live_url(&url);
        return Ok(Target::Remote { url, live });
    }
    if let Some(network) = server.network {
        return Ok(Target::Remote {
            url: network.url().to_owned(),
            live: network.is_live(),
        });
    }
    let dir = match &server.data_dir {
        Some(d) => d.clone(),
        None => default_data_dir("embedded")?,
    };
    Ok(Target::Embedded(dir))
}

fn client_config(server: &ServerArgs) -> ClientConfig {
    ClientConfig {
        timeout: Duration::from_secs(server.timeout),
        retry: RetryPolicy {
            attempts: server.retries.saturating_add(1),
            ..RetryPolicy::default()
        },
    }
}

/// Starts the embedded server on 127.0.0.1 (free port), trusting
/// `operators`.
pub fn start_embedded(data_dir: &Path, operators: Vec<Address>) -> Result<RunningNode, CliError> {
    std::fs::create_dir_all(data_dir).map_err(|e| {
        CliError::bad_input(format!(
            "cannot create the data directory {}: {}",
            show_path(data_dir),
            e.kind()
        ))
    })?;
    let config = NodeConfig::new(data_dir.to_path_buf(), operators);
    let listen = SocketAddr::from(([127, 0, 0, 1], 0));
    crate::node::spawn_background(config, listen).map_err(|e| {
        CliError::internal(format!(
            "cannot start the embedded server (data in {}): {}",
            show_path(data_dir),
            sanitize(&format!("{e:#}"))
        ))
    })
}

// ------------------------------------------------------------- issue

const CLAWBACK_EXPLANATION: &str = "\
choose clawback explicitly with --clawback-enabled true or --clawback-enabled false.
The live 1Money networks sign eight fields, the eighth being clawback_enabled; a
request without it is read as clawback_enabled = true. Clawback lets the token's
authority take tokens back from holders, and it can NEVER be changed after the
token is issued, so tokensign will not choose it for you.";

/// The key `issue` signs with: the configured one, else the development
/// key for the embedded server; the development key is refused elsewhere.
fn issue_signer(keys: &KeyOptions, target: &Target) -> Result<Signer, CliError> {
    let signer = match (keys.source()?, target) {
        (Some(source), _) => keys::load(&source)?,
        (None, Target::Embedded(_)) => Signer::Key(keys::dev_key()),
        (None, Target::Remote { .. }) => {
            return Err(CliError::bad_input(
                "no signing key: give --keystore FILE, --private-key-file FILE or \
                 $TOKENSIGN_PRIVATE_KEY (the development key is only for the embedded server)",
            ))
        }
    };
    if let (true, Target::Remote { url, .. }) = (signer.is_dev_key(), target) {
        return Err(CliError::bad_input(format!(
            "refusing to sign for {url} with the development key {}: it is PUBLIC and \
             INSECURE and only the embedded local server trusts it. Use your own key \
             (--keystore, --private-key-file or $TOKENSIGN_PRIVATE_KEY).",
            keys::dev_address()
        )));
    }
    Ok(signer)
}

/// Every payload field, one indented line each, as `issue` and `verify`
/// print them; `clawback` is the text for `clawback_enabled`.
fn field_lines(p: &TokenIssuePayload, clawback: &str) -> String {
    format!(
        "  chain_id          {}\n  \
         nonce             {}\n  \
         symbol            {}\n  \
         name              {:?}\n  \
         decimals          {}\n  \
         master_authority  {}\n  \
         is_private        {}\n  \
         clawback_enabled  {clawback}\n",
        p.chain_id(),
        p.nonce(),
        p.symbol(),
        p.name(),
        p.decimals(),
        p.master_authority(),
        p.is_private(),
    )
}

fn review_text(request: &SignedRequest, signer: &Signer, server: &str) -> String {
    let p = &request.payload;
    let form = match p.clawback_enabled() {
        Some(_) => "eight-field form",
        None => "seven-field form: clawback_enabled is not sent",
    };
    let clawback = match p.clawback_enabled() {
        Some(c) => c.to_string(),
        None => "(not sent)".to_owned(),
    };
    let dev = if signer.is_dev_key() {
        "  (development key: PUBLIC AND INSECURE)"
    } else {
        ""
    };
    format!(
        "Token issue to sign ({form}):\n{}\
         It creates:\n  \
         token address     {}\n  \
         signer            {}{dev}\n  \
         signing hash      {}\n  \
         transaction hash  {}\n\
         Submitting to {server}\n",
        field_lines(p, &clawback),
        p.token_address(),
        signer.address(),
        hex32(&request.signing_hash()),
        hex32(&request.tx_hash()),
    )
}

/// The request body exactly as the core writes it.
/// Largest JSON-lines input `sign --lines` reads (1 GiB).
const MAX_LINES_INPUT: u64 = 1 << 30;

fn sign_lines(
    args: &SignArgs,
    keys: &KeyOptions,
    json_mode: bool,
    io: &mut Io<'_>,
) -> Result<(), CliError> {
    if json_mode {
        return Err(CliError::bad_input(
            "--lines prints JSON lines already (one request body per line); drop --json",
        ));
    }
    let mut input = Vec::new();
    let read = if args.payload == Path::new("-") {
        io.input.take(MAX_LINES_INPUT + 1).read_to_end(&mut input)
    } else {
        std::fs::File::open(&args.payload)
            .and_then(|f| f.take(MAX_LINES_INPUT + 1).read_to_end(&mut input))
    };
    read.map_err(|e| {
        CliError::bad_input(format!(
            "cannot read {}: {}",
            show_path(&args.payload),
            e.kind()
        ))
    })?;
    if input.len() as u64 > MAX_LINES_INPUT {
        return Err(CliError::bad_input(
            "the JSON-lines input is larger than 1 GiB",
        ));
    }
    let signer = required_signer(keys, "sign")?;
    let threads = args.threads.unwrap_or_else(batch::default_threads);
    match batch::sign_lines(&input, &signer, threads) {
        Ok(bodies) => {
            let mut text = String::new();
            for body in bodies {
                text.push_str(&String::from_utf8_lossy(&body));
                text.push('\n');
            }
            write_out(io.out, &text)
        }
        Err(errors) => {
            let shown: Vec<String> = errors
                .iter()
                .take(20)
                .map(|e| format!("line {}: {}", e.line, sanitize(&e.message)))
                .collect();
            let more = errors.len().saturating_sub(shown.len());
            let tail = if more > 0 {
                format!("\n… and {more} more")
            } else {
                String::new()
            };
            Err(CliError::bad_input(format!(
                "{} of the input lines were refused; nothing was signed:\n{}{tail}",
                errors.len(),
                shown.join("\n")
            )))
        }
    }
}

fn request_bytes(request: &SignedRequest) -> Result<Vec<u8>, CliError> {
    let mut buf = [0u8; MAX_REQUEST_JSON_LEN];
    let n = core_json::write_request(request, &mut buf)
        .map_err(|e| CliError::internal(format!("cannot write the request: {e}")))?;
    Ok(buf.get(..n).unwrap_or_default().to_vec())
}

/// One JSON object line: `{"request": <body>, ...fields}`, with the request
/// body embedded byte for byte as the core wrote it (field order kept).
fn object_with_request(body: &[u8], fields: Value) -> String {
    let rest = fields.to_string();
    let body = String::from_utf8_lossy(body);
    match rest.strip_prefix('{').filter(|r| *r != "}") {
        Some(tail) => format!("{{\"request\":{body},{tail}\n"),
        None => format!("{{\"request\":{body}}}\n"),
    }
}

fn issue(
    args: &IssueArgs,
    keys: &KeyOptions,
    json_mode: bool,
    io: &mut Io<'_>,
) -> Result<(), CliError> {
    // 1. Every field is validated by the core before anything else happens.
    let master = parse_address("--master-authority", &args.master_authority)?;
    let draft = TokenIssuePayload::new(PayloadFields {
        chain_id: args.chain_id.unwrap_or(0),
        nonce: args.nonce.unwrap_or(0),
        symbol: &args.symbol,
        name: &args.name,
        decimals: args.decimals,
        master_authority: master,
        is_private: args.is_private,
        clawback_enabled: args.clawback_enabled,
    })
    .map_err(|e| CliError::bad_input(format!("invalid {}: {e}", flag_of(&e))))?;

    // 2. Server, clawback choice, key.
    let target = resolve_target(&args.server)?;
    if let (Target::Remote { url, live: true }, None) = (&target, args.clawback_enabled) {
        return Err(CliError::bad_input(format!(
            "{url} is a live 1Money network: {CLAWBACK_EXPLANATION}"
        )));
    }
    let signer = issue_signer(keys, &target)?;

    // 3. The embedded server lives as long as this command.
    let mut _embedded: Option<RunningNode> = None;
    let (url, server_label) = match &target {
        Target::Embedded(dir) => {
            let mut operators = vec![keys::dev_address()];
            if signer.address() != keys::dev_address() {
                operators.push(signer.address());
            }
            let node = start_embedded(dir, operators)?;
            let url = node.url.clone();
            _embedded = Some(node);
            let label = format!("{url} (embedded local server, data in {})", show_path(dir));
            (url, label)
        }
        Target::Remote { url, .. } => (url.clone(), url.clone()),
    };
    let client = Client::new(&url, client_config(&args.server))?;

    // 4. Chain id and nonce, unless given.
    let chain_id = match args.chain_id {
        Some(c) => c,
        None => client.chain_id()?,
    };
    let nonce = match args.nonce {
        Some(n) => n,
        None => client.nonce(&signer.address())?,
    };
    let payload = draft
        .with_chain_id(chain_id)
        .and_then(|p| p.with_nonce(nonce))
        .map_err(|e| {
            CliError::new(
                Failure::Rejected,
                format!("the server's {}: {e}", flag_of(&e).trim_start_matches("--")),
            )
        })?;

    // 5. Sign, show, submit.
    let request = signer.sign(payload)?;
    if request.signer().ok() != Some(signer.address()) {
        return Err(CliError::internal(
            "the signature does not recover to the signer",
        ));
    }
    let body = request_bytes(&request)?;
    let tx_hash = request.tx_hash();
    let token = request.payload.token_address();
    let review = review_text(&request, &signer, &server_label);
    if json_mode {
        write_out(io.err, &review)?;
    } else {
        write_out(io.out, &review)?;
    }
    let outcome = client.submit_issue(&body, &tx_hash, &token)?;
    print_issue_result(&outcome, &request, &body, &url, json_mode, io)
}

fn print_issue_result(
    outcome: &IssueOutcome,
    request: &SignedRequest,
    body: &[u8],
    url: &str,
    json_mode: bool,
    io: &mut Io<'_>,
) -> Result<(), CliError> {
    if json_mode {
        let fields = json!({
            "status": "accepted",
            "tx_hash": hex32(&outcome.tx_hash),
            "token": outcome.token.to_string(),
            "signer": request.signer().map(|a| a.to_string()).unwrap_or_default(),
            "signing_hash": hex32(&request.signing_hash()),
            "server": url,
            "confirmed_by_lookup": outcome.confirmed_by_lookup,
            "attempts": outcome.attempts,
        });
        return write_out(io.out, &object_with_request(body, fields));
    }
    let how = if outcome.confirmed_by_lookup {
        " (the answer was lost; a look-up by hash found the transaction)"
    } else {
        ""
    };
    write_out(
        io.out,
        &format!(
            "Accepted{how}.\n  transaction hash  {}\n  token             {}\n",
            hex32(&outcome.tx_hash),
            outcome.token
        ),
    )
}

// ------------------------------------------------------------- offline

fn required_signer(keys: &KeyOptions, what: &str) -> Result<Signer, CliError> {
    match keys.source()? {
        Some(source) => keys::load(&source),
        None => Err(CliError::bad_input(format!(
            "{what} needs a key: give --keystore FILE, --private-key-file FILE, \
             $TOKENSIGN_PRIVATE_KEY, or --dev-key for the public development key"
        ))),
    }
}

fn sign(
    args: &SignArgs,
    keys: &KeyOptions,
    json_mode: bool,
    io: &mut Io<'_>,
) -> Result<(), CliError> {
    if args.lines {
        return sign_lines(args, keys, json_mode, io);
    }
    let input = read_json_input(&args.payload, io.input, "the payload")?;
    let payload = core_json::parse_payload(&input)
        .map_err(|e| CliError::bad_input(format!("invalid payload: {e}")))?;
    let signer = required_signer(keys, "sign")?;
    let request = signer.sign(payload)?;
    let body = request_bytes(&request)?;
    if !json_mode {
        let mut text = String::from_utf8_lossy(&body).into_owned();
        text.push('\n');
        return write_out(io.out, &text);
    }
    let fields = json!({
        "signing_hash": hex32(&request.signing_hash()),
        "tx_hash": hex32(&request.tx_hash()),
        "token": request.payload.token_address().to_string(),
        "signer": signer.address().to_string(),
    });
    write_out(io.out, &object_with_request(&body, fields))
}

fn verify(args: &VerifyArgs, json_mode: bool, io: &mut Io<'_>) -> Result<(), CliError> {
    let input = read_json_input(&args.file, io.input, "the request")?;
    let request = core_json::parse_request(&input)
        .map_err(|e| CliError::bad_input(format!("invalid request body: {e}")))?;
    let signer = request
        .signer()
        .map_err(|e| CliError::bad_input(format!("invalid signature: {e}")))?;
    let p = &request.payload;
    if json_mode {
        let obj = json!({
            "valid": true,
            "signer": signer.to_string(),
            "signing_hash": hex32(&request.signing_hash()),
            "tx_hash": hex32(&request.tx_hash()),
            "token": p.token_address().to_string(),
            "chain_id": p.chain_id(),
            "nonce": p.nonce(),
            "symbol": p.symbol(),
            "name": p.name(),
            "decimals": p.decimals(),
            "master_authority": p.master_authority().to_string(),
            "is_private": p.is_private(),
            "clawback_enabled": p.clawback_enabled(),
        });
        return write_out(io.out, &format!("{obj}\n"));
    }
    let clawback = p
        .clawback_enabled()
        .map_or("(not sent: seven-field form)".to_owned(), |c| c.to_string());
    write_out(
        io.out,
        &format!(
            "Valid signature.\n  \
             signer            {signer}\n  \
             signing hash      {}\n  \
             transaction hash  {}\n  \
             token             {}\n{}",
            hex32(&request.signing_hash()),
            hex32(&request.tx_hash()),
            p.token_address(),
            field_lines(p, &clawback),
        ),
    )
}

fn address(keys: &KeyOptions, json_mode: bool, io: &mut Io<'_>) -> Result<(), CliError> {
    let signer = required_signer(keys, "address")?;
    let address = signer.address();
    if json_mode {
        let obj = json!({
            "address": address.to_string(),
            "dev_key": signer.is_dev_key(),
        });
        return write_out(io.out, &format!("{obj}\n"));
    }
    write_out(io.out, &format!("{address}\n"))
}

fn keygen(
    args: &KeygenArgs,
    keys: &KeyOptions,
    json_mode: bool,
    io: &mut Io<'_>,
) -> Result<(), CliError> {
    if args.out.exists() {
        return Err(CliError::bad_input(format!(
            "{} already exists; refusing to overwrite it",
            show_path(&args.out)
        )));
    }
    let password = keys::read_password(&keys.password_source(), "New keystore password: ", true)?;
    let address = keys::keygen(&args.out, &password)?;
    if json_mode {
        let obj = json!({
            "address": address.to_string(),
            "keystore": args.out.display().to_string(),
        });
        return write_out(io.out, &format!("{obj}\n"));
    }
    write_out(
        io.out,
        &format!(
            "Created keystore {}\naddress {address}\n",
            show_path(&args.out)
        ),
    )
}

// ------------------------------------------------------------- mint

fn mint(args: &MintArgs, json_mode: bool, io: &mut Io<'_>) -> Result<(), CliError> {
    if args.asset_id.trim().is_empty() {
        return Err(CliError::bad_input("--asset-id must not be empty"));
    }
    if args.recipient.trim().is_empty() {
        return Err(CliError::bad_input("--recipient must not be empty"));
    }
    let amount: serde_json::Number = serde_json::from_str(args.amount.trim()).map_err(|_| {
        CliError::bad_input(format!(
            "invalid --amount {:?}: not a number",
            sanitize(&args.amount)
        ))
    })?;
    let positive = amount.as_u64().is_some_and(|n| n > 0)
        || (!amount.is_u64()
            && !amount.is_i64()
            && amount.as_f64().is_some_and(|f| f.is_finite() && f > 0.0));
    if !positive {
        return Err(CliError::bad_input(format!(
            "invalid --amount {:?}: must be greater than zero",
            sanitize(&args.amount)
        )));
    }
    let body = json!({
        "asset_id": args.asset_id,
        "amount": amount,
        "recipient_wallet_address": args.recipient,
    });
    let target = resolve_target(&args.server)?;
    let mut _embedded: Option<RunningNode> = None;
    let url = match &target {
        Target::Embedded(dir) => {
            let node = start_embedded(dir, vec![keys::dev_address()])?;
            let url = node.url.clone();
            _embedded = Some(node);
            url
        }
        Target::Remote { url, .. } => url.clone(),
    };
    let client = Client::new(&url, client_config(&args.server))?;
    if !json_mode {
        write_out(
            io.out,
            &format!(
                "Minting {} of {:?} to {:?} via {url}\n",
                amount,
                sanitize(&args.asset_id),
                sanitize(&args.recipient)
            ),
        )?;
    }
    let answer = client.mint(&body)?;
    if json_mode {
        return write_out(io.out, &format!("{answer}\n"));
    }
    let field = |name: &str| match answer.get(name) {
        Some(Value::String(s)) => sanitize(s),
        Some(v) => sanitize(&v.to_string()),
        None => "(none)".to_owned(),
    };
    write_out(
        io.out,
        &format!(
            "Minted.\n  status       {}\n  token_id     {}\n  asset_id     {}\n  amount       {}\n  assigned_to  {}\n",
            field("status"),
            field("token_id"),
            field("asset_id"),
            field("amount"),
            field("assigned_to"),
        ),
    )
}

// ------------------------------------------------------------- node

fn node(args: &NodeArgs, io: &mut Io<'_>) -> Result<(), CliError> {
    let operators = args
        .operators
        .iter()
        .filter(|o| !o.trim().is_empty())
        .map(|o| parse_address("--operator", o))
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(chain_id) = args.chain_id {
        if chain_id > tokensign_core::MAX_CHAIN_ID {
            return Err(CliError::bad_input(
                "--chain-id must be between 0 and 2^63-1",
            ));
        }
    }
    let data_dir = match &args.data_dir {
        Some(d) => d.clone(),
        None => default_data_dir("node")?,
    };
    std::fs::create_dir_all(&data_dir).map_err(|e| {
        CliError::bad_input(format!(
            "cannot create the data directory {}: {}",
            show_path(&data_dir),
            e.kind()
        ))
    })?;
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .try_init();
    if operators.is_empty() {
        write_out(
            io.err,
            "warning: no --operator given: the server accepts issues signed by ANY valid key\n",
        )?;
    }
    if operators.contains(&keys::dev_address()) {
        write_out(
            io.err,
            "warning: the PUBLIC, INSECURE development key is an operator of this server\n",
        )?;
    }
    let mut config = NodeConfig::new(data_dir, operators);
    if let Some(chain_id) = args.chain_id {
        config.chain_id = chain_id;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::internal(format!("cannot start the runtime: {e}")))?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(args.listen)
            .await
            .map_err(|e| CliError::bad_input(format!("cannot listen on {}: {e}", args.listen)))?;
        let addr = listener
            .local_addr()
            .map_err(|e| CliError::internal(format!("cannot read the bound address: {e}")))?;
        write_out(io.out, &format!("listening on http://{addr}\n"))?;
        crate::node::serve(config, listener).await.map_err(|e| {
            CliError::internal(format!("server failed: {}", sanitize(&format!("{e:#}"))))
        })
    })
}

/// The named network of a URL, if it is one of the spec's servers.
pub fn network_of(url: &str) -> Option<Network> {
    [Network::Local, Network::Testnet, Network::Mainnet]
        .into_iter()
        .find(|n| n.url() == url.trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn live_urls() {
        assert!(is_live_url("https://api.testnet.1money.network"));
        assert!(is_live_url("https://API.1money.network./"));
        assert!(!is_live_url("http://localhost:18555"));
        assert!(!is_live_url("https://1money.network.evil.example"));
        assert_eq!(
            network_of("https://api.1money.network/"),
            Some(Network::Mainnet)
        );
    }
}

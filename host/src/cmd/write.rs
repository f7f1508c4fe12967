//! The write pipeline every operation command shares: the common flags
//! (chain id, nonce, memo, scheme, dry run, multisig), then one path for
//! every operation: check the fields offline, pick the server and the
//! signer, pick the scheme (`auto` reads `GET /api/status` once), read
//! what is missing (decimals, chain id, nonce), sign, show, and submit
//! with the answer checked against the local hashes — or, with
//! `--multisig`, write one member's partial signature instead.
//!
//! An operation command builds a [`Draft`]: its fields under their JSON
//! names (spec 2.2). The core parses the finished document, so every rule
//! is the core's and every error names its field, which [`Draft`] maps
//! back to the flag a person typed.

use std::path::PathBuf;

use clap::Args;
use serde_json::{json, Map, Value};
use tokensign_core::json as core_json;
use tokensign_core::tx::{OpType, Transaction, CHAIN_ID_TESTNET};
use tokensign_core::{Address, Error as CoreError, Scheme};

use super::amount::{whole_to_base, GivenAmount};
use super::common::{parse_address, required_signer, write_out, Notes};
use super::exit::CliError;
use super::review::{
    object_with_request, op_review, request_fields, review_items, review_json, review_lines,
    unit_json, Resolved, ReviewArgs, ReviewContext,
};
use super::scheme::SchemeChoice;
use super::scheme::{auto_scheme, explain_scheme_refusal, forced_scheme};
use super::server::{resolve_target, signer_for, ServerArgs, Session};
use super::Io;
use crate::client::Expected;
use crate::signer::{self, partial, KeyOptions, SignedRequest, Signer};
use crate::text::hex0x;

/// The flags every write shares.
#[derive(Debug, Args, Clone)]
pub struct WriteArgs {
    /// Chain id (default: GET /v1/chains/chain_id).
    #[arg(long)]
    pub chain_id: Option<u64>,
    /// Nonce (default: GET /v1/accounts/nonce for the sending account).
    #[arg(long)]
    pub nonce: Option<u64>,
    /// Memo type, e.g. purpose/SALA (a memo changes what is signed).
    #[arg(long, value_name = "TEXT")]
    pub memo_type: Option<String>,
    /// Memo format, e.g. text/plain.
    #[arg(long, value_name = "TEXT")]
    pub memo_format: Option<String>,
    /// Memo data, e.g. invoice-0001.
    #[arg(long, value_name = "TEXT")]
    pub memo_data: Option<String>,
    /// Signing scheme: auto (ask the server), v1 (legacy) or v2 (native).
    #[arg(long, value_enum, env = "TOKENSIGN_SCHEME", default_value_t = SchemeChoice::Auto)]
    pub scheme: SchemeChoice,
    /// Sign and print the request, send nothing (reads still happen for
    /// what --chain-id, --nonce and --scheme v1|v2 do not give).
    #[arg(long)]
    pub dry_run: bool,
    /// Sign as ONE member of this multisig account (v2): write a partial
    /// signature for `multisig combine` instead of submitting.
    #[arg(long, value_name = "ACCOUNT")]
    pub multisig: Option<String>,
    /// With --multisig: the partial signature's file (default: stdout).
    #[arg(long, value_name = "FILE", requires = "multisig")]
    pub out: Option<PathBuf>,
    /// The server.
    #[command(flatten)]
    pub server: ServerArgs,
    /// Token definitions and their trusted signers.
    #[command(flatten)]
    pub review: ReviewArgs,
}

/// An amount still in whole tokens or already in base units, under its
/// JSON key.
#[derive(Clone, Debug)]
pub struct PendingAmount {
    /// `value`, `amount`, `escrow_fee`.
    pub key: &'static str,
    /// What was given.
    pub given: GivenAmount,
    /// The token whose decimals convert it.
    pub token: Address,
}

/// An operation as its command built it, before the server is asked
/// anything.
#[derive(Clone, Debug)]
pub struct Draft {
    /// The operation.
    pub op: OpType,
    /// Its fields by JSON name (spec 2.2), without `chain_id`, `nonce`,
    /// `memo` and the pending amount.
    pub fields: Map<String, Value>,
    /// The amount, if the operation has one given as --value/--amount.
    pub amount: Option<PendingAmount>,
    /// A field that defaults to the sending account (burn-bridge's
    /// `sender`) when the command did not fill it.
    pub sender_field: Option<&'static str>,
    /// The flags of fields whose flag is not `--` + the JSON name.
    pub flags: &'static [(&'static str, &'static str)],
    /// What the command adds to its output (`account` of a new multisig).
    pub extra: Map<String, Value>,
}

impl Draft {
    /// A draft of `op` with `fields`.
    pub fn new(op: OpType, fields: Map<String, Value>) -> Self {
        Draft {
            op,
            fields,
            amount: None,
            sender_field: None,
            flags: &[],
            extra: Map::new(),
        }
    }

    /// The flag a core error is about.
    fn flag_of(&self, e: &CoreError) -> String {
        let Some(field) = e.field() else {
            return "input".into();
        };
        let path = field.path();
        if let Some((_, flag)) = self.flags.iter().find(|(p, _)| *p == path) {
            return (*flag).to_owned();
        }
        if self.amount.as_ref().is_some_and(|a| a.key == path) {
            return "--value/--amount".into();
        }
        format!("--{}", path.replace("[]", "").replace(['.', '_'], "-"))
    }

    /// The transaction, parsed (and so checked) by the core.
    pub fn transaction(
        &self,
        chain_id: u64,
        nonce: u64,
        memo: &Option<Value>,
        amount: Option<&str>,
        sender: Address,
    ) -> Result<Transaction, CliError> {
        let mut doc = Map::new();
        doc.insert("chain_id".into(), json!(chain_id));
        doc.insert("nonce".into(), json!(nonce));
        doc.extend(self.fields.clone());
        if let (Some(p), Some(amount)) = (&self.amount, amount) {
            doc.insert(p.key.into(), json!(amount));
        }
        if let Some(key) = self.sender_field {
            doc.entry(key).or_insert_with(|| json!(sender.to_string()));
        }
        if let Some(memo) = memo {
            doc.insert("memo".into(), memo.clone());
        }
        let bytes = serde_json::to_vec(&Value::Object(doc))
            .map_err(|e| CliError::internal(format!("cannot build the document: {e}")))?;
        core_json::parse_unsigned(self.op, &bytes)
            .map_err(|e| CliError::bad_input(format!("invalid {}: {e}", self.flag_of(&e))))
    }
}

impl WriteArgs {
    /// The memo object, when any memo flag is given (missing parts empty).
    pub fn memo(&self) -> Option<Value> {
        if self.memo_type.is_none() && self.memo_format.is_none() && self.memo_data.is_none() {
            return None;
        }
        let part = |p: &Option<String>| p.clone().unwrap_or_default();
        Some(json!({
            "type": part(&self.memo_type),
            "format": part(&self.memo_format),
            "data": part(&self.memo_data),
        }))
    }
}

/// Runs a write of `draft`.
pub fn run(
    draft: &Draft,
    w: &WriteArgs,
    keys: &KeyOptions,
    json_mode: bool,
    io: &mut Io<'_>,
) -> Result<(), CliError> {
    // 1. Everything the flags give is checked before anything else.
    let mut context = ReviewContext::from_args(&w.review)?;
    let memo = w.memo();
    let account = w
        .multisig
        .as_deref()
        .map(|a| parse_address("--multisig", a))
        .transpose()?;
    let placeholder = draft.amount.as_ref().map(|_| "0");
    draft.transaction(
        w.chain_id.unwrap_or(CHAIN_ID_TESTNET),
        w.nonce.unwrap_or(0),
        &memo,
        placeholder,
        Address::default(),
    )?;
    let forced = forced_scheme(w, draft.op)?;
    let decimals_needed = matches!(
        draft.amount,
        Some(PendingAmount {
            given: GivenAmount::Tokens(_, None),
            ..
        })
    );
    // A dry run, or one member's partial signature, sends nothing: with
    // the chain id, nonce and scheme given it needs no server at all.
    let offline = (w.dry_run || account.is_some())
        && w.chain_id.is_some()
        && w.nonce.is_some()
        && forced.is_some()
        && !decimals_needed;

    // 2. Server and signer.
    let notes = Notes::new(&mut *io.err);
    let (signer, session) = if offline {
        (required_signer(keys, draft.op.name())?, None)
    } else {
        let target = resolve_target(&w.server)?;
        let signer = signer_for(keys, &target)?;
        let mut operators = vec![signer::dev_address()];
        if signer.address() != signer::dev_address() {
            operators.push(signer.address());
        }
        let session = Session::open(&target, &w.server, operators, &notes)?;
        context.learn_server(&session.client, &session.url);
        (signer, Some(session))
    };
    let client = session.as_ref().map(|s| &s.client);
    let need_client =
        || client.ok_or_else(|| CliError::internal("a read was needed without a server"));

    // 3. Scheme, amount, chain id, nonce.
    let scheme = match forced {
        Some(s) => s,
        None => auto_scheme(need_client()?, draft.op, &notes)?,
    };
    let amount = match &draft.amount {
        None => None,
        Some(p) => Some(match &p.given {
            GivenAmount::Base(v) => v.clone(),
            GivenAmount::Tokens(t, Some(d)) => whole_to_base(t, *d)?,
            GivenAmount::Tokens(t, None) => {
                let info = need_client()?.token_metadata(&p.token).map_err(|e| {
                    let mut e = CliError::from(e);
                    e.message.push_str(
                        "\n--amount needs the token's decimals: check --token, or give \
                         --token-decimals N, or --value in base units",
                    );
                    e
                })?;
                notes.write(&format!(
                    "decimals: {} (token {})\n",
                    info.decimals, p.token
                ))?;
                whole_to_base(t, info.decimals)?
            }
        }),
    };
    let sender = account.unwrap_or_else(|| signer.address());
    let chain_id = match w.chain_id {
        Some(c) => c,
        None => need_client()?.chain_id()?,
    };
    let nonce = match w.nonce {
        Some(n) => n,
        None => need_client()?.nonce(&sender)?,
    };
    let tx = draft.transaction(chain_id, nonce, &memo, amount.as_deref(), sender)?;
    // A definition that cannot be used is refused here, before signing.
    let resolved = context.resolve(&tx, client)?;

    // 4. One member of a multisig account: a partial signature, not sent.
    if let Some(account) = account {
        return write_partial(
            &tx,
            account,
            signer.as_ref(),
            w,
            json_mode,
            io.out,
            &notes,
            &resolved,
        );
    }

    // 5. Sign, then show and print (dry run) or submit.
    let request = SignedRequest::sign(signer.as_ref(), tx, scheme)?;
    finish(
        &request,
        signer.address(),
        session.as_ref(),
        w.dry_run,
        json_mode,
        io.out,
        &notes,
        &draft.extra,
        &resolved,
    )
}

/// Shows a signed request, then prints it (dry run) or submits it to the
/// session's server with the answer checked against the local hashes.
/// `sender` is the signer (or the multisig account); `extra` goes into the
/// `--json` object and, as lines, into the text.
#[allow(clippy::too_many_arguments)]
pub fn finish(
    request: &SignedRequest,
    sender: Address,
    session: Option<&Session<'_>>,
    dry_run: bool,
    json_mode: bool,
    out: &mut dyn std::io::Write,
    notes: &Notes<'_>,
    extra: &Map<String, Value>,
    resolved: &Resolved,
) -> Result<(), CliError> {
    let body = request.body()?;
    let tx_hash = request.tx_hash()?;
    let mut review = op_review(
        request,
        sender,
        session.map(|s| s.label.as_str()),
        dry_run,
        resolved,
    )?;
    for (key, value) in extra {
        let value = value
            .as_str()
            .map_or_else(|| value.to_string(), str::to_owned);
        review.push_str(&format!("{key}: {value}\n"));
    }
    if json_mode {
        notes.write(&review)?;
    } else {
        write_out(out, &review)?;
    }
    let mut fields = request_fields(request, &sender)?;
    fields.extend(extra.clone());
    let lines = review_lines(
        request.transaction(),
        request.scheme(),
        super::review::request_descriptor(request),
        resolved,
    )?;
    fields.insert("review".into(), review_json(&lines));
    fields.insert("token_unit".into(), unit_json(resolved));
    if dry_run {
        if json_mode {
            fields.insert("status".into(), json!("dry_run"));
            return write_out(out, &object_with_request(&body, Value::Object(fields)));
        }
        let text = String::from_utf8_lossy(&body);
        return write_out(
            out,
            &format!("{text}\nDry run: nothing was sent ({}).\n", request.path()),
        );
    }
    let Some(session) = session else {
        return Err(CliError::internal("no server to submit to"));
    };
    let expected = Expected {
        tx_hash,
        token: request.token(),
    };
    let submitted = session
        .client
        .submit(request.path(), &body, &expected)
        .map_err(|e| explain_scheme_refusal(CliError::from(e), request.scheme()))?;
    if json_mode {
        fields.insert("status".into(), json!("accepted"));
        fields.insert("server".into(), json!(session.url));
        fields.insert(
            "confirmed_by_lookup".into(),
            json!(submitted.confirmed_by_lookup),
        );
        fields.insert("attempts".into(), json!(submitted.attempts));
        return write_out(out, &object_with_request(&body, Value::Object(fields)));
    }
    let how = if submitted.confirmed_by_lookup {
        " (the answer was lost; a look-up by hash found the transaction)"
    } else {
        ""
    };
    let token = submitted
        .token
        .map(|t| format!("  token             {t}\n"))
        .unwrap_or_default();
    write_out(
        out,
        &format!(
            "Accepted{how}.\n  transaction hash  {}\n{token}",
            hex0x(&submitted.tx_hash),
        ),
    )
}

/// Signs `tx` as one member of `account` and writes the partial file.
#[allow(clippy::too_many_arguments)]
fn write_partial(
    tx: &Transaction,
    account: Address,
    signer: &dyn Signer,
    w: &WriteArgs,
    json_mode: bool,
    out: &mut dyn std::io::Write,
    notes: &Notes<'_>,
    resolved: &Resolved,
) -> Result<(), CliError> {
    let normalized = tokensign_core::native::normalize(tx.clone());
    let review = review_items(
        &normalized,
        Scheme::Native,
        tokensign_core::native::Descriptor::Multisig(account),
        resolved,
    )?;
    let review = format!(
        "{review}  member            {}\n  signing hash      {}\n",
        signer.address(),
        hex0x(&tokensign_core::native::signing_hash(
            &normalized,
            tokensign_core::native::Descriptor::Multisig(account)
        ))
    );
    if json_mode || w.out.is_none() {
        notes.write(&review)?;
    } else {
        write_out(out, &review)?;
    }
    let part = partial::sign_partial(signer, tx, account)?;
    let text = part.to_json()?;
    match &w.out {
        Some(path) => {
            partial::write_new(path, &text)?;
            let summary = format!(
                "Partial signature of {} for multisig account {account} by {} written to {}.\n\
                 Give every member's file to `tokensign multisig combine`.\n",
                tx.op_type(),
                signer.address(),
                crate::text::show_path(path)
            );
            if json_mode {
                notes.write(&summary)?;
                write_out(out, &format!("{text}\n"))
            } else {
                write_out(out, &summary)
            }
        }
        None => write_out(out, &format!("{text}\n")),
    }
}

//! The write pipeline every operation command shares. A command builds
//! the core's operation from its flags ([`Draft`]); the pipeline then
//!
//! 1. checks everything the flags give, before anything else
//!    ([`check`]: the memo, the multisig account, the scheme, the
//!    transaction's rules with the chain id and nonce given or stand-ins);
//! 2. picks the server and the signer ([`crate::cmd::session`]);
//! 3. picks the scheme (`auto` reads `GET /api/status` once:
//!    [`scheme`]) and reads what is missing: the token's decimals for an
//!    amount in whole tokens, the chain id, the nonce;
//! 4. signs: one member's partial signature with `--multisig`
//!    (`partial.rs`), else the whole request, its hashes computed once;
//! 5. shows it, then prints it (dry run) or submits it with the answer
//!    checked against the local hashes ([`mod@finish`]).
//!
//! Flag names in errors come from one table keyed by the core's field
//! ([`flags`]).

mod args;
mod draft;
pub mod finish;
pub mod flags;
mod partial;
pub mod scheme;

use tokensign_core::tx::{Memo, CHAIN_ID_TESTNET};
use tokensign_core::{Address, Amount, Scheme};

pub use args::WriteArgs;
pub use draft::{Draft, PendingAmount};
pub use finish::{finish, Signed};

use super::amount::whole_to_base;
use super::common::{parse_address, required_signer, Notes};
use super::exit::CliError;
use super::review::ReviewContext;
use super::session::{resolve_target, signer_for, Session};
use super::Io;
use crate::client::Client;
use crate::signer::{self, KeyOptions, SignedRequest, SignerError};
use scheme::{auto_scheme, forced_scheme};

/// A draft whose flags are all checked (step 1), with what they gave.
#[derive(Debug)]
pub struct Checked {
    draft: Draft,
    memo: Option<Memo>,
    account: Option<Address>,
    forced: Option<Scheme>,
    context: ReviewContext,
}

/// Step 1: checks everything the flags give, the transaction's rules
/// included (with stand-ins for the chain id and nonce not given), before
/// a server or a key is touched.
pub fn check(draft: Draft, w: &WriteArgs) -> Result<Checked, CliError> {
    let context = ReviewContext::from_args(&w.review)?;
    let memo = w.memo()?;
    let account = w
        .multisig
        .as_deref()
        .map(|a| parse_address("--multisig", a))
        .transpose()?;
    draft
        .complete(
            w.chain_id.unwrap_or(CHAIN_ID_TESTNET),
            w.nonce.unwrap_or(0),
            memo.clone(),
            None,
            Address::ZERO,
        )
        .check()
        .map_err(flags::refused)?;
    let forced = forced_scheme(w, draft.op_type())?;
    if w.out.is_some() && !w.dry_run && account.is_none() {
        return Err(CliError::bad_input(
            "--out writes a request that is not sent: add --dry-run (the signed request, for \
             `submit` later) or --multisig ACCOUNT (one member's partial signature)",
        ));
    }
    Ok(Checked {
        draft,
        memo,
        account,
        forced,
        context,
    })
}

/// Runs a write of `draft`: every step.
pub fn run(
    draft: Draft,
    w: &WriteArgs,
    keys: &KeyOptions,
    json_mode: bool,
    io: &mut Io<'_>,
) -> Result<(), CliError> {
    let checked = check(draft, w)?;
    run_checked(checked, w, keys, json_mode, io)
}

/// Runs steps 2 to 5 of a checked draft.
pub fn run_checked(
    checked: Checked,
    w: &WriteArgs,
    keys: &KeyOptions,
    json_mode: bool,
    io: &mut Io<'_>,
) -> Result<(), CliError> {
    let Checked {
        draft,
        memo,
        account,
        forced,
        mut context,
    } = checked;
    // A dry run, or one member's partial signature, sends nothing: with
    // the chain id, nonce and scheme given it needs no server at all.
    let offline = (w.dry_run || account.is_some())
        && w.chain_id.is_some()
        && w.nonce.is_some()
        && forced.is_some()
        && draft.amount.is_none();

    // 2. Server and signer.
    let notes = Notes::new(&mut *io.err);
    context.trust_device_signers(keys);
    let (signer, session) = if offline {
        (required_signer(keys, draft.op_type().name())?, None)
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
        None => auto_scheme(need_client()?, draft.op_type(), &notes)?,
    };
    let amount = match &draft.amount {
        None => None,
        Some(pending) => Some(in_base_units(need_client()?, pending, &notes)?),
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
    let tx = draft.complete(chain_id, nonce, memo, amount, sender);
    // A definition that cannot be used is refused here, before signing.
    let resolved = context.resolve(&tx, client)?;
    // A device is given the same definition, and checks it itself.
    signer.offer_definition(resolved.definition_for_device());

    // 4. One member of a multisig account: a partial signature, not sent.
    if let Some(account) = account {
        let out = partial::Out {
            file: w.out.as_deref(),
            json_mode,
            resolved: &resolved,
        };
        return partial::write(&tx, account, signer.as_ref(), &out, io.out, &notes);
    }

    // 4. Otherwise the whole request, signed; its hashes computed once.
    let (request, hashes) =
        SignedRequest::sign_hashed(signer.as_ref(), tx, scheme).map_err(signing_refused)?;
    let signed = Signed::new(request, hashes)?;
    let mut extra = draft.extra.clone();
    finish::device_screen(signer.as_ref(), json_mode, &mut extra, &notes)?;

    // 5. Show, then print (dry run) or submit.
    if let (true, Some(path)) = (w.dry_run, &w.out) {
        return finish::save(
            &signed,
            signer.address(),
            session.as_ref(),
            path,
            json_mode,
            io.out,
            &notes,
            &resolved,
        );
    }
    finish(
        &signed,
        signer.address(),
        session.as_ref(),
        w.dry_run,
        json_mode,
        io.out,
        &notes,
        &extra,
        &resolved,
    )
}

/// A pending amount in base units, with the token's decimals read from
/// the server (and said on stderr).
fn in_base_units(
    client: &Client<'_>,
    pending: &PendingAmount,
    notes: &Notes<'_>,
) -> Result<Amount, CliError> {
    let info = client.token_metadata(&pending.token).map_err(|e| {
        let mut e = CliError::from(e);
        e.message.push_str(
            "\n--amount needs the token's decimals: check --token, or give --token-decimals N, \
             or --value in base units",
        );
        e
    })?;
    notes.write(&format!(
        "decimals: {} (token {})\n",
        info.decimals, pending.token
    ))?;
    whole_to_base(&pending.tokens, info.decimals)
}

/// A refusal while signing: the core's, naming the flag; else the
/// signer's own.
pub fn signing_refused(e: SignerError) -> CliError {
    match e {
        SignerError::Core(core) => flags::refused(core),
        other => CliError::from(other),
    }
}

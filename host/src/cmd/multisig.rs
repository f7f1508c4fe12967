//! `tokensign multisig`: create a multisig account (CreateMultiSig, v2),
//! derive its address locally (the node does not return it), and combine
//! the members' partial signatures into a v2 request and submit it.
//!
//! Members are given by compressed public key (`0x02…`/`0x03…`, 66 hex
//! digits) or by a name or address from an address book: a text file of
//! `NAME PUBLIC_KEY` lines (`#` starts a comment), whose addresses are
//! derived from the keys.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use heapless::Vec as BoundedVec;
use serde_json::{json, Value};
use tokensign_core::field::KeyAsIntegers;
use tokensign_core::tx::{multisig_address, CreateMultiSig, MultisigSigner, MAX_MULTISIG_SIGNERS};
use tokensign_core::{address_of_compressed, Address, Error as CoreError, Field, Problem};

use super::common::{read_limited_input, write_out, Notes};
use super::exit::CliError;
use super::review::{ReviewArgs, ReviewContext};
use super::session::{resolve_target, ServerArgs, Session};
use super::write::{self, flags, Draft, Signed, WriteArgs};
use super::Io;
use crate::show::{sanitize, show_path};
use crate::signer::{self, partial, KeyOptions, SignedRequest};

/// `tokensign multisig …`.
#[derive(Debug, Subcommand)]
pub enum MultisigCommand {
    /// Create a multisig account (CreateMultiSig, v2; signed by the
    /// creating account) and print its address.
    Create(CreateArgs),
    /// Print a multisig account's address, derived locally.
    Address(MembersArgs),
    /// Check the members' partial signature files, combine them into the
    /// v2 request (proof in ascending key order) and submit it.
    Combine(CombineArgs),
}

/// The members and threshold of an account.
#[derive(Debug, Args, Clone)]
pub struct MembersArgs {
    /// A member: PUBLIC_KEY, or a NAME or ADDRESS from --address-book, with
    /// an optional :WEIGHT (default 1). Repeat for each member (2..=20).
    #[arg(long = "member", value_name = "KEY_OR_NAME[:WEIGHT]", required = true)]
    pub members: Vec<String>,
    /// The total weight needed to sign (1..=sum of weights).
    #[arg(long)]
    pub threshold: u16,
    /// Address book: lines of `NAME PUBLIC_KEY`.
    #[arg(long, value_name = "FILE")]
    pub address_book: Option<PathBuf>,
}

/// `multisig create`.
#[derive(Debug, Args)]
pub struct CreateArgs {
    /// Members and threshold.
    #[command(flatten)]
    pub members: MembersArgs,
    /// Chain id, nonce, memo, scheme, dry run, server.
    #[command(flatten)]
    pub write: WriteArgs,
}

/// `multisig combine`.
#[derive(Debug, Args)]
pub struct CombineArgs {
    /// The members' partial signature files (from `--multisig ACCOUNT`).
    #[arg(value_name = "PARTIAL", required = true)]
    pub files: Vec<PathBuf>,
    /// Print the combined request, send nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// The server.
    #[command(flatten)]
    pub server: ServerArgs,
    /// Token definitions and their trusted signers.
    #[command(flatten)]
    pub review: ReviewArgs,
}

/// A compressed public key from `0x` + 66 hex digits.
fn public_key(text: &str) -> Option<[u8; 33]> {
    let digits = text.strip_prefix("0x").unwrap_or(text);
    let mut key = [0u8; 33];
    hex::decode_to_slice(digits, &mut key).ok()?;
    address_of_compressed(&key).map(|_| key)
}

/// The address book's entries: (name, key).
fn address_book(args: &MembersArgs, io: &mut Io<'_>) -> Result<Vec<(String, [u8; 33])>, CliError> {
    let Some(path) = &args.address_book else {
        return Ok(Vec::new());
    };
    let bytes = read_limited_input(path, io.input, 1 << 20, "the address book")?;
    let text = String::from_utf8(bytes).map_err(|_| {
        CliError::bad_input(format!(
            "address book {} is not UTF-8 text",
            show_path(path)
        ))
    })?;
    let mut book = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or_default().trim();
        if line.is_empty() {
            continue;
        }
        let mut parts = line.split_whitespace();
        let (Some(name), Some(key), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(CliError::bad_input(format!(
                "address book {} line {}: write NAME PUBLIC_KEY",
                show_path(path),
                n + 1
            )));
        };
        let key = public_key(key).ok_or_else(|| {
            CliError::bad_input(format!(
                "address book {} line {}: {:?} is not a compressed secp256k1 public key \
                 (0x02… or 0x03…, 66 hex digits)",
                show_path(path),
                n + 1,
                sanitize(key)
            ))
        })?;
        book.push((name.to_owned(), key));
    }
    Ok(book)
}

/// The members as the core's signers.
pub fn members(args: &MembersArgs, io: &mut Io<'_>) -> Result<Vec<MultisigSigner>, CliError> {
    let book = address_book(args, io)?;
    args.members
        .iter()
        .map(|m| {
            let (who, weight) = match m.rsplit_once(':') {
                Some((who, w)) => (
                    who,
                    w.trim()
                        .parse::<u8>()
                        .ok()
                        .filter(|w| *w > 0)
                        .ok_or_else(|| {
                            CliError::bad_input(format!(
                                "invalid --member {:?}: the weight must be 1 to 255",
                                sanitize(m)
                            ))
                        })?,
                ),
                None => (m.as_str(), 1),
            };
            let who = who.trim();
            let by_address = Address::parse(who).ok();
            let key = public_key(who)
                .or_else(|| book.iter().find(|(name, _)| name == who).map(|(_, k)| *k))
                .or_else(|| {
                    by_address.and_then(|a| {
                        book.iter()
                            .find(|(_, k)| address_of_compressed(k) == Some(a))
                            .map(|(_, k)| *k)
                    })
                })
                .ok_or_else(|| {
                    CliError::bad_input(format!(
                        "invalid --member {:?}: not a compressed public key (0x02…/0x03…, 66 \
                         hex digits) nor a name or address in the address book (--address-book \
                         FILE); an address alone does not give the key",
                        sanitize(who)
                    ))
                })?;
            Ok(MultisigSigner {
                public_key: KeyAsIntegers(key),
                weight,
            })
        })
        .collect()
}

/// The members as CreateMultiSig's JSON (`public_key` as 33 numbers).
fn signers_json(signers: &[MultisigSigner]) -> Value {
    Value::Array(
        signers
            .iter()
            .map(|s| json!({"public_key": s.public_key.0.to_vec(), "weight": s.weight}))
            .collect(),
    )
}

/// Runs `multisig …`.
pub fn run(
    command: &MultisigCommand,
    keys: &KeyOptions,
    json_mode: bool,
    io: &mut Io<'_>,
) -> Result<(), CliError> {
    match command {
        MultisigCommand::Address(args) => {
            let signers = members(args, io)?;
            let account = multisig_address(&signers, args.threshold);
            if json_mode {
                let obj = json!({"account": account.to_string(), "threshold": args.threshold,
                                 "signers": signers_json(&signers)});
                return write_out(io.out, &format!("{obj}\n"));
            }
            write_out(io.out, &format!("{account}\n"))
        }
        MultisigCommand::Create(args) => {
            let signers = BoundedVec::<MultisigSigner, MAX_MULTISIG_SIGNERS>::from_slice(&members(
                &args.members,
                io,
            )?)
            .map_err(|()| {
                flags::refused(CoreError::invalid(
                    Field::Signers,
                    Problem::TooLong {
                        max: MAX_MULTISIG_SIGNERS,
                    },
                ))
            })?;
            let create = CreateMultiSig {
                signers,
                threshold: args.members.threshold,
            };
            let account = create.account_address();
            let mut draft = Draft::new(create);
            draft
                .extra
                .insert("account".into(), json!(account.to_string()));
            write::run(draft, &args.write, keys, json_mode, io)
        }
        MultisigCommand::Combine(args) => combine(args, json_mode, io),
    }
}

/// A partial file as errors name it: its path and, when the file says,
/// its member (`"a.json" (member 0x…)`).
pub fn partial_label(path: &std::path::Path, bytes: &[u8]) -> String {
    let member = serde_json::from_slice::<Value>(bytes)
        .ok()
        .and_then(|v| v.get("signer")?.as_str().map(sanitize));
    match member {
        Some(member) => format!("{} (member {member})", show_path(path)),
        None => show_path(path),
    }
}

fn combine(args: &CombineArgs, json_mode: bool, io: &mut Io<'_>) -> Result<(), CliError> {
    let mut context = ReviewContext::from_args(&args.review)?;
    let mut files = Vec::with_capacity(args.files.len());
    for path in &args.files {
        let bytes = read_limited_input(path, io.input, 1 << 20, "a partial signature")?;
        files.push((partial_label(path, &bytes), bytes));
    }
    // Every partial is checked against its transaction and its key here,
    // before a server is even chosen.
    let request = SignedRequest::Native(partial::combine(&files)?);
    let account = request.sender()?;
    let hashes = request.hashes()?;
    let signed = Signed::new(request, hashes)?;
    let notes = Notes::new(&mut *io.err);
    let session = if args.dry_run {
        None
    } else {
        let target = resolve_target(&args.server)?;
        let session = Session::open(&target, &args.server, vec![signer::dev_address()], &notes)?;
        context.learn_server(&session.client, &session.url);
        Some(session)
    };
    let resolved = context.resolve(
        signed.request.transaction(),
        session.as_ref().map(|s| &s.client),
    )?;
    let mut extra = serde_json::Map::new();
    extra.insert("account".into(), json!(account.to_string()));
    extra.insert("members".into(), json!(files.len()));
    write::finish(
        &signed,
        account,
        session.as_ref(),
        args.dry_run,
        json_mode,
        io.out,
        &notes,
        &extra,
        &resolved,
    )
}

//! What a person reads before and after signing: the core's review of a
//! transaction (`tokensign_core::review`, the same items a device shows),
//! with what the host knows besides it ([`ReviewContext`]: token
//! definitions, a local node), as text lines or as `--json`'s `"review"`,
//! and the signer and hashes of a signed request.
//!
//! The core's items are the only source of review text: every command
//! that signs, submits, verifies or combines prints them through
//! [`review_lines`].

mod context;

use serde_json::{json, Value};
use tokensign_core::field::Shown;
use tokensign_core::legacy::LegacyTx;
use tokensign_core::native::{Authorization, Descriptor};
use tokensign_core::review::render::render;
use tokensign_core::review::Review;
use tokensign_core::tx::{Operation, Transaction};
use tokensign_core::{Address, Scheme};

pub use context::{Resolved, ReviewArgs, ReviewContext, TrustArgs, UnitSource};

use super::exit::CliError;
use crate::show::hex0x;
use crate::signer::{is_dev_address, scheme_label, Hashes, SignedRequest};

/// A text as the device shows it: quoted, every character outside
/// printable ASCII as its code point (so `USDС`, Cyrillic С, cannot pass
/// for `USDC` here either).
pub fn shown_text(text: &str) -> String {
    let mut out = String::new();
    // Writing into a String cannot fail.
    let _ = render(&Shown::Text(text), &mut out);
    out
}

/// One review item: its label (with its list position, `Amount 2`) and its
/// whole rendered value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReviewLine {
    /// The label.
    pub label: String,
    /// The value, printable ASCII.
    pub value: String,
}

/// The core's review of `tx` signed in `scheme` under `descriptor`, with
/// what `resolved` adds (the token's unit, a local node's chain), item by
/// item.
pub fn review_lines(
    tx: &Transaction,
    scheme: Scheme,
    descriptor: Descriptor,
    resolved: &Resolved,
) -> Result<Vec<ReviewLine>, CliError> {
    let mut review = Review::new(tx, scheme, descriptor);
    if resolved.local_node {
        review = review.on_local_node();
    }
    review = match &resolved.unit {
        UnitSource::None => review,
        UnitSource::Definition(definition, offered) => {
            review.with_definition(definition).map_err(|e| {
                CliError::bad_input(format!("token definition refused: {}: {e}", offered.source))
            })?
        }
        UnitSource::Server(unit) => review.with_reported_unit(unit),
    };
    Ok(review
        .items()
        .map(|item| {
            let mut value = String::new();
            // Writing into a String cannot fail.
            let _ = render(&item.value, &mut value);
            let label = match item.index {
                Some(i) => format!("{} {}", item.label, u32::from(i) + 1),
                None => item.label.to_owned(),
            };
            ReviewLine { label, value }
        })
        .collect())
}

/// The review as `--json` carries it: `[{"label", "value"}, …]`.
pub fn review_json(lines: &[ReviewLine]) -> Value {
    Value::Array(
        lines
            .iter()
            .map(|l| json!({"label": l.label, "value": l.value}))
            .collect(),
    )
}

/// Where the token's unit came from, as the line after the items (none
/// when amounts are in base units).
pub fn unit_note(resolved: &Resolved) -> Option<String> {
    match &resolved.unit {
        UnitSource::None => None,
        UnitSource::Definition(d, offered) => Some(format!(
            "  token unit        {} with {} decimals, from {}, signed by {} (trusted)\n",
            d.definition().unit.symbol(),
            d.definition().unit.decimals(),
            offered.source,
            d.signer()
        )),
        UnitSource::Server(unit) => Some(format!(
            "  token unit        {} with {} decimals, as the server's token metadata says \
             (not verified: give --definition FILE to verify it)\n",
            unit.symbol(),
            unit.decimals()
        )),
    }
}

/// The `--json` member naming where the unit came from.
pub fn unit_json(resolved: &Resolved) -> Value {
    match &resolved.unit {
        UnitSource::None => Value::Null,
        UnitSource::Definition(d, offered) => json!({
            "source": "definition",
            "from": offered.source,
            "symbol": d.definition().unit.symbol().as_str(),
            "decimals": d.definition().unit.decimals(),
            "signer": d.signer().to_string(),
        }),
        UnitSource::Server(unit) => json!({
            "source": "server",
            "symbol": unit.symbol().as_str(),
            "decimals": unit.decimals(),
        }),
    }
}

/// `<title>:` and every review item, one indented line each, then where
/// the token's unit came from. A token issue's title says which form it
/// signs, in both schemes (v2 always signs the eight fields).
pub fn review_text(
    title: &str,
    tx: &Transaction,
    scheme: Scheme,
    lines: &[ReviewLine],
    resolved: &Resolved,
) -> String {
    let clawback = match &tx.operation {
        Operation::TokenIssue(issue) => Some(issue.clawback_enabled.is_some()),
        _ => None,
    };
    let form = match (clawback, scheme) {
        (Some(true), _) => " (eight-field form)",
        (Some(false), Scheme::Native) => " (eight-field form: clawback_enabled signed as true)",
        (Some(false), Scheme::Legacy) => " (seven-field form: clawback_enabled is not sent)",
        (None, _) => "",
    };
    let name = match clawback {
        Some(_) => "Token issue",
        None => tx.op_type().title(),
    };
    let mut text = format!("{name} {title}{form}:\n");
    for line in lines {
        text.push_str(&format!("  {:<18}{}\n", line.label, line.value));
    }
    if let Some(note) = unit_note(resolved) {
        text.push_str(&note);
    }
    text
}

/// `<title> to sign:` and every item of the core's review of `tx`, one
/// indented line each (what a write, a partial signature and `sign` show
/// before signing).
pub fn review_items(
    tx: &Transaction,
    scheme: Scheme,
    descriptor: Descriptor,
    resolved: &Resolved,
) -> Result<String, CliError> {
    let lines = review_lines(tx, scheme, descriptor, resolved)?;
    Ok(review_text("to sign", tx, scheme, &lines, resolved))
}

/// One JSON object line: `{"request": <body>, ...fields}`, with the request
/// body embedded byte for byte as the core wrote it (field order kept).
pub fn object_with_request(body: &[u8], fields: serde_json::Value) -> String {
    let rest = fields.to_string();
    let body = String::from_utf8_lossy(body);
    match rest.strip_prefix('{').filter(|r| *r != "}") {
        Some(tail) => format!("{{\"request\":{body},{tail}\n"),
        None => format!("{{\"request\":{body}}}\n"),
    }
}

/// The request body exactly as the core writes it.
pub fn request_bytes(request: &LegacyTx) -> Result<Vec<u8>, CliError> {
    let mut buf = vec![0u8; tokensign_core::json::MAX_LEGACY_JSON_LEN];
    let n = tokensign_core::json::write_legacy(request, &mut buf)
        .map_err(|e| CliError::internal(format!("cannot write the request: {e}")))?;
    Ok(buf.get(..n).unwrap_or_default().to_vec())
}

/// The review of any signed request about to be sent (or printed, for a
/// dry run): every item of the core's review, then the signer (or
/// account) and hashes, then where it goes.
pub fn op_review(
    request: &SignedRequest,
    hashes: &Hashes,
    signer: Address,
    server: Option<&str>,
    dry_run: bool,
    resolved: &Resolved,
) -> Result<String, CliError> {
    let tail = match (dry_run, server) {
        (true, Some(server)) => format!("Dry run against {server}: nothing is sent\n"),
        (true, None) => "Dry run, offline: nothing is sent\n".to_owned(),
        (false, server) => format!("Submitting to {}\n", server.unwrap_or("the server")),
    };
    let mut text = review_items(
        request.transaction(),
        request.scheme(),
        request_descriptor(request),
        resolved,
    )?;
    text.push_str(&signed_lines(request, hashes, signer));
    text.push_str(&tail);
    Ok(text)
}

/// The signer (or multisig account) and the hashes of a signed request,
/// one indented line each.
pub fn signed_lines(request: &SignedRequest, hashes: &Hashes, signer: Address) -> String {
    let dev = if is_dev_address(&signer) {
        "  (development key: PUBLIC AND INSECURE)"
    } else {
        ""
    };
    let multisig = matches!(
        request,
        SignedRequest::Native(n) if matches!(n.authorization, Authorization::Multisig { .. })
    );
    let who = if multisig { "account" } else { "signer" };
    format!(
        "  {who:<18}{signer}{dev}\n  signing hash      {}\n  transaction hash  {}\n",
        hex0x(&hashes.signing),
        hex0x(&hashes.tx),
    )
}

/// The fields that describe a signed request in `--json` output (with
/// `request` itself added by [`object_with_request`]): `operation`,
/// `scheme`, `path`, `signing_hash`, `tx_hash`, `signer`, and `token` for
/// an issue.
pub fn request_fields(
    request: &SignedRequest,
    hashes: &Hashes,
    signer: &Address,
) -> Result<serde_json::Map<String, serde_json::Value>, CliError> {
    let mut fields = serde_json::Map::new();
    fields.insert("operation".into(), json!(request.op_type().name()));
    fields.insert("scheme".into(), json!(scheme_label(request.scheme())));
    fields.insert("path".into(), json!(request.path()));
    fields.insert("signing_hash".into(), json!(hex0x(&hashes.signing)));
    fields.insert("tx_hash".into(), json!(hex0x(&hashes.tx)));
    fields.insert("signer".into(), json!(signer.to_string()));
    if let Some(token) = request.token() {
        fields.insert("token".into(), json!(token.to_string()));
    }
    Ok(fields)
}

/// The descriptor a request was signed under.
pub fn request_descriptor(request: &SignedRequest) -> Descriptor {
    match request {
        SignedRequest::Legacy(_) => Descriptor::Single,
        SignedRequest::Native(n) => n.authorization.descriptor(),
    }
}

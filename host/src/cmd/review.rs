//! What a person reads before and after signing: every field of a payload,
//! and the review of a request about to be submitted.

use serde_json::json;
use tokensign_core::field::Shown;
use tokensign_core::legacy::LegacyTx;
use tokensign_core::native::{Authorization, Descriptor};
use tokensign_core::review::render::render;
use tokensign_core::review::Review;
use tokensign_core::tx::{TokenIssue, Transaction};
use tokensign_core::{Address, Scheme};

use super::ops::issue::issue_of;
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

/// Every field of a token issue, one indented line each, as `issue` and
/// `verify` print them; `clawback` is the text for `clawback_enabled`.
pub fn field_lines(tx: &Transaction, clawback: &str) -> String {
    let Some(p) = issue_of(tx) else {
        return format!("  operation         {}\n", tx.op_type());
    };
    format!(
        "  chain_id          {}\n  \
         nonce             {}\n  \
         symbol            {}\n  \
         name              {}\n  \
         decimals          {}\n  \
         master_authority  {}\n  \
         is_private        {}\n  \
         clawback_enabled  {clawback}\n",
        tx.chain_id,
        tx.nonce,
        shown_text(&p.symbol),
        shown_text(&p.name),
        p.decimals,
        p.master_authority,
        p.is_private,
    )
}

/// The review of a signed token issue about to be sent to `server`.
pub fn issue_review(request: &LegacyTx, hashes: &Hashes, signer: Address, server: &str) -> String {
    let p = &request.tx;
    let clawback_enabled = issue_of(p).and_then(|i| i.clawback_enabled);
    let form = match clawback_enabled {
        Some(_) => "eight-field form",
        None => "seven-field form: clawback_enabled is not sent",
    };
    let clawback = match clawback_enabled {
        Some(c) => c.to_string(),
        None => "(not sent)".to_owned(),
    };
    let dev = if is_dev_address(&signer) {
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
        issue_of(p)
            .map(TokenIssue::token_address)
            .unwrap_or_default(),
        signer,
        hex0x(&hashes.signing),
        hex0x(&hashes.tx),
    )
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
pub fn request_bytes(request: &LegacyTx) -> Result<Vec<u8>, super::CliError> {
    let mut buf = vec![0u8; tokensign_core::json::MAX_LEGACY_JSON_LEN];
    let n = tokensign_core::json::write_legacy(request, &mut buf)
        .map_err(|e| super::CliError::internal(format!("cannot write the request: {e}")))?;
    Ok(buf.get(..n).unwrap_or_default().to_vec())
}

/// The review of any signed request: every item the core's review shows
/// (the operation, each signed field, chain, nonce, memo, scheme), then
/// the signer and hashes, then where it goes. A v1 token issue keeps the
/// issue's own review.
pub fn op_review(
    request: &SignedRequest,
    hashes: &Hashes,
    signer: Address,
    server: Option<&str>,
    dry_run: bool,
) -> Result<String, super::CliError> {
    let tail = match (dry_run, server) {
        (true, Some(server)) => format!("Dry run against {server}: nothing is sent\n"),
        (true, None) => "Dry run, offline: nothing is sent\n".to_owned(),
        (false, server) => format!("Submitting to {}\n", server.unwrap_or("the server")),
    };
    let server = server.unwrap_or("the server");
    if let SignedRequest::Legacy(legacy) = request {
        if issue_of(&legacy.tx).is_some() {
            let text = issue_review(legacy, hashes, signer, server);
            return Ok(if dry_run {
                text.replace(&format!("Submitting to {server}\n"), &tail)
            } else {
                text
            });
        }
    }
    let mut text = review_items(
        request.transaction(),
        request.scheme(),
        request_descriptor(request),
    );
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
    text.push_str(&format!(
        "  {who:<18}{}{dev}\n  signing hash      {}\n  transaction hash  {}\n{tail}",
        signer,
        hex0x(&hashes.signing),
        hex0x(&hashes.tx),
    ));
    Ok(text)
}

/// The fields that describe a signed request in `--json` output (with
/// `request` itself added by [`object_with_request`]): `operation`,
/// `scheme`, `path`, `signing_hash`, `tx_hash`, `signer`, and `token` for
/// an issue.
pub fn request_fields(
    request: &SignedRequest,
    hashes: &Hashes,
    signer: &Address,
) -> Result<serde_json::Map<String, serde_json::Value>, super::CliError> {
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

/// `<title> to sign:` and every item of the core's review of `tx` signed in
/// `scheme` under `descriptor` (each signed field, chain, nonce, memo,
/// multisig account, scheme), one indented line each, as a device shows
/// them.
pub fn review_items(tx: &Transaction, scheme: Scheme, descriptor: Descriptor) -> String {
    let review = Review::new(tx, scheme, descriptor);
    // A token issue says which form it signs, in both schemes (v2 always
    // signs the eight fields).
    let title = match issue_of(tx).map(|i| i.clawback_enabled.is_some()) {
        Some(true) => "Token issue to sign (eight-field form)".to_owned(),
        Some(false) if scheme == Scheme::Native => {
            "Token issue to sign (eight-field form: clawback_enabled signed as true)".to_owned()
        }
        Some(false) => "Token issue to sign (seven-field form)".to_owned(),
        None => format!("{} to sign", tx.op_type().title()),
    };
    let mut text = format!("{title}:\n");
    for item in review.items() {
        let mut value = String::new();
        let _ = render(&item.value, &mut value);
        let label = match item.index {
            Some(i) => format!("{} {}", item.label, u32::from(i) + 1),
            None => item.label.to_owned(),
        };
        text.push_str(&format!("  {label:<18}{value}\n"));
    }
    text
}

/// The descriptor a request was signed under.
fn request_descriptor(request: &SignedRequest) -> Descriptor {
    match request {
        SignedRequest::Legacy(_) => Descriptor::Single,
        SignedRequest::Native(n) => n.authorization.descriptor(),
    }
}

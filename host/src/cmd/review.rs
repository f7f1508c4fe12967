//! What a person reads before and after signing: every field of a payload,
//! and the review of a request about to be submitted.

use tokensign_core::field::Shown;
use tokensign_core::legacy::LegacyTx;
use tokensign_core::review::render::render;
use tokensign_core::tx::{TokenIssue, Transaction};

use super::issue::issue_of;
use crate::signer::{is_dev_address, Signer};
use crate::text::hex0x;

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
pub fn issue_review(request: &LegacyTx, signer: &dyn Signer, server: &str) -> String {
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
    let dev = if is_dev_address(&signer.address()) {
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
        signer.address(),
        request
            .signing_hash()
            .map(|h| hex0x(&h))
            .unwrap_or_default(),
        request.tx_hash().map(|h| hex0x(&h)).unwrap_or_default(),
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

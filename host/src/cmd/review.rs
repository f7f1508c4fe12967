//! What a person reads before and after signing: every field of a payload,
//! and the review of a request about to be submitted.

use tokensign_core::{SignedRequest, TokenIssuePayload};

use crate::signer::{is_dev_address, Signer};
use crate::text::hex0x;

/// Every payload field, one indented line each, as `issue` and `verify`
/// print them; `clawback` is the text for `clawback_enabled`.
pub fn field_lines(p: &TokenIssuePayload, clawback: &str) -> String {
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

/// The review of a signed token issue about to be sent to `server`.
pub fn issue_review(request: &SignedRequest, signer: &dyn Signer, server: &str) -> String {
    let p = &request.payload;
    let form = match p.clawback_enabled() {
        Some(_) => "eight-field form",
        None => "seven-field form: clawback_enabled is not sent",
    };
    let clawback = match p.clawback_enabled() {
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
        p.token_address(),
        signer.address(),
        hex0x(&request.signing_hash()),
        hex0x(&request.tx_hash()),
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
pub fn request_bytes(request: &SignedRequest) -> Result<Vec<u8>, super::CliError> {
    let mut buf = [0u8; tokensign_core::MAX_REQUEST_JSON_LEN];
    let n = tokensign_core::json::write_request(request, &mut buf)
        .map_err(|e| super::CliError::internal(format!("cannot write the request: {e}")))?;
    Ok(buf.get(..n).unwrap_or_default().to_vec())
}

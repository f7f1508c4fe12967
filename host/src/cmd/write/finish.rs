//! The last step of every write: show what is signed, then print it (a dry
//! run) or submit it with the server's answer checked against the local
//! hashes. The write commands, `multisig combine` and `submit` end here.

use std::path::Path;

use serde_json::{json, Map, Value};
use tokensign_core::Address;

use super::scheme::explain_scheme_refusal;
use crate::client::{Expected, Submitted};
use crate::cmd::common::{write_out, Notes};
use crate::cmd::exit::CliError;
use crate::cmd::review::{
    object_with_request, op_review, request_descriptor, request_fields, review_json, review_lines,
    unit_json, Resolved,
};
use crate::cmd::session::Session;
use crate::show::{hex0x, show_path};
use crate::signer::{Hashes, SignedRequest, Signer};

/// A signed request with what every later step reads, each computed once:
/// its hashes and its body (the exact bytes sent).
#[derive(Clone, Debug)]
pub struct Signed {
    /// The request.
    pub request: SignedRequest,
    /// Its signing and transaction hashes.
    pub hashes: Hashes,
    /// Its body as the core writes it.
    pub body: Vec<u8>,
}

impl Signed {
    /// `request` with its `hashes`; writes the body.
    pub fn new(request: SignedRequest, hashes: Hashes) -> Result<Self, CliError> {
        let body = request.body()?;
        Ok(Signed {
            request,
            hashes,
            body,
        })
    }

    /// What the server's answer must say.
    pub fn expected(&self) -> Expected {
        Expected {
            tx_hash: self.hashes.tx,
            token: self.request.token(),
        }
    }
}

/// Shows a signed request, then prints it (dry run) or submits it to the
/// session's server with the answer checked against the local hashes.
/// `sender` is the signer (or the multisig account); `extra` goes into the
/// `--json` object and, as lines, into the text.
#[allow(clippy::too_many_arguments)]
pub fn finish(
    signed: &Signed,
    sender: Address,
    session: Option<&Session<'_>>,
    dry_run: bool,
    json_mode: bool,
    out: &mut dyn std::io::Write,
    notes: &Notes<'_>,
    extra: &Map<String, Value>,
    resolved: &Resolved,
) -> Result<(), CliError> {
    let shown = Shown {
        sender,
        server: session.map(|s| s.label.as_str()),
        dry_run,
        json_mode,
        resolved,
    };
    let fields = show(signed, &shown, out, notes, extra)?;
    if dry_run {
        return print_dry_run(signed, fields, json_mode, out);
    }
    let Some(session) = session else {
        return Err(CliError::internal("no server to submit to"));
    };
    let submitted = submit(signed, session)?;
    accepted(&submitted, session, json_mode, fields, signed, out)
}

/// How a request is shown.
#[derive(Clone, Copy, Debug)]
pub struct Shown<'a> {
    /// The signer (or the multisig account).
    pub sender: Address,
    /// The server's label, if any.
    pub server: Option<&'a str>,
    /// Nothing is sent.
    pub dry_run: bool,
    /// `--json`: the review goes to stderr.
    pub json_mode: bool,
    /// What the review shows besides the transaction (the token's unit,
    /// a local node).
    pub resolved: &'a Resolved,
}

/// A device's screen: the pages it displayed for the signature, printed
/// on stderr labelled as the device's, apart from the host's own review,
/// and with `--json` kept as `"device_pages"`. Nothing for a key held here.
pub fn device_screen(
    signer: &dyn Signer,
    json_mode: bool,
    extra: &mut Map<String, Value>,
    notes: &Notes<'_>,
) -> Result<(), CliError> {
    let Some(pages) = signer.device_pages() else {
        return Ok(());
    };
    let mut text = String::from("The device's screen (what you approved there):\n");
    for page in &pages {
        text.push_str(&format!(
            "  device screen: {}\n",
            crate::show::sanitize(page)
        ));
    }
    notes.write(&text)?;
    if json_mode {
        extra.insert("device_pages".into(), json!(pages));
    }
    Ok(())
}

/// Shows the review of `signed` (with `extra` as lines) on stdout, or on
/// stderr with `--json`; returns the fields of the `--json` object.
pub fn show(
    signed: &Signed,
    shown: &Shown<'_>,
    out: &mut dyn std::io::Write,
    notes: &Notes<'_>,
    extra: &Map<String, Value>,
) -> Result<Map<String, Value>, CliError> {
    let request = &signed.request;
    let mut review = op_review(
        request,
        &signed.hashes,
        shown.sender,
        shown.server,
        shown.dry_run,
        shown.resolved,
    )?;
    // A device's pages were shown apart, as its screen (`device_screen`).
    for (key, value) in extra.iter().filter(|(k, _)| *k != "device_pages") {
        let value = value
            .as_str()
            .map_or_else(|| value.to_string(), str::to_owned);
        review.push_str(&format!("{key}: {value}\n"));
    }
    if shown.json_mode {
        notes.write(&review)?;
    } else {
        write_out(out, &review)?;
    }
    let mut fields = request_fields(request, &signed.hashes, &shown.sender)?;
    fields.extend(extra.clone());
    let lines = review_lines(
        request.transaction(),
        request.scheme(),
        request_descriptor(request),
        shown.resolved,
    )?;
    fields.insert("review".into(), review_json(&lines));
    fields.insert("token_unit".into(), unit_json(shown.resolved));
    Ok(fields)
}

/// Prints a request that is not sent: its body, or the `--json` object.
pub fn print_dry_run(
    signed: &Signed,
    mut fields: Map<String, Value>,
    json_mode: bool,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    if json_mode {
        fields.insert("status".into(), json!("dry_run"));
        return write_out(
            out,
            &object_with_request(&signed.body, Value::Object(fields)),
        );
    }
    let text = String::from_utf8_lossy(&signed.body);
    write_out(
        out,
        &format!(
            "{text}\nDry run: nothing was sent ({}).\n",
            signed.request.path()
        ),
    )
}

/// Shows a signed request and writes it, not sent, to a new file at
/// `path` as the `--json` object (`"status": "dry_run"`), which `verify`
/// and `submit` read.
#[allow(clippy::too_many_arguments)]
pub fn save(
    signed: &Signed,
    sender: Address,
    session: Option<&Session<'_>>,
    path: &Path,
    json_mode: bool,
    out: &mut dyn std::io::Write,
    notes: &Notes<'_>,
    resolved: &Resolved,
) -> Result<(), CliError> {
    let shown = Shown {
        sender,
        server: session.map(|s| s.label.as_str()),
        dry_run: true,
        json_mode,
        resolved,
    };
    let mut fields = show(signed, &shown, out, notes, &Map::new())?;
    fields.insert("status".into(), json!("dry_run"));
    let text = object_with_request(&signed.body, Value::Object(fields));
    crate::signer::partial::write_new(path, text.trim_end())?;
    let summary = format!(
        "Signed {} written to {} (not sent). Check it with `tokensign verify {}`, send it with \
         `tokensign submit {}`.\n",
        signed.request.op_type(),
        show_path(path),
        path.display(),
        path.display()
    );
    if json_mode {
        notes.write(&summary)?;
        write_out(out, &text)
    } else {
        write_out(out, &summary)
    }
}

/// Submits `signed` to the session's server; the answer is checked
/// against the local hashes, and a refusal of the scheme is explained.
pub fn submit(signed: &Signed, session: &Session<'_>) -> Result<Submitted, CliError> {
    session
        .client
        .submit(signed.request.path(), &signed.body, &signed.expected())
        .map_err(|e| explain_scheme_refusal(CliError::from(e), signed.request.scheme()))
}

/// Prints an accepted write: the hash (and token), or the `--json` object.
pub fn accepted(
    submitted: &Submitted,
    session: &Session<'_>,
    json_mode: bool,
    mut fields: Map<String, Value>,
    signed: &Signed,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    if json_mode {
        fields.insert("status".into(), json!("accepted"));
        fields.insert("server".into(), json!(session.shown_url()));
        fields.insert(
            "confirmed_by_lookup".into(),
            json!(submitted.confirmed_by_lookup),
        );
        fields.insert("attempts".into(), json!(submitted.attempts));
        return write_out(
            out,
            &object_with_request(&signed.body, Value::Object(fields)),
        );
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
